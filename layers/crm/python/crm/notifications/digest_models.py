"""What digests keep and report: a notification held for a digest, and a run's summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from crm.notifications.digest_times import Why


@dataclass(frozen=True)
class Pending:
    """One notification held for one recipient until `due_at` (ISO UTC): what the digest
    needs to word it and to find the row it goes to, written with the delivery's claim."""

    firm_id: str
    account_id: str
    email_id: str
    address: str
    detail_type: str
    event_id: str
    category: str
    why: Why
    due_at: str
    detail: dict[str, Any]  # the event's detail, as validated (crm.notifications.models)
    key: str = ""  # its sort key once stored: the digest claim lists the keys it covers


@dataclass(frozen=True)
class DigestClaim:
    """A digest being sent (or sent) to one address: the keys of the items it covers,
    so a run that finds it `sent` marks them without a second email."""

    firm_id: str
    address: str
    digest_id: str
    status: str  # sending, sent
    keys: tuple[str, ...]
    reason: str | None = None


class DigestSummary(BaseModel):
    digests: int = 0  # emails sent
    items: int = 0  # items delivered in them
    skipped: int = 0  # items not sent, with a reason (category off, NOTIFY off, ...)
    resumed: int = 0  # digests found sent by an earlier run, their items marked now
    busy: int = 0  # digests another run holds the lease of
    waiting: int = 0  # items left for the next run (quota, a send to retry)
