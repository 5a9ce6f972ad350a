"""What happened to the invitations of one address on one account: sent, delivered,
bounced, opened, accepted, superseded, revoked, each recorded once where it happens
(crm.storage.invitation_history), and `expired`, which nothing records: an invitation
whose link ran out unused reads as expired at its `expires_at` (no scheduler)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from crm import clock

What = Literal[
    "sent", "delivered", "bounced", "opened", "accepted", "expired", "superseded", "revoked"
]
# the order of entries of one invitation at the same second, oldest first
RANK: dict[str, int] = {
    w: i
    for i, w in enumerate(
        ("sent", "delivered", "bounced", "opened", "accepted", "expired", "superseded", "revoked")
    )
}
ENDS = ("accepted", "superseded", "revoked")  # after these an invitation cannot expire


def moment(at: datetime | None = None) -> str:
    """When an entry happened, to the microsecond (`2026-12-02T10:00:00.123456Z`), so
    entries of the same second keep the order they happened in (a resend's
    `superseded`, then the new invitation's `sent`). The API says it to the second."""
    return (at or clock.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class HistoryEntry(BaseModel):
    """One entry, as stored. `by` is who did it, as the audit trail names them
    (`staff:<staff_id>`, `client:<address>`); absent for what mail servers tell. `at` is
    a `moment()`; a derived expiry is the invitation's `expires_at`."""

    invitation_id: str
    what: What
    at: str
    by: str | None = None
    address: str | None = None  # the address the invitation went to
    expires_at: str | None = None  # on `sent`: when its link stops working


def position(entry: HistoryEntry) -> tuple[str, ...]:
    """A unique, sortable place of the entry: time, then the order of what happened."""
    return (entry.at, str(RANK[entry.what]), entry.invitation_id)


def to_the_second(at: str) -> str:
    """A moment in the API's format (`2026-12-02T10:00:00Z`)."""
    return at[:19] + "Z"


def with_expiries(stored: Iterable[HistoryEntry], now: str) -> list[HistoryEntry]:
    """The stored entries and the expiries they imply, newest first. A sent invitation
    expired at its `expires_at` when that time has passed and, before it, the invitation
    was neither accepted nor retired, and the address did not accept another one (its
    row became active: an older link running out then tells nobody anything)."""
    entries = list(stored)
    ended = {
        e.invitation_id: e.at
        for e in sorted(entries, key=lambda e: e.at, reverse=True)
        if e.what in ENDS
    }
    accepted = [e.at for e in entries if e.what == "accepted"]
    derived = [
        HistoryEntry(
            invitation_id=e.invitation_id,
            what="expired",
            at=e.expires_at,
            address=e.address,
        )
        for e in entries
        if e.what == "sent"
        and e.expires_at
        and e.expires_at <= now
        and not (e.invitation_id in ended and ended[e.invitation_id] < e.expires_at)
        and not any(e.at <= at < e.expires_at for at in accepted)
    ]
    return sorted([*entries, *derived], key=position, reverse=True)
