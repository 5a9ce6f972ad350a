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

History: turning EMAIL SYNC on asks for the past mail of that address, which a
resumable job per (account, address) brings in.

This module runs the mailboxes; the steps live beside it: `folders` walks a folder,
`batches` turns a batch of envelopes into stored mail (with `threads` and
`attachments`), `history` runs the jobs, and `run` holds what they share.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from crm.core import ids
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretMissing, SecretStore
from crm.observability import logger
from crm.storage import firms
from crm.sync import history, history_store, mailbox_store, matching_store
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

    def run_all(self, deadline: float | None = None) -> list[RunReport]:
        """The schedule: every firm's mailbox, least recently synced first, while time
        lasts (the rest come first at the next run)."""
        reports = []
        for mailbox in mailbox_store.mailboxes():
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
        if not history.record(firm_id, account_id, email_id, address, event_id):
            return RunReport(firm_id, outcome="ok")
        return self.sync_firm(firm_id, deadline, folders=False)

    def sync_firm(
        self, firm_id: str, deadline: float | None = None, folders: bool = True
    ) -> RunReport:
        report = RunReport(firm_id)
        mailbox = mailbox_store.find_mailbox(firm_id, consistent=True)
        if mailbox is None:
            report.outcome = "no_mailbox"
            return report
        owner = ids.new_id("run")
        if not mailbox_store.take_lease(firm_id, owner, self.lease_seconds):
            report.outcome = "busy"
            return report
        try:
            self._run(mailbox, report, deadline, folders)
        except imap.MailboxError as error:
            report.outcome, report.error_code = "error", error.code
            logger.warning("mailbox sync failed", extra={"firm_id": firm_id, "code": error.code})
            mailbox_store.record_health(firm_id, error.code, str(error))
        except SecretMissing:
            report.outcome, report.error_code = "error", "secret_missing"
            mailbox_store.record_health(
                firm_id,
                "secret_missing",
                "The mailbox password is missing: save the mailbox settings again.",
            )
        except BaseException:
            mailbox_store.record_health(
                firm_id, "internal_error", "The sync failed on our side; it will try again."
            )
            raise
        else:
            mailbox_store.record_health(firm_id, None, None)
        finally:
            mailbox_store.release_lease(firm_id, owner)
        return report

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
            run = Run(
                mailbox=mailbox,
                session=session,
                matcher=Matcher(matching_store.synced_rows(mailbox.firm_id)),
                files=self.files,
                limits=self.limits,
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
                    sync_folder(run, role, folder)
            for job in history_store.jobs(mailbox.firm_id):
                if job.status == "done":
                    continue
                if run.out_of_time():
                    report.outcome = "deadline"
                    break
                history.run_job(run, job, found)
            if run.notices:
                self._notify_staff(run)
        finally:
            session.close()
            report.commands = dict(session.commands)
            report.bodies_fetched = session.bodies_fetched

    def _notify_staff(self, run: Run) -> None:
        staff = [m for m in firms.list_staff(run.firm_id) if m.status == "active"]
        for member in staff:
            self.mailer.send(staff_notice(member.email, run.firm_name, run.notices))
        run.report.notices = len(staff)
