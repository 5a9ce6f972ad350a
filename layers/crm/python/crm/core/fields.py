"""Field types request models share."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from crm.text import SingleLine, is_single_line

_ADDRESS = re.compile(
    r"^[^@\s<>(),;:\"\[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def _email(value: str) -> str:
    value = value.strip()
    if not is_single_line(value) or len(value) > 254 or not _ADDRESS.match(value) or ".." in value:
        raise PydanticCustomError("email", "Not a valid email address")
    return value


EmailAddress = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]
# a name (firm, account, contact) is one line: a control character is a 422 (crm.text)
Name = Annotated[SingleLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PASSWORD_MINIMUM = 12  # the user pools' policy too (template.yaml), which asks for nothing else
Password = Annotated[str, StringConstraints(min_length=PASSWORD_MINIMUM, max_length=256)]


class RequestModel(BaseModel):
    """Request bodies: unknown fields and wrong types are errors, never dropped or coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ChangeModel(RequestModel):
    """Partial changes: a field left out keeps its value; null is not a value (422),
    so a client's `"login": null` never passes for "no change"."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError(
                "null_value", "null is not a value here: leave the field out to keep it"
            )
        return value
