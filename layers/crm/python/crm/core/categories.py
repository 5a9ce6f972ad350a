"""The notification categories, the event detail types of each (one table: adding a
detail type is one line here), and a row's preferences over them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crm.core.fields import ChangeModel

Category = Literal[
    "documents_uploads",
    "documents_signatures",
    "documents_approvals",
    "chats_and_tasks",
    "proposals",
    "organizers",
    "invoices_and_payments",
]

DETAIL_TYPES: dict[Category, tuple[str, ...]] = {
    "documents_uploads": ("DocumentUploaded",),
    "documents_signatures": ("SignatureRequested", "SignatureReminder"),
    "documents_approvals": ("ApprovalRequested", "ApprovalReminder"),
    "chats_and_tasks": ("ChatMessagePosted", "ChatCommentPosted", "ClientTaskCreated"),
    "proposals": ("ProposalSent", "ProposalReminder"),
    "organizers": ("OrganizerSent", "OrganizerReminder"),
    "invoices_and_payments": (
        "InvoiceIssued",
        "InvoiceReminder",
        "PaymentConfirmed",
        "RefundIssued",
    ),
}

CATEGORIES: tuple[Category, ...] = tuple(DETAIL_TYPES)
CATEGORY_OF: dict[str, Category] = {t: c for c, types in DETAIL_TYPES.items() for t in types}


# The kinds a client receives whatever their preferences and the firm's locks say, and
# that never carry an unsubscribe link or a List-Unsubscribe header (API.md, Notifications;
# issue 14): a payment made is confirmed; an invitation, the notice that access came back
# (AccessRestored), the notice of a sign-in from a new device and the link of a password
# reset (PasswordResetRequested) are not notifications one subscribes to at all. Each kind with the category whose switch it ignores (None: it
# belongs to no category). This is the one list: the fan-out, the preferences answer and
# the unsubscribe page read it.
REQUIRED_KINDS: dict[str, Category | None] = {
    "PaymentConfirmed": "invoices_and_payments",
    "InvitationRequested": None,
    "AccessRestored": None,
    "NewDeviceSignIn": None,
    "PasswordResetRequested": None,
}


def required_in(category: str) -> list[str]:
    """The required kinds of one category (sent even while it is off)."""
    return [kind for kind, of in REQUIRED_KINDS.items() if of == category]


def all_on() -> dict[str, bool]:
    """The preferences a new address starts with."""
    return dict.fromkeys(CATEGORIES, True)


LABELS: dict[Category, str] = {
    "documents_uploads": "new documents",
    "documents_signatures": "signature requests",
    "documents_approvals": "approval requests",
    "chats_and_tasks": "chats and client tasks",
    "proposals": "proposals",
    "organizers": "organizers",
    "invoices_and_payments": "invoices and payments",
}


class NotificationPreferences(BaseModel):
    documents_uploads: bool = True
    documents_signatures: bool = True
    documents_approvals: bool = True
    chats_and_tasks: bool = True
    proposals: bool = True
    organizers: bool = True
    invoices_and_payments: bool = True


class RequiredKind(BaseModel):
    detail_type: str = Field(description="The kind (an event's DetailType, or the email's kind).")
    category: Category | None = Field(
        description="The category whose switch it ignores; null: it belongs to none."
    )


class NotificationRules(BaseModel):
    """What no switch of an address changes: kept out of the preferences answer, which
    the contract makes the category switches and nothing else."""

    required: list[RequiredKind] = Field(
        default_factory=lambda: [
            RequiredKind(detail_type=kind, category=category)
            for kind, category in REQUIRED_KINDS.items()
        ],
        description="Kinds always sent, whatever the switches and the firm's locks say, "
        "never with an unsubscribe link: payment confirmations (even with "
        "`invoices_and_payments` off), invitations, the notice that access came back, "
        "the notice of a sign-in from a new device, and the link of a password reset.",
    )
    locked_categories: list[Category] = Field(
        default_factory=list,
        description="Categories the firm locked (firm settings): the client cannot change "
        "them (their emails carry no unsubscribe link); staff still can.",
    )


class PreferencesChange(ChangeModel):
    """A subset of the categories; any other name is a 422."""

    documents_uploads: bool | None = None
    documents_signatures: bool | None = None
    documents_approvals: bool | None = None
    chats_and_tasks: bool | None = None
    proposals: bool | None = None
    organizers: bool | None = None
    invoices_and_payments: bool | None = None
