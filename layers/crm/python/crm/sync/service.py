"""The rules of the firm's mailbox and of reading and answering synced mail.

Only saving the mailbox speaks IMAP (to check the connection and the login first), and
only replying composes mail: each imports its stack when it runs, so the routes that
read mail start without them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from crm import clock
from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.mail import MessagePage, Person
from crm.errors import Conflict, DomainError, FieldError, NotFound, ValidationFailed
from crm.integrations.files import FileStore
from crm.integrations.queue import WorkQueue
from crm.integrations.secrets import SecretStore
from crm.limits.sending import Sending
from crm.observability import logger
from crm.storage import directory, firms, keys
from crm.sync import bodies, history_store, mail_ids, mailbox_store, message_store, page_store
from crm.sync.models import (
    AttachmentInfo,
    Mailbox,
    MailboxSettings,
    MailboxState,
    MailboxTest,
    Message,
    ReconciliationQueued,
    Reply,
    ReplySent,
    StoredMessage,
    SyncRequest,
)

if TYPE_CHECKING:
    from crm.integrations.imap import Credential, Server
    from crm.integrations.mailer import Mailer

Verify = Callable[["Server", "Credential"], Mapping[str, str]]
PAGE = 50
REFERENCES_KEPT = 30
_RE = re.compile(r"^\s*(re|aw|sv|antw)\s*:", re.IGNORECASE)


class MailboxUnreachable(ValidationFailed):
    code = "mailbox_unreachable"


class MailboxLoginRefused(ValidationFailed):
    code = "mailbox_login_refused"


class SendUnavailable(DomainError):
    status = 503
    code = "send_unavailable"


def mailbox_key(host: str, port: int, username: str) -> str:
    """Names one mailbox (server and user) in cursors and locations: another mailbox
    starts its folders afresh; messages already stored are recognised all the same."""
    basis = f"{host.strip().lower()}:{port}:{username.strip().lower()}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def ses_message_id(ses_id: str, region: str) -> str:
    """The Message-ID SES gives a message it sends (it replaces ours)."""
    domain = "email.amazonses.com" if region == "us-east-1" else f"{region}.amazonses.com"
    return f"<{ses_id}@{domain}>"


OUR_SIDE = {"internal_error"}  # failures the sync retries by itself, the firm need not act


@dataclass
class MailboxService:
    secrets: SecretStore
    files: FileStore
    mailer: Callable[[], Mailer]  # made when a reply is sent: the email stack loads then
    secret_prefix: str
    region: str
    verify: Verify | None = None  # default: connect and log in (crm.integrations.imap)
    sending: Sending = field(default_factory=Sending.from_settings)  # crm.limits.sending
    allow_loopback: bool = False  # the local stack's own IMAP server (settings)
    queue: WorkQueue | None = None  # the sync queue, for a reconciliation asked for now

    # -------------------------------------------------------------------- mailbox

    def request_reconciliation(self, caller: Staff) -> ReconciliationQueued:
        """Compare the server's mail with what is stored now rather than at the daily
        pass: a worker takes the firm with its next run (crm.sync.reconcile)."""
        caller.require_admin()
        if mailbox_store.find_mailbox(caller.firm_id) is None:
            raise NotFound("No mailbox is connected.", code="no_mailbox")
        if self.queue is None:  # pragma: no cover - wired in every deployed function
            raise SendUnavailable("The sync cannot be asked for now; try again later.")
        request = SyncRequest(firm_id=caller.firm_id, kind="reconcile")
        self.queue.send([request.model_dump(exclude_none=True)])
        return ReconciliationQueued(queued_at=clock.iso())

    def save(self, caller: Staff, settings: MailboxSettings) -> Mailbox:
        """Check the connection and the login, then keep the password in Secrets
        Manager and the rest in the table."""
        caller.require_admin()
        folders = self._check(settings)
        secret_id = self.secrets.put(
            f"{self.secret_prefix}{caller.firm_id}",
            {"password": settings.password},
            description="IMAP password of a firm's mailbox (email sync)",
        )
        entry = AuditEntry.new(
            caller.actor,
            "mailbox_connected",
            details={
                "imap_host": settings.imap_host,
                "imap_port": settings.imap_port,
                "username": settings.username,
                "security": settings.security,
            },
        )
        key = mailbox_key(settings.imap_host, settings.imap_port, settings.username)
        saved = mailbox_store.save_mailbox(
            caller.firm_id, settings, secret_id, key, dict(folders), entry
        )
        return Mailbox.model_validate(saved.model_dump(include=set(Mailbox.model_fields)))

    def test(self, caller: Staff, settings: MailboxSettings) -> MailboxTest:
        """The connection and the login tried exactly as `save` tries them; nothing kept."""
        caller.require_admin()
        folders = self._check(settings)
        return MailboxTest(ok=True, folders=list(dict.fromkeys(folders.values())))

    def _check(self, settings: MailboxSettings) -> dict[str, str]:
        """Connect and log in (the host refused first when it is not one we may reach,
        before any socket); the folders found, by role. A refusal is a 422."""
        from crm.integrations import imap

        if settings.security == "none" and not imap.is_loopback(settings.imap_host):
            raise ValidationFailed.on(
                "security",
                "Plain IMAP sends the password unencrypted; use ssl or starttls "
                "(plain is only for a server on this machine).",
            )
        server = imap.Server(
            host=settings.imap_host,
            port=settings.imap_port,
            security=settings.security,
            username=settings.username,
            auth_method=settings.auth_method,
        )
        credential = imap.Credential(settings.password)
        try:
            if self.verify is not None:
                folders = self.verify(server, credential)
            else:
                folders = imap.verify(server, credential, allow_loopback=self.allow_loopback)
        except imap.LoginRefused as error:
            raise MailboxLoginRefused(str(error), _field("password", str(error))) from error
        except imap.MailboxError as error:
            # one answer for every refusal and failure to connect: nothing about the
            # network behind the host leaks (the adapter logged the real reason)
            logger.info("mailbox not connected", extra={"code": error.code})
            raise MailboxUnreachable(
                imap.UNREACHABLE, _field("imap_host", imap.UNREACHABLE)
            ) from error
        return dict(folders)

    def state(self, caller: Staff) -> MailboxState:
        history = [job.public() for job in history_store.jobs(caller.firm_id)]
        mailbox = mailbox_store.find_mailbox(caller.firm_id)
        if mailbox is None:
            return MailboxState.model_validate(
                {
                    **dict.fromkeys(MailboxState.model_fields),
                    "folders": {},
                    "status": "not_connected",
                    "needs_attention": False,
                    "refetched": [],
                    "history": history,
                }
            )
        return MailboxState(
            **mailbox.model_dump(include=set(Mailbox.model_fields)),
            needs_attention=mailbox.status == "error" and mailbox.last_error_code not in OUR_SIDE,
            history=history,
        )

    # ----------------------------------------------------------------- reading

    def inbox(self, caller: Staff, cursor: str | None, limit: int = PAGE) -> MessagePage:
        return page_store.page(keys.inbox(caller.firm_id), cursor, limit)

    def account_messages(
        self, caller: Staff, account_id: str, cursor: str | None, limit: int = PAGE
    ) -> MessagePage:
        directory.get_account(caller.firm_id, account_id)  # another firm's id: 404
        return page_store.page(keys.account_mail(caller.firm_id, account_id), cursor, limit)

    def thread(
        self, caller: Staff, thread_id: str, cursor: str | None, limit: int = PAGE
    ) -> MessagePage:
        found = page_store.thread_page(caller.firm_id, thread_id, cursor, limit)
        if not found.items and cursor is None:
            raise NotFound("This thread does not exist.")
        return found

    def message(self, caller: Staff, message_id: str) -> Message:
        stored = message_store.get_message(caller.firm_id, message_id)
        text, html = bodies.load(self.files, stored)
        return Message(
            message_id=stored.message_id,
            thread_id=stored.thread_id,
            subject=stored.subject,
            from_=stored.from_,
            to=stored.to,
            cc=stored.cc,
            reply_to=stored.reply_to,
            date=stored.date,
            direction=stored.direction,
            text=text,
            html=html,
            attachments=[
                AttachmentInfo.model_validate(a.model_dump(exclude={"sha256"}))
                for a in stored.attachments
            ],
            accounts=stored.accounts,
            in_reply_to=stored.in_reply_to,
            references=stored.references,
            problems=stored.problems,
        )

    # ----------------------------------------------------------------- replying

    def reply(self, caller: Staff, message_id: str, reply: Reply) -> ReplySent:
        """Send through the mailer with In-Reply-To and References, and store the reply
        in the original's thread, on its accounts."""
        caller.require_manage_accounts()
        original = message_store.get_message(caller.firm_id, message_id)
        people = (
            original.to
            if original.direction == "outbound"
            else (original.reply_to or original.from_)
        )
        to = list(dict.fromkeys(p.address for p in people if p.address))
        if not to:
            raise Conflict("This message has no address to reply to.", code="no_recipient")
        firm = firms.get_firm(caller.firm_id)
        mailbox = mailbox_store.find_mailbox(caller.firm_id)
        subject = original.subject if _RE.match(original.subject) else f"Re: {original.subject}"
        parent = original.rfc_message_id
        references = [*original.references, parent] if parent else list(original.references)
        if len(references) > REFERENCES_KEPT:  # the first (the root) and the latest
            references = references[:1] + references[-(REFERENCES_KEPT - 1) :]
        headers = {}
        if parent:
            headers["In-Reply-To"] = parent
        if references:
            headers["References"] = " ".join(references)
        if mailbox is not None and "@" in mailbox.username:
            headers["Reply-To"] = mailbox.username
        from crm.sync.html import sanitise

        html = sanitise(reply.html) if reply.html else _html(reply.text)
        from crm.integrations.mailer import Mail, SendFailed

        mailer = self.mailer()
        mail = Mail(
            to=to, subject=subject, text=reply.text, html=html, sender_name=firm.name,
            headers=headers,
        )  # fmt: skip
        permit = self.sending.permit(caller.firm_id, to)  # 403 not verified, 429 quota
        try:
            ses_id = mailer.send(mail)
        except SendFailed as failure:
            self.sending.release(permit)
            if failure.transient:
                raise SendUnavailable("The reply could not be sent now; try again.") from failure
            raise ValidationFailed(
                f"The reply was refused by the mail service: {failure.reason}."
            ) from failure
        rfc_id = ses_message_id(ses_id, self.region)
        sender = mailbox.username if mailbox is not None else mailer.from_address
        message = StoredMessage(
            message_id=mail_ids.message_id(rfc_id),
            rfc_message_id=rfc_id,
            in_reply_to=parent,
            references=references,
            thread_id=original.thread_id,
            subject=subject,
            from_=[Person(name=firm.name, address=sender)],
            to=[Person(name="", address=a) for a in to],
            cc=[],
            reply_to=[],
            date=clock.iso(),
            direction="outbound",
            source="reply",
            snippet=" ".join(reply.text.split())[:200],
            text=reply.text,
            html=html,
            body_key=None,
            raw_key=None,
            attachments=[],
            accounts=original.accounts,
            locations=[],
            problems=[],
            size=len(reply.text.encode()) + len(html.encode()),
            sent_by=caller.staff_id,
            synced_at=clock.iso(),
        )
        message_store.add_message(caller.firm_id, bodies.spill(self.files, caller.firm_id, message))
        return ReplySent(
            message_id=message.message_id,
            thread_id=message.thread_id,
            to=to,
            subject=subject,
            in_reply_to=parent,
            references=references,
        )


def _field(name: str, message: str) -> list[FieldError]:
    return [FieldError(name, message)]


def _html(text: str) -> str:
    paragraphs = (escape(p).replace("\n", "<br>") for p in text.split("\n\n"))
    return "".join(f"<p>{p}</p>" for p in paragraphs)
