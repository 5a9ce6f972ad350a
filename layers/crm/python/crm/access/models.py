from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError

from crm.core.access import LoginStatus
from crm.core.categories import Category, NotificationPreferences
from crm.core.fields import ChangeModel, RequestModel
from crm.text import is_single_line

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
    last_invited_at: str | None = Field(
        default=None,
        description="When the newest invitation to this address for this account was sent "
        "(asked for here; the email leaves within seconds), or null.",
    )
    access_restored_at: str | None = Field(
        default=None,
        description="When LOGIN was turned back on for a person whose portal login still "
        "existed: access came back at once, with their current password (no invitation).",
    )
    unsubscribed_categories: list[Category] = Field(
        default_factory=list,
        description="Categories the client turned off through an unsubscribe link, not "
        "turned on again since (a staff PUT of the preferences that turns one on clears it).",
    )
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
    nobody_notified: bool = Field(
        default=False,
        description="No address on this account has NOTIFY on: nobody would receive its "
        "notifications, its invoices included. Turn NOTIFY on for at least one address.",
    )


class AuditLine(BaseModel):
    """One entry of the audit trail, as the Activity tab shows it."""

    audit_id: str
    account_id: str | None
    at: str
    actor: str = Field(
        description="Who: a staff member's address, `client` (the client's own act, such "
        "as an unsubscribe link or accepting an invitation) or `system`."
    )
    actor_id: str = Field(description="Who, as stored: `staff:<staff_id>`, `client:<address>`.")
    action: str
    target: str | None
    details: dict[str, Any]
    summary: str = Field(description="One sentence of what happened, for people.")


class AuditTrail(BaseModel):
    items: list[AuditLine]
    next_cursor: str | None = None


NOTE_LENGTH = 1000


def _note(value: str) -> str | None:
    """Plain text: line breaks are kept (CR LF read as LF), every other control character
    (NUL, bidirectional overrides, ...) is refused; blank is no note."""
    text = value.replace("\r\n", "\n").strip()
    if len(text) > NOTE_LENGTH:
        raise PydanticCustomError(
            "string_too_long",
            "String should have at most {max_length} characters",
            {"max_length": NOTE_LENGTH},
        )
    if not all(is_single_line(line) for line in text.split("\n")):
        raise PydanticCustomError("plain_text", "must be plain text: no control characters")
    return text or None


InvitationNote = Annotated[
    str,
    StringConstraints(max_length=NOTE_LENGTH + 100),  # CR LF pairs count once: checked after
    AfterValidator(_note),
    Field(
        description="A personal note from the firm, shown in the invitation email as "
        "written (plain text, escaped, line breaks kept), at most 1,000 characters."
    ),
]


class ToggleChange(ChangeModel):
    login: bool | None = None
    notify: bool | None = None
    email_sync: bool | None = None
    send_invitation: bool | None = None
    note: InvitationNote | None = None


class InvitationRequest(RequestModel):
    """The optional body of POST .../invitation."""

    note: InvitationNote | None = None
