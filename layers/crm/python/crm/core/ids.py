"""Opaque ids: a short prefix naming the kind, then 128 random bits, sortable by time
where that helps (audit entries, deliveries)."""

from __future__ import annotations

import secrets

from crm import clock


def new_id(prefix: str) -> str:
    """`acc_3f9c...`: a prefix and 16 random bytes in hex."""
    return f"{prefix}_{secrets.token_hex(16)}"


def sortable_id(prefix: str) -> str:
    """An id whose text sorts by creation time (milliseconds), then randomness."""
    return f"{prefix}_{int(clock.now().timestamp() * 1000):013d}{secrets.token_hex(8)}"
