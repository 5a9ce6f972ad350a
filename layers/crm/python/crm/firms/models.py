from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

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


class SettingsChange(ChangeModel):
    copy_client_emails_to: Annotated[list[EmailAddress], Field(max_length=20)] | None = None
    auto_save_attachments: bool | None = None
    notify_staff_on_synced_email: bool | None = None
    default_notification_preferences: PreferencesChange | None = None


class VerifyFirm(RequestModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class FirmVerified(BaseModel):
    verified: bool
    firm_name: str


class VerificationSent(BaseModel):
    verified: bool
    sent_to: str
    requested_at: str
