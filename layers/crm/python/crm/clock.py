"""The product's clock.

Everything that compares against "now" (invitation expiry, reminders) asks this module,
so a test or the local stack can move time forward without touching the system clock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

_offset_seconds = 0.0


def now() -> datetime:
    """The current time, in UTC, as the product sees it."""
    return datetime.fromtimestamp(time.time() + _offset_seconds, tz=UTC)


def system_seconds() -> int:
    """The system's clock in epoch seconds, never moved: for comparing with times that
    others stamp on their own clock (a Cognito token's `auth_time`), which `advance` does
    not move either."""
    return int(time.time())


def iso(moment: datetime | None = None) -> str:
    """ISO 8601 UTC with a trailing Z, to the second: the format of every time in the API."""
    return (moment or now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def advance(seconds: float) -> None:
    """Move the product's clock forward (local stack and tests only)."""
    global _offset_seconds
    _offset_seconds += seconds


def reset() -> None:
    global _offset_seconds
    _offset_seconds = 0.0


def parse(text: str) -> datetime:
    """The inverse of `iso`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
