"""Messages in DynamoDB and their list entries (Inbox+, each account's tab, the thread),
written entries first so that the message itself is the commit point; and the reads a
run makes to recognise what is stored already."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.expressions.update import Action

from crm import clock
from crm.core.directory import AccountRef
from crm.errors import NotFound
from crm.storage import keys
from crm.storage.items import Item
from crm.storage.mail_items import EntryItem, MessageItem, WaitingItem
from crm.storage.table import condition_failed
from crm.sync import mappers
from crm.sync.mail_ids import Identity
from crm.sync.models import StoredMessage

NO_MESSAGE = "This message does not exist."
_BATCH_GET = 100
HEAD_ATTRIBUTES = [
    "pk", "sk", "kind", "message_id", "rfc_message_id", "in_reply_to", "references",
    "thread_id", "subject", "from", "to", "cc", "reply_to", "date", "direction", "source",
    "snippet", "body_key", "raw_key", "attachments", "accounts", "locations", "problems",
    "size", "sent_by", "synced_at", "digest", "copies",
]  # fmt: skip


class Found(NamedTuple):
    """What one lookup found: the stored messages (without their bodies), how their
    copies are recognised, and which of the parents asked about replies wait for."""

    messages: dict[str, StoredMessage]
    identities: dict[str, Identity]
    waited: set[str]


def heads(firm_id: str, message_ids: Iterable[str]) -> dict[str, StoredMessage]:
    """The stored messages among `message_ids`, without their bodies (text and HTML
    empty): BatchGetItem, strongly consistent, 100 keys a call."""
    wanted = list(dict.fromkeys(message_ids))
    found: dict[str, StoredMessage] = {}
    for start in range(0, len(wanted), _BATCH_GET):
        keys_ = [(keys.mail(firm_id), f"MESSAGE#{m}") for m in wanted[start : start + _BATCH_GET]]
        for item in MessageItem.batch_get(
            keys_, consistent_read=True, attributes_to_get=HEAD_ATTRIBUTES
        ):
            found[item.message_id] = mappers.message(item)
    return found


def lookup(firm_id: str, message_ids: Iterable[str], waited_for: Iterable[str] = ()) -> Found:
    """In one BatchGetItem (100 keys a call, strongly consistent): which of
    `message_ids` are stored (without their bodies) and how their copies are
    recognised, and which of `waited_for` have replies waiting for them."""
    wanted = [f"MESSAGE#{m}" for m in dict.fromkeys(message_ids)]
    wanted += [f"WAITING#{m}" for m in dict.fromkeys(waited_for)]
    found = Found({}, {}, set())
    for start in range(0, len(wanted), _BATCH_GET):
        keys_ = [(keys.mail(firm_id), sk) for sk in wanted[start : start + _BATCH_GET]]
        for item in Item.batch_get(keys_, consistent_read=True, attributes_to_get=HEAD_ATTRIBUTES):
            if isinstance(item, MessageItem):
                found.messages[item.message_id] = mappers.message(item)
                found.identities[item.message_id] = mappers.identity(item)
            elif isinstance(item, WaitingItem):
                found.waited.add(item.sk.removeprefix("WAITING#"))
    return found


def get_message(firm_id: str, message_id: str) -> StoredMessage:
    try:
        item = MessageItem.get(keys.mail(firm_id), f"MESSAGE#{message_id}")
    except DoesNotExist as error:
        raise NotFound(NO_MESSAGE) from error
    return mappers.message(item)


def add_messages(
    firm_id: str,
    messages: list[StoredMessage],
    waiting: list[str],
    identities: Mapping[str, Identity] | None = None,
) -> None:
    """Store new messages of one run (which holds the firm's lease, so nobody else
    writes them), with how their copies are recognised (`identities`, by message id):
    their list entries and the replies' waiting marks first, then the messages, in
    BatchWriteItem calls. The messages are the commit point: a run cut off in between
    leaves entries the next run writes again (same keys and content), never a stored
    message missing from its lists."""
    identities = identities or {}
    _save_all(
        [entry for message in messages for entry in _entries(firm_id, message)]
        + [
            WaitingItem(pk=keys.mail(firm_id), sk=f"WAITING#{parent}", since=clock.iso())
            for parent in dict.fromkeys(waiting)
        ]
    )
    _save_all([mappers.message_item(firm_id, m, identities.get(m.message_id)) for m in messages])


def add_message(firm_id: str, message: StoredMessage) -> bool:
    """Store a new message: its list entries first, then the message itself on the
    condition that it is new. The message is the commit point: a run cut off in between
    leaves entries that the next run writes again (same keys, same content), never a
    stored message missing from its lists. False when it was stored already (another
    run came first). No transaction: two plain writes cost half the write units of one,
    and a transaction would buy nothing the commit point does not give."""
    _save_all(_entries(firm_id, message))
    try:
        mappers.message_item(firm_id, message).save(condition=MessageItem.pk.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def link(
    firm_id: str,
    head: StoredMessage,
    accounts: list[AccountRef],
    location: str,
    identity: Identity | None = None,
) -> None:
    """A stored message seen again: record where (and, given its `identity`, the copy's
    stamp), and show it on `accounts` too."""
    locations = head.locations if location in head.locations else [*head.locations, location]
    locations = locations[-20:]
    actions: list[Action] = [MessageItem.locations.set(locations)]
    if identity is not None:
        actions.append(MessageItem.copies.set(list(identity.copies)))
    if accounts != head.accounts:
        updated = head.model_copy(update={"accounts": accounts, "locations": locations})
        _save_all(_entries(firm_id, updated))  # lists first: the message is the commit point
        actions.append(MessageItem.accounts.set(mappers.dump(accounts)))
    MessageItem(keys.mail(firm_id), f"MESSAGE#{head.message_id}").update(
        actions=actions, condition=MessageItem.pk.exists()
    )


def thread_members(firm_id: str, thread_id: str, limit: int = 100) -> list[str]:
    """The ids of (up to `limit`) messages of a thread."""
    found = EntryItem.by_thread.query(keys.thread(firm_id, thread_id), limit=limit)
    return [item.message_id for item in found if isinstance(item, EntryItem)]


def rethread(firm_id: str, head: StoredMessage, thread_id: str) -> None:
    """Move a message into another thread: its entries first, then the message (the
    commit point, as when it was stored)."""
    moved = head.model_copy(update={"thread_id": thread_id})
    _save_all(_entries(firm_id, moved))
    MessageItem(keys.mail(firm_id), f"MESSAGE#{head.message_id}").update(
        actions=[MessageItem.thread_id.set(thread_id)], condition=MessageItem.pk.exists()
    )


def _save_all(items: Sequence[Item]) -> None:
    """BatchWriteItem, 25 a call; what DynamoDB leaves unprocessed is sent again."""
    with Item.batch_write() as batch:
        for item in items:
            batch.save(item)


def _entries(firm_id: str, message: StoredMessage) -> list[EntryItem]:
    """Its Inbox+ entry (which is also its place in its thread, GSI1) and one entry per
    account it is shown on, carrying the message's participants (the portal's filter)."""
    partitions = [keys.inbox(firm_id)]
    partitions += [keys.account_mail(firm_id, a.account_id) for a in message.accounts]
    summary = message.summary()
    thread = keys.thread(firm_id, message.thread_id)
    people = {p.address.casefold() for p in [*message.from_, *message.to, *message.cc]}
    return [
        EntryItem(
            pk=partition,
            sk=_entry_key(message),
            gsi1pk=thread if partition == partitions[0] else None,
            gsi1sk=_entry_key(message) if partition == partitions[0] else None,
            participants=(people or None) if partition != partitions[0] else None,
            message_id=message.message_id,
            thread_id=message.thread_id,
            subject=summary.subject,
            from_=mappers.dump(summary.from_),
            to=mappers.dump(summary.to),
            date=summary.date,
            snippet=summary.snippet,
            direction=summary.direction,
            has_attachments=summary.has_attachments,
            accounts=mappers.dump(summary.accounts),
        )
        for partition in partitions
    ]


def _entry_key(message: StoredMessage) -> str:
    return f"{message.date}#{message.message_id}"
