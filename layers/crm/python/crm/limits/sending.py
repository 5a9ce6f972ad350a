"""Who a firm may email, and how many emails a day: the one rule every sender asks.

- Until its owner's address is verified, a firm emails nobody but its owner
  (`FirmNotVerified`, 403 on a route; `skipped: firm_not_verified` in the delivery log).
- Every email counts against the firm's quota for the UTC day: `limits.unverified` before
  verification, `limits.verified` after (every firm sends from the product's own domain;
  a firm sending from a domain of its own would get a higher tier of its own). A route
  reserves what its request will send before it changes anything (`SendingQuotaReached`,
  429) and gives it back when the request fails; the fan-out reserves what it is about to
  send and skips the rest (`skipped: quota`).
- A notice to a staff address on behalf of nobody (someone signing up with it) goes at
  most once an hour per address.

The count is one item per firm per day, increased with a condition, so concurrent
senders cannot pass the limit; a TTL removes it two days later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from crm import clock
from crm.core.firms import FirmStanding
from crm.errors import FirmNotVerified, NotFound, SendingQuotaReached
from crm.settings import Settings, get_settings
from crm.storage import sending as store

NOTICE_INTERVAL = timedelta(hours=1)
ATTEMPTS = 5  # partial reservations re-read the day's count at most this often


@dataclass(frozen=True)
class DailyLimits:
    unverified: int
    verified: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> DailyLimits:
        settings = settings or get_settings()
        return cls(settings.daily_send_limit_unverified, settings.daily_send_limit_verified)

    def of(self, standing: FirmStanding) -> int:
        return self.verified if standing.verified else self.unverified


@dataclass(frozen=True)
class Permit:
    """Emails reserved for one request: given back with `Sending.release` if it fails."""

    firm_id: str
    day: str
    count: int


def may_email(standing: FirmStanding, recipients: Sequence[str]) -> bool:
    """A verified firm emails anyone; an unverified one only its owner."""
    if standing.verified:
        return True
    owner = (standing.owner_email or "").casefold()
    return bool(owner) and all(r.casefold() == owner for r in recipients)


def day_of(moment: datetime) -> str:
    return moment.date().isoformat()


def seconds_to_midnight(moment: datetime) -> int:
    midnight = datetime.combine(
        moment.date() + timedelta(days=1), datetime.min.time(), moment.tzinfo
    )
    return max(1, int((midnight - moment).total_seconds()))


def _expiry(moment: datetime) -> int:
    """The counter's TTL: two days after it starts (a day's count is read only that day)."""
    return int(moment.timestamp()) + 2 * 24 * 3600


@dataclass
class Sending:
    limits: DailyLimits

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Sending:
        return cls(DailyLimits.from_settings(settings))

    def standing(self, firm_id: str) -> FirmStanding:
        found = store.standing(firm_id)
        if found is None:
            raise NotFound("This firm does not exist.")
        return found

    def permit(
        self, firm_id: str, recipients: Sequence[str], standing: FirmStanding | None = None
    ) -> Permit:
        """For a route about to email `recipients`: refused (403) unless the firm may
        email them, or (429) when the day's quota has no room for them; else reserved."""
        standing = standing or self.standing(firm_id)
        if not may_email(standing, recipients):
            raise FirmNotVerified()
        now = clock.now()
        count = max(1, len(recipients))
        if not store.add_sent(firm_id, day_of(now), count, self.limits.of(standing), _expiry(now)):
            raise SendingQuotaReached(retry_after=seconds_to_midnight(now))
        return Permit(firm_id, day_of(now), count)

    def release(self, permit: Permit, count: int | None = None) -> None:
        """Give back the permit's emails (or `count` of them) that were not sent."""
        count = permit.count if count is None else min(count, permit.count)
        if count > 0:
            store.give_back(permit.firm_id, permit.day, count)

    def reserve_up_to(self, standing: FirmStanding, count: int) -> Permit:
        """For the fan-out: reserve as many of `count` emails as today's quota has room
        for (0 to `count`: the permit's count); the caller skips the rest."""
        now = clock.now()
        day, limit = day_of(now), self.limits.of(standing)
        wanted = min(count, limit)
        for _ in range(ATTEMPTS):
            if wanted <= 0:
                break
            if store.add_sent(standing.firm_id, day, wanted, limit, _expiry(now)):
                return Permit(standing.firm_id, day, wanted)
            wanted = min(count, limit - store.sent_on(standing.firm_id, day))
        return Permit(standing.firm_id, day, 0)

    def notice_allowed(self, address: str, purpose: str) -> bool:
        """At most one notice of a kind per staff address per hour, whoever asks."""
        now = clock.now()
        return store.claim_notice(
            address, purpose, clock.iso(now), clock.iso(now - NOTICE_INTERVAL), _expiry(now)
        )
