"""Audit entries are written inside the transaction of the change they describe."""

from __future__ import annotations

from crm.core.audit import AuditEntry, AuditPage
from crm.storage import keys, paging
from crm.storage.items import AuditItem


def item(firm_id: str, entry: AuditEntry) -> AuditItem:
    """The item of an entry, for the transaction of the change it describes."""
    return AuditItem(
        pk=keys.audit(firm_id, entry.account_id),
        sk=entry.audit_id,
        audit_id=entry.audit_id,
        account_id=entry.account_id,
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        details=entry.details,
        at=entry.at,
    )


def list_entries(
    firm_id: str, account_id: str | None, cursor: str | None, limit: int = 50
) -> AuditPage:
    """Newest first."""
    partition = keys.audit(firm_id, account_id)
    result = AuditItem.query(
        partition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition),
    )
    items = [_entry(item) for item in result]
    return AuditPage(items=items, next_cursor=paging.encode(result.last_evaluated_key))


def _entry(item: AuditItem) -> AuditEntry:
    return AuditEntry(
        audit_id=item.audit_id,
        account_id=item.account_id,
        actor=item.actor,
        action=item.action,
        target=item.target,
        details=item.details.as_dict() if hasattr(item.details, "as_dict") else dict(item.details),
        at=item.at,
    )
