"""The EMAIL SYNC rows the matcher reads: every address with EMAIL SYNC on in a firm."""

from __future__ import annotations

from crm.storage import keys
from crm.storage.items import AccessItem
from crm.sync.models import SyncedRow


def synced_rows(firm_id: str) -> list[SyncedRow]:
    """Every access row with EMAIL SYNC on in the firm: one query on the sparse GSI2."""
    return [
        SyncedRow(
            account_id=item.pk.rsplit("#", 1)[-1],
            account_name=item.account_name,
            email_id=item.email_id,
            address=item.address,
        )
        for item in AccessItem.by_email_sync.query(keys.email_sync(firm_id))
        if isinstance(item, AccessItem) and item.email_sync
    ]
