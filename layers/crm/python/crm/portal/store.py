"""Grants and the portal profile in DynamoDB (partition `PORTAL#<address>`)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from crm import clock
from crm.access.models import AccessRecord
from crm.portal.models import PortalAccount
from crm.storage import keys
from crm.storage.items import GrantItem, Item, PortalProfileItem
from crm.storage.table import TransactWrite


def grant(tx: TransactWrite, row: AccessRecord, firm_name: str) -> None:
    """Inside the transaction that activates `row`: its user may open its account."""
    tx.save(
        GrantItem(
            pk=keys.portal_user(row.address),
            sk=keys.grant(row.account_id),
            firm_id=row.firm_id,
            firm_name=firm_name,
            account_id=row.account_id,
            account_name=row.account_name,
            email_id=row.email_id,
            granted_at=clock.iso(),
        )
    )


def revoke(tx: TransactWrite, row: AccessRecord) -> None:
    """Inside the transaction that turns LOGIN off on `row`: access ends with it."""
    tx.delete(GrantItem(keys.portal_user(row.address), keys.grant(row.account_id)))


def granted(address: str, account_id: str) -> PortalAccount | None:
    """The access check of a portal request: one strongly consistent GetItem."""
    try:
        item = GrantItem.get(
            keys.portal_user(address), keys.grant(account_id), consistent_read=True
        )
    except DoesNotExist:
        return None
    return _account(item)


def accounts(address: str) -> tuple[list[PortalAccount], str | None]:
    """Every account the user may open, and the last one they chose (one query)."""
    found: list[PortalAccount] = []
    last: str | None = None
    for item in Item.query(keys.portal_user(address), consistent_read=True):
        if isinstance(item, GrantItem):
            found.append(_account(item))
        elif isinstance(item, PortalProfileItem):
            last = item.last_account_id
    found.sort(key=lambda a: (a.name.casefold(), a.account_id))
    return found, last


def remember(address: str, account_id: str) -> None:
    PortalProfileItem(
        pk=keys.portal_user(address), sk=keys.PORTAL_PROFILE, last_account_id=account_id
    ).save()


def _account(item: GrantItem) -> PortalAccount:
    return PortalAccount(
        account_id=item.account_id,
        name=item.account_name,
        firm_id=item.firm_id,
        firm_name=item.firm_name,
    )
