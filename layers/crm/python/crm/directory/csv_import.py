"""Importing contacts from CSV: good rows are kept, bad rows reported by the row number
a spreadsheet shows (the header is row 1)."""

from __future__ import annotations

import csv
import io

from pydantic import ValidationError

from crm.core.directory import DEFAULT_FIELD_ID, StoredContact
from crm.directory.contacts import new_contact
from crm.directory.models import CreateContact, ImportRowError
from crm.errors import DomainError, ValidationFailed

MAX_ROWS = 5000
REQUIRED = ("first_name", "last_name", "email")


def parse(text: str, fields: dict[str, str]) -> tuple[list[StoredContact], list[ImportRowError]]:
    """Contacts from CSV text. Columns: first_name, last_name, email (the firm's `Email`
    field), then one column per other email field, named by its label."""
    try:  # newline="": the reader itself reads CR, LF and CRLF line ends (RFC 4180)
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as error:  # a cell over the reader's limit, a broken quote
        raise ValidationFailed.on("body", f"This CSV cannot be read: {error}.") from error
    if not rows:
        raise ValidationFailed.on("body", "The CSV is empty; the first row must be the header.")
    header = [h.strip() for h in rows[0]]
    columns = _columns(header, fields)
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationFailed.on("body", f"At most {MAX_ROWS} rows can be imported at once.")
    contacts: list[StoredContact] = []
    errors: list[ImportRowError] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(
                ImportRowError(row=number, message="This row has more cells than the header.")
            )
            continue
        values = dict(zip(header, [c.strip() for c in cells], strict=False))
        emails = [
            {"address": values[column], "field_id": field_id}
            for column, field_id in columns
            if values.get(column)
        ]
        try:
            request = CreateContact.model_validate(
                {
                    "first_name": values.get("first_name", ""),
                    "last_name": values.get("last_name", ""),
                    "emails": emails,
                }
            )
            contacts.append(new_contact(request, fields))
        except ValidationError as error:
            errors.append(ImportRowError(row=number, message=_explain(error)))
        except DomainError as error:
            errors.append(ImportRowError(row=number, message=error.message))
    return contacts, errors


def _columns(header: list[str], fields: dict[str, str]) -> list[tuple[str, str]]:
    """(column, field_id) for every email column; unknown columns refuse the file."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed.on("header", f"The header lacks: {', '.join(missing)}.")
    by_label = {label.casefold(): field_id for field_id, label in fields.items()}
    columns = [("email", DEFAULT_FIELD_ID)]
    unknown = []
    for column in header:
        if column in REQUIRED:
            continue
        field_id = by_label.get(column.casefold())
        if field_id is None:
            unknown.append(column)
        else:
            columns.append((column, field_id))
    if unknown:
        raise ValidationFailed.on(
            "header",
            f"These columns are not email fields of the firm: {', '.join(unknown)}.",
        )
    return columns


def _explain(error: ValidationError) -> str:
    first = error.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    if loc[:1] == ["emails"]:
        return f"Not a valid email address: {first.get('input')!s}."
    column = loc[0] if loc else "row"
    if first.get("type") == "string_too_short":
        return f"{column} is required."
    if first.get("type") == "single_line":  # a line break in a name (crm.text)
        return f"{column} {first['msg']}."
    if first.get("type") == "value_error" and "error" in (first.get("ctx") or {}):
        return f"{column} {first['ctx']['error']}."
    return f"{column}: {first.get('msg')}."
