"""Holding notifications back for digests and quiet hours: the fan-out's side.

For each recipient the fan-out would send to now, the row's schedule
(crm.core.schedules) may say later: the delivery is claimed `queued` with a reason in
words, and a held item (crm.notifications.digest_store) is written in the same
transaction as the claim. The digest run (crm.notifications.digest_run) sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crm import clock
from crm.core.access import AccessRecord
from crm.notifications import digest_times
from crm.notifications.digest_models import Pending
from crm.notifications.digest_times import Why
from crm.notifications.models import Notification
from crm.notifications.store import Outcome

REASONS: dict[Why, str] = {
    "hourly": "held for the hourly digest due {due}",
    "daily": "held for the daily digest due {due}",
    "quiet": "held until the quiet hours end at {due}",
}


def held(
    notification: Notification,
    rows: Sequence[AccessRecord],
    planned: Sequence[Outcome],
    firm_time_zone: str | None,
    now: datetime | None = None,
) -> tuple[list[Outcome], dict[str, Pending]]:
    """The plan with the held recipients `queued`, and their held items by casefolded
    address. Required kinds are never held; neither is anything not to be sent now."""
    now = now or clock.now()
    by_address = {row.address.casefold(): row for row in rows}
    outcomes: list[Outcome] = []
    pending: dict[str, Pending] = {}
    for outcome in planned:
        row = by_address.get(outcome.address.casefold())
        if outcome.status != "sending" or row is None or row.delivery_schedule is None:
            outcomes.append(outcome)
            continue
        hold = digest_times.hold(
            row.delivery_schedule,
            notification.category,
            required=notification.is_required,
            zone=digest_times.zone_of(row.delivery_schedule, firm_time_zone),
            now=now,
        )
        if hold is None:
            outcomes.append(outcome)
            continue
        due = clock.iso(hold.due_at)
        outcomes.append(Outcome(outcome.address, "queued", REASONS[hold.why].format(due=due)))
        detail = notification.detail
        pending[outcome.address.casefold()] = Pending(
            firm_id=detail.firm_id,
            account_id=detail.account_id,
            email_id=row.email_id,
            address=row.address,
            detail_type=notification.detail_type,
            event_id=detail.event_id,
            category=notification.category,
            why=hold.why,
            due_at=due,
            detail=detail.model_dump(mode="json", exclude_none=True),
        )
    return outcomes, pending
