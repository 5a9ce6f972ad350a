"""The notification categories and the event detail types of each: one table.
Adding a detail type is one line here."""

from __future__ import annotations

from typing import Literal

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
