"""The email sync: the firm's mailbox into Inbox+, the accounts' email tabs and Docs.

A run takes the firm's lease, logs in, and for each folder (the inbox and the sent
folder) reads the envelopes of the UIDs above its cursor in bounded batches. A message
whose From, To or Cc holds an address with EMAIL SYNC on is stored once per firm, keyed
by its Message-ID, and shown on every matching account; other mail is not stored. The
cursor (UIDVALIDITY, highest UID handled) is saved after each batch and never moves past
a message that was not stored: a run cut short (timeout, dropped connection) resumes
where it stopped, and what was stored meanwhile is recognised by its Message-ID, never
stored twice. A new UIDVALIDITY restarts the folder from the beginning, without
duplicates for the same reason.

History: turning EMAIL SYNC on asks for the past mail of that address. A job per
(account, address) SEARCHes both folders for it and stores what matches, recording its
progress per folder so that the next run resumes it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO, Any, Literal, Protocol

from crm import clock, ids
from crm.documents import store as documents
from crm.documents.models import StoredDocument
from crm.firms import store as firms
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretMissing, SecretStore
from crm.observability import logger
from crm.sync import bodies, identity, mime, store
from crm.sync.html import sanitise
from crm.sync.matching import Matcher
from crm.sync.models import (
    AccountRef,
    Person,
    StoredAttachment,
    StoredMailbox,
    StoredMessage,
)
from crm.sync.notice import staff_notice
from crm.sync.store import Cursor, Job


class Connect(Protocol):
    """Opens a logged-in session (`imap.connect`); the host is checked on every call."""

    def __call__(
        self, server: imap.Server, credential: imap.Credential, *, allow_loopback: bool
    ) -> imap.ImapSession: ...


Outcome = Literal["ok", "error", "busy", "no_mailbox", "deadline"]
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    envelope_batch: int = imap.ENVELOPE_BATCH
    body_group_bytes: int = imap.BODY_GROUP_BYTES
    body_chunk_bytes: int = imap.BODY_CHUNK_BYTES
    attachment_max_bytes: int = 25 * MB
    inline_body_bytes: int = 300_000  # text + HTML beyond this go to S3 beside the item
    snippet_chars: int = 200
    flush_messages: int = 24  # new messages written together (three BatchWriteItem calls)
    keep_raw: bool = False  # the raw message is kept in S3 when it could not be read cleanly


@dataclass
class RunReport:
    """What one run did: the sync function's answer, and what tests and the bench read."""

    firm_id: str
    outcome: Outcome = "ok"
    error_code: str | None = None
    stored: int = 0
    linked: int = 0
    not_ours: int = 0  # envelopes read that no synced address matched
    notices: int = 0
    jobs_done: int = 0
    commands: dict[str, int] = field(default_factory=dict)
    bodies_fetched: int = 0
    cursors: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Run:
    mailbox: StoredMailbox
    session: imap.ImapSession
    matcher: Matcher
    auto_save: bool
    notify_staff: bool
    firm_name: str
    report: RunReport
    deadline: float | None
    threads: dict[str, str] = field(default_factory=dict)  # Message-ID -> thread id
    waiting: set[str] = field(default_factory=set)  # parents that replies wait for
    notices: list[StoredMessage] = field(default_factory=list)

    @property
    def firm_id(self) -> str:
        return self.mailbox.firm_id

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


@dataclass
class _Progress:
    last_uid: int  # every UID up to this one is handled


@dataclass(frozen=True)
class _Where:
    role: str
    folder: str
    uidvalidity: int

    def location(self, mailbox_key: str, uid: int) -> str:
        return f"{mailbox_key}/{self.folder}/{self.uidvalidity}/{uid}"


@dataclass
class SyncEngine:
    secrets: SecretStore
    files: FileStore
    mailer: Mailer
    connect: Connect = imap.connect
    allow_loopback: bool = False  # the local stack's own IMAP server (settings)
    limits: Limits = field(default_factory=Limits)
    lease_seconds: int = 16 * 60  # longer than the function may run

    # ---------------------------------------------------------------- entry points

    def run_all(self, deadline: float | None = None) -> list[RunReport]:
        """The schedule: every firm's mailbox, least recently synced first, while time
        lasts (the rest come first at the next run)."""
        reports = []
        for mailbox in store.mailboxes():
            if deadline is not None and time.monotonic() > deadline:
                break
            reports.append(self.sync_firm(mailbox.firm_id, deadline))
        return reports

    def request_history(
        self,
        firm_id: str,
        account_id: str,
        email_id: str,
        address: str,
        event_id: str,
        deadline: float | None = None,
    ) -> RunReport:
        """EMAIL SYNC was turned on: record the history job, then run the firm's pending
        jobs now (without the folders' incremental pass). A redelivered event whose job
        is done does nothing; a job that could not finish is resumed by the schedule."""
        job = store.get_job(firm_id, account_id, email_id)
        if job is not None and job.event_id == event_id and job.status == "done":
            return RunReport(firm_id, outcome="ok")
        if job is None or job.event_id != event_id:
            job = Job(
                account_id=account_id,
                email_id=email_id,
                address=address,
                status="pending",
                event_id=event_id,
                progress={},
                stored=0,
                linked=0,
                requested_at=clock.iso(),
                started_at=None,
                finished_at=None,
                last_error=None,
            )
            store.save_job(firm_id, job)
        return self.sync_firm(firm_id, deadline, folders=False)

    def sync_firm(
        self, firm_id: str, deadline: float | None = None, folders: bool = True
    ) -> RunReport:
        report = RunReport(firm_id)
        mailbox = store.find_mailbox(firm_id, consistent=True)
        if mailbox is None:
            report.outcome = "no_mailbox"
            return report
        owner = ids.new_id("run")
        if not store.take_lease(firm_id, owner, self.lease_seconds):
            report.outcome = "busy"
            return report
        try:
            self._run(mailbox, report, deadline, folders)
        except imap.MailboxError as error:
            report.outcome, report.error_code = "error", error.code
            logger.warning("mailbox sync failed", extra={"firm_id": firm_id, "code": error.code})
            store.record_health(firm_id, error.code, str(error))
        except SecretMissing:
            report.outcome, report.error_code = "error", "secret_missing"
            store.record_health(
                firm_id,
                "secret_missing",
                "The mailbox password is missing: save the mailbox settings again.",
            )
        except BaseException:
            store.record_health(
                firm_id, "internal_error", "The sync failed on our side; it will try again."
            )
            raise
        else:
            store.record_health(firm_id, None, None)
        finally:
            store.release_lease(firm_id, owner)
        return report

    # ------------------------------------------------------------------------ run

    def _run(
        self, mailbox: StoredMailbox, report: RunReport, deadline: float | None, folders: bool
    ) -> None:
        secret = self.secrets.get(mailbox.secret_id)
        credential = imap.Credential(secret.get("password") or secret.get("access_token", ""))
        server = imap.Server(
            host=mailbox.imap_host,
            port=mailbox.imap_port,
            security=mailbox.security,
            username=mailbox.username,
            auth_method=mailbox.auth_method,
        )
        settings = firms.get_settings(mailbox.firm_id)
        # checked again on every run: a stored host whose name now resolves to a private
        # address is refused like a new one
        session = self.connect(server, credential, allow_loopback=self.allow_loopback)
        try:
            run = _Run(
                mailbox=mailbox,
                session=session,
                matcher=Matcher(store.synced_rows(mailbox.firm_id)),
                auto_save=settings.auto_save_attachments,
                notify_staff=settings.notify_staff_on_synced_email,
                firm_name=firms.get_firm(mailbox.firm_id).name,
                report=report,
                deadline=deadline,
            )
            found = session.folders()
            if folders:
                for role, folder in found.items():
                    if run.out_of_time():
                        report.outcome = "deadline"
                        break
                    self._sync_folder(run, role, folder)
            for job in store.jobs(mailbox.firm_id):
                if job.status == "done":
                    continue
                if run.out_of_time():
                    report.outcome = "deadline"
                    break
                self._run_job(run, job, found)
            if run.notices:
                self._notify_staff(run)
        finally:
            session.close()
            report.commands = dict(session.commands)
            report.bodies_fetched = session.bodies_fetched

    def _sync_folder(self, run: _Run, role: str, folder: str) -> None:
        status = run.session.select(folder)
        key = run.mailbox.mailbox_key
        cursor = store.get_cursor(run.firm_id, key, role)
        if cursor is None or (cursor.uidvalidity, cursor.folder) != (status.uidvalidity, folder):
            if cursor is not None:
                logger.warning(
                    "folder changed identity: full resync",
                    extra={"firm_id": run.firm_id, "folder": folder, "role": role},
                )
            cursor = Cursor(folder, status.uidvalidity, 0, initial=True)
            store.save_cursor(run.firm_id, key, role, cursor)
        run.report.cursors[role] = cursor.last_uid
        if status.exists == 0 or (
            status.uidnext is not None and status.uidnext <= cursor.last_uid + 1
        ):
            return
        if not run.matcher and status.uidnext is not None:
            # no address has EMAIL SYNC on: nothing here can be ours (a history job
            # brings in the past mail of an address when it is turned on)
            cursor.last_uid = status.uidnext - 1
            store.save_cursor(run.firm_id, key, role, cursor)
            run.report.cursors[role] = cursor.last_uid
            return
        where = _Where(role, folder, status.uidvalidity)
        progress = _Progress(cursor.last_uid)
        saved = cursor.last_uid
        try:
            for batch in run.session.envelopes(
                cursor.last_uid, status.uidnext, self.limits.envelope_batch
            ):
                self._store_batch(run, where, batch, progress, notify=not cursor.initial)
                cursor.last_uid = saved = progress.last_uid
                store.save_cursor(run.firm_id, key, role, cursor)
                if run.out_of_time():
                    run.report.outcome = "deadline"
                    return
            if cursor.initial:
                cursor.initial = False
                store.save_cursor(run.firm_id, key, role, cursor)
        finally:
            if progress.last_uid != saved:  # cut short inside a batch: keep what is done
                cursor.last_uid = progress.last_uid
                store.save_cursor(run.firm_id, key, role, cursor)
            run.report.cursors[role] = cursor.last_uid

    # ------------------------------------------------------------------ a batch

    def _store_batch(
        self,
        run: _Run,
        where: _Where,
        batch: list[imap.Envelope],
        progress: _Progress,
        notify: bool,
    ) -> None:
        """Store what is ours in a batch of envelopes, in UID order. New messages are
        written a few at a time (`flush_messages`); `progress` never passes a message
        that is not written yet."""
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
        parents = [identity.message_id(e.in_reply_to) for e in mine if e.in_reply_to]
        known, waited = store.lookup(
            run.firm_id, [ours[e.uid][0] for e in mine] + parents, [ours[e.uid][0] for e in mine]
        )
        wanted = [(e.uid, e.size) for e in mine if ours[e.uid][0] not in known]
        bodies = run.session.bodies(
            wanted,
            group_bytes=self.limits.body_group_bytes,
            chunk_bytes=self.limits.body_chunk_bytes,
        )
        pending: dict[str, StoredMessage] = {}
        try:
            for envelope in batch:
                if envelope.uid in ours:
                    message_id, accounts = ours[envelope.uid]
                    location = where.location(run.mailbox.mailbox_key, envelope.uid)
                    if message_id in known:
                        self._link(run, known[message_id], accounts, location)
                    elif message_id in pending:  # a second copy in this batch
                        pending[message_id] = _merged(pending[message_id], accounts, location)
                    else:
                        uid, raw = next(bodies)
                        if uid != envelope.uid:  # pragma: no cover - bodies keep the order
                            raise RuntimeError("bodies came out of order")
                        if raw is not None:
                            message = self._build(
                                run, where, envelope, raw, message_id, accounts, location, known
                            )
                            pending[message_id] = message
                if len(pending) >= self.limits.flush_messages:
                    self._flush(run, pending, waited, notify)
                if not pending:
                    progress.last_uid = envelope.uid
            self._flush(run, pending, waited, notify)
            progress.last_uid = batch[-1].uid
        finally:
            _close(bodies)

    def _flush(
        self, run: _Run, pending: dict[str, StoredMessage], waited: set[str], notify: bool
    ) -> None:
        if not pending:
            return
        messages = list(pending.values())
        waiting = [identity.message_id(m.in_reply_to) for m in messages if _waits(m)]
        store.add_messages(run.firm_id, messages, waiting)
        run.report.stored += len(messages)
        run.waiting.update(waiting)
        for message in messages:
            if notify and message.direction == "inbound":
                run.notices.append(message)
            if message.message_id in waited or message.message_id in run.waiting:
                self._adopt(run, message)
        pending.clear()

    def _link(self, run: _Run, head: StoredMessage, accounts: list[AccountRef], where: str) -> None:
        merged = _merged(head, accounts, where)
        if merged.accounts != head.accounts:
            run.report.linked += 1
        if merged != head:
            store.link(run.firm_id, head, merged.accounts, where)

    def _build(
        self,
        run: _Run,
        where: _Where,
        envelope: imap.Envelope,
        raw: IO[bytes],
        message_id: str,
        accounts: list[AccountRef],
        location: str,
        known: dict[str, StoredMessage],
    ) -> StoredMessage:
        """The message to store: parsed, its attachments saved, its bodies spilled to
        S3 when large, the raw message kept when it could not be read cleanly."""
        parsed = mime.parse(
            raw,
            keep_attachments=run.auto_save,
            attachment_limit=self.limits.attachment_max_bytes,
            on_fault=lambda _fault: logger.exception(
                "a message could not be parsed", extra={"message_id": message_id}
            ),
        )
        try:
            raw_key = None
            if parsed.problems or self.limits.keep_raw:
                raw_key = f"firms/{run.firm_id}/mail/{message_id}.eml"
                self.files.put_file(raw_key, raw, "message/rfc822")
            rfc_id = parsed.message_id or envelope.message_id
            parent = parsed.in_reply_to or envelope.in_reply_to
            thread_id = self._thread(run, parsed.references, parent, rfc_id, envelope, known)
            run.threads[rfc_id] = thread_id
            own = run.mailbox.username.casefold()
            outbound = where.role == "sent" or any(
                p.address.casefold() == own for p in parsed.from_
            )
            message = StoredMessage(
                message_id=message_id,
                rfc_message_id=rfc_id,
                in_reply_to=parent,
                references=parsed.references[-50:],
                thread_id=thread_id,
                subject=parsed.subject or envelope.subject,
                from_=_people(parsed.from_) or _plain(envelope.from_),
                to=_people(parsed.to) or _plain(envelope.to),
                cc=_people(parsed.cc) or _plain(envelope.cc),
                reply_to=_people(parsed.reply_to),
                date=_date(parsed.date or envelope.date),
                direction="outbound" if outbound else "inbound",
                source="imap",
                snippet=" ".join(parsed.text.split())[: self.limits.snippet_chars],
                text=parsed.text,
                html=sanitise(parsed.html) if parsed.html else "",
                body_key=None,
                raw_key=raw_key,
                attachments=self._attachments(run, parsed, message_id, accounts),
                accounts=accounts,
                locations=[location],
                problems=parsed.problems,
                size=envelope.size,
                sent_by=None,
                synced_at=clock.iso(),
            )
            return bodies.spill(self.files, run.firm_id, message, self.limits.inline_body_bytes)
        finally:
            parsed.close()
            raw.close()

    def _thread(
        self,
        run: _Run,
        references: list[str],
        parent: str,
        rfc_id: str,
        envelope: imap.Envelope,
        known: dict[str, StoredMessage],
    ) -> str:
        """The parent's thread when the parent is known (stored, or met in this run);
        else the thread named after the conversation's first Message-ID (its References'
        first), so replies that come before their parent still meet it; else a thread
        of its own. A reply that only names its parent (In-Reply-To, no References)
        waits for it: the parent adopts it when it comes (`_adopt`)."""
        for candidate in (parent, *reversed(references)):
            if not candidate:
                continue
            if candidate in run.threads:
                return run.threads[candidate]
            head = known.get(identity.message_id(candidate))
            if head is not None:
                return head.thread_id
        if references:
            return identity.thread_id(references[0])
        if parent:
            return identity.thread_id(parent)
        return identity.thread_id(rfc_id or identity.message_id("", _fingerprint(envelope)))

    def _adopt(self, run: _Run, message: StoredMessage) -> None:
        """Replies that came before this message, knowing only its Message-ID, started
        a thread named after it: they join this message's thread now."""
        waiting = identity.thread_id(message.rfc_message_id)
        if waiting == message.thread_id:
            return
        orphans = store.thread_members(run.firm_id, waiting)
        for head in store.heads(run.firm_id, orphans).values():
            store.rethread(run.firm_id, head, message.thread_id)

    def _attachments(
        self, run: _Run, parsed: mime.Parsed, message_id: str, accounts: list[AccountRef]
    ) -> list[StoredAttachment]:
        saved = []
        limit_mb = self.limits.attachment_max_bytes // MB
        for attachment in parsed.attachments:
            info = StoredAttachment(
                name=attachment.name,
                content_type=attachment.content_type,
                size=attachment.size,
                sha256=attachment.sha256,
                status="not_saved",
                reason="Auto-save attachments is off for this firm.",
            )
            if run.auto_save and attachment.too_large:
                info.status = "skipped"
                info.reason = f"Larger than the {limit_mb} MB limit for saved attachments."
            elif run.auto_save and attachment.file is not None:
                info.status, info.reason = "saved", None
                for account in accounts:
                    document_id = self._save_document(
                        run.firm_id, account.account_id, attachment, message_id
                    )
                    info.document_id = info.document_id or document_id
            saved.append(info)
        return saved

    def _save_document(
        self, firm_id: str, account_id: str, attachment: mime.Attachment, message_id: str
    ) -> str:
        """Once per account and content hash: the same file is never saved twice."""
        found = documents.existing(firm_id, account_id, attachment.sha256)
        if found is not None:
            return found
        key = documents.s3_key(firm_id, account_id, attachment.sha256)
        if attachment.file is None:  # pragma: no cover - only kept files are saved
            raise ValueError("an attachment that was not kept cannot be saved")
        self.files.put_file(key, attachment.file, attachment.content_type)
        return documents.add(
            firm_id,
            StoredDocument(
                document_id=ids.sortable_id("doc"),
                account_id=account_id,
                name=attachment.name,
                size=attachment.size,
                content_type=attachment.content_type,
                source="email_attachment",
                message_id=message_id,
                created_at=clock.iso(),
                sha256=attachment.sha256,
                s3_key=key,
            ),
        )

    # -------------------------------------------------------------------- history

    def _run_job(self, run: _Run, job: Job, folders: dict[str, str]) -> None:
        job.status = "running"
        job.started_at = job.started_at or clock.iso()
        job.last_error = None
        store.save_job(run.firm_id, job)
        stored, linked = run.report.stored, run.report.linked
        try:
            for role, folder in folders.items():
                if not self._job_folder(run, job, role, folder):
                    return  # out of time: the next run goes on from the saved progress
        except imap.MailboxError as error:
            job.last_error = str(error)
            raise
        finally:
            job.stored += run.report.stored - stored
            job.linked += run.report.linked - linked
            store.save_job(run.firm_id, job)
        job.status = "done"
        job.finished_at = clock.iso()
        store.save_job(run.firm_id, job)
        run.report.jobs_done += 1

    def _job_folder(self, run: _Run, job: Job, role: str, folder: str) -> bool:
        status = run.session.select(folder)
        state = job.progress.get(role)
        if state is None or state.get("uidvalidity") != status.uidvalidity:
            state = {"uidvalidity": status.uidvalidity, "done_uid": 0, "found": 0, "processed": 0}
            job.progress[role] = state
        uids = run.session.search_address(job.address)
        todo = [uid for uid in uids if uid > state["done_uid"]]
        state["found"], state["processed"] = len(uids), len(uids) - len(todo)
        where = _Where(role, folder, status.uidvalidity)
        for start in range(0, len(todo), self.limits.envelope_batch):
            chunk = todo[start : start + self.limits.envelope_batch]
            progress = _Progress(state["done_uid"])
            try:
                envelopes = run.session.envelopes_of(chunk)
                if envelopes:
                    self._store_batch(run, where, envelopes, progress, False)
                else:  # expunged since the SEARCH
                    progress.last_uid = chunk[-1]
            finally:
                state["done_uid"] = progress.last_uid
                state["processed"] = sum(1 for uid in uids if uid <= progress.last_uid)
                store.save_job(run.firm_id, job)
            if run.out_of_time():
                run.report.outcome = "deadline"
                return False
        return True

    # ---------------------------------------------------------------- staff notice

    def _notify_staff(self, run: _Run) -> None:
        staff = [m for m in firms.list_staff(run.firm_id) if m.status == "active"]
        for member in staff:
            self.mailer.send(staff_notice(member.email, run.firm_name, run.notices))
        run.report.notices = len(staff)


# ------------------------------------------------------------------------ helpers


def _fingerprint(envelope: imap.Envelope) -> str:
    return identity.fingerprint(
        envelope.date, envelope.from_, envelope.to, envelope.subject, envelope.size
    )


def _message_id(envelope: imap.Envelope) -> str:
    if envelope.message_id:
        return identity.message_id(envelope.message_id)
    return identity.message_id("", _fingerprint(envelope))


def _people(found: list[mime.Person]) -> list[Person]:
    return [Person(name=p.name, address=p.address) for p in found]


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


def _waits(message: StoredMessage) -> bool:
    """A reply that knows only its parent, whose parent is not known: it waits for it."""
    return bool(
        message.in_reply_to
        and not message.references
        and message.thread_id == identity.thread_id(message.in_reply_to)
    )


def _close(generator: Iterator[Any]) -> None:
    close = getattr(generator, "close", None)
    if close is not None:
        close()
