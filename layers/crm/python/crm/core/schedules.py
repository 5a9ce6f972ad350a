"""When an address wants its notifications: at once, in an hourly digest, or in a daily
digest at a chosen hour, per category; and quiet hours, in the recipient's time zone
(the address's own, else the firm's, else UTC). Kept on the access row
(`AccessRecord.delivery_schedule`); crm.notifications.digest_times applies it."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from crm.core.categories import CATEGORIES, Category
from crm.core.fields import RequestModel
from crm.core.firms import TimeZoneName

Frequency = Literal["immediate", "hourly", "daily"]
DEFAULT_DAILY_HOUR = 8
_CLOCK_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def _clock_time(value: str) -> str:
    if not _CLOCK_TIME.match(value):
        raise PydanticCustomError("clock_time", "Write a time of day as HH:MM, such as 22:00.")
    return value


ClockTime = Annotated[str, Field(examples=["22:00"]), AfterValidator(_clock_time)]
Hour = Annotated[int, Field(ge=0, le=23, examples=[DEFAULT_DAILY_HOUR])]


def minutes_of(clock_time: str) -> int:
    """ "22:30" -> 1350, minutes after midnight."""
    hours, minutes = clock_time.split(":")
    return int(hours) * 60 + int(minutes)


class QuietHours(BaseModel):
    """No email between `start` and `end` (local time); may cross midnight (22:00-07:00).
    What arrives meanwhile goes out, as one digest, when they end."""

    model_config = ConfigDict(extra="forbid", strict=True)

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise PydanticCustomError("quiet_hours", "Quiet hours must start and end apart.")
        return self

    def holds(self, minute_of_day: int) -> bool:
        start, end = minutes_of(self.start), minutes_of(self.end)
        if start < end:
            return start <= minute_of_day < end
        return minute_of_day >= start or minute_of_day < end  # across midnight


class DeliverySchedule(BaseModel):
    """As stored: only the categories that are not `immediate` are listed."""

    frequency: dict[str, Frequency] = {}
    daily_hour: int = DEFAULT_DAILY_HOUR
    quiet_hours: QuietHours | None = None
    time_zone: str | None = None  # IANA; None: the firm's

    def frequency_of(self, category: str) -> Frequency:
        return self.frequency.get(category, "immediate")

    @property
    def is_default(self) -> bool:
        return self == DeliverySchedule()


class FrequencyChange(RequestModel):
    """A subset of the categories; any other name or value is a 422."""

    documents_uploads: Frequency | None = None
    documents_signatures: Frequency | None = None
    documents_approvals: Frequency | None = None
    chats_and_tasks: Frequency | None = None
    proposals: Frequency | None = None
    organizers: Frequency | None = None
    invoices_and_payments: Frequency | None = None


class ScheduleChange(RequestModel):
    """PUT a subset: `frequency` (some categories), `daily_hour` (0-23, in the recipient's
    time zone), `quiet_hours` (`{start, end}` as HH:MM, or null for none), `time_zone`
    (an IANA name, or null for the firm's)."""

    frequency: FrequencyChange | None = None
    daily_hour: Hour | None = None
    quiet_hours: QuietHours | None = None
    time_zone: TimeZoneName | None = None

    @model_validator(mode="after")
    def _no_null_where_null_means_nothing(self) -> ScheduleChange:
        for name in ("frequency", "daily_hour"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise PydanticCustomError(
                    "null_value", "null is not a value here: leave the field out to keep it"
                )
        return self

    def applied_to(self, current: DeliverySchedule) -> DeliverySchedule:
        frequency = dict(current.frequency)
        if self.frequency is not None:
            for category, value in self.frequency.model_dump(exclude_none=True).items():
                if value == "immediate":
                    frequency.pop(category, None)
                else:
                    frequency[category] = value
        given = self.model_fields_set
        return DeliverySchedule(
            frequency={c: frequency[c] for c in CATEGORIES if c in frequency},
            daily_hour=self.daily_hour if self.daily_hour is not None else current.daily_hour,
            quiet_hours=self.quiet_hours if "quiet_hours" in given else current.quiet_hours,
            time_zone=self.time_zone if "time_zone" in given else current.time_zone,
        )


class NotificationSchedule(BaseModel):
    """The answer: every category's frequency, the daily hour, quiet hours, the address's
    own time zone (null: the firm's) and the zone that applies."""

    frequency: dict[Category, Frequency]
    daily_hour: Hour
    quiet_hours: QuietHours | None
    time_zone: str | None
    effective_time_zone: str = Field(description="The address's zone, else the firm's, else UTC")

    @classmethod
    def of(cls, schedule: DeliverySchedule, firm_time_zone: str | None) -> NotificationSchedule:
        return cls(
            frequency={c: schedule.frequency_of(c) for c in CATEGORIES},
            daily_hour=schedule.daily_hour,
            quiet_hours=schedule.quiet_hours,
            time_zone=schedule.time_zone,
            effective_time_zone=schedule.time_zone or firm_time_zone or "UTC",
        )
