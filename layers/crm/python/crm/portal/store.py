"""Reading grants and the portal profile (partition `PORTAL#<sub>`: the portal user's
immutable Cognito id, never an address). Grants are written by crm.storage.grants.

Also what the portal reads of the synced mail and documents beside the sync's own
interface (crm.core.mail.AccountMail): how many arrived since the user last opened an
account (one bounded query each), and one stored message."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

from crm import clock
from crm.core.directory import AccountRef
from crm.core.mail import Person
from crm.portal.models import ATTENTION_CAP, Attention, Grant, PortalAccount, StoredPortalMessage
from crm.storage import keys
from crm.storage.devices import DeviceItem
from crm.storage.items import GrantItem, Item, PortalProfileItem
from crm.storage.mail_items import DocumentItem, EntryItem, MessageItem

OPENED = "OPENED#"


class OpenedItem(Item, discriminator="portal_opened"):
    """When a portal user last opened one account (the picker counts what came after)."""

    account_id = UnicodeAttribute()
    opened_at = UnicodeAttribute()


def granted(sub: str, account_id: str) -> Grant | None:
    """The access check of a portal request: one strongly consistent GetItem."""
    try:
        item = GrantItem.get(keys.portal_user(sub), keys.grant(account_id), consistent_read=True)
    except DoesNotExist:
        return None
    return _grant(item)


def attention(sub: str) -> tuple[Attention, list[Grant]]:
    """Every account the user may open (by name), the last one they chose, when they
    last opened each, and the devices they signed in from: one query of the user's
    partition."""
    found: list[Grant] = []
    last: str | None = None
    opened: dict[str, str] = {}
    devices: set[str] = set()
    for item in Item.query(keys.portal_user(sub), consistent_read=True):
        if isinstance(item, GrantItem):
            found.append(_grant(item))
        elif isinstance(item, PortalProfileItem):
            last = item.last_account_id
        elif isinstance(item, OpenedItem):
            opened[item.account_id] = item.opened_at
        elif isinstance(item, DeviceItem) and not item.disowned_at:
            devices.add(item.device_id)
    found.sort(key=lambda g: (g.account.name.casefold(), g.account.account_id))
    accounts = [g.account for g in found]
    state = Attention(accounts=accounts, last_account_id=last, opened=opened, devices=devices)
    return state, found


def accounts(sub: str) -> tuple[list[PortalAccount], str | None]:
    """Every account the user may open, and the last one they chose (one query)."""
    state, _ = attention(sub)
    return state.accounts, state.last_account_id


def remember(sub: str, account_id: str) -> None:
    PortalProfileItem(
        pk=keys.portal_user(sub), sk=keys.PORTAL_PROFILE, last_account_id=account_id
    ).save()


def mark_opened(sub: str, account_id: str, at: str) -> None:
    """The user opened the account at `at` (one PutItem)."""
    OpenedItem(
        pk=keys.portal_user(sub), sk=OPENED + account_id, account_id=account_id, opened_at=at
    ).save()


def new_messages(firm_id: str, account_id: str, address: str, since: str | None) -> int:
    """How many of the account's newest entries, dated after the second `since` (all
    when None), were exchanged with `address`: one Query reading at most ATTENTION_CAP
    entries (their sort key is `<date>#<message id>`)."""
    condition = EntryItem.sk > f"{since}~" if since else None
    query = EntryItem.query(
        keys.account_mail(firm_id, account_id),
        range_key_condition=condition,
        filter_condition=EntryItem.participants.contains(address.strip().casefold()),
        scan_index_forward=False,
        page_size=ATTENTION_CAP,
        attributes_to_get=["pk", "sk"],
    )
    return len(_first_page(query))


def new_documents(firm_id: str, account_id: str, since: str | None) -> list[str | None]:
    """The message each of the account's documents saved after the second `since` (all
    when None) came from (None: from no message), newest first: one Query of at most
    ATTENTION_CAP. Document ids sort by creation time in milliseconds
    (crm.core.ids.sortable_id), so the sort key says which are new."""
    condition: Condition = DocumentItem.sk.startswith("DOC#")
    if since:
        millis = int(clock.parse(since).timestamp() + 1) * 1000
        condition = DocumentItem.sk.between(f"DOC#doc_{millis:013d}", "DOC#doc_~")
    query = DocumentItem.query(
        keys.account_documents(firm_id, account_id),
        range_key_condition=condition,
        scan_index_forward=False,
        page_size=ATTENTION_CAP,
        attributes_to_get=["pk", "sk", "message_id"],
    )
    return [_string(raw.get("message_id")) for raw in _first_page(query)]


def message(firm_id: str, message_id: str) -> StoredPortalMessage | None:
    """One stored message (one GetItem), or None."""
    try:
        item = MessageItem.get(keys.mail(firm_id), f"MESSAGE#{message_id}")
    except DoesNotExist:
        return None
    return StoredPortalMessage(
        message_id=item.message_id,
        thread_id=item.thread_id,
        subject=item.subject or "",
        from_=_people(item.from_),
        to=_people(item.to),
        cc=_people(item.cc),
        date=item.date,
        direction="outbound" if item.direction == "outbound" else "inbound",
        text=item.text or "",
        html=item.html or "",
        attachments=[str(a.get("name") or "") for a in item.attachments or []],
        accounts=[
            AccountRef(account_id=a["account_id"], name=a.get("name") or "")
            for a in item.accounts or []
        ],
        body_key=item.body_key,
    )


def _first_page(query: Any) -> list[dict[str, Any]]:
    """The raw items of a query's first page: one call, however many pages there are."""
    page = next(query.page_iter, None)
    return list((page or {}).get("Items") or [])


def _string(value: Any) -> str | None:
    """A string attribute as DynamoDB answers it ({"S": ...}), or None."""
    return str(value["S"]) if isinstance(value, dict) and "S" in value else None


def _people(found: list[dict[str, Any]] | None) -> list[Person]:
    return [Person(name=p.get("name") or "", address=p["address"]) for p in found or []]


def _grant(item: GrantItem) -> Grant:
    signed_out_at: float | None = item.signed_out_at  # null until "this was not me"
    return Grant(
        account=_account(item),
        address=item.address,
        email_id=item.email_id,
        signed_out_at=None if signed_out_at is None else int(signed_out_at),
    )


def _account(item: GrantItem) -> PortalAccount:
    return PortalAccount(
        account_id=item.account_id,
        name=item.account_name,
        firm_id=item.firm_id,
        firm_name=item.firm_name,
    )
