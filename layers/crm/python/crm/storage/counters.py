"""Counters in the data table: one item per counter, raised by a conditional update that
holds only within a limit, so concurrent requests cannot pass it, and gone with a TTL.

Two kinds use them: the fixed-window counters of crm.throttle (`THROTTLE#<name>` /
`WINDOW#<start>`) and a firm's emails of one UTC day (`FIRM#<f>` / `SENDING#<date>`,
crm.firms.sending)."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from crm.storage import keys
from crm.storage.items import CounterItem
from crm.storage.table import condition_failed


def add(pk: str, sk: str, amount: int, limit: int, ttl: int) -> bool:
    """Count `amount` more if the total stays within `limit`; False when it would not
    (nothing is counted then)."""
    if amount > limit:
        return False
    try:
        CounterItem(pk, sk).update(
            actions=[
                CounterItem.hits.add(amount),
                CounterItem.ttl.set(ttl),
                CounterItem.kind.set(CounterItem),
            ],
            condition=CounterItem.hits.does_not_exist() | (CounterItem.hits <= limit - amount),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def subtract(pk: str, sk: str, amount: int) -> None:
    """Uncount `amount` counted for a request that then failed, never below zero; a
    counter back at zero goes with its item, so what is given back leaves nothing behind."""
    item = CounterItem(pk, sk)
    try:
        item.update(actions=[CounterItem.hits.add(-amount)], condition=CounterItem.hits > amount)
        return
    except UpdateError as error:
        if not condition_failed(error):
            raise
    try:
        item.delete(condition=CounterItem.hits == amount)
    except DeleteError as error:
        if not condition_failed(error):
            raise


def value(pk: str, sk: str) -> int:
    try:
        item = CounterItem.get(pk, sk, consistent_read=True)
    except DoesNotExist:
        return 0
    return int(item.hits or 0)


def forget(pk: str, sk: str) -> None:
    CounterItem(pk, sk).delete()


# ----------------------------------------------------------- throttle windows


def take(counter: str, window_start: int, limit: int, ttl: int) -> bool:
    """Count one more in this window if it stays within `limit`; False when it is full."""
    return add(keys.throttle(counter), keys.throttle_window(window_start), 1, limit, ttl)


def give_back(counter: str, window_start: int) -> None:
    """Uncount one taken for an attempt that turned out not to count."""
    subtract(keys.throttle(counter), keys.throttle_window(window_start), 1)


def clear(counter: str, window_start: int) -> None:
    """Forget the window's count (a right password resets its address's failures)."""
    forget(keys.throttle(counter), keys.throttle_window(window_start))


def count(counter: str, window_start: int) -> int:
    return value(keys.throttle(counter), keys.throttle_window(window_start))
