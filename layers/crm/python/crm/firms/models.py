from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from crm.core.categories import PreferencesChange
from crm.core.fields import ChangeModel, EmailAddress, Name, Password, RequestModel
from crm.core.firms import StaffMember, StaffRole


class CreateFirm(RequestModel):
    firm_name: Name
    owner_email: EmailAddress
    owner_password: Password


class FirmCreated(BaseModel):
    firm_id: str
    staff_id: str


class StaffLogin(RequestModel):
    email: EmailAddress
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class LoginAnswer(BaseModel):
    token: str
    expires_in: int
    firm_id: str
    staff_id: str
    role: StaffRole


class InviteStaff(RequestModel):
    email: EmailAddress
    role: Literal["admin", "employee"]
    manage_accounts: bool = False


class StaffPage(BaseModel):
    items: list[StaffMember]


NEVER_SYNC_MAX = 100  # entries: the list rides on the firm's item, read by every sender
_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
_ADDRESS = TypeAdapter(EmailAddress)
_FORMS = "Write an address as name@bank.example, a domain as @bank.example."


def _never_sync_entry(value: str) -> str:
    """One form each: `name@bank.example` an address, `@bank.example` a domain (and its
    subdomains); lower case, surrounding spaces dropped."""
    entry = value.strip().lower()
    if entry.startswith("@"):
        if len(entry) > 254 or not _DOMAIN.fullmatch(entry[1:]):
            raise ValueError(f"Not a domain. {_FORMS}")
        return entry
    if "@" not in entry and _DOMAIN.fullmatch(entry):
        raise ValueError(f"A domain is written with its @: @{entry}.")
    try:
        return str(_ADDRESS.validate_python(entry)).lower()
    except ValidationError:
        raise ValueError(f"Not an address or a domain. {_FORMS}") from None


NeverSyncEntry = Annotated[
    str, StringConstraints(max_length=320), AfterValidator(_never_sync_entry)
]


class SettingsChange(ChangeModel):
    copy_client_emails_to: Annotated[list[EmailAddress], Field(max_length=20)] | None = None
    auto_save_attachments: bool | None = None
    notify_staff_on_synced_email: bool | None = None
    default_notification_preferences: PreferencesChange | None = None
    never_sync: (
        Annotated[
            list[NeverSyncEntry],
            Field(
                max_length=NEVER_SYNC_MAX,
                description="The whole never-sync list, replacing the last (send [] to "
                "empty it): up to 100 entries, each an address (`name@bank.example`) or a "
                "domain (`@bank.example`, its subdomains included). Case and surrounding "
                "spaces do not matter; duplicates count once. Any other entry is a 422 "
                "and changes nothing.",
            ),
            AfterValidator(lambda entries: list(dict.fromkeys(entries))),
        ]
        | None
    ) = None


class VerifyFirm(RequestModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class FirmVerified(BaseModel):
    verified: bool
    firm_name: str


class VerificationSent(BaseModel):
    verified: bool
    sent_to: str
    requested_at: str
