"""Importing contacts from CSV: good rows are kept, bad rows reported by the row number
a spreadsheet shows (the header is row 1), in the reader's language (the `import-*`
sentences of `crm/i18n/<language>/errors.ftl`)."""

from __future__ import annotations

import csv
import io

from pydantic import ValidationError

from crm.core.directory import DEFAULT_FIELD_ID, StoredContact
from crm.directory.contacts import new_contact
from crm.directory.models import CreateContact, ImportRowError
from crm.errors import DomainError, ValidationFailed
from crm.http import problems
from crm.i18n import DEFAULT_LANGUAGE, Localizer, localizer

MAX_ROWS = 5000
REQUIRED = ("first_name", "last_name", "email")


def parse(
    text: str, fields: dict[str, str], words: Localizer
) -> tuple[list[StoredContact], list[ImportRowError]]:
    """Contacts from CSV text. Columns: first_name, last_name, email (the firm's `Email`
    field), then one column per other email field, named by its label."""
    try:  # newline="": the reader itself reads CR, LF and CRLF line ends (RFC 4180)
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as error:  # a cell over the reader's limit, a broken quote
        raise _refused("body", "import-unreadable") from error
    if not rows:
        raise _refused("body", "import-empty")
    header = [h.strip() for h in rows[0]]
    columns = _columns(header, fields)
    if len(rows) - 1 > MAX_ROWS:
        raise _refused("body", "import-too-many-rows", limit=MAX_ROWS)
    contacts: list[StoredContact] = []
    errors: list[ImportRowError] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(ImportRowError(row=number, message=words("import-row-too-many-cells")))
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
            errors.append(ImportRowError(row=number, message=_explain(error, words)))
        except DomainError as error:
            errors.append(ImportRowError(row=number, message=_said(error, words)))
    return contacts, errors


def _columns(header: list[str], fields: dict[str, str]) -> list[tuple[str, str]]:
    """(column, field_id) for every email column; unknown columns refuse the file."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise _refused("header", "import-header-lacks", columns=", ".join(missing))
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
        raise _refused("header", "import-unknown-columns", columns=", ".join(unknown))
    return columns


def _refused(name: str, sentence: str, **arguments: object) -> ValidationFailed:
    """The whole file refused (422): the English sentence written, the reader's from the
    catalogs (crm.http.problems)."""
    english = localizer(DEFAULT_LANGUAGE)(sentence, **arguments)
    return ValidationFailed.on(name, english, words=sentence, **arguments)


def _explain(error: ValidationError, words: Localizer) -> str:
    """A row's first problem, named by its column."""
    first = error.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    if loc[:1] == ["emails"]:
        return words("import-row-not-email", address=str(first.get("input")))
    column = loc[0] if loc else "row"
    if first.get("type") in ("string_too_short", "too_short"):  # an empty name
        return words("import-row-required", column=column)
    problem = problems.validation_field(column, first, words).message
    return words("import-row-field", column=column, problem=problem)


def _said(error: DomainError, words: Localizer) -> str:
    """A rule of the contacts refused the row (an address twice, an unknown field)."""
    fields = getattr(error, "fields", None)
    if fields:
        return problems.field_message(fields[0], words)
    return problems.message(error, words)
