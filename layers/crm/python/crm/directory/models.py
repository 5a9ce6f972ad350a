from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from crm.core.directory import AccountType, EmailField
from crm.core.fields import ChangeModel, EmailAddress, Name, RequestModel
from crm.text import SingleLine

Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Label = Annotated[
    SingleLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
LastName = Annotated[SingleLine, StringConstraints(strip_whitespace=True, max_length=200)]


class CreateAccount(RequestModel):
    name: Name
    type: AccountType


class CreateEmailField(RequestModel):
    label: Label


class EmailFieldPage(BaseModel):
    items: list[EmailField]


class EmailInput(RequestModel):
    address: EmailAddress
    field_id: Id | None = None


class ChangeEmail(ChangeModel):
    address: EmailAddress | None = None
    field_id: Id | None = None


class CreateContact(RequestModel):
    first_name: Name
    last_name: LastName = ""
    emails: Annotated[list[EmailInput], Field(max_length=20, default_factory=list)]


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
