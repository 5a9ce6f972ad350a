"""Opaque cursors over DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from crm.errors import ValidationFailed


def encode(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, partition: str, key: str = "pk") -> dict[str, Any] | None:
    """The start key a cursor stands for; it must belong to `partition` (a cursor can
    never lead a reader into another firm's data)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        start = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise ValidationFailed.on("cursor", "This cursor is not valid.") from error
    if not isinstance(start, dict) or start.get(key, {}).get("S") != partition:
        raise ValidationFailed.on("cursor", "This cursor is not valid.")
    return start
