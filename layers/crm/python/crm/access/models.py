from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from crm.http.fields import ChangeModel

LoginStatus = Literal["off", "not_invited", "invited", "active"]


class NotificationPreferences(BaseModel):
    documents_uploads: bool = True
    documents_signatures: bool = True
    documents_approvals: bool = True
    chats_and_tasks: bool = True
    proposals: bool = True
    organizers: bool = True
    invoices_and_payments: bool = True


class PreferencesChange(ChangeModel):
    """A subset of the categories; any other name is a 422."""

    documents_uploads: bool | None = None
    documents_signatures: bool | None = None
    documents_approvals: bool | None = None
    chats_and_tasks: bool | None = None
    proposals: bool | None = None
    organizers: bool | None = None
    invoices_and_payments: bool | None = None


class AccessRecord(BaseModel):
    """One address on one account, as stored (the data layer's domain model)."""

    firm_id: str
    account_id: str
    account_name: str
    email_id: str
    contact_id: str
    address: str
    label: str
    linked: bool
    login: bool
    notify: bool
    email_sync: bool
    login_status: LoginStatus
    invitation_id: str | None
    invitation_expires_at: str | None
    preferences: dict[str, bool]
    version: int | None
    portal_sub: str | None = None  # while active: the portal user (Cognito sub) it serves

    @property
    def pending_activation(self) -> bool:
        """LOGIN on, but the person has not activated yet (the notification banner)."""
        return self.login and self.login_status in ("not_invited", "invited")


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
