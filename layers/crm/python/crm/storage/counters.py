"""The fixed-window counters of crm.throttle in the data table: one item per (counter,
window), raised by a conditional update that holds only under the limit."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from crm.storage import keys
from crm.storage.items import ThrottleItem
from crm.storage.table import condition_failed


def take(counter: str, window_start: int, limit: int, ttl: int) -> bool:
    """Count one more in this window if it stays within `limit`; False when the window
    is full (nothing is counted then)."""
    item = ThrottleItem(keys.throttle(counter), keys.throttle_window(window_start))
    try:
        item.update(
            actions=[
                ThrottleItem.hits.add(1),
                ThrottleItem.ttl.set(ttl),
                ThrottleItem.kind.set(ThrottleItem),
            ],
            condition=ThrottleItem.hits.does_not_exist() | (ThrottleItem.hits < limit),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def give_back(counter: str, window_start: int) -> None:
    """Uncount one taken for an attempt that turned out not to count (never below zero);
    the last one goes with its item, so an attempt given back leaves nothing behind."""
    item = ThrottleItem(keys.throttle(counter), keys.throttle_window(window_start))
    try:
        item.update(actions=[ThrottleItem.hits.add(-1)], condition=ThrottleItem.hits > 1)
        return
    except UpdateError as error:
        if not condition_failed(error):
            raise
    try:
        item.delete(condition=ThrottleItem.hits == 1)
    except DeleteError as error:
        if not _condition_failed(error):
            raise


def clear(counter: str, window_start: int) -> None:
    """Forget the window's count (a right password resets its address's failures)."""
    ThrottleItem(keys.throttle(counter), keys.throttle_window(window_start)).delete()


def count(counter: str, window_start: int) -> int:
    try:
        item = ThrottleItem.get(
            keys.throttle(counter), keys.throttle_window(window_start), consistent_read=True
        )
    except DoesNotExist:
        return 0
    return int(item.hits or 0)


def _condition_failed(error: DeleteError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"
