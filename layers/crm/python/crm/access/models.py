from __future__ import annotations

from pydantic import BaseModel

from crm.core.access import LoginStatus
from crm.core.categories import NotificationPreferences
from crm.core.fields import ChangeModel


class AccessRow(BaseModel):
    """A ROW of the Contacts section (API.md)."""

    email_id: str
    address: str
    label: str
    login: bool
    notify: bool
    email_sync: bool
    login_status: LoginStatus
    invitation_expires_at: str | None
    notification_preferences: NotificationPreferences


class SectionContact(BaseModel):
    contact_id: str
    first_name: str
    last_name: str
    emails: list[AccessRow]


class ContactsSection(BaseModel):
    contacts: list[SectionContact]
    unlinked_emails: list[AccessRow]


class ToggleChange(ChangeModel):
    login: bool | None = None
    notify: bool | None = None
    email_sync: bool | None = None
    send_invitation: bool | None = None
