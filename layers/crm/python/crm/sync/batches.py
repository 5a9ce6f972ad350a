"""A batch of envelopes into stored mail: what no synced address matches is left alone;
a message stored already is linked to its new accounts; a new one is fetched, parsed,
threaded and written a few at a time, and progress never passes one not written yet."""

from __future__ import annotations

from collections.abc import Iterator
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
from crm.sync.models import StoredMessage
from crm.sync.run import Progress, Run, Where


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
    known, waited = message_store.lookup(
        run.firm_id, [ours[e.uid][0] for e in mine] + parents, [ours[e.uid][0] for e in mine]
    )
    wanted = [(e.uid, e.size) for e in mine if ours[e.uid][0] not in known]
    raws = run.session.bodies(
        wanted,
        group_bytes=limits.body_group_bytes,
        chunk_bytes=limits.body_chunk_bytes,
    )
    pending: dict[str, StoredMessage] = {}
    try:
        for envelope in batch:
            if envelope.uid in ours:
                message_id, accounts = ours[envelope.uid]
                location = where.location(run.mailbox.mailbox_key, envelope.uid)
                if message_id in known:
                    _link(run, known[message_id], accounts, location)
                elif message_id in pending:  # a second copy in this batch
                    pending[message_id] = _merged(pending[message_id], accounts, location)
                else:
                    uid, raw = next(raws)
                    if uid != envelope.uid:  # pragma: no cover - bodies keep the order
                        raise RuntimeError("bodies came out of order")
                    if raw is not None:
                        message = _build(
                            run, where, envelope, raw, message_id, accounts, location, known
                        )
                        pending[message_id] = message
            if len(pending) >= limits.flush_messages:
                _flush(run, pending, waited, notify=notify)
            if not pending:
                progress.last_uid = envelope.uid
        _flush(run, pending, waited, notify=notify)
        progress.last_uid = batch[-1].uid
    finally:
        _close(raws)


def _flush(run: Run, pending: dict[str, StoredMessage], waited: set[str], *, notify: bool) -> None:
    if not pending:
        return
    messages = list(pending.values())
    waiting = [mail_ids.message_id(m.in_reply_to) for m in messages if threads.waits(m)]
    message_store.add_messages(run.firm_id, messages, waiting)
    run.report.stored += len(messages)
    run.waiting.update(waiting)
    for message in messages:
        if notify and message.direction == "inbound":
            run.notices.append(message)
        if message.message_id in waited or message.message_id in run.waiting:
            threads.adopt(run, message)
    pending.clear()


def _link(run: Run, head: StoredMessage, accounts: list[AccountRef], where: str) -> None:
    merged = _merged(head, accounts, where)
    if merged.accounts != head.accounts:
        run.report.linked += 1
    if merged != head:
        message_store.link(run.firm_id, head, merged.accounts, where)


def _build(
    run: Run,
    where: Where,
    envelope: imap.Envelope,
    raw: IO[bytes],
    message_id: str,
    accounts: list[AccountRef],
    location: str,
    known: dict[str, StoredMessage],
) -> StoredMessage:
    """The message to store: parsed, its attachments saved, its bodies spilled to
    S3 when large, the raw message kept when it could not be read cleanly."""
    limits = run.limits
    parsed = mime.parse(
        raw,
        keep_attachments=run.auto_save,
        attachment_limit=limits.attachment_max_bytes,
        on_fault=lambda _fault: logger.exception(
            "a message could not be parsed", extra={"message_id": message_id}
        ),
    )
    try:
        raw_key = None
        if parsed.problems or limits.keep_raw:
            raw_key = f"firms/{run.firm_id}/mail/{message_id}.eml"
            run.files.put_file(raw_key, raw, "message/rfc822")
        rfc_id = parsed.message_id or envelope.message_id
        parent = parsed.in_reply_to or envelope.in_reply_to
        root = rfc_id or mail_ids.message_id("", _fingerprint(envelope))
        thread_id = threads.thread_of(run, parsed.references, parent, root, known)
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
    finally:
        parsed.close()
        raw.close()


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
