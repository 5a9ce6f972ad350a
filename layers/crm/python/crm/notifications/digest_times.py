"""When a notification goes out for one recipient: now, or held until a digest is due.

A category on `hourly` waits for the next full hour of the recipient's clock, one on
`daily` for the chosen hour of the recipient's day; anything due inside quiet hours waits
until they end. Times are worked out on the recipient's wall clock (zoneinfo), then
turned into UTC, so a daily digest at 8:00 in Europe/Amsterdam is 07:00Z in winter and
06:00Z in summer. Required kinds (PaymentConfirmed) are never held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from crm.core.schedules import DeliverySchedule, QuietHours, minutes_of

Why = Literal["hourly", "daily", "quiet"]
STEP = timedelta(minutes=15)  # every zone's offset from UTC is a multiple of it


@dataclass(frozen=True)
class Hold:
    due_at: datetime  # UTC
    why: Why  # which digest it joins


def zone_of(schedule: DeliverySchedule | None, firm_time_zone: str | None) -> ZoneInfo:
    """The recipient's zone: the address's own, else the firm's, else UTC."""
    name = (schedule.time_zone if schedule else None) or firm_time_zone or "UTC"
    return ZoneInfo(name)


def hold(
    schedule: DeliverySchedule | None,
    category: str,
    *,
    required: bool,
    zone: ZoneInfo,
    now: datetime,
) -> Hold | None:
    """None: send now. Otherwise when, and why."""
    if schedule is None or required:
        return None
    frequency = schedule.frequency_of(category)
    due: datetime | None = None
    why: Why = "quiet"
    if frequency == "hourly":
        due, why = next_full_hour(now, zone), "hourly"
    elif frequency == "daily":
        due, why = next_daily(now, zone, schedule.daily_hour), "daily"
    moment = due or now
    quiet = schedule.quiet_hours
    if quiet is not None and _quiet_at(quiet, moment, zone):
        due = quiet_end(moment, zone, quiet.end)
    if due is None:
        return None
    return Hold(due_at=due.astimezone(UTC), why=why)


def next_full_hour(now: datetime, zone: ZoneInfo) -> datetime:
    """The first moment after `now` when the recipient's clock shows a full hour (in a
    zone 30 minutes off UTC, that is half past in UTC)."""
    moment = _floor(now) + STEP
    while moment.astimezone(zone).minute != 0:
        moment += STEP
    return moment


def next_daily(now: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The next `hour`:00 on the recipient's clock, strictly after `now`. On the night the
    clocks go forward an hour that does not exist is read with the offset before the
    change (02:00 in Amsterdam on the last Sunday of March is 01:00Z, 03:00 local)."""
    today = now.astimezone(zone).date()
    for days in range(3):
        local = datetime.combine(today + timedelta(days=days), time(hour), tzinfo=zone)
        moment = local.astimezone(UTC)
        if moment > now:
            return moment
    raise AssertionError("unreachable")  # pragma: no cover


def quiet_end(moment: datetime, zone: ZoneInfo, end: str) -> datetime:
    """The first time after `moment` when the recipient's clock shows `end`."""
    end_minutes = minutes_of(end)
    local_day = moment.astimezone(zone).date()
    for days in range(3):
        day = local_day + timedelta(days=days)
        local = datetime.combine(day, time(end_minutes // 60, end_minutes % 60), tzinfo=zone)
        at = local.astimezone(UTC)
        if at > moment:
            return at
    raise AssertionError("unreachable")  # pragma: no cover


def _quiet_at(quiet: QuietHours, moment: datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return quiet.holds(local.hour * 60 + local.minute)


def _floor(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    return moment - timedelta(minutes=moment.minute % 15)
