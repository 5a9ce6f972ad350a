"""Reading mail a page at a time: Inbox+, an account's tab (whole, or only the mail
exchanged with some addresses), a thread; and who took part in which messages, which
is what the portal filters a client's mail and documents by (this module is the portal's
crm.core.mail.AccountMail)."""

from __future__ import annotations

from collections.abc import Iterable

from crm.core.mail import MessagePage, MessageSummary
from crm.storage import keys, paging
from crm.storage.mail_items import EntryItem, MessageItem
from crm.sync import mappers

_BATCH_GET = 100
FILTERED_PAGE_SIZE = 200  # entries read per call when a list is filtered by participant
FILTERED_CALLS = 5  # calls per filtered page at most; a short page then carries a cursor
PARTICIPANT_ATTRIBUTES = ["pk", "sk", "kind", "message_id", "from", "to", "cc"]


def page(partition: str, cursor: str | None, limit: int) -> MessagePage:
    """A list (Inbox+, an account's tab), newest first."""
    result = EntryItem.query(
        partition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition),
    )
    items = [mappers.summary(item) for item in result]
    return MessagePage(items=items, next_cursor=paging.encode(result.last_evaluated_key))


def page_with(
    partition: str,
    addresses: Iterable[str],
    cursor: str | None,
    limit: int,
    *,
    page_size: int = FILTERED_PAGE_SIZE,
    calls: int = FILTERED_CALLS,
) -> MessagePage:
    """An account's tab, newest first, with only the messages exchanged with one of
    `addresses` (From, To or Cc, case-insensitive): DynamoDB filters on the entries'
    participants. At most `calls` reads of `page_size` entries: when the account's other
    mail fills them, the page is shorter than `limit` (even empty) and its cursor goes on
    from the last entry read."""
    wanted = sorted({a.strip().casefold() for a in addresses if a.strip()})
    start = paging.decode(cursor, partition)
    if not wanted:
        return MessagePage(items=[])
    condition = EntryItem.participants.contains(wanted[0])
    for address in wanted[1:]:
        condition |= EntryItem.participants.contains(address)
    pages = EntryItem.query(
        partition,
        filter_condition=condition,
        scan_index_forward=False,
        page_size=page_size,
        last_evaluated_key=start,
    ).page_iter
    found: list[MessageSummary] = []
    for _ in range(calls):
        try:
            page = next(pages)
        except StopIteration:
            break
        raw_items = page.get("Items") or []
        for position, raw in enumerate(raw_items, start=1):
            found.append(mappers.summary(EntryItem.from_raw_data(raw)))
            if len(found) == limit:
                last = position == len(raw_items) and pages.last_evaluated_key is None
                after = None if last else {"pk": raw["pk"], "sk": raw["sk"]}
                return MessagePage(items=found, next_cursor=paging.encode(after))
        if pages.last_evaluated_key is None:
            break
    return MessagePage(items=found, next_cursor=paging.encode(pages.last_evaluated_key))


def exchanged_with(
    firm_id: str, account_id: str, addresses: Iterable[str], cursor: str | None, limit: int
) -> MessagePage:
    """crm.core.mail.AccountMail: the account's tab, only the mail exchanged with
    `addresses` (the portal's view)."""
    return page_with(keys.account_mail(firm_id, account_id), addresses, cursor, limit)


def participants(firm_id: str, message_ids: Iterable[str]) -> dict[str, set[str]]:
    """The case-folded From, To and Cc addresses of each stored message among
    `message_ids` (BatchGetItem of those attributes only, 100 keys a call)."""
    wanted = list(dict.fromkeys(message_ids))
    found: dict[str, set[str]] = {}
    for start in range(0, len(wanted), _BATCH_GET):
        keys_ = [(keys.mail(firm_id), f"MESSAGE#{m}") for m in wanted[start : start + _BATCH_GET]]
        for item in MessageItem.batch_get(keys_, attributes_to_get=PARTICIPANT_ATTRIBUTES):
            people = mappers.people(item.from_) + mappers.people(item.to) + mappers.people(item.cc)
            found[item.message_id] = {p.address.casefold() for p in people}
    return found


def thread_page(firm_id: str, thread_id: str, cursor: str | None, limit: int) -> MessagePage:
    """A thread, oldest first (GSI1)."""
    partition = keys.thread(firm_id, thread_id)
    result = EntryItem.by_thread.query(
        partition,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition, key="gsi1pk"),
    )
    items = [mappers.summary(item) for item in result if isinstance(item, EntryItem)]
    return MessagePage(items=items, next_cursor=paging.encode(result.last_evaluated_key))
