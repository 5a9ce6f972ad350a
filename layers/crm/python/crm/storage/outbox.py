"""The outbox: the events a change causes, written in the change's own transaction.

A change and its events commit together or not at all, so a crash or a failing
PutEvents between the two can no longer lose an event (an invitation never sent, a
history never imported). The table's stream hands each new outbox item to the outbox
function (template.yaml: OutboxFunction, filtered on `kind = outbox`), which puts the
event on the bus and is retried until it does: at least once, and every consumer is
idempotent. Each event has its own partition, so writes spread over the table; DynamoDB
deletes the item a day later (TTL), when the stream no longer holds it either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from crm import clock
from crm.core.events import Event
from crm.storage import keys
from crm.storage.items import Item
from crm.storage.table import TransactWrite, transaction

KIND = "outbox"
KEEP_SECONDS = 24 * 3600  # as long as a stream keeps a record


class OutboxItem(Item, discriminator=KIND):
    event_id = UnicodeAttribute()
    detail_type = UnicodeAttribute()
    source = UnicodeAttribute()
    detail = UnicodeAttribute()  # JSON, as it goes on the bus
    created_at = UnicodeAttribute()
    ttl = NumberAttribute()


def emit(tx: TransactWrite, events: Iterable[Event]) -> None:
    """Inside the transaction of the change that causes them: its events."""
    for event in events:
        tx.save(
            OutboxItem(
                pk=keys.outbox(event.event_id),
                sk=keys.OUTBOX,
                event_id=event.event_id,
                detail_type=event.detail_type,
                source=event.source,
                detail=json.dumps(event.detail),
                created_at=clock.iso(),
                ttl=int(clock.now().timestamp()) + KEEP_SECONDS,
            ),
            condition=OutboxItem.pk.does_not_exist(),
        )


def event_of(image: Mapping[str, Any]) -> Event:
    """The event an outbox item holds, from its image in a stream record (the typed JSON
    of DynamoDB: `{"detail_type": {"S": "..."}, ...}`)."""
    return Event(
        detail_type=image["detail_type"]["S"],
        detail=json.loads(image["detail"]["S"]),
        source=image["source"]["S"],
        event_id=image["event_id"]["S"],
    )


def put(events: Iterable[Event]) -> None:
    """Events that go with no other change (a notice that changes nothing else), written
    on their own: the stream delivers them like any other."""
    with transaction() as tx:
        emit(tx, events)
