from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from crm import clock
from crm.core import ids


class AuditEntry(BaseModel):
    audit_id: str
    account_id: str | None
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    at: str

    @classmethod
    def new(
        cls,
        actor: str,
        action: str,
        *,
        account_id: str | None = None,
        target: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """An entry for a change happening now; saved with the change it describes."""
        return cls(
            audit_id=ids.sortable_id("aud"),
            account_id=account_id,
            actor=actor,
            action=action,
            target=target,
            details=details or {},
            at=clock.iso(),
        )


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = None
