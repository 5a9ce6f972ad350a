"""Opaque cursors over DynamoDB's LastEvaluatedKey.

A cursor comes back from a client, so it is read as hostile input: it must be base64url
JSON holding exactly the key attributes of the table or index queried, each a non-empty
string within DynamoDB's key sizes, in the partition being read (and, where the query
reads part of it, within that part). Anything else is a 422 on the field `cursor`,
never a start key DynamoDB would refuse (a 500) or one leading into another firm's data.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any

from crm.errors import ValidationFailed

PARTITION_KEY_BYTES = 2048  # DynamoDB's limits on key attribute values
SORT_KEY_BYTES = 1024


def encode(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(
    cursor: str | None, partition: str, key: str = "pk", sort_prefix: str = ""
) -> dict[str, Any] | None:
    """The start key a cursor stands for. `key` names the partition key of the table
    ("pk") or index ("gsi1pk") queried; the cursor must belong to `partition` (a cursor
    can never lead a reader into another firm's data) and, for a query that reads only
    the sort keys starting with `sort_prefix`, start among them."""
    if not cursor:
        return None
    try:
        start = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, RecursionError) as error:
        raise _invalid() from error
    values = _strings(start, _attributes(key))
    if values is None or values[key] != partition:
        raise _invalid()
    sort_key = key[: -len("pk")] + "sk"
    if not values[sort_key].startswith(sort_prefix):
        raise _invalid()
    return dict(start)


def _attributes(key: str) -> dict[str, int]:
    """The key attributes a start key holds, with their size limits: the table's, and
    for an index its own as well."""
    attributes = {"pk": PARTITION_KEY_BYTES, "sk": SORT_KEY_BYTES}
    if key != "pk":
        attributes[key] = PARTITION_KEY_BYTES
        attributes[key[: -len("pk")] + "sk"] = SORT_KEY_BYTES
    return attributes


def _strings(start: Any, attributes: dict[str, int]) -> dict[str, str] | None:
    """{name: value} when `start` is exactly {name: {"S": value}} for these attributes,
    each value a non-empty string within its limit; otherwise None."""
    if not isinstance(start, dict) or set(start) != set(attributes):
        return None
    values = {}
    for name, limit in attributes.items():
        typed = start[name]
        if not isinstance(typed, dict) or set(typed) != {"S"}:
            return None
        value = typed["S"]
        if not isinstance(value, str) or not value or not _fits(value, limit):
            return None
        values[name] = value
    return values


def _fits(value: str, limit: int) -> bool:
    try:
        return len(value.encode("utf-8")) <= limit
    except UnicodeEncodeError:  # a lone surrogate
        return False


def _invalid() -> ValidationFailed:
    return ValidationFailed.on("cursor", "This cursor is not valid.")


# ------------------------------------------------------------ pages sorted in memory

POSITION_PART_BYTES = 1024  # one part of a position: a name, a time, an id


def page_after[T](
    ordered: Sequence[T],
    position: Callable[[T], tuple[str, ...]],
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[T], str | None]:
    """One page of a list sorted in memory (by `position`, each item's unique key, in
    that order or its reverse): the items after the cursor's position, and the cursor of
    the next page (None at the end). The cursor names only a position in the caller's
    own list (which the caller read from its own partition), so it leads nowhere else;
    a forged one is the same 422 on `cursor` as a forged start key."""
    after = _position(cursor)
    if after is not None:
        if descending:
            ordered = [item for item in ordered if position(item) < after]
        else:
            ordered = [item for item in ordered if position(item) > after]
    page = list(ordered[:limit])
    more = len(ordered) > limit
    return page, (encode_position(position(page[-1])) if more and page else None)


def encode_position(values: tuple[str, ...]) -> str:
    raw = json.dumps({"after": list(values)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _position(cursor: str | None) -> tuple[str, ...] | None:
    if not cursor:
        return None
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, RecursionError) as error:
        raise _invalid() from error
    values = found.get("after") if isinstance(found, dict) and set(found) == {"after"} else None
    if (
        not isinstance(values, list)
        or not 1 <= len(values) <= 4
        or not all(isinstance(v, str) and _fits(v, POSITION_PART_BYTES) for v in values)
    ):
        raise _invalid()
    return tuple(values)
