"""What senders read and count in DynamoDB: the firm's standing and facts (one GetItem of
the firm's item), its emails per UTC day, and notices per staff address."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError

from crm.core.firms import FirmFacts, FirmStanding
from crm.storage import counters, keys
from crm.storage.items import AddressNoticeItem, FirmItem
from crm.storage.table import condition_failed


def standing(firm_id: str) -> FirmStanding | None:
    try:
        item = FirmItem.get(keys.firm(firm_id), keys.FIRM_META, consistent_read=True)
    except DoesNotExist:
        return None
    return to_standing(firm_id, item)


def to_standing(firm_id: str, item: FirmItem) -> FirmStanding:
    """The firm item as the sending rule reads it (also for readers of the item for
    other reasons: one GetItem serves both)."""
    return FirmStanding(
        firm_id=firm_id,
        name=item.name,
        verified=bool(item.verified_at),
        owner_email=item.owner_email,
    )


def firm_facts(firm_id: str) -> FirmFacts | None:
    try:
        # consistent: a firm verified a moment ago may email its clients at once
        item = FirmItem.get(keys.firm(firm_id), keys.FIRM_META, consistent_read=True)
    except DoesNotExist:
        return None
    return FirmFacts(
        name=item.name,
        copies=[str(a) for a in item.copy_client_emails_to or []],
        suppressed=frozenset(item.suppressed_addresses or ()),
        standing=to_standing(firm_id, item),
        language=item.language or "en",
        time_zone=item.time_zone or "UTC",
        informal=item.form_of_address == "informal",
        locked=frozenset(str(c) for c in item.locked_categories or ()),
    )


def add_sent(firm_id: str, day: str, count: int, limit: int, ttl: int) -> bool:
    """Count `count` more emails on `day`, only if the day's total stays within `limit`
    (one conditional update: concurrent senders cannot pass it). False when it would not."""
    return counters.add(keys.firm(firm_id), keys.sending_day(day), count, limit, ttl)


def sent_on(firm_id: str, day: str) -> int:
    return counters.value(keys.firm(firm_id), keys.sending_day(day))


def give_back(firm_id: str, day: str, count: int) -> None:
    """Uncount emails reserved for a request that then failed (never below zero)."""
    counters.subtract(keys.firm(firm_id), keys.sending_day(day), count)


def claim_notice(address: str, purpose: str, now: str, since: str, ttl: int) -> bool:
    """Record a notice to a staff address, unless one went after `since`. False then."""
    item = AddressNoticeItem(
        pk=keys.staff_address(address), sk=keys.address_notice(purpose), sent_at=now, ttl=ttl
    )
    try:
        item.save(
            condition=AddressNoticeItem.pk.does_not_exist() | (AddressNoticeItem.sent_at < since)
        )
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True
