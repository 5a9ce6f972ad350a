"""Puts the events that changes wrote into the outbox on the product's bus.

The data table's stream hands over each new outbox item (template.yaml: OutboxFunction,
filtered on INSERTs of `kind = outbox`). The events go out in stream order; when
PutEvents fails, the answer names the first record not published, and Lambda retries
from that record without sending the ones before it again (ReportBatchItemFailures).
Delivery is at least once: every consumer is idempotent on the event's id.

Nothing of an event's detail is logged (it may hold addresses): ids, types and counts.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.core.events import Event
from crm.integrations.bus import EventBus, PublishFailed
from crm.observability import logger
from crm.storage.outbox import KIND, event_of

settings = runtime.start()
bus = EventBus(settings.event_bus_name)

Answer = dict[str, list[dict[str, str]]]


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], _context: LambdaContext) -> Answer:
    return publish(event.get("Records") or [], bus)


def publish(records: list[dict[str, Any]], to: EventBus) -> Answer:
    """Put the events of the outbox records on `to`, in order; the batch item failure is
    the first record whose event did not go out (none when all did)."""
    pending: list[tuple[str, Event]] = []  # (sequence number, event), in stream order
    unreadable: str | None = None
    skipped = 0
    for record in records:
        change = record.get("dynamodb") or {}
        image = change.get("NewImage") or {}
        if record.get("eventName") != "INSERT" or image.get("kind", {}).get("S") != KIND:
            skipped += 1  # the event source's filter keeps these out; in case it is missing
            continue
        try:
            pending.append((change["SequenceNumber"], event_of(image)))
        except (KeyError, TypeError, ValueError):
            # Never skipped: retried, then kept by the on-failure destination.
            unreadable = change.get("SequenceNumber")
            logger.error(
                "an outbox item cannot be read as an event",
                extra={"sequence_number": unreadable, "keys": change.get("Keys")},
            )
            break
    if skipped:
        logger.warning(
            "skipped stream records that are not new outbox items", extra={"count": skipped}
        )
    try:
        to.put([event for _, event in pending])
    except PublishFailed as failure:
        sequence_number, first = pending[failure.accepted]
        logger.warning(
            "PutEvents failed: Lambda retries from the first event not published",
            extra={
                "published": failure.accepted,
                "not_published": len(pending) - failure.accepted,
                "event_id": first.event_id,
                "detail_type": first.detail_type,
                "sequence_number": sequence_number,
                "reason": str(failure),
            },
        )
        return _retry_from(sequence_number)
    if pending:
        logger.info(
            "published outbox events",
            extra={
                "count": len(pending),
                "events": [f"{event.detail_type}:{event.event_id}" for _, event in pending],
            },
        )
    return _retry_from(unreadable) if unreadable else {"batchItemFailures": []}


def _retry_from(sequence_number: str) -> Answer:
    return {"batchItemFailures": [{"itemIdentifier": sequence_number}]}
