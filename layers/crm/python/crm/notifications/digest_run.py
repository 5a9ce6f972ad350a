"""The digest run: every held notification that is due goes out, one email per (firm,
address), with the fan-out's claim discipline.

1. What is due: one Query per shard (crm.notifications.digest_store), a shard at a time,
   grouped by (firm, address), oldest first, at most MAX_ITEMS per email.
2. Claim the digest: a conditional put with a lease, keyed by its first item, listing
   the items it covers. A run that finds the claim `sent` (an earlier run died after the
   email) only marks those items; one that finds a live lease leaves it alone.
3. Check each item against the row now: NOTIFY off, the category off, the address gone
   or suppressed: the item is closed `skipped` (or `suppressed`) with the reason.
4. Reserve one email of the firm's daily quota (decision 28: a digest counts as one),
   send, then record the claim `sent` in one write.
5. Mark the items: each delivery `sent` ("in the daily digest of 2026-12-03"), the held
   item gone. Dying before 4 leaves a lease that runs out: the next run sends. Dying after
   it leaves a `sent` claim: the next run marks, and sends nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit

from crm import clock
from crm.core.access import AccessRecord
from crm.core.firms import FirmFacts
from crm.errors import NotFound
from crm.i18n import localizer
from crm.integrations.mailer import Mailer, SendFailed
from crm.limits.sending import Sending
from crm.notifications import digest_store, digest_times, links, store
from crm.notifications.digest_mail import Entry, digest_mail
from crm.notifications.digest_models import DigestClaim, DigestSummary, Pending
from crm.notifications.digest_times import Why
from crm.notifications.fanout import COMPOSITION_ERRORS
from crm.notifications.models import Notification
from crm.notifications.store import Outcome
from crm.observability import logger, metrics
from crm.settings import get_settings
from crm.storage import access, directory, sending

MAX_ITEMS = 200  # per email; the rest go in the next digest of the same run


def _no_fault(_step: str) -> None:
    """Between the steps of a digest; tests inject a crash here."""


@dataclass
class DigestRun:
    mailer: Mailer
    link_secret: Callable[[], bytes]
    api_base: str
    sending: Sending = field(default_factory=Sending.from_settings)  # crm.limits.sending
    portal_base: str = field(default_factory=lambda: get_settings().portal_base)
    max_items: int = MAX_ITEMS
    checkpoint: Callable[[str], None] = _no_fault  # "claimed", then "sent"

    def run(self, now: datetime | None = None) -> DigestSummary:
        now = now or clock.now()
        summary = DigestSummary()
        firms: dict[str, FirmFacts | None] = {}
        for shard in range(digest_store.SHARDS):  # one shard in memory at a time
            groups: dict[tuple[str, str], list[Pending]] = {}
            for pending in digest_store.due_in(shard, now):
                key = (pending.firm_id, pending.address.casefold())
                groups.setdefault(key, []).append(pending)
            for (firm_id, _), items in groups.items():
                if firm_id not in firms:
                    firms[firm_id] = sending.firm_facts(firm_id)
                self._address(firms[firm_id], sorted(items, key=lambda p: p.key), summary)
        metrics.add_metric(name="DigestsSent", unit=MetricUnit.Count, value=summary.digests)
        metrics.add_metric(name="DigestItemsSent", unit=MetricUnit.Count, value=summary.items)
        logger.info("digests sent", extra=summary.model_dump())
        return summary

    def _address(
        self, facts: FirmFacts | None, items: list[Pending], summary: DigestSummary
    ) -> None:
        """Every due item of one address, in digests of at most `max_items`."""
        while items:
            batch = items[: self.max_items]
            first = batch[0]
            claim = digest_store.claim(
                first.firm_id, first.address, _digest_id(first), [p.key for p in batch]
            )
            if claim.status == "sent":  # an earlier run sent it and died before marking
                covered = set(claim.keys)
                done = [p for p in items if p.key in covered]
                store.finish_held([(p, Outcome(p.address, "sent", claim.reason)) for p in done])
                summary.resumed += 1
                summary.items += len(done)
                items = [p for p in items if p.key not in covered]
                if not done:
                    return
                continue
            if claim.status != "owned":  # another run holds its lease
                summary.busy += 1
                return
            self.checkpoint("claimed")
            self._digest(facts, claim, batch, summary)
            items = items[len(batch) :]

    def _digest(
        self,
        facts: FirmFacts | None,
        claim: DigestClaim,
        batch: Sequence[Pending],
        summary: DigestSummary,
    ) -> None:
        rows = _rows(batch)
        closed: list[tuple[Pending, Outcome]] = []
        deliver: list[tuple[Pending, Notification, AccessRecord]] = []
        for pending in batch:
            row = rows.get((pending.account_id, pending.email_id))
            notification = Notification.of(pending.detail_type, pending.detail)
            outcome = _closed(pending, row, notification, facts)
            if outcome is not None or row is None:
                closed.append((pending, outcome or Outcome(pending.address, "skipped")))
            else:
                deliver.append((pending, notification, row))
        summary.skipped += len(closed)
        if not deliver or facts is None:
            store.finish_held(closed)
            digest_store.release(claim)
            return
        permit = self.sending.reserve_up_to(facts.standing, 1)  # a digest is one email
        if permit.count == 0:  # no quota left today: it waits, nothing is lost
            store.finish_held(closed)
            digest_store.release(claim)
            summary.waiting += len(deliver)
            return
        why = _why(p for p, _, _ in deliver)
        result = self._send(facts, claim, deliver, why)
        if result is not None and result.retryable:  # SES may take it later: next run
            self.sending.release(permit)
            store.finish_held(closed)
            digest_store.release(claim)
            summary.waiting += len(deliver)
            return
        if result is not None:  # refused for good: each item says why
            self.sending.release(permit)
            store.finish_held(
                [*closed, *((p, replace(result, address=p.address)) for p, _, _ in deliver)]
            )
            digest_store.release(claim)
            return
        row = deliver[0][2]
        zone = digest_times.zone_of(row.delivery_schedule, facts.time_zone)
        reason = f"in the {_WORDS[why]} of {clock.now().astimezone(zone).date().isoformat()}"
        digest_store.confirm_sent(claim, reason)
        self.checkpoint("sent")
        store.finish_held(
            [*((p, Outcome(p.address, "sent", reason)) for p, _, _ in deliver), *closed]
        )
        summary.digests += 1
        summary.items += len(deliver)

    def _send(
        self,
        facts: FirmFacts,
        claim: DigestClaim,
        deliver: Sequence[tuple[Pending, Notification, AccessRecord]],
        why: Why,
    ) -> Outcome | None:
        """Compose and send the one email; None when SES took it, else the failure."""
        row = deliver[0][2]
        zone = digest_times.zone_of(row.delivery_schedule, facts.time_zone)
        language = directory.contact_languages(claim.firm_id, [row.contact_id]).get(row.contact_id)
        words = localizer(
            language or facts.language, informal=facts.informal, time_zone_name=zone.key
        )
        secret = self.link_secret()
        entries = []
        for pending, notification, each in deliver:
            unsubscribe = None
            if notification.category not in facts.locked:
                token = links.sign(
                    secret,
                    links.UNSUBSCRIBE,
                    {
                        "f": each.firm_id,
                        "a": each.account_id,
                        "e": each.email_id,
                        "c": pending.category,
                    },
                )
                unsubscribe = f"{self.api_base}/v1/unsubscribe?token={token}"
            entries.append(Entry(notification, each.account_name, unsubscribe))
        try:
            mail = digest_mail(
                entries,
                firm_id=claim.firm_id,
                firm_name=facts.name,
                address=row.address,
                why=why,
                day=clock.now(),
                portal=f"{self.portal_base}/portal",
                list_domain=self.mailer.from_address.rpartition("@")[2],
                words=words,
            )
            self.mailer.send(replace(mail, tags={"firm_id": claim.firm_id}))
        except COMPOSITION_ERRORS as error:
            reason = f"the digest could not be composed: {error}"[:500]
            return Outcome(row.address, "failed", reason, retryable=False)
        except SendFailed as failure:
            logger.warning(
                "digest not sent",
                extra={"reason": failure.reason, "transient": failure.transient},
            )
            return Outcome(row.address, "failed", failure.reason, retryable=failure.transient)
        return None


_WORDS: dict[Why, str] = {
    "daily": "daily digest",
    "hourly": "hourly digest",
    "quiet": "digest after quiet hours",
}


def _digest_id(first: Pending) -> str:
    """A digest is known by its first item: a run that resumes it finds the same claim."""
    return "DIGEST#" + hashlib.sha256(first.key.encode()).hexdigest()[:32]


def _why(items: Iterable[Pending]) -> Why:
    """The digest's name: daily if anything in it waited for the day, else hourly, else
    what quiet hours held."""
    found = {p.why for p in items}
    return "daily" if "daily" in found else "hourly" if "hourly" in found else "quiet"


def _rows(batch: Sequence[Pending]) -> dict[tuple[str, str], AccessRecord | None]:
    """The rows the items go to, as they are now (one GetItem per row)."""
    rows: dict[tuple[str, str], AccessRecord | None] = {}
    for pending in batch:
        key = (pending.account_id, pending.email_id)
        if key not in rows:
            try:
                rows[key] = access.get(pending.firm_id, *key)
            except NotFound:
                rows[key] = None
    return rows


def _closed(
    pending: Pending,
    row: AccessRecord | None,
    notification: Notification,
    facts: FirmFacts | None,
) -> Outcome | None:
    """Why an item is no longer to be sent, as the fan-out would say it; None: send."""
    address = pending.address
    if facts is None:
        return Outcome(address, "skipped", "the firm no longer exists")
    if row is None or row.address.casefold() != address.casefold():
        return Outcome(address, "skipped", "the address is no longer on the account")
    if not row.notify:
        return Outcome(address, "skipped", "NOTIFY is off")
    if address.casefold() in facts.suppressed:
        return Outcome(address, "suppressed", "the address bounced or complained")
    if not notification.is_required and not row.preferences.get(pending.category, True):
        return Outcome(address, "skipped", f"{pending.category} is off")
    return None
