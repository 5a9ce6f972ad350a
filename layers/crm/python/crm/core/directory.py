"""Accounts (one per client entity: a person, a family, a business), contacts (people,
each with one or more addresses) and the email fields that label those addresses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DEFAULT_FIELD_ID = "fld_email"
DEFAULT_FIELD_LABEL = "Email"

AccountType = Literal["individual", "family", "business"]
Language = Literal["en", "nl"]


class Account(BaseModel):
    account_id: str
    name: str
    type: AccountType
    created_at: str
    nobody_notified: bool = Field(
        default=True,
        description="No address on this account has NOTIFY on: nobody would receive its "
        "notifications, its invoices included.",
    )


class AccountPage(BaseModel):
    items: list[Account]
    next_cursor: str | None = None


class EmailField(BaseModel):
    field_id: str
    label: str


class ContactEmail(BaseModel):
    email_id: str
    address: str
    field_id: str
    label: str


AccountSort = Literal["name", "-name", "created_at", "-created_at"]


class Contact(BaseModel):
    contact_id: str
    first_name: str
    last_name: str
    language: Language | None = None  # None: the firm's language
    emails: list[ContactEmail]
    account_ids: list[str]
    created_at: str


class StoredContact(Contact):
    """A contact as read, with the version its next write is conditional on."""

    version: int | None = None

    def public(self) -> Contact:
        return Contact.model_validate(self.model_dump(exclude={"version"}))


class AccountRef(BaseModel):
    """An account, named: where a message or an invitation belongs."""

    account_id: str
    name: str


class ContactDetail(Contact):
    """A contact with the accounts it is linked to, named (sorted by name)."""

    accounts: list[AccountRef]


class ContactListed(BaseModel):
    contact_id: str
    first_name: str
    last_name: str
    language: Language | None = None
    emails: list[ContactEmail]
    accounts: list[AccountRef]


class ContactPage(BaseModel):
    items: list[ContactListed]
    next_cursor: str | None = None
