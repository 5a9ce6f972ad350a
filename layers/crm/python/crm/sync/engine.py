"""The email sync: the firm's mailbox into Inbox+, the accounts' email tabs and Docs.

A run takes the firm's lease, logs in, and for each folder (the inbox and the sent
folder) reads the envelopes of the UIDs above its cursor in bounded batches. A message
whose From, To or Cc holds an address with EMAIL SYNC on is stored once per firm, keyed
by its identity (its Message-ID and a digest of its content: docs/decisions.md 36), and
shown on every matching account; other mail is not stored. The
cursor (UIDVALIDITY, highest UID handled) is saved after each batch and never moves past
a message that was not stored: a run cut short (timeout, dropped connection) resumes
where it stopped, and what was stored meanwhile is recognised by its identity, never
stored twice. A new UIDVALIDITY restarts the folder from the beginning, without
duplicates for the same reason.

History: turning EMAIL SYNC on asks for the past mail of that address, which a
resumable job per (account, address) brings in.

This module runs the mailboxes; the steps live beside it: `folders` walks a folder,
`batches` turns a batch of envelopes into stored mail (with `threads` and
`attachments`), `history` runs the jobs, and `run` holds what they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Protocol

from crm import clock
from crm.core import ids
from crm.core.firms import FirmSettings
from crm.i18n import Localizer, localizer
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretMissing, SecretStore
from crm.observability import logger
from crm.storage import firms
from crm.sync import history, history_store, mailbox_store, matching_store
from crm.sync import reconcile as reconciliation
from crm.sync.folders import sync_folder
from crm.sync.matching import Matcher
from crm.sync.models import StoredMailbox
from crm.sync.notice import staff_notice
from crm.sync.run import Limits, Run, RunReport


class Connect(Protocol):
    """Opens a logged-in session (`imap.connect`); the host is checked on every call."""

    def __call__(
        self, server: imap.Server, credential: imap.Credential, *, allow_loopback: bool
    ) -> imap.ImapSession: ...


@dataclass
class SyncEngine:
    secrets: SecretStore
    files: FileStore
    mailer: Mailer
    connect: Connect = imap.connect
    allow_loopback: bool = False  # the local stack's own IMAP server (settings)
    limits: Limits = field(default_factory=Limits)
    lease_seconds: int = 16 * 60  # longer than the function may run
    # a mailbox that failed is tried again after this, not at every tick: providers lock
    # accounts after repeated failed logins
    retry_after: timedelta = timedelta(minutes=15)

    def sync_firm(
        self,
        firm_id: str,
        deadline: float | None = None,
        folders: bool = True,
        queued_at: str | None = None,
        reconcile: bool | None = None,
    ) -> RunReport:
        """One run of the firm's mailbox. `queued_at`: when the schedule asked for it; a
        run that ended since then already did the work (a message queued twice when the
        workers lagged behind a tick), and this one does nothing. `reconcile`: prove the
        folders whole after the pass (crm.sync.reconcile); None: when a day has passed
        since the last proof."""
        report = RunReport(firm_id)
        mailbox = mailbox_store.find_mailbox(firm_id, consistent=True)
        if mailbox is None:
            report.outcome = "no_mailbox"
            return report
        if queued_at is not None and (mailbox.last_sync_at or "") >= queued_at:
            report.outcome = "already_synced"
            return report
        owner = ids.new_id("run")
        if not mailbox_store.take_lease(firm_id, owner, self.lease_seconds):
            report.outcome = "busy"
            return report
        try:
            if reconcile is None:
                reconcile = folders and _reconcile_due(mailbox)
            self._run(mailbox, report, deadline, folders, reconcile)
        except imap.MailboxError as error:
            report.outcome, report.error_code = "error", error.code
            logger.warning("mailbox sync failed", extra={"firm_id": firm_id, "code": error.code})
            mailbox_store.record_health(firm_id, error.code, str(error), self.retry_after, folders)
        except SecretMissing:
            report.outcome, report.error_code = "error", "secret_missing"
            mailbox_store.record_health(
                firm_id,
                "secret_missing",
                "The mailbox password is missing: save the mailbox settings again.",
                self.retry_after,
                folders,
            )
        except BaseException:
            mailbox_store.record_health(
                firm_id,
                "internal_error",
                "The sync failed on our side; it will try again.",
                self.retry_after,
                folders,
            )
            raise
        else:
            mailbox_store.record_health(firm_id, None, None, timedelta(0), folders)  # due next tick
        finally:
            mailbox_store.release_lease(firm_id, owner)
        return report

    def _run(
        self,
        mailbox: StoredMailbox,
        report: RunReport,
        deadline: float | None,
        folders: bool,
        reconcile: bool,
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
            run = Run(
                mailbox=mailbox,
                session=session,
                matcher=Matcher(
                    matching_store.synced_rows(mailbox.firm_id),
                    never_sync=settings.never_sync,  # the firm item, read once per run
                    staff=lambda: [m.email for m in firms.list_staff(mailbox.firm_id)],
                    own=mailbox.username,
                ),
                files=self.files,
                limits=self.limits,
                auto_save=settings.auto_save_attachments,
                notify_staff=settings.notify_staff_on_synced_email,
                firm_name=firms.get_firm(mailbox.firm_id).name,
                words=partial(_firm_words, settings),
                report=report,
                deadline=deadline,
            )
            found = session.folders()
            if folders:
                for role, folder in found.items():
                    if run.out_of_time():
                        report.outcome = "deadline"
                        break
                    sync_folder(run, role, folder)
            for job in history_store.jobs(mailbox.firm_id):
                if job.status == "done":
                    continue
                if run.out_of_time():
                    report.outcome = "deadline"
                    break
                history.run_job(run, job, found)
            proving = reconcile and report.outcome == "ok" and not run.out_of_time()
            if proving and not reconciliation.reconcile(run, found):
                report.outcome = "deadline"
            if run.notices:
                self._notify_staff(run)
        finally:
            session.close()
            report.commands = dict(session.commands)
            report.bodies_fetched = session.bodies_fetched

    def _notify_staff(self, run: Run) -> None:
        staff = [m for m in firms.list_staff(run.firm_id) if m.status == "active"]
        for member in staff:
            words = run.words(member.language)
            self.mailer.send(staff_notice(member.email, run.firm_name, run.notices, words=words))
        run.report.notices = len(staff)


def _firm_words(settings: FirmSettings, language: str | None) -> Localizer:
    """A staff member's words: their language, else the firm's, in the firm's zone."""
    return localizer(
        language or settings.language,
        informal=settings.form_of_address == "informal",
        time_zone_name=settings.time_zone,
    )


RECONCILE_EVERY = timedelta(days=1)


def _reconcile_due(mailbox: StoredMailbox) -> bool:
    """A day after the last proof (a mailbox's first is a day after it was connected)."""
    since = mailbox.reconciled_at or mailbox.connected_at
    return clock.parse(since) + RECONCILE_EVERY <= clock.now()
