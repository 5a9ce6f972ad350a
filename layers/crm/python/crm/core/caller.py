"""Who is calling, and what they may do: a firm's staff member, as the verified token
names them (crm.http.auth reads the token). Firm, role and rights come from the token's
claims, so a request costs no lookup to know them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crm.errors import Forbidden

Role = Literal["owner", "admin", "employee"]


@dataclass(frozen=True)
class Staff:
    firm_id: str
    staff_id: str
    role: Role
    manage_accounts: bool

    @property
    def is_admin(self) -> bool:
        return self.role in ("owner", "admin")

    @property
    def can_manage_accounts(self) -> bool:
        return self.is_admin or self.manage_accounts

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("Only the firm's owner or an admin may do this.")

    def require_manage_accounts(self) -> None:
        if not self.can_manage_accounts:
            raise Forbidden("Changing accounts and contacts needs the manage accounts right.")

    @property
    def actor(self) -> str:
        """How the audit trail names this person."""
        return f"staff:{self.staff_id}"

    def claims(self) -> dict[str, str]:
        """The custom attributes the identity pool keeps for this person, which become
        their token's claims (set through the admin API only: template.yaml)."""
        return {
            "custom:firm_id": self.firm_id,
            "custom:staff_id": self.staff_id,
            "custom:role": self.role,
            "custom:manage_accounts": "true" if self.manage_accounts else "false",
        }
