"""Who is calling: the staff member behind a token the gateway's JWT authorizer has
already verified (signature, issuer, audience, expiry). Firm, role and rights come from
the token's claims, so a request costs no lookup to know them.

Only claims no user can write are read: the custom attributes, which the product sets
through the admin API and the app client may not write (template.yaml: WriteAttributes;
firm and staff ids are immutable too). The email claim is not read: a staff member's
address is the one on their staff record (`crm.firms`), found by `staff_id`."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.caller import Staff
from crm.errors import Unauthorized


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
