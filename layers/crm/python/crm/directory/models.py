from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from crm.http.fields import ChangeModel, EmailAddress, Name, RequestModel
from crm.text import SingleLine

DEFAULT_FIELD_ID = "fld_email"
DEFAULT_FIELD_LABEL = "Email"

AccountType = Literal["individual", "family", "business"]
Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Label = Annotated[
    SingleLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
LastName = Annotated[SingleLine, StringConstraints(strip_whitespace=True, max_length=200)]


class CreateAccount(RequestModel):
    name: Name
    type: AccountType


class Account(BaseModel):
    account_id: str
    name: str
    type: AccountType
    created_at: str


class AccountPage(BaseModel):
    items: list[Account]
    next_cursor: str | None = None


class CreateEmailField(RequestModel):
    label: Label


class EmailField(BaseModel):
    field_id: str
    label: str


class EmailFieldPage(BaseModel):
    items: list[EmailField]


class EmailInput(RequestModel):
    address: EmailAddress
    field_id: Id | None = None


class ChangeEmail(ChangeModel):
    address: EmailAddress | None = None
    field_id: Id | None = None


class ContactEmail(BaseModel):
    email_id: str
    address: str
    field_id: str
    label: str


class CreateContact(RequestModel):
    first_name: Name
    last_name: LastName = ""
    emails: Annotated[list[EmailInput], Field(max_length=20, default_factory=list)]


class Contact(BaseModel):
    contact_id: str
    first_name: str
    last_name: str
    emails: list[ContactEmail]
    account_ids: list[str]
    created_at: str


class LinkContact(RequestModel):
    contact_id: Id


class Link(BaseModel):
    account_id: str
    contact_id: str
    linked_at: str


class ImportRowError(BaseModel):
    row: int
    message: str


class ImportResult(BaseModel):
    created: int
    errors: list[ImportRowError]


class StoredContact(Contact):
    """A contact as read, with the version its next write is conditional on."""

    version: int | None = None

    def public(self) -> Contact:
        return Contact.model_validate(self.model_dump(exclude={"version"}))
