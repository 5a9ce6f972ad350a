"""Grants: a portal user's access to one account, in the partition `PORTAL#<sub>` (the
user's immutable Cognito id, never an address). Written with the access row that grants
it (activation) and deleted with the one that takes it away (LOGIN off), in the same
transaction; crm.portal reads them."""

from __future__ import annotations

from crm import clock
from crm.core.access import AccessRecord
from crm.storage import keys
from crm.storage.items import GrantItem
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
