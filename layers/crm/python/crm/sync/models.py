from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from crm.core.directory import AccountRef
from crm.core.fields import RequestModel
from crm.core.mail import Direction, MessageSummary, Person
from crm.text import SingleLine

Security = Literal["ssl", "starttls", "none"]
AuthMethod = Literal["password", "xoauth2"]
SyncStatus = Literal["not_connected", "pending", "ok", "error"]
AttachmentStatus = Literal["saved", "not_saved", "skipped"]
JobStatus = Literal["pending", "running", "done"]

_HOST = re.compile(r"^[A-Za-z0-9._:\[\]-]{1,253}$")


def _host(value: str) -> str:
    value = value.strip()
    if not _HOST.match(value):
        raise PydanticCustomError("host", "Not a valid host name or address")
    return value


Host = Annotated[str, StringConstraints(max_length=253), AfterValidator(_host)]


# ------------------------------------------------------------------- mailbox


class MailboxSettings(RequestModel):
    """PUT /v1/firm/mailbox. Only passwords for now; `auth_method` keeps the door open
    for XOAUTH2 (Gmail, Microsoft 365), which the IMAP adapter already speaks."""

    imap_host: Host
    imap_port: Annotated[int, Field(ge=1, le=65535)]
    # single lines: a line break would end the IMAP command and start another
    username: Annotated[
        SingleLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)
    ]
    password: Annotated[SingleLine, StringConstraints(min_length=1, max_length=1024)] = Field(
        repr=False
    )
    security: Security
    auth_method: Literal["password"] = "password"


class HistoryJob(BaseModel):
    """Bringing in the past mail of one address after EMAIL SYNC was turned on."""

    account_id: str
    email_id: str
    address: str
    status: JobStatus
    found: int
    processed: int
    stored: int
    requested_at: str
    started_at: str | None
    finished_at: str | None
    last_error: str | None


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


class Mailbox(BaseModel):
    """The firm's mailbox as stored: never the password."""

    imap_host: str
    imap_port: int
    username: str
    security: Security
    auth_method: AuthMethod
    folders: dict[str, str]
    connected_at: str
    updated_at: str
    last_sync_at: str | None
    status: SyncStatus
    last_error: str | None
    last_error_code: str | None
    last_error_at: str | None
    next_sync_at: str | None = None
    failing_since: str | None = None
    reconciled_at: str | None = None
    missing: int | None = None
    refetched: list[str] = []


class MailboxTest(BaseModel):
    """POST /v1/firm/mailbox/test: the connection and the login worked (nothing saved)."""

    ok: bool
    folders: list[str] = Field(description="The folders the sync would read (inbox, sent).")


class MailboxState(BaseModel):
    """GET /v1/firm/mailbox: the settings (none before a mailbox is connected: status
    `not_connected`), the sync's health, and the history jobs."""

    imap_host: str | None
    imap_port: int | None
    username: str | None
    security: Security | None
    auth_method: AuthMethod | None
    folders: dict[str, str]
    connected_at: str | None
    updated_at: str | None
    last_sync_at: str | None
    status: SyncStatus
    last_error: str | None
    last_error_code: str | None
    last_error_at: str | None
    next_sync_at: str | None = Field(
        default=None,
        description="When the schedule hands this mailbox to a worker next (UTC); null "
        "before a mailbox is connected.",
    )
    failing_since: str | None = Field(
        default=None,
        description="The first failed run since the last good one; null while runs go well.",
    )
    needs_attention: bool = Field(
        default=False,
        description="The firm must act (the password changed, the server is gone, the "
        "password is missing): `last_error` says what. False while runs go well, and for a "
        "failure on our side, which the sync retries by itself.",
    )
    reconciled_at: str | None = Field(
        default=None,
        description="When the sync last compared the server's mail with synced addresses "
        "against what is stored (daily, or on demand: POST /v1/firm/mailbox/reconcile).",
    )
    missing: int | None = Field(
        default=None,
        description="What that comparison found missing, and fetched again: 0 when the "
        "mailbox was whole; null before the first comparison.",
    )
    refetched: list[str] = Field(
        default_factory=list,
        description="The message ids fetched again by the last comparison (the first 50).",
    )
    history: list[HistoryJob]


class StoredMailbox(Mailbox):
    """What the sync needs beside the public settings (data layer's domain model)."""

    firm_id: str
    secret_id: str
    mailbox_key: str


@dataclass
class Cursor:
    """Where the sync of one folder stands: every UID up to `last_uid` is handled."""

    folder: str
    uidvalidity: int
    last_uid: int
    initial: bool


@dataclass(frozen=True)
class SyncedRow:
    """An address with EMAIL SYNC on for one account."""

    account_id: str
    account_name: str
    email_id: str
    address: str


# ------------------------------------------------------------------ messages


class AttachmentInfo(BaseModel):
    name: str
    content_type: str
    size: int
    status: AttachmentStatus
    reason: str | None = None
    document_id: str | None = None


class StoredAttachment(AttachmentInfo):
    sha256: str = ""


class Message(BaseModel):
    """GET /v1/messages/{message_id}: the whole message, its HTML sanitised."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    message_id: str
    thread_id: str
    subject: str
    from_: list[Person] = Field(alias="from")
    to: list[Person]
    cc: list[Person]
    reply_to: list[Person]
    date: str
    direction: Direction
    text: str
    html: str
    attachments: list[AttachmentInfo]
    accounts: list[AccountRef]
    in_reply_to: str
    references: list[str]
    problems: list[str]


class StoredMessage(BaseModel):
    """A message as the data layer keeps it."""

    message_id: str
    rfc_message_id: str
    in_reply_to: str
    references: list[str]
    thread_id: str
    subject: str
    from_: list[Person]
    to: list[Person]
    cc: list[Person]
    reply_to: list[Person]
    date: str
    direction: Direction
    source: Literal["imap", "reply"]
    snippet: str
    text: str
    html: str
    body_key: str | None
    raw_key: str | None
    attachments: list[StoredAttachment]
    accounts: list[AccountRef]
    locations: list[str]
    problems: list[str]
    size: int
    sent_by: str | None
    synced_at: str

    def summary(self) -> MessageSummary:
        return MessageSummary(
            message_id=self.message_id,
            thread_id=self.thread_id,
            subject=self.subject,
            from_=self.from_,
            to=self.to,
            date=self.date,
            snippet=self.snippet,
            direction=self.direction,
            has_attachments=bool(self.attachments),
            accounts=self.accounts,
        )


class Reply(RequestModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=100_000)]
    html: Annotated[str, StringConstraints(max_length=500_000)] | None = None


class ReplySent(BaseModel):
    """202: the reply went out and joined the thread."""

    message_id: str
    thread_id: str
    to: list[str]
    subject: str
    in_reply_to: str
    references: list[str]


class EmailSyncEnabled(BaseModel):
    """The detail of the event a change writes when EMAIL SYNC turns on (crm.core.access)."""

    firm_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    account_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    email_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    address: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    # the outbox's id of the event, the same on every delivery (crm.core.events); an event
    # put on the bus by hand may lack it, and then EventBridge's own id serves
    event_id: Annotated[str, StringConstraints(max_length=100)] | None = None


class SyncRequest(BaseModel):
    """A message on the sync queue: one firm's mailbox to sync. `scheduled`: it is due;
    `history`: EMAIL SYNC turned on, run its pending history jobs; `resumed`: a run
    cut short by its deadline, put back to go on; `reconcile`: a run that proves the
    folders whole (crm.sync.reconcile), asked for by the firm."""

    model_config = ConfigDict(extra="forbid")

    firm_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    kind: Literal["scheduled", "history", "resumed", "reconcile"] = "scheduled"
    queued_at: Annotated[str, StringConstraints(max_length=40)] | None = None


class ReconciliationQueued(BaseModel):
    """POST /v1/firm/mailbox/reconcile: the comparison is on the sync queue."""

    queued_at: str = Field(
        description="When it was asked for; `reconciled_at` on GET "
        "/v1/firm/mailbox moves past it once done."
    )
