"""Grants and the portal profile in DynamoDB (partition `PORTAL#<sub>`: the portal
user's immutable Cognito id, never an address)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from crm import clock
from crm.access.models import AccessRecord
from crm.portal.models import Grant, PortalAccount
from crm.storage import keys
from crm.storage.items import GrantItem, Item, PortalProfileItem
from crm.storage.table import TransactWrite


def grant(tx: TransactWrite, row: AccessRecord, firm_name: str, sub: str) -> None:
    """Inside the transaction that activates `row` for the portal user `sub`: that user
    may open its account."""
    tx.save(
        GrantItem(
            pk=keys.portal_user(sub),
            sk=keys.grant(row.account_id),
            firm_id=row.firm_id,
            firm_name=firm_name,
            account_id=row.account_id,
            account_name=row.account_name,
            email_id=row.email_id,
            address=row.address,
            granted_at=clock.iso(),
        )
    )


def revoke(tx: TransactWrite, row: AccessRecord) -> None:
    """Inside the transaction that turns LOGIN off on `row`: the access of the user it
    was activated for ends with it."""
    if row.portal_sub:
        tx.delete(GrantItem(keys.portal_user(row.portal_sub), keys.grant(row.account_id)))


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
