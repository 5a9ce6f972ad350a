"""Domain events: what a change asks other functions to do.

A change never publishes an event itself: it writes the event into the outbox in the
same transaction as the change (crm.storage.outbox), and the outbox function puts it on
the bus. `event_id` is made once, when the change is decided, and travels in the detail:
a redelivery, or a second PutEvents after a failure, carries the same id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm.core import ids

SOURCE = "crm.access"


@dataclass(frozen=True)
class Event:
    detail_type: str
    detail: dict[str, Any]
    source: str = SOURCE
    event_id: str = field(default_factory=lambda: ids.new_id("evt"))

    @property
    def published_detail(self) -> dict[str, Any]:
        """The detail as consumers read it: with the event's own id."""
        return {**self.detail, "event_id": self.event_id}
