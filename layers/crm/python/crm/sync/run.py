"""What one sync run carries from step to step: its limits, its report, the open session
and what it learned on the way (threads met, replies waiting, the staff notice's mail)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from crm.i18n import Localizer, localizer
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.sync.matching import Matcher
from crm.sync.models import StoredMailbox, StoredMessage

Outcome = Literal["ok", "error", "busy", "no_mailbox", "deadline", "already_synced"]
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


STORED_IDS = 100


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
    stored_ids: list[str] = field(default_factory=list)  # the first STORED_IDS stored
    reconciled: bool = False  # the run proved the folders whole (crm.sync.reconcile)
    missing: int = 0  # what the reconciliation found missing, and stored

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Run:
    """One run's state, handed to every step."""

    mailbox: StoredMailbox
    session: imap.ImapSession
    matcher: Matcher
    files: FileStore
    limits: Limits
    auto_save: bool
    notify_staff: bool
    firm_name: str
    report: RunReport
    deadline: float | None
    threads: dict[str, str] = field(default_factory=dict)  # Message-ID -> thread id
    waiting: set[str] = field(default_factory=set)  # parents that replies wait for
    notices: list[StoredMessage] = field(default_factory=list)
    # the words of the staff notice: a member's language (None: the firm's) -> Localizer
    words: Callable[[str | None], Localizer] = localizer

    @property
    def firm_id(self) -> str:
        return self.mailbox.firm_id

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


@dataclass
class Progress:
    last_uid: int  # every UID up to this one is handled


@dataclass(frozen=True)
class Where:
    """The folder a batch comes from; a message's location names it, with the UID."""

    role: str
    folder: str
    uidvalidity: int

    def location(self, mailbox_key: str, uid: int) -> str:
        return f"{mailbox_key}/{self.folder}/{self.uidvalidity}/{uid}"
