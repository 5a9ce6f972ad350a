"""Deliveries, the firm's notification facts and suppressed addresses in DynamoDB."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pynamodb.exceptions import UpdateError

from crm import clock
from crm.errors import Conflict
from crm.notifications import digest_store
from crm.notifications.digest_models import Pending
from crm.notifications.models import Delivery, DeliveryPage
from crm.storage import keys, paging
from crm.storage.items import DeliveryItem, FirmItem, Item
from crm.storage.table import condition_failed, failed_conditions, transaction

TRANSACTION_ITEMS = 100  # TransactWriteItems takes at most 100 items
LEASE = timedelta(minutes=5)  # a claim older than this, still "sending", is resumed


@dataclass
class Outcome:
    """What happens (or happened) to one address for one event."""

    address: str
    status: str  # sending (to send), sent, skipped, suppressed, failed
    reason: str | None = None
    retryable: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def claim(
    firm_id: str,
    account_id: str,
    event_id: str,
    detail_type: str,
    planned: Sequence[Outcome],
    held: Mapping[str, Pending] | None = None,
) -> list[Outcome]:
    """Record the planned outcomes, each only if this (detail type, event, address) has
    none yet, or only a retryable failure, or a "sending" claim whose lease ran out (a
    crash mid-way). An outcome `queued` for a digest brings its held item (`held`, by
    casefolded address) in the same transaction, so the two stand or fall together.
    Returns the outcomes this call now owns: up to 100 items per transaction; a recipient
    that another delivery of the event already handled drops out and the rest go again."""
    held = held or {}
    owned: list[Outcome] = []
    batches: list[list[Outcome]] = [[]]
    size = 0
    for outcome in planned:
        weight = 2 if outcome.address.casefold() in held else 1
        if size + weight > TRANSACTION_ITEMS:
            batches.append([])
            size = 0
        batches[-1].append(outcome)
        size += weight
    for batch in batches:
        while batch:
            positions: list[int] = []  # the outcome each written item belongs to, in order
            try:
                with transaction() as tx:
                    for index, outcome in enumerate(batch):
                        tx.save(
                            delivery_item(firm_id, account_id, event_id, detail_type, outcome),
                            condition=DeliveryItem.pk.does_not_exist()
                            | (DeliveryItem.retryable == True)  # noqa: E712
                            | (
                                (DeliveryItem.status == "sending")
                                & (DeliveryItem.lease_until < clock.iso())
                            ),
                        )
                        positions.append(index)
                        pending = held.get(outcome.address.casefold())
                        if pending is not None and outcome.status == "queued":
                            tx.save(digest_store.item(pending))
                            positions.append(index)
            except Conflict as error:  # some recipients were claimed before
                taken = {positions[i] for i in failed_conditions(error)}
                if not taken:
                    raise
                batch = [o for i, o in enumerate(batch) if i not in taken]
                continue
            owned += batch
            break
    return owned


def record(
    firm_id: str, account_id: str, event_id: str, detail_type: str, outcomes: Sequence[Outcome]
) -> None:
    """The final outcomes of sends, in batch writes (25 per call)."""
    with DeliveryItem.batch_write() as batch:
        for outcome in outcomes:
            batch.save(delivery_item(firm_id, account_id, event_id, detail_type, outcome))


def finish_held(outcomes: Iterable[tuple[Pending, Outcome]]) -> None:
    """Held items' final delivery records, and the held items gone, in batch writes (25
    items a call): a digest run that dies half way leaves the rest held, under a `sent`
    claim, for the next run to mark (crm.notifications.digest)."""
    with Item.batch_write() as batch:
        for pending, outcome in outcomes:
            batch.save(
                delivery_item(
                    pending.firm_id,
                    pending.account_id,
                    pending.event_id,
                    pending.detail_type,
                    outcome,
                )
            )
            batch.delete(digest_store.held_key(pending))


def list_deliveries(
    firm_id: str, account_id: str, cursor: str | None, limit: int = 50
) -> DeliveryPage:
    partition = keys.delivery_log(firm_id, account_id)
    result = DeliveryItem.by_time.query(
        partition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition, key="gsi1pk"),
    )
    items = [_delivery(i) for i in result if isinstance(i, DeliveryItem)]
    return DeliveryPage(items=items, next_cursor=paging.encode(result.last_evaluated_key))


def suppress(firm_id: str, addresses: Sequence[str]) -> bool:
    """Mark addresses suppressed for a firm; False when the firm does not exist."""
    try:
        FirmItem(keys.firm(firm_id), keys.FIRM_META).update(
            actions=[FirmItem.suppressed_addresses.add({a.casefold() for a in addresses})],
            condition=FirmItem.pk.exists(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def clear(firm_id: str, address: str) -> None:
    FirmItem(keys.firm(firm_id), keys.FIRM_META).update(
        actions=[FirmItem.suppressed_addresses.delete({address.casefold()})],
        condition=FirmItem.pk.exists(),
    )


def delivery_item(
    firm_id: str, account_id: str, event_id: str, detail_type: str, outcome: Outcome
) -> DeliveryItem:
    now = clock.now()
    at = clock.iso(now)
    return DeliveryItem(
        pk=keys.deliveries(firm_id, account_id),
        sk=keys.delivery(detail_type, event_id, outcome.address),
        event_id=event_id,
        detail_type=detail_type,
        address=outcome.address,
        status=outcome.status,
        reason=outcome.reason,
        retryable=outcome.retryable,
        lease_until=clock.iso(now + LEASE) if outcome.status == "sending" else None,
        at=at,
        gsi1pk=keys.delivery_log(firm_id, account_id),
        gsi1sk=f"{at}#{keys.delivery(detail_type, event_id, outcome.address)}",
    )


def _delivery(item: DeliveryItem) -> Delivery:
    status = item.status
    reason = item.reason
    if status == "sending":  # claimed, not yet confirmed: the event's retry finishes it
        status, reason = "failed", "not confirmed yet; it is retried with the event"
    return Delivery(
        event_id=item.event_id,
        detail_type=item.detail_type,
        address=item.address,
        status=status,  # type: ignore[arg-type]
        reason=reason,
        at=item.at,
    )
