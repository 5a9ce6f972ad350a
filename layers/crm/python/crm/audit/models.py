from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class AuditEntry(BaseModel):
    audit_id: str
    account_id: str | None
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    at: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = None
