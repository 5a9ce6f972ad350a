"""The item kinds of digests (PynamoDB models, data layer only).

Held notifications wait in a few global partitions, `DIGESTS#<shard>`, sorted by the time
they are due (`<due>#<firm>#<address>#<kind>#<event>#<account>`), so "everything due by
now" is one Query per shard, never a Scan, and a run that was missed finds it all the
next time. The shard is a hash of (firm, address): one person's items sit together. The
claim of a digest lives in the firm's partition of that address."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from crm.storage.items import Item


class PendingDigestItem(Item, discriminator="digest_pending"):
    firm_id = UnicodeAttribute()
    account_id = UnicodeAttribute()
    email_id = UnicodeAttribute()
    address = UnicodeAttribute()
    detail_type = UnicodeAttribute()
    event_id = UnicodeAttribute()
    category = UnicodeAttribute()
    why = UnicodeAttribute()  # hourly, daily, quiet
    due_at = UnicodeAttribute()
    detail = UnicodeAttribute()  # JSON: the event's detail
    held_at = UnicodeAttribute()


class DigestClaimItem(Item, discriminator="digest_claim"):
    status = UnicodeAttribute()  # sending (leased), sent
    lease_until = UnicodeAttribute(null=True)
    keys = UnicodeAttribute()  # JSON list of the pending items' sort keys
    reason = UnicodeAttribute(null=True)  # the delivery log's words for its items
    at = UnicodeAttribute()
    ttl = NumberAttribute()  # gone two days after; its items are marked by then
