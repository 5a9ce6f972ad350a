"""DynamoDB streams in moto, made fit for a stack that runs for hours.

moto (5.2.5) keeps every record of a table's stream for ever (``StreamShard.items``) and
deep-copies the whole table, stream included, on every TransactWriteItems, so an
ever-growing stream slows every transaction. It keeps no write apart from another either:
a reader could see half a transaction, and one that fails is undone by putting the table's
copy back, whose stream then hands the undone records' sequence numbers out again.
:func:`enable` patches moto once per process (the server of ``make run`` and the
in-process mock of the unit tests alike):

- writes (TransactWriteItems whole), and the reading of records, run under one lock: a
  poller sees a transaction's records all at once, or, when it fails, never;
- GetRecords and GetShardIterator forget the oldest shard iterators beyond
  :data:`KEEP_ITERATORS` (AWS lets them expire after 15 minutes; moto keeps each one, and
  a poller makes one per poll).

:func:`trim` drops the records a poller has processed, as the stream's retention would.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.table import StreamShard
from moto.dynamodbstreams.models import DynamoDBStreamsBackend

from local.template import ACCOUNT_ID, REGION

KEEP_ITERATORS = 1000

# Re-entrant: a transaction's puts append records under it. Not kept on the shard: moto
# deep-copies tables, and a lock cannot be copied.
_LOCK = threading.RLock()
_SERIALISED = ("put_item", "update_item", "delete_item", "transact_write_items")


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    run.stream_safe = True  # type: ignore[attr-defined]
    return run


def _forgetting_iterators(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: DynamoDBStreamsBackend, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        with _LOCK:
            iterators = self.shard_iterators
            for arn in list(iterators)[: max(0, len(iterators) - KEEP_ITERATORS)]:
                del iterators[arn]  # the oldest first: dicts keep insertion order
        return result

    run.stream_safe = True  # type: ignore[attr-defined]
    return run


def enable() -> None:
    """Idempotent: patching twice keeps one lock and one pruning."""
    patches: list[tuple[type, str, Callable[[Callable[..., Any]], Callable[..., Any]]]] = [
        *((DynamoDBBackend, name, _locked) for name in _SERIALISED),
        (StreamShard, "add", _locked),
        (StreamShard, "get", _locked),
        (DynamoDBStreamsBackend, "get_records", _forgetting_iterators),
        (DynamoDBStreamsBackend, "get_shard_iterator", _forgetting_iterators),
    ]
    for owner, name, wrap in patches:
        method = getattr(owner, name)
        if not getattr(method, "stream_safe", False):
            setattr(owner, name, wrap(method))


def _shard(table_name: str) -> StreamShard | None:
    tables = dynamodb_backends[ACCOUNT_ID][REGION].tables
    table = tables.get(table_name)
    return table.stream_shard if table is not None else None


def trim(table_name: str, through: int) -> int:
    """Drop the records of the table's stream up to sequence number ``through``; how many.

    moto numbers a record ``starting_sequence_number + its index`` (``StreamShard.add``)
    and reads by that index (``StreamShard.get``): the start moves up by as many records as
    are dropped, so every record keeps its number and the next one gets the next number.
    """
    with _LOCK:
        shard = _shard(table_name)
        if shard is None:
            return 0
        count = min(len(shard.items), max(0, through - shard.starting_sequence_number + 1))
        if count:
            del shard.items[:count]
            shard.starting_sequence_number += count
        return count


def last_sequence_number(table_name: str) -> int | None:
    """The sequence number of the newest record of the table's stream (None: no record)."""
    with _LOCK:
        shard = _shard(table_name)
        if shard is None or not shard.items:
            return None
        return int(shard.starting_sequence_number) + len(shard.items) - 1
