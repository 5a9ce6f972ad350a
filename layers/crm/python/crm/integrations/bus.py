"""Putting events on the product's EventBridge bus. Only the outbox function does: a
change writes its events into the outbox with the change itself (crm.storage.outbox)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import boto3

from crm.core.events import Event

BATCH = 10  # PutEvents takes at most 10 entries


class PublishFailed(Exception):
    """Some entries were not accepted by EventBridge."""

    def __init__(self, message: str, accepted: int) -> None:
        super().__init__(message)
        self.accepted = accepted  # how many events, from the first, did go out


@dataclass
class EventBus:
    name: str
    client: Any | None = None

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client costs start-up time."""
        return self.client or boto3.client("events")

    def put(self, events: Sequence[Event]) -> None:
        """Put `events` on the bus in order, ten per call. PublishFailed says how many of
        the first went out when a call fails or EventBridge refuses an entry."""
        for start in range(0, len(events), BATCH):
            batch = events[start : start + BATCH]
            try:
                answer = self._client.put_events(
                    Entries=[
                        {
                            "Source": e.source,
                            "DetailType": e.detail_type,
                            "Detail": json.dumps(e.published_detail),
                            "EventBusName": self.name,
                        }
                        for e in batch
                    ]
                )
            except Exception as error:
                raise PublishFailed(f"PutEvents failed: {error}", accepted=start) from error
            results = answer.get("Entries") or []
            for position, result in enumerate(results):
                if result.get("ErrorCode"):
                    raise PublishFailed(
                        f"EventBridge refused an entry: {result.get('ErrorCode')}",
                        accepted=start + position,
                    )
