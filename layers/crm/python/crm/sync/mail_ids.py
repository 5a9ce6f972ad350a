"""Ids derived from mail. A message's id comes from its Message-ID (so a copy in another
folder, or after a UIDVALIDITY change, is the same message); a different message that
reuses a Message-ID already stored gets an id derived from that one and the digest of
its content. A thread's id comes from the Message-ID its conversation started with.

What makes two copies one message: the digest of what no server changes on the way
(`content_digest`). What recognises a copy without fetching its body: the stamp of its
envelope and size (`copy_stamp`), recorded for each copy matched to a stored message."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reply route uses these ids without the MIME reader
    from crm.sync.mime import Parsed

COPIES_KEPT = 20  # the stamps kept per message, as its locations


@dataclass(frozen=True)
class Identity:
    """How copies of a stored message are recognised: the digest of its content (empty
    for one stored before digests were kept, or a reply sent from the product: those
    are recognised by their Message-ID alone) and the stamps of the copies already
    matched to it."""

    digest: str = ""
    copies: tuple[str, ...] = ()

    def with_copy(self, stamp: str) -> Identity:
        if stamp in self.copies:
            return self
        return Identity(self.digest, (*self.copies, stamp)[-COPIES_KEPT:])


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


def variant_id(first_id: str, digest: str) -> str:
    """The id of a message whose Message-ID (or fingerprint) a different message stored
    first holds: `first_id` is that one's id, `digest` this one's content. NUL cannot
    occur in a header, so no Message-ID yields the same id."""
    return "msg_" + _digest(f"{first_id}\x00{digest}")


def thread_id(root_message_id: str) -> str:
    return "thr_" + _digest(normalised(root_message_id))


def content_digest(
    *,
    date: datetime | None,
    from_: Iterable[str],
    to: Iterable[str],
    cc: Iterable[str],
    subject: str,
    text: str,
    html: str,
    attachments: Iterable[str],
) -> str:
    """What every copy of one message has in common, whatever folder, server or delivery
    it came by: its date (the moment, in any zone), its people (addresses, in any case
    or order), its subject, its text and HTML (decoded, whitespace collapsed: a transfer
    encoding or line endings changed on the way do not count) and its attachments' hashes
    (of the decoded bytes). Trace headers (Received, Delivered-To, X-*, Return-Path),
    flags, folder and UID are not part of it; neither is the Message-ID, which goes with
    it."""
    moment = ""
    if date is not None:
        moment = (date if date.tzinfo else date.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    fields = [
        moment,
        _people(from_),
        _people(to),
        _people(cc),
        _collapsed(subject),
        _collapsed(text),
        _collapsed(html),
        sorted(attachments),
    ]
    return _digest(json.dumps(fields, ensure_ascii=False))


def digest_of(parsed: Parsed) -> str:
    """The content digest of a message as the MIME reader read it."""
    return content_digest(
        date=parsed.date,
        from_=[p.address for p in parsed.from_],
        to=[p.address for p in parsed.to],
        cc=[p.address for p in parsed.cc],
        subject=parsed.subject,
        text=parsed.text,
        html=parsed.html,
        attachments=[a.sha256 for a in parsed.attachments],
    )


def copy_stamp(
    *,
    rfc_message_id: str,
    in_reply_to: str,
    date: datetime | None,
    from_: Sequence[str],
    to: Sequence[str],
    cc: Sequence[str],
    raw_subject: bytes,
    size: int,
) -> str:
    """A copy as its envelope shows it, size included: the same bytes give the same
    stamp (the very message again after a UIDVALIDITY change, or in a second scan),
    while a copy with other trace headers has another size, so another stamp."""
    fields = [
        normalised(rfc_message_id),
        normalised(in_reply_to),
        date.isoformat() if date else "",
        [a.casefold() for a in from_],
        [a.casefold() for a in to],
        [a.casefold() for a in cc],
        raw_subject.decode("latin-1"),
        size,
    ]
    return _digest(json.dumps(fields, ensure_ascii=False))


def _people(addresses: Iterable[str]) -> list[str]:
    return sorted({a.strip().casefold() for a in addresses})


def _collapsed(value: str) -> str:
    return " ".join(value.split())
