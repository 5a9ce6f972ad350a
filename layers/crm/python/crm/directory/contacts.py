"""The rules of a contact's addresses: each on one of the firm's email fields, no
address twice on one contact (whatever its case). Shared by the routes and the CSV
import."""

from __future__ import annotations

from collections.abc import Sequence

from crm import clock
from crm.core import ids
from crm.core.directory import DEFAULT_FIELD_ID, ContactEmail, StoredContact
from crm.directory.models import CreateContact, EmailInput
from crm.errors import Conflict, ValidationFailed

DUPLICATE = "This contact already has this email address."


def new_contact(request: CreateContact, fields: dict[str, str]) -> StoredContact:
    """A contact from a request; addresses checked against the firm's fields."""
    emails: list[ContactEmail] = []
    for index, given in enumerate(request.emails):
        email = new_email(given, fields, name=f"emails.{index}.address")
        refuse_duplicate(emails, email.address)
        emails.append(email)
    return StoredContact(
        contact_id=ids.new_id("con"),
        first_name=request.first_name,
        last_name=request.last_name,
        emails=emails,
        account_ids=[],
        created_at=clock.iso(),
    )


def new_email(given: EmailInput, fields: dict[str, str], name: str) -> ContactEmail:
    field_id = given.field_id or DEFAULT_FIELD_ID
    if field_id not in fields:
        raise ValidationFailed.on(
            name.replace("address", "field_id"), "There is no email field with this id."
        )
    return ContactEmail(
        email_id=ids.new_id("eml"), address=given.address, field_id=field_id, label=fields[field_id]
    )


def refuse_duplicate(emails: Sequence[ContactEmail], address: str) -> None:
    if any(e.address.casefold() == address.casefold() for e in emails):
        raise Conflict(DUPLICATE, code="duplicate_address")
