"""Publishing domain events to the product's EventBridge bus."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import boto3

SOURCE = "crm.access"
_BATCH = 10  # PutEvents takes at most 10 entries


@dataclass(frozen=True)
class Event:
    detail_type: str
    detail: dict[str, Any]
    source: str = SOURCE


class PublishFailed(Exception):
    """Some entries were not accepted by EventBridge."""


class EventPublisher:
    def __init__(self, bus_name: str, client: Any | None = None) -> None:
        self.bus_name = bus_name
        self._given = client

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client costs start-up time a route may never need."""
        return self._given or boto3.client("events")

    def publish(self, events: Sequence[Event]) -> None:
        for start in range(0, len(events), _BATCH):
            batch = events[start : start + _BATCH]
            answer = self._client.put_events(
                Entries=[
                    {
                        "Source": e.source,
                        "DetailType": e.detail_type,
                        "Detail": json.dumps(e.detail),
                        "EventBusName": self.bus_name,
                    }
                    for e in batch
                ]
            )
            if answer.get("FailedEntryCount", 0):
                failed = [x for x in answer["Entries"] if x.get("ErrorCode")]
                raise PublishFailed(f"{len(failed)} of {len(batch)} events were not accepted")
