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
    copy_client_emails_to: list[str]
    auto_save_attachments: bool
    notify_staff_on_synced_email: bool
    default_notification_preferences: NotificationPreferences


class SettingsChange(ChangeModel):
    copy_client_emails_to: Annotated[list[EmailAddress], Field(max_length=20)] | None = None
    auto_save_attachments: bool | None = None
    notify_staff_on_synced_email: bool | None = None
    default_notification_preferences: PreferencesChange | None = None
