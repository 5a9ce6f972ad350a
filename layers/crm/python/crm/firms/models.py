from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from crm.access.models import NotificationPreferences, PreferencesChange
from crm.http.fields import ChangeModel, EmailAddress, Name, Password, RequestModel

StaffRole = Literal["owner", "admin", "employee"]


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


class StaffMember(BaseModel):
    staff_id: str
    email: str
    role: StaffRole
    manage_accounts: bool
    status: Literal["invited", "active"]
    created_at: str


class StaffPage(BaseModel):
    items: list[StaffMember]


class Firm(BaseModel):
    firm_id: str
    name: str


class FirmSettings(BaseModel):
    verified: bool = Field(
        description="The owner's address is confirmed: until then the firm emails nobody "
        "but its owner (POST /v1/firm/verification sends the link again)."
    )
    copy_client_emails_to: list[str]
    auto_save_attachments: bool
    notify_staff_on_synced_email: bool
    default_notification_preferences: NotificationPreferences


class SettingsChange(ChangeModel):
    copy_client_emails_to: Annotated[list[EmailAddress], Field(max_length=20)] | None = None
    auto_save_attachments: bool | None = None
    notify_staff_on_synced_email: bool | None = None
    default_notification_preferences: PreferencesChange | None = None


class FirmStanding(BaseModel):
    """What every sender asks about a firm before it emails anyone (crm.firms.sending)."""

    firm_id: str
    name: str
    verified: bool
    owner_email: str | None = None


class VerifyFirm(RequestModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class FirmVerified(BaseModel):
    verified: bool
    firm_name: str


class VerificationSent(BaseModel):
    verified: bool
    sent_to: str
    requested_at: str


class VerificationState(BaseModel):
    """Where a firm stands in proving its owner's address (kept on the firm's item)."""

    firm_id: str
    firm_name: str = ""
    owner_email: str | None = None
    verified_at: str | None = None
    verification_id: str | None = None
    digest: str | None = None
    expires_at: str | None = None
    requested_at: str | None = None
