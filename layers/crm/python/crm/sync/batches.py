"""A batch of envelopes into stored mail: what no synced address matches is left alone;
a copy of a message stored already is linked to its new accounts; a new one is fetched,
parsed, threaded and written a few at a time, and progress never passes one not written
yet.

One message is one Message-ID and one content (`mail_ids.content_digest`). A copy is
recognised without its body when it is at a place, or has the stamp (envelope and
size), of a copy already matched; any other envelope whose Message-ID is stored is
fetched and its content compared: the same content is a copy, another is a different
message that reuses the Message-ID, stored under an id derived from both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from crm import clock
from crm.core.directory import AccountRef
from crm.core.mail import Person
from crm.integrations import imap
from crm.observability import logger
from crm.sync import bodies, mail_ids, message_store, mime, threads
from crm.sync.attachments import save_attachments
from crm.sync.html import sanitise
from crm.sync.mail_ids import Identity
from crm.sync.models import StoredMessage
from crm.sync.run import STORED_IDS, Progress, Run, Where


@dataclass
class _Seen:
    """What an envelope of the batch may be a copy of: messages stored (read at the
    batch's start, written since, or met as a variant) and pending (built, not written
    yet), each with how its copies are recognised."""

    stored: dict[str, StoredMessage]
    identities: dict[str, Identity]
    pending: dict[str, StoredMessage] = field(default_factory=dict)

    def copy_of(
        self, message_id: str, location: str, stamp: str, date: datetime | None
    ) -> str | None:
        """The stored message that this envelope is a copy of, told without its body:
        one seen at this very place; one with a copy of this stamp seen in another
        folder or before a UIDVALIDITY change (within one folder and UIDVALIDITY, two
        UIDs are two messages: the second is compared by content); one stored without
        a digest (before digests were kept) of this date; a reply sent from the product
        (SES gave its Message-ID). None: the body will tell."""
        head = self.stored.get(message_id)
        if head is None:
            return None
        identity = self.identities[message_id]
        if location in head.locations:
            return message_id
        if not identity.digest:
            return message_id if head.source == "reply" or _same_date(head, date) else None
        folder = _folder(location)
        if stamp in identity.copies and all(_folder(at) != folder for at in head.locations):
            return message_id
        return None


def store_batch(
    run: Run,
    where: Where,
    batch: list[imap.Envelope],
    progress: Progress,
    *,
    notify: bool,
) -> None:
    """Store what is ours in a batch of envelopes, in UID order. New messages are
    written a few at a time (`flush_messages`); `progress` never passes a message
    that is not written yet."""
    limits = run.limits
    ours: dict[int, tuple[str, list[AccountRef]]] = {}
    for envelope in batch:
        accounts = run.matcher.accounts(envelope.addresses)
        if accounts:
            ours[envelope.uid] = (_message_id(envelope), accounts)
        else:
            run.report.not_ours += 1
    if not ours:
        progress.last_uid = batch[-1].uid
        return
    # one read for the batch: which are stored, their parents' threads, and which
    # of them replies are waiting for
    mine = [e for e in batch if e.uid in ours]
    parents = [mail_ids.message_id(e.in_reply_to) for e in mine if e.in_reply_to]
    found = message_store.lookup(
        run.firm_id, [ours[e.uid][0] for e in mine] + parents, [ours[e.uid][0] for e in mine]
    )
    seen = _Seen(found.messages, found.identities)
    key = run.mailbox.mailbox_key
    stamps = {e.uid: _stamp(e) for e in mine}
    copy_of = {
        e.uid: seen.copy_of(ours[e.uid][0], where.location(key, e.uid), stamps[e.uid], e.date)
        for e in mine
    }
    wanted = [(e.uid, e.size) for e in mine if copy_of[e.uid] is None]
    raws = run.session.bodies(
        wanted,
        group_bytes=limits.body_group_bytes,
        chunk_bytes=limits.body_chunk_bytes,
    )
    try:
        for envelope in batch:
            if envelope.uid in ours:
                first_id, accounts = ours[envelope.uid]
                location = where.location(key, envelope.uid)
                same = copy_of[envelope.uid]
                if same is not None:
                    _link(run, seen, same, accounts, location, stamps[envelope.uid])
                else:
                    uid, raw = next(raws)
                    if uid != envelope.uid:  # pragma: no cover - bodies keep the order
                        raise RuntimeError("bodies came out of order")
                    if raw is not None:
                        stamp = stamps[envelope.uid]
                        _take(run, seen, where, envelope, raw, first_id, accounts, location, stamp)
            if len(seen.pending) >= limits.flush_messages:
                _flush(run, seen, found.waited, notify=notify)
            if not seen.pending:
                progress.last_uid = envelope.uid
        _flush(run, seen, found.waited, notify=notify)
        progress.last_uid = batch[-1].uid
    finally:
        _close(raws)


def _take(
    run: Run,
    seen: _Seen,
    where: Where,
    envelope: imap.Envelope,
    raw: IO[bytes],
    first_id: str,
    accounts: list[AccountRef],
    location: str,
    stamp: str,
) -> None:
    """A fetched message: a copy (same Message-ID, same content) of one stored or
    pending is linked to it; another is built to be stored."""
    parsed = mime.parse(
        raw,
        keep_attachments=run.auto_save,
        attachment_limit=run.limits.attachment_max_bytes,
        on_fault=lambda _fault: logger.exception(
            "a message could not be parsed", extra={"message_id": first_id}
        ),
    )
    try:
        digest = mail_ids.digest_of(parsed)
        message_id = _identify(run, seen, first_id, digest)
        if message_id in seen.stored or message_id in seen.pending:
            _link(run, seen, message_id, accounts, location, stamp)
            return
        seen.pending[message_id] = _build(
            run, where, envelope, raw, parsed, message_id, accounts, location, seen.stored,
            variant=message_id != first_id,
        )  # fmt: skip
        seen.identities[message_id] = Identity(digest, (stamp,))
    finally:
        parsed.close()
        raw.close()


def _identify(run: Run, seen: _Seen, first_id: str, digest: str) -> str:
    """The id of the message with this content: the Message-ID's own when it is free or
    holds this content, else one derived from it and the digest (stored already, or to
    be stored). One stored without a digest is fetched only when its date is another:
    a different message."""
    identity = seen.identities.get(first_id)
    if identity is None or identity.digest == digest:
        return first_id
    variant = mail_ids.variant_id(first_id, digest)
    if variant not in seen.identities:  # met before? one read, only for reused ids
        found = message_store.lookup(run.firm_id, [variant])
        seen.stored.update(found.messages)
        seen.identities.update(found.identities)
    return variant


def _flush(run: Run, seen: _Seen, waited: set[str], *, notify: bool) -> None:
    if not seen.pending:
        return
    messages = list(seen.pending.values())
    waiting = [mail_ids.message_id(m.in_reply_to) for m in messages if threads.waits(m)]
    message_store.add_messages(run.firm_id, messages, waiting, seen.identities)
    run.report.stored += len(messages)
    room = STORED_IDS - len(run.report.stored_ids)
    run.report.stored_ids += [m.message_id for m in messages[: max(room, 0)]]
    run.waiting.update(waiting)
    for message in messages:
        if notify and message.direction == "inbound":
            run.notices.append(message)
        if message.message_id in waited or message.message_id in run.waiting:
            threads.adopt(run, message)
    seen.stored.update(seen.pending)
    seen.pending.clear()


def _link(
    run: Run,
    seen: _Seen,
    message_id: str,
    accounts: list[AccountRef],
    location: str,
    stamp: str,
) -> None:
    """A copy of a message stored or pending: that message is shown on `accounts` too,
    seen at `location` too, and knows the copy's stamp from now on."""
    identity = seen.identities[message_id]
    updated = identity.with_copy(stamp) if identity.digest else identity
    seen.identities[message_id] = updated
    if message_id in seen.pending:
        seen.pending[message_id] = _merged(seen.pending[message_id], accounts, location)
        return
    head = seen.stored[message_id]
    merged = _merged(head, accounts, location)
    if merged.accounts != head.accounts:
        run.report.linked += 1
    if merged != head or updated != identity:
        stamped = updated if updated != identity else None
        message_store.link(run.firm_id, head, merged.accounts, location, stamped)
        seen.stored[message_id] = merged


def _build(
    run: Run,
    where: Where,
    envelope: imap.Envelope,
    raw: IO[bytes],
    parsed: mime.Parsed,
    message_id: str,
    accounts: list[AccountRef],
    location: str,
    known: dict[str, StoredMessage],
    *,
    variant: bool,
) -> StoredMessage:
    """The message to store: its attachments saved, its bodies spilled to S3 when
    large, the raw message kept when it could not be read cleanly. A `variant` (a
    different message reusing a stored one's Message-ID) threads by its own parent
    and references, and starts a thread of its own when it has none: what names that
    Message-ID goes to the message stored first."""
    limits = run.limits
    raw_key = None
    if parsed.problems or limits.keep_raw:
        raw_key = f"firms/{run.firm_id}/mail/{message_id}.eml"
        run.files.put_file(raw_key, raw, "message/rfc822")
    rfc_id = parsed.message_id or envelope.message_id
    parent = parsed.in_reply_to or envelope.in_reply_to
    root = rfc_id if rfc_id and not variant else message_id
    thread_id = threads.thread_of(run, parsed.references, parent, root, known)
    if not variant:
        run.threads[rfc_id] = thread_id
    own = run.mailbox.username.casefold()
    outbound = where.role == "sent" or any(p.address.casefold() == own for p in parsed.from_)
    message = StoredMessage(
        message_id=message_id,
        rfc_message_id=rfc_id,
        in_reply_to=parent,
        references=parsed.references[-50:],
        thread_id=thread_id,
        subject=parsed.subject or envelope.subject,
        from_=parsed.from_ or _plain(envelope.from_),
        to=parsed.to or _plain(envelope.to),
        cc=parsed.cc or _plain(envelope.cc),
        reply_to=parsed.reply_to,
        date=_date(parsed.date or envelope.date),
        direction="outbound" if outbound else "inbound",
        source="imap",
        snippet=" ".join(parsed.text.split())[: limits.snippet_chars],
        text=parsed.text,
        html=sanitise(parsed.html) if parsed.html else "",
        body_key=None,
        raw_key=raw_key,
        attachments=save_attachments(run, parsed, message_id, accounts),
        accounts=accounts,
        locations=[location],
        problems=parsed.problems,
        size=envelope.size,
        sent_by=None,
        synced_at=clock.iso(),
    )
    return bodies.spill(run.files, run.firm_id, message, limits.inline_body_bytes)


def _same_date(head: StoredMessage, moment: datetime | None) -> bool:
    """Whether a message stored without a digest may be one of this date: its date was
    stored as `_date` gave it (the time of the sync when it had none, or one too far
    ahead)."""
    if moment is None:
        return True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment > clock.now() + timedelta(days=1) or clock.iso(moment) == head.date


def _folder(location: str) -> str:
    """A location without its UID: the mailbox, the folder and its UIDVALIDITY."""
    return location.rpartition("/")[0]


def _stamp(envelope: imap.Envelope) -> str:
    return mail_ids.copy_stamp(
        rfc_message_id=envelope.message_id,
        in_reply_to=envelope.in_reply_to,
        date=envelope.date,
        from_=envelope.from_,
        to=envelope.to,
        cc=envelope.cc,
        raw_subject=envelope.raw_subject,
        size=envelope.size,
    )


def _fingerprint(envelope: imap.Envelope) -> str:
    return mail_ids.fingerprint(
        envelope.date, envelope.from_, envelope.to, envelope.subject, envelope.size
    )


def _message_id(envelope: imap.Envelope) -> str:
    if envelope.message_id:
        return mail_ids.message_id(envelope.message_id)
    return mail_ids.message_id("", _fingerprint(envelope))


def _plain(addresses: tuple[str, ...]) -> list[Person]:
    return [Person(name="", address=a) for a in addresses]


def _date(moment: datetime | None) -> str:
    """The message's date in UTC; missing, or more than a day ahead: now."""
    now = clock.now()
    if moment is None:
        return clock.iso(now)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return clock.iso(now if moment > now + timedelta(days=1) else moment)


def _merged(message: StoredMessage, accounts: list[AccountRef], location: str) -> StoredMessage:
    """The message shown on `accounts` too, and seen at `location` too."""
    merged = list(message.accounts)
    merged += [a for a in accounts if all(a.account_id != b.account_id for b in merged)]
    locations = (
        message.locations if location in message.locations else [*message.locations, location]
    )
    return message.model_copy(update={"accounts": merged, "locations": locations[-20:]})


def _close(generator: Iterator[Any]) -> None:
    close = getattr(generator, "close", None)
    if close is not None:
        close()
