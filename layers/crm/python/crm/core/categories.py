"""The notification categories, the event detail types of each (one table: adding a
detail type is one line here), and a row's preferences over them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

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


class PreferencesChange(ChangeModel):
    """A subset of the categories; any other name is a 422."""

    documents_uploads: bool | None = None
    documents_signatures: bool | None = None
    documents_approvals: bool | None = None
    chats_and_tasks: bool | None = None
    proposals: bool | None = None
    organizers: bool | None = None
    invoices_and_payments: bool | None = None
