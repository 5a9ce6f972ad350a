"""Who is calling: the staff member behind a token the gateway's JWT authorizer has
already verified (signature, issuer, audience, expiry). Firm, role and rights come from
the token's claims, so a request costs no lookup to know them.

Only claims no user can write are read: the custom attributes, which the product sets
through the admin API and the app client may not write (template.yaml: WriteAttributes;
firm and staff ids are immutable too). The email claim is not read: a staff member's
address is the one on their staff record (`crm.firms`), found by `staff_id`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.errors import Forbidden, Unauthorized

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


def current_staff(router: APIGatewayHttpRouter) -> Staff:
    claims = router.current_event.request_context.authorizer.jwt_claim or {}
    firm_id = claims.get("custom:firm_id")
    staff_id = claims.get("custom:staff_id")
    role = claims.get("custom:role")
    if not firm_id or not staff_id or role not in ("owner", "admin", "employee"):
        raise Unauthorized("This token does not belong to a staff member.")
    return Staff(
        firm_id=str(firm_id),
        staff_id=str(staff_id),
        role=role,
        manage_accounts=str(claims.get("custom:manage_accounts", "false")).lower() == "true",
    )
