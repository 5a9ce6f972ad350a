from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crm.core.access import LoginStatus
from crm.core.categories import NotificationPreferences
from crm.core.fields import ChangeModel

EmailSyncState = Literal["off", "no_mailbox", "pending", "synced", "error"]


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
    email_sync_state: EmailSyncState = Field(
        description="Where EMAIL SYNC stands for this address: `off` (EMAIL SYNC is off); "
        "`no_mailbox` (on, but the firm has no connected mailbox: nothing is synced "
        "until one is connected); `pending` (on, its history is still being imported); "
        "`synced` (on, its history is imported and new mail follows); `error` (on, but "
        "the firm's mailbox needs attention: see GET /v1/firm/mailbox)."
    )


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
