"""Email sync in DynamoDB: the mailbox and its health, folder cursors, messages and
their list entries, history jobs, and the EMAIL SYNC rows the matcher reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from crm import clock
from crm.audit import store as audit
from crm.audit.models import AuditEntry
from crm.errors import NotFound
from crm.storage import keys, paging
from crm.storage.items import AccessItem, Item
from crm.storage.mail_items import (
    CursorItem,
    EntryItem,
    HistoryItem,
    MailboxItem,
    MessageItem,
    WaitingItem,
)
from crm.storage.table import condition_failed, transaction
from crm.sync.models import (
    AccountRef,
    HistoryJob,
    MailboxSettings,
    MessagePage,
    MessageSummary,
    Person,
    StoredAttachment,
    StoredMailbox,
    StoredMessage,
)

NO_MESSAGE = "This message does not exist."
_BATCH_GET = 100
FILTERED_PAGE_SIZE = 200  # entries read per call when a list is filtered by participant
FILTERED_CALLS = 5  # calls per filtered page at most; a short page then carries a cursor
PARTICIPANT_ATTRIBUTES = ["pk", "sk", "kind", "message_id", "from", "to", "cc"]
HEAD_ATTRIBUTES = [
    "pk", "sk", "kind", "message_id", "rfc_message_id", "in_reply_to", "references",
    "thread_id", "subject", "from", "to", "cc", "reply_to", "date", "direction", "source",
    "snippet", "body_key", "raw_key", "attachments", "accounts", "locations", "problems",
    "size", "sent_by", "synced_at",
]  # fmt: skip


# ------------------------------------------------------------------ matcher


@dataclass(frozen=True)
class SyncedRow:
    """An address with EMAIL SYNC on for one account."""

    account_id: str
    account_name: str
    email_id: str
    address: str


def synced_rows(firm_id: str) -> list[SyncedRow]:
    """Every access row with EMAIL SYNC on in the firm: one query on the sparse GSI2."""
    return [
        SyncedRow(
            account_id=item.pk.rsplit("#", 1)[-1],
            account_name=item.account_name,
            email_id=item.email_id,
            address=item.address,
        )
        for item in AccessItem.by_email_sync.query(keys.email_sync(firm_id))
        if isinstance(item, AccessItem) and item.email_sync
    ]


# ------------------------------------------------------------------ mailbox


def find_mailbox(firm_id: str, consistent: bool = False) -> StoredMailbox | None:
    try:
        item = MailboxItem.get(keys.firm(firm_id), keys.MAILBOX_META, consistent_read=consistent)
    except DoesNotExist:
        return None
    return _mailbox(item)


def save_mailbox(
    firm_id: str,
    settings: MailboxSettings,
    secret_id: str,
    mailbox_key: str,
    folders: dict[str, str],
    entry: AuditEntry,
) -> StoredMailbox:
    """Save the settings; the sync's health is kept unless the mailbox is another one."""
    now = clock.iso()
    try:
        raw = MailboxItem.get(keys.firm(firm_id), keys.MAILBOX_META, consistent_read=True)
    except DoesNotExist:
        raw = None
    current = _mailbox(raw) if raw is not None else None
    same = current is not None and current.mailbox_key == mailbox_key
    item = MailboxItem(
        pk=keys.firm(firm_id),
        sk=keys.MAILBOX_META,
        firm_id=firm_id,
        imap_host=settings.imap_host,
        imap_port=settings.imap_port,
        username=settings.username,
        security=settings.security,
        auth_method=settings.auth_method,
        secret_id=secret_id,
        mailbox_key=mailbox_key,
        folders=folders,
        connected_at=current.connected_at if current is not None and same else now,
        updated_at=now,
        status=current.status if current is not None and same else "pending",
        last_sync_at=current.last_sync_at if current is not None and same else None,
        last_error=current.last_error if current is not None and same else None,
        last_error_code=current.last_error_code if current is not None and same else None,
        last_error_at=current.last_error_at if current is not None and same else None,
        lease_until=raw.lease_until if raw is not None else None,  # a run may be going on
        lease_owner=raw.lease_owner if raw is not None else None,
        gsi1pk=keys.MAILBOXES,
        gsi1sk=firm_id,
    )
    with transaction() as tx:
        tx.save(item)
        tx.save(audit.item(firm_id, entry))
    return _mailbox(item)


def mailboxes() -> list[StoredMailbox]:
    """Every firm's mailbox (GSI1, sparse), least recently synced first."""
    found = [
        _mailbox(item)
        for item in MailboxItem.registry.query(keys.MAILBOXES)
        if isinstance(item, MailboxItem)
    ]
    return sorted(found, key=lambda m: m.last_sync_at or "")


def take_lease(firm_id: str, owner: str, seconds: int) -> bool:
    """Only one run syncs a mailbox at a time; a lease left by a crashed run expires."""
    now = clock.iso()
    until = clock.iso(clock.now() + timedelta(seconds=seconds))
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=[MailboxItem.lease_until.set(until), MailboxItem.lease_owner.set(owner)],
            condition=MailboxItem.pk.exists()
            & (MailboxItem.lease_until.does_not_exist() | (MailboxItem.lease_until < now)),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def release_lease(firm_id: str, owner: str) -> None:
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=[MailboxItem.lease_until.remove(), MailboxItem.lease_owner.remove()],
            condition=MailboxItem.lease_owner == owner,
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def record_health(firm_id: str, error_code: str | None, error: str | None) -> None:
    """The outcome of a run: the time, ok, or the error a person can act on."""
    now = clock.iso()
    actions: list[Any] = [MailboxItem.last_sync_at.set(now)]
    if error_code is None:
        actions += [
            MailboxItem.status.set("ok"),
            MailboxItem.last_error.remove(),
            MailboxItem.last_error_code.remove(),
        ]
    else:
        actions += [
            MailboxItem.status.set("error"),
            MailboxItem.last_error.set(error or error_code),
            MailboxItem.last_error_code.set(error_code),
            MailboxItem.last_error_at.set(now),
        ]
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=actions, condition=MailboxItem.pk.exists()
        )
    except UpdateError as failure:
        if not condition_failed(failure):  # the mailbox was removed meanwhile
            raise


def _mailbox(item: MailboxItem) -> StoredMailbox:
    folders: Any = item.folders
    return StoredMailbox(
        firm_id=item.firm_id,
        imap_host=item.imap_host,
        imap_port=int(item.imap_port),
        username=item.username,
        security=item.security,  # type: ignore[arg-type]
        auth_method=item.auth_method,  # type: ignore[arg-type]
        folders=_plain(folders),
        connected_at=item.connected_at,
        updated_at=item.updated_at,
        last_sync_at=item.last_sync_at,
        status=item.status,  # type: ignore[arg-type]
        last_error=item.last_error,
        last_error_code=item.last_error_code,
        last_error_at=item.last_error_at,
        secret_id=item.secret_id,
        mailbox_key=item.mailbox_key,
    )


# ------------------------------------------------------------------ cursors


@dataclass
class Cursor:
    folder: str
    uidvalidity: int
    last_uid: int
    initial: bool


def get_cursor(firm_id: str, mailbox_key: str, role: str) -> Cursor | None:
    try:
        item = CursorItem.get(
            keys.mail(firm_id), f"CURSOR#{mailbox_key}#{role}", consistent_read=True
        )
    except DoesNotExist:
        return None
    return Cursor(item.folder, int(item.uidvalidity), int(item.last_uid), bool(item.initial))


def save_cursor(firm_id: str, mailbox_key: str, role: str, cursor: Cursor) -> None:
    CursorItem(
        pk=keys.mail(firm_id),
        sk=f"CURSOR#{mailbox_key}#{role}",
        folder=cursor.folder,
        uidvalidity=cursor.uidvalidity,
        last_uid=cursor.last_uid,
        initial=cursor.initial,
        updated_at=clock.iso(),
    ).save()


# ----------------------------------------------------------------- messages


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
            found[item.message_id] = _message(item)
    return found


def lookup(
    firm_id: str, message_ids: Iterable[str], waited_for: Iterable[str]
) -> tuple[dict[str, StoredMessage], set[str]]:
    """In one BatchGetItem (100 keys a call, strongly consistent): which of
    `message_ids` are stored (without their bodies), and which of `waited_for` have
    replies waiting for them."""
    wanted = [f"MESSAGE#{m}" for m in dict.fromkeys(message_ids)]
    wanted += [f"WAITING#{m}" for m in dict.fromkeys(waited_for)]
    found: dict[str, StoredMessage] = {}
    waited: set[str] = set()
    for start in range(0, len(wanted), _BATCH_GET):
        keys_ = [(keys.mail(firm_id), sk) for sk in wanted[start : start + _BATCH_GET]]
        for item in Item.batch_get(keys_, consistent_read=True, attributes_to_get=HEAD_ATTRIBUTES):
            if isinstance(item, MessageItem):
                found[item.message_id] = _message(item)
            elif isinstance(item, WaitingItem):
                waited.add(item.sk.removeprefix("WAITING#"))
    return found, waited


def add_messages(firm_id: str, messages: list[StoredMessage], waiting: list[str]) -> None:
    """Store new messages of one run (which holds the firm's lease, so nobody else
    writes them): their list entries and the replies' waiting marks first, then the
    messages, in BatchWriteItem calls. The messages are the commit point: a run cut off
    in between leaves entries the next run writes again (same keys and content), never
    a stored message missing from its lists."""
    _save_all(
        [entry for message in messages for entry in _entries(firm_id, message)]
        + [
            WaitingItem(pk=keys.mail(firm_id), sk=f"WAITING#{parent}", since=clock.iso())
            for parent in dict.fromkeys(waiting)
        ]
    )
    _save_all([_message_item(firm_id, message) for message in messages])


def add_message(firm_id: str, message: StoredMessage) -> bool:
    """Store a new message: its list entries first, then the message itself on the
    condition that it is new. The message is the commit point: a run cut off in between
    leaves entries that the next run writes again (same keys, same content), never a
    stored message missing from its lists. False when it was stored already (another
    run came first). No transaction: two plain writes cost half the write units of one,
    and a transaction would buy nothing the commit point does not give."""
    _save_all(_entries(firm_id, message))
    try:
        _message_item(firm_id, message).save(condition=MessageItem.pk.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def link(firm_id: str, head: StoredMessage, accounts: list[AccountRef], location: str) -> None:
    """A stored message seen again: record where, and show it on `accounts` too."""
    locations = head.locations if location in head.locations else [*head.locations, location]
    locations = locations[-20:]
    if accounts == head.accounts:
        MessageItem(keys.mail(firm_id), f"MESSAGE#{head.message_id}").update(
            actions=[MessageItem.locations.set(locations)], condition=MessageItem.pk.exists()
        )
        return
    updated = head.model_copy(update={"accounts": accounts, "locations": locations})
    _save_all(_entries(firm_id, updated))  # lists first: the message is the commit point
    MessageItem(keys.mail(firm_id), f"MESSAGE#{head.message_id}").update(
        actions=[
            MessageItem.accounts.set(_dump(accounts)),
            MessageItem.locations.set(locations),
        ],
        condition=MessageItem.pk.exists(),
    )


def _save_all(items: Sequence[Item]) -> None:
    """BatchWriteItem, 25 a call; what DynamoDB leaves unprocessed is sent again."""
    with Item.batch_write() as batch:
        for item in items:
            batch.save(item)


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


def get_message(firm_id: str, message_id: str) -> StoredMessage:
    try:
        item = MessageItem.get(keys.mail(firm_id), f"MESSAGE#{message_id}")
    except DoesNotExist as error:
        raise NotFound(NO_MESSAGE) from error
    return _message(item)


def page(partition: str, cursor: str | None, limit: int) -> MessagePage:
    """A list (Inbox+, an account's tab), newest first."""
    result = EntryItem.query(
        partition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition),
    )
    items = [_summary(item) for item in result]
    return MessagePage(items=items, next_cursor=paging.encode(result.last_evaluated_key))


def page_with(
    partition: str,
    addresses: Iterable[str],
    cursor: str | None,
    limit: int,
    *,
    page_size: int = FILTERED_PAGE_SIZE,
    calls: int = FILTERED_CALLS,
) -> MessagePage:
    """An account's tab, newest first, with only the messages exchanged with one of
    `addresses` (From, To or Cc, case-insensitive): DynamoDB filters on the entries'
    participants. At most `calls` reads of `page_size` entries: when the account's other
    mail fills them, the page is shorter than `limit` (even empty) and its cursor goes on
    from the last entry read."""
    wanted = sorted({a.strip().casefold() for a in addresses if a.strip()})
    start = paging.decode(cursor, partition)
    if not wanted:
        return MessagePage(items=[])
    condition = EntryItem.participants.contains(wanted[0])
    for address in wanted[1:]:
        condition |= EntryItem.participants.contains(address)
    pages = EntryItem.query(
        partition,
        filter_condition=condition,
        scan_index_forward=False,
        page_size=page_size,
        last_evaluated_key=start,
    ).page_iter
    found: list[MessageSummary] = []
    for _ in range(calls):
        try:
            page = next(pages)
        except StopIteration:
            break
        raw_items = page.get("Items") or []
        for position, raw in enumerate(raw_items, start=1):
            found.append(_summary(EntryItem.from_raw_data(raw)))
            if len(found) == limit:
                last = position == len(raw_items) and pages.last_evaluated_key is None
                after = None if last else {"pk": raw["pk"], "sk": raw["sk"]}
                return MessagePage(items=found, next_cursor=paging.encode(after))
        if pages.last_evaluated_key is None:
            break
    return MessagePage(items=found, next_cursor=paging.encode(pages.last_evaluated_key))


def participants(firm_id: str, message_ids: Iterable[str]) -> dict[str, set[str]]:
    """The case-folded From, To and Cc addresses of each stored message among
    `message_ids` (BatchGetItem of those attributes only, 100 keys a call)."""
    wanted = list(dict.fromkeys(message_ids))
    found: dict[str, set[str]] = {}
    for start in range(0, len(wanted), _BATCH_GET):
        keys_ = [(keys.mail(firm_id), f"MESSAGE#{m}") for m in wanted[start : start + _BATCH_GET]]
        for item in MessageItem.batch_get(keys_, attributes_to_get=PARTICIPANT_ATTRIBUTES):
            people = _people(item.from_) + _people(item.to) + _people(item.cc)
            found[item.message_id] = {p.address.casefold() for p in people}
    return found


def thread_page(firm_id: str, thread_id: str, cursor: str | None, limit: int) -> MessagePage:
    """A thread, oldest first (GSI1)."""
    partition = keys.thread(firm_id, thread_id)
    result = EntryItem.by_thread.query(
        partition,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition, key="gsi1pk"),
    )
    items = [_summary(item) for item in result if isinstance(item, EntryItem)]
    return MessagePage(items=items, next_cursor=paging.encode(result.last_evaluated_key))


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
            from_=_dump(summary.from_),
            to=_dump(summary.to),
            date=summary.date,
            snippet=summary.snippet,
            direction=summary.direction,
            has_attachments=summary.has_attachments,
            accounts=_dump(summary.accounts),
        )
        for partition in partitions
    ]


def _entry_key(message: StoredMessage) -> str:
    return f"{message.date}#{message.message_id}"


def _message_item(firm_id: str, m: StoredMessage) -> MessageItem:
    return MessageItem(
        pk=keys.mail(firm_id),
        sk=f"MESSAGE#{m.message_id}",
        message_id=m.message_id,
        rfc_message_id=m.rfc_message_id,
        in_reply_to=m.in_reply_to,
        references=m.references,
        thread_id=m.thread_id,
        subject=m.subject,
        from_=_dump(m.from_),
        to=_dump(m.to),
        cc=_dump(m.cc),
        reply_to=_dump(m.reply_to),
        date=m.date,
        direction=m.direction,
        source=m.source,
        snippet=m.snippet,
        text=m.text,
        html=m.html,
        body_key=m.body_key,
        raw_key=m.raw_key,
        attachments=_dump(m.attachments),
        accounts=_dump(m.accounts),
        locations=m.locations,
        problems=m.problems,
        size=m.size,
        sent_by=m.sent_by,
        synced_at=m.synced_at,
    )


def _message(item: MessageItem) -> StoredMessage:
    return StoredMessage(
        message_id=item.message_id,
        rfc_message_id=item.rfc_message_id or "",
        in_reply_to=item.in_reply_to or "",
        references=[str(r) for r in item.references or []],
        thread_id=item.thread_id,
        subject=item.subject or "",
        from_=_people(item.from_),
        to=_people(item.to),
        cc=_people(item.cc),
        reply_to=_people(item.reply_to),
        date=item.date,
        direction=item.direction,  # type: ignore[arg-type]
        source=item.source,  # type: ignore[arg-type]
        snippet=item.snippet or "",
        text=item.text or "",
        html=item.html or "",
        body_key=item.body_key,
        raw_key=item.raw_key,
        attachments=[StoredAttachment.model_validate(a) for a in item.attachments or []],
        accounts=_accounts(item.accounts),
        locations=[str(x) for x in item.locations or []],
        problems=[str(x) for x in item.problems or []],
        size=int(item.size or 0),
        sent_by=item.sent_by,
        synced_at=item.synced_at,
    )


def _summary(item: EntryItem) -> MessageSummary:
    return MessageSummary(
        message_id=item.message_id,
        thread_id=item.thread_id,
        subject=item.subject or "",
        from_=_people(item.from_),
        to=_people(item.to),
        date=item.date,
        snippet=item.snippet or "",
        direction=item.direction,  # type: ignore[arg-type]
        has_attachments=bool(item.has_attachments),
        accounts=_accounts(item.accounts),
    )


def _dump(models: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [model.model_dump() for model in models]


def _people(found: Sequence[dict[str, Any]] | None) -> list[Person]:
    return [Person(name=p.get("name") or "", address=p["address"]) for p in found or []]


def _accounts(found: Sequence[dict[str, Any]] | None) -> list[AccountRef]:
    return [AccountRef(account_id=a["account_id"], name=a.get("name") or "") for a in found or []]


# ------------------------------------------------------------- history jobs


@dataclass
class Job:
    """A history job as stored: per folder role, {uidvalidity, done_uid, found,
    processed}."""

    account_id: str
    email_id: str
    address: str
    status: str
    event_id: str
    progress: dict[str, dict[str, int]]
    stored: int
    linked: int
    requested_at: str
    started_at: str | None
    finished_at: str | None
    last_error: str | None

    def public(self) -> HistoryJob:
        return HistoryJob(
            account_id=self.account_id,
            email_id=self.email_id,
            address=self.address,
            status=self.status,  # type: ignore[arg-type]
            found=sum(p.get("found", 0) for p in self.progress.values()),
            processed=sum(p.get("processed", 0) for p in self.progress.values()),
            stored=self.stored,
            requested_at=self.requested_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            last_error=self.last_error,
        )


def get_job(firm_id: str, account_id: str, email_id: str) -> Job | None:
    try:
        item = HistoryItem.get(
            keys.mail(firm_id), f"HISTORY#{account_id}#{email_id}", consistent_read=True
        )
    except DoesNotExist:
        return None
    return _job(item)


def save_job(firm_id: str, job: Job) -> None:
    HistoryItem(
        pk=keys.mail(firm_id),
        sk=f"HISTORY#{job.account_id}#{job.email_id}",
        account_id=job.account_id,
        email_id=job.email_id,
        address=job.address,
        status=job.status,
        event_id=job.event_id,
        progress=job.progress,
        stored=job.stored,
        linked=job.linked,
        last_error=job.last_error,
        requested_at=job.requested_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    ).save()


def jobs(firm_id: str) -> list[Job]:
    found = HistoryItem.query(
        keys.mail(firm_id), HistoryItem.sk.startswith("HISTORY#"), consistent_read=True
    )
    return sorted((_job(item) for item in found), key=lambda j: j.requested_at, reverse=True)


def _job(item: HistoryItem) -> Job:
    progress: Any = item.progress
    return Job(
        account_id=item.account_id,
        email_id=item.email_id,
        address=item.address,
        status=item.status,
        event_id=item.event_id or "",
        progress={k: {kk: int(vv) for kk, vv in v.items()} for k, v in _plain(progress).items()},
        stored=int(item.stored or 0),
        linked=int(item.linked or 0),
        requested_at=item.requested_at,
        started_at=item.started_at,
        finished_at=item.finished_at,
        last_error=item.last_error,
    )


def _plain(value: Any) -> dict[str, Any]:
    return dict(value.as_dict() if hasattr(value, "as_dict") else (value or {}))
