"""Reading grants and the portal profile (partition `PORTAL#<sub>`: the portal user's
immutable Cognito id, never an address). Grants are written by crm.storage.grants."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from crm.portal.models import Grant, PortalAccount
from crm.storage import keys
from crm.storage.items import GrantItem, Item, PortalProfileItem


def granted(sub: str, account_id: str) -> Grant | None:
    """The access check of a portal request: one strongly consistent GetItem."""
    try:
        item = GrantItem.get(keys.portal_user(sub), keys.grant(account_id), consistent_read=True)
    except DoesNotExist:
        return None
    return Grant(account=_account(item), address=item.address)


def accounts(sub: str) -> tuple[list[PortalAccount], str | None]:
    """Every account the user may open, and the last one they chose (one query)."""
    found: list[PortalAccount] = []
    last: str | None = None
    for item in Item.query(keys.portal_user(sub), consistent_read=True):
        if isinstance(item, GrantItem):
            found.append(_account(item))
        elif isinstance(item, PortalProfileItem):
            last = item.last_account_id
    found.sort(key=lambda a: (a.name.casefold(), a.account_id))
    return found, last


def remember(sub: str, account_id: str) -> None:
    PortalProfileItem(
        pk=keys.portal_user(sub), sk=keys.PORTAL_PROFILE, last_account_id=account_id
    ).save()


def _account(item: GrantItem) -> PortalAccount:
    return PortalAccount(
        account_id=item.account_id,
        name=item.account_name,
        firm_id=item.firm_id,
        firm_name=item.firm_name,
    )
