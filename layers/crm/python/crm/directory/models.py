from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from crm.core.directory import AccountType, EmailField, Language
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
    next_cursor: str | None = None


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


class ChangeContact(RequestModel):
    """A contact's names and language: a field left out keeps its value. `language` null
    means the firm's language; a null name is a 422."""

    first_name: Name | None = None
    last_name: LastName | None = None
    language: Language | None = None

    @field_validator("first_name", "last_name", mode="before")
    @classmethod
    def _names_not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError(
                "null_value", "null is not a value here: leave the field out to keep it"
            )
        return value

    def changes(self) -> dict[str, str | None]:
        """The fields the request sets, with their new values."""
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


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
