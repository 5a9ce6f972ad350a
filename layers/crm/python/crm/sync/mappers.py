"""Mail items to domain models and back: the one place a stored message, its list entry
and its people are translated, shared by the stores that write and read them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from crm.core.directory import AccountRef
from crm.core.mail import MessageSummary, Person
from crm.storage import keys
from crm.storage.mail_items import EntryItem, MessageItem
from crm.sync.mail_ids import Identity
from crm.sync.models import StoredAttachment, StoredMessage


def message_item(firm_id: str, m: StoredMessage, identity: Identity | None = None) -> MessageItem:
    """The item of a message; `identity` (the sync's: its content's digest and copies)
    when it has one, none for a reply sent from the product."""
    identity = identity or Identity()
    return MessageItem(
        pk=keys.mail(firm_id),
        sk=f"MESSAGE#{m.message_id}",
        message_id=m.message_id,
        rfc_message_id=m.rfc_message_id,
        in_reply_to=m.in_reply_to,
        references=m.references,
        thread_id=m.thread_id,
        subject=m.subject,
        from_=dump(m.from_),
        to=dump(m.to),
        cc=dump(m.cc),
        reply_to=dump(m.reply_to),
        date=m.date,
        direction=m.direction,
        source=m.source,
        snippet=m.snippet,
        text=m.text,
        html=m.html,
        body_key=m.body_key,
        raw_key=m.raw_key,
        attachments=dump(m.attachments),
        accounts=dump(m.accounts),
        locations=m.locations,
        problems=m.problems,
        size=m.size,
        sent_by=m.sent_by,
        synced_at=m.synced_at,
        digest=identity.digest or None,
        copies=list(identity.copies),
    )


def identity(item: MessageItem) -> Identity:
    return Identity(item.digest or "", tuple(str(c) for c in item.copies or []))


def message(item: MessageItem) -> StoredMessage:
    return StoredMessage(
        message_id=item.message_id,
        rfc_message_id=item.rfc_message_id or "",
        in_reply_to=item.in_reply_to or "",
        references=[str(r) for r in item.references or []],
        thread_id=item.thread_id,
        subject=item.subject or "",
        from_=people(item.from_),
        to=people(item.to),
        cc=people(item.cc),
        reply_to=people(item.reply_to),
        date=item.date,
        direction=item.direction,  # type: ignore[arg-type]
        source=item.source,  # type: ignore[arg-type]
        snippet=item.snippet or "",
        text=item.text or "",
        html=item.html or "",
        body_key=item.body_key,
        raw_key=item.raw_key,
        attachments=[StoredAttachment.model_validate(a) for a in item.attachments or []],
        accounts=accounts(item.accounts),
        locations=[str(x) for x in item.locations or []],
        problems=[str(x) for x in item.problems or []],
        size=int(item.size or 0),
        sent_by=item.sent_by,
        synced_at=item.synced_at,
    )


def summary(item: EntryItem) -> MessageSummary:
    return MessageSummary(
        message_id=item.message_id,
        thread_id=item.thread_id,
        subject=item.subject or "",
        from_=people(item.from_),
        to=people(item.to),
        date=item.date,
        snippet=item.snippet or "",
        direction=item.direction,  # type: ignore[arg-type]
        has_attachments=bool(item.has_attachments),
        accounts=accounts(item.accounts),
    )


def dump(models: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [model.model_dump() for model in models]


def people(found: Sequence[dict[str, Any]] | None) -> list[Person]:
    return [Person(name=p.get("name") or "", address=p["address"]) for p in found or []]


def accounts(found: Sequence[dict[str, Any]] | None) -> list[AccountRef]:
    return [AccountRef(account_id=a["account_id"], name=a.get("name") or "") for a in found or []]


def plain(value: Any) -> dict[str, Any]:
    """A map attribute as a plain dict, whether PynamoDB gives a MapAttribute or not."""
    return dict(value.as_dict() if hasattr(value, "as_dict") else (value or {}))
