"""When a held notification is due: hourly and daily digests and quiet hours on the
recipient's clock, across time zones and daylight saving time (crm.notifications.digest_times)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from crm.core.schedules import DeliverySchedule, QuietHours, ScheduleChange
from crm.notifications.digest_times import Hold, hold, zone_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+05:30
UTC_ZONE = ZoneInfo("UTC")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def due(
    schedule: DeliverySchedule, now: str, zone: ZoneInfo, *, required: bool = False
) -> Hold | None:
    return hold(schedule, "documents_uploads", required=required, zone=zone, now=at(now))


DAILY_AT_8 = DeliverySchedule(frequency={"documents_uploads": "daily"}, daily_hour=8)
HOURLY = DeliverySchedule(frequency={"documents_uploads": "hourly"})
NIGHTS = DeliverySchedule(quiet_hours=QuietHours(start="22:00", end="07:00"))


def test_without_a_schedule_or_for_another_category_nothing_is_held() -> None:
    assert (
        hold(None, "documents_uploads", required=False, zone=UTC_ZONE, now=at("2026-12-02T10:00Z"))
        is None
    )
    assert (
        hold(DAILY_AT_8, "proposals", required=False, zone=UTC_ZONE, now=at("2026-12-02T10:00Z"))
        is None
    )


def test_a_daily_digest_at_8_in_amsterdam_is_7z_in_winter_and_6z_in_summer() -> None:
    winter = due(DAILY_AT_8, "2026-12-02T10:00Z", AMSTERDAM)
    summer = due(DAILY_AT_8, "2026-07-02T10:00Z", AMSTERDAM)
    assert winter == Hold(at("2026-12-03T07:00Z"), "daily")
    assert summer == Hold(at("2026-07-03T06:00Z"), "daily")


def test_before_the_hour_the_daily_digest_is_the_same_day() -> None:
    assert due(DAILY_AT_8, "2026-12-02T06:59Z", AMSTERDAM) == Hold(at("2026-12-02T07:00Z"), "daily")


def test_the_daily_digest_follows_the_clocks_changing_in_the_night() -> None:
    # the clocks go forward on 29 March 2026 (02:00 -> 03:00) and back on 25 October
    assert due(DAILY_AT_8, "2026-03-28T12:00Z", AMSTERDAM) == Hold(at("2026-03-29T06:00Z"), "daily")
    assert due(DAILY_AT_8, "2026-10-24T12:00Z", AMSTERDAM) == Hold(at("2026-10-25T07:00Z"), "daily")


def test_a_daily_hour_the_clocks_skip_is_read_with_the_offset_before_the_change() -> None:
    at_two = DeliverySchedule(frequency={"documents_uploads": "daily"}, daily_hour=2)
    # 02:00 does not exist in Amsterdam on 29 March 2026: it goes out at 01:00Z (03:00 CEST)
    assert due(at_two, "2026-03-28T12:00Z", AMSTERDAM) == Hold(at("2026-03-29T01:00Z"), "daily")


def test_an_hourly_digest_is_the_next_full_hour_of_the_recipient() -> None:
    assert due(HOURLY, "2026-12-02T10:20Z", AMSTERDAM) == Hold(at("2026-12-02T11:00Z"), "hourly")
    assert due(HOURLY, "2026-12-02T10:00Z", UTC_ZONE) == Hold(at("2026-12-02T11:00Z"), "hourly")
    # in Kolkata a full hour is half past in UTC
    assert due(HOURLY, "2026-12-02T10:20Z", KOLKATA) == Hold(at("2026-12-02T10:30Z"), "hourly")


def test_quiet_hours_across_midnight_hold_until_they_end() -> None:
    # 23:30 and 03:00 in Amsterdam (winter, UTC+1) are quiet; 07:00 local is 06:00Z
    assert due(NIGHTS, "2026-12-02T22:30Z", AMSTERDAM) == Hold(at("2026-12-03T06:00Z"), "quiet")
    assert due(NIGHTS, "2026-12-03T02:00Z", AMSTERDAM) == Hold(at("2026-12-03T06:00Z"), "quiet")


def test_outside_quiet_hours_a_notification_goes_at_once() -> None:
    assert due(NIGHTS, "2026-12-02T12:00Z", AMSTERDAM) is None
    assert due(NIGHTS, "2026-12-03T06:00Z", AMSTERDAM) is None  # 07:00 local: they ended


def test_quiet_hours_within_one_day() -> None:
    lunch = DeliverySchedule(quiet_hours=QuietHours(start="12:00", end="13:30"))
    assert due(lunch, "2026-12-02T11:15Z", AMSTERDAM) == Hold(at("2026-12-02T12:30Z"), "quiet")
    assert due(lunch, "2026-12-02T12:30Z", AMSTERDAM) is None


def test_a_digest_due_in_quiet_hours_waits_until_they_end() -> None:
    early = DeliverySchedule(
        frequency={"documents_uploads": "daily"},
        daily_hour=6,
        quiet_hours=QuietHours(start="22:00", end="07:30"),
    )
    assert due(early, "2026-12-02T10:00Z", AMSTERDAM) == Hold(at("2026-12-03T06:30Z"), "daily")


def test_a_required_kind_is_never_held() -> None:
    everything = DeliverySchedule(
        frequency={"documents_uploads": "daily"},
        quiet_hours=QuietHours(start="00:00", end="23:59"),
    )
    assert due(everything, "2026-12-02T10:00Z", AMSTERDAM, required=True) is None
    assert due(everything, "2026-12-02T10:00Z", AMSTERDAM) is not None


def test_the_zone_is_the_addresses_else_the_firms_else_utc() -> None:
    own = DeliverySchedule(time_zone="Asia/Kolkata")
    assert zone_of(own, "Europe/Amsterdam") == KOLKATA
    assert zone_of(DeliverySchedule(), "Europe/Amsterdam") == AMSTERDAM
    assert zone_of(None, None) == UTC_ZONE


@pytest.mark.parametrize(
    "body",
    [
        {"frequency": {"documents_uploads": "weekly"}},
        {"frequency": {"newsletters": "daily"}},
        {"daily_hour": 24},
        {"daily_hour": "8"},
        {"daily_hour": None},
        {"quiet_hours": {"start": "22:00"}},
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"quiet_hours": {"start": "7:00", "end": "08:00"}},
        {"quiet_hours": {"start": "22:00", "end": "22:00"}},
        {"time_zone": "Mars/Olympus"},
        {"colour": "blue"},
    ],
)
def test_a_change_with_an_unknown_field_or_value_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ScheduleChange.model_validate(body)


def test_a_change_applies_only_what_it_names() -> None:
    current = DeliverySchedule(
        frequency={"proposals": "hourly"},
        daily_hour=9,
        quiet_hours=QuietHours(start="22:00", end="07:00"),
        time_zone="Europe/Amsterdam",
    )
    change = ScheduleChange.model_validate(
        {"frequency": {"documents_uploads": "daily", "proposals": "immediate"}, "quiet_hours": None}
    )
    assert change.applied_to(current) == DeliverySchedule(
        frequency={"documents_uploads": "daily"}, daily_hour=9, time_zone="Europe/Amsterdam"
    )
