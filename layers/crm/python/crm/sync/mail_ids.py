"""Ids derived from mail: a message's id from its Message-ID (so a copy in another
folder, or after a UIDVALIDITY change, is the same message), and a thread's id from the
Message-ID its conversation started with."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def normalised(message_id: str) -> str:
    return message_id.strip().strip("<>").strip()


def fingerprint(
    date: datetime | None, from_: Iterable[str], to: Iterable[str], subject: str, size: int
) -> str:
    """What stands for a Message-ID when a message has none: its envelope."""
    moment = date.isoformat() if date else ""
    people = (
        ",".join(sorted(a.casefold() for a in from_))
        + ";"
        + ",".join(sorted(a.casefold() for a in to))
    )
    return f"fingerprint:{moment}|{people}|{subject}|{size}"


def message_id(rfc_message_id: str, fingerprint_: str = "") -> str:
    """The product's id of a message: the same for every copy of it in the firm."""
    return "msg_" + _digest(normalised(rfc_message_id) or fingerprint_)


def thread_id(root_message_id: str) -> str:
    return "thr_" + _digest(normalised(root_message_id))
