"""Held notifications and digest claims in DynamoDB (crm.storage.digest_items).

A held notification is written in the transaction that claims its delivery `queued`
(crm.notifications.store.claim), so it cannot be lost between the two. The run reads
what is due with one Query per shard, claims a digest with a conditional put (a lease,
like the fan-out's claims), records it `sent` in one write right after the email, and
then marks its items (crm.notifications.store.finish_held): each delivery `sent` with
the digest's words, the held item gone.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, PutError

from crm import clock
from crm.notifications.digest_models import DigestClaim, Pending
from crm.storage import keys
from crm.storage.digest_items import DigestClaimItem, PendingDigestItem
from crm.storage.table import condition_failed

SHARDS = 8
LEASE = timedelta(minutes=5)  # a digest still "sending" after this is claimed again
KEEP = timedelta(days=2)  # a sent digest's claim, for a run that died before marking


def shard_of(firm_id: str, address: str) -> int:
    return zlib.crc32(f"{firm_id}#{address.casefold()}".encode()) % SHARDS


def sort_key(pending: Pending) -> str:
    return "#".join(
        (
            pending.due_at,
            pending.firm_id,
            pending.address.casefold(),
            pending.detail_type,
            pending.event_id,
            pending.account_id,
        )
    )


def item(pending: Pending) -> PendingDigestItem:
    """The held item, for the claim's transaction."""
    return PendingDigestItem(
        pk=keys.digests_due(shard_of(pending.firm_id, pending.address)),
        sk=sort_key(pending),
        firm_id=pending.firm_id,
        account_id=pending.account_id,
        email_id=pending.email_id,
        address=pending.address,
        detail_type=pending.detail_type,
        event_id=pending.event_id,
        category=pending.category,
        why=pending.why,
        due_at=pending.due_at,
        detail=json.dumps(pending.detail, separators=(",", ":")),
        held_at=clock.iso(),
    )


def due(now: datetime) -> list[Pending]:
    """Every held item due by `now`, shard after shard."""
    return [pending for shard in range(SHARDS) for pending in due_in(shard, now)]


def due_in(shard: int, now: datetime) -> list[Pending]:
    """The held items of one shard due by `now`, oldest first: one Query (paged by
    DynamoDB past 1 MB). One address's items are all in one shard."""
    bound = f"{clock.iso(now)}$"  # "$" sorts after "#": every key due at `now` or before
    return [
        _pending(stored)
        for stored in PendingDigestItem.query(keys.digests_due(shard), PendingDigestItem.sk < bound)
    ]


def claim(firm_id: str, address: str, digest_id: str, covered: Sequence[str]) -> DigestClaim:
    """Claim a digest: a conditional put that only one run wins (none there yet, or a
    `sending` lease that ran out). Losing, the claim as it stands: `sent` (mark its items,
    send nothing) or `sending` (another run is on it)."""
    now = clock.now()
    claimed = DigestClaimItem(
        pk=keys.digest_claims(firm_id, address),
        sk=digest_id,
        status="sending",
        lease_until=clock.iso(now + LEASE),
        keys=json.dumps(list(covered)),
        at=clock.iso(now),
        ttl=int((now + KEEP).timestamp()),
    )
    try:
        claimed.save(
            condition=DigestClaimItem.pk.does_not_exist()
            | ((DigestClaimItem.status == "sending") & (DigestClaimItem.lease_until < clock.iso()))
        )
    except PutError as error:
        if not condition_failed(error):
            raise
        try:
            claimed = DigestClaimItem.get(
                keys.digest_claims(firm_id, address), digest_id, consistent_read=True
            )
        except DoesNotExist:  # gone in between (released): the next run tries again
            return DigestClaim(firm_id, address, digest_id, "sending", ())
        return _claim(firm_id, address, claimed)
    return DigestClaim(firm_id, address, digest_id, "owned", tuple(covered))


def confirm_sent(claim_: DigestClaim, reason: str) -> None:
    """Right after the email: one write that says it went, with its items' words."""
    DigestClaimItem(
        pk=keys.digest_claims(claim_.firm_id, claim_.address),
        sk=claim_.digest_id,
        status="sent",
        keys=json.dumps(list(claim_.keys)),
        reason=reason,
        at=clock.iso(),
        ttl=int((clock.now() + KEEP).timestamp()),
    ).save()


def release(claim_: DigestClaim) -> None:
    """Give a digest back unsent (no quota today, a send to retry): the next run claims it."""
    DigestClaimItem(
        pk=keys.digest_claims(claim_.firm_id, claim_.address), sk=claim_.digest_id
    ).delete()


def held_key(pending: Pending) -> PendingDigestItem:
    """The held item's key, to delete it once its delivery is final."""
    return PendingDigestItem(
        pk=keys.digests_due(shard_of(pending.firm_id, pending.address)),
        sk=pending.key or sort_key(pending),
    )


def _pending(stored: PendingDigestItem) -> Pending:
    return Pending(
        firm_id=stored.firm_id,
        account_id=stored.account_id,
        email_id=stored.email_id,
        address=stored.address,
        detail_type=stored.detail_type,
        event_id=stored.event_id,
        category=stored.category,
        why=stored.why,  # type: ignore[arg-type]
        due_at=stored.due_at,
        detail=json.loads(stored.detail),
        key=stored.sk,
    )


def _claim(firm_id: str, address: str, stored: DigestClaimItem) -> DigestClaim:
    return DigestClaim(
        firm_id=firm_id,
        address=address,
        digest_id=stored.sk,
        status=stored.status,
        keys=tuple(json.loads(stored.keys)),
        reason=stored.reason,
    )
