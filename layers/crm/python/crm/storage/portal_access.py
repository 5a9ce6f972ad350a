"""The portal access manager's reads, and the record of a bulk invitation request.

Every access row with LOGIN on carries GSI3's keys (crm.storage.access.to_item): the
firm's partition `FIRM#<f>#LOGIN`, sorted by `<login_status>#<address>#<account>#<email>`.
So the firm-wide list is one query per page, however many accounts the firm has, and a
stable status is a key prefix: `active`, `not_invited`. The three states of an invitation
that is out (`invited`, `expired`, `bounced`) share the prefix `invited#` and are told
apart by a filter expression on the same query: the expiry passes by the clock, without
any write, and a bounce is written on the row by the SES feedback, so neither can be a
key. A filtered page may then hold fewer items than the limit (DynamoDB applies the
limit before the filter), never more calls: its `next_cursor` goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.expressions.condition import Condition

from crm import clock
from crm.core.access import AccessRecord
from crm.storage import access as access_store
from crm.storage import keys, paging
from crm.storage.items import AccessItem, Item
from crm.storage.table import condition_failed

INVITATION_OUT = "invitation_out"  # the filters below, on the rows of prefix `invited#`
BULK_KEEP_SECONDS = 15 * 60  # a retried bulk request within this gets the first answer


def login_page(
    firm_id: str,
    login_status: str | None,
    out: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[AccessRecord], str | None]:
    """One page of the firm's rows with LOGIN on, in ONE query: all of them, or those of
    one `login_status` (a key prefix); for `invited`, `out` narrows the invitations out to
    `invited`, `expired` or `bounced` (a filter on the same query)."""
    partition = keys.portal_access(firm_id)
    prefix = f"{login_status}#" if login_status else ""
    start = paging.decode(cursor, partition, key="gsi3pk", sort_prefix=prefix)
    result = AccessItem.by_login.query(
        partition,
        range_key_condition=AccessItem.gsi3sk.startswith(prefix) if prefix else None,
        filter_condition=_filter(out),
        page_size=limit,
        last_evaluated_key=start,
    )
    page = next(result.page_iter)  # one call, whatever the filter kept
    rows = []
    for raw in page.get("Items", []):
        item = AccessItem.from_raw_data(raw)
        rows.append(access_store.record(firm_id, _account_of(item), item))
    return rows, paging.encode(result.page_iter.last_evaluated_key)


def _filter(out: str | None) -> Condition | None:
    bounced = AccessItem.invitation_bounced_at  # written on the row by the SES feedback
    now = clock.iso()
    condition: Condition | None = None
    if out == "bounced":
        condition = bounced.exists()
    elif out == "expired":
        condition = bounced.does_not_exist() & (AccessItem.invitation_expires_at <= now)
    elif out == "invited":
        condition = bounced.does_not_exist() & (AccessItem.invitation_expires_at > now)
    return condition


def _account_of(item: AccessItem) -> str:
    return item.pk.rsplit("#", 1)[1]  # FIRM#<f>#ACCOUNT#<a>


# ------------------------------------------------------------- bulk invitation requests


class BulkInvitationItem(Item, discriminator="bulk_invitation"):
    """One bulk invitation request, by the digest of what it asked (firm, addresses,
    note): claimed before any row changes, its answer kept once done, so the same request
    retried within BULK_KEEP_SECONDS gets the first answer and sends nothing again. Gone
    with the TTL."""

    status = UnicodeAttribute()  # working, done
    answer = UnicodeAttribute(null=True)  # JSON: the per-address results
    created_at = UnicodeAttribute()
    ttl = NumberAttribute()


@dataclass(frozen=True)
class BulkClaim:
    """What claiming a bulk request found: None for a new claim (go on), else the
    first answer (`answer`), or None there while the first request still works."""

    answer: list[dict[str, Any]] | None


def claim_bulk(firm_id: str, digest: str) -> BulkClaim | None:
    """Claim a bulk request: None when this call claimed it; else what the claim holds."""
    now = int(clock.now().timestamp())
    item = BulkInvitationItem(
        keys.firm(firm_id),
        keys.bulk_invitation(digest),
        status="working",
        created_at=clock.iso(),
        ttl=now + BULK_KEEP_SECONDS,
    )
    try:
        item.save(condition=BulkInvitationItem.pk.does_not_exist() | (BulkInvitationItem.ttl < now))
        return None
    except PutError as error:
        if not condition_failed(error):
            raise
    try:
        found = BulkInvitationItem.get(
            keys.firm(firm_id), keys.bulk_invitation(digest), consistent_read=True
        )
    except DoesNotExist:  # released in between: the caller may try again
        return BulkClaim(answer=None)
    return BulkClaim(answer=json.loads(found.answer) if found.answer else None)


def finish_bulk(firm_id: str, digest: str, answer: list[dict[str, Any]]) -> None:
    BulkInvitationItem(keys.firm(firm_id), keys.bulk_invitation(digest)).update(
        actions=[
            BulkInvitationItem.status.set("done"),
            BulkInvitationItem.answer.set(json.dumps(answer, separators=(",", ":"))),
        ]
    )


def release_bulk(firm_id: str, digest: str) -> None:
    """A request that failed half way gives its claim back: a retry may go on (each row
    it invited already is then invited again, as a single resend would)."""
    BulkInvitationItem(keys.firm(firm_id), keys.bulk_invitation(digest)).delete()
