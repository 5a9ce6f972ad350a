"""HTTP route (staff): the invitation history of one address on one account."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.http.auth import current_staff
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.invitations import history
from crm.invitations.history_models import InvitationHistory

router = APIGatewayHttpRouter()
TAGS = ["Contacts section and toggles"]


@router.get(
    "/v1/accounts/<account_id>/emails/<email_id>/invitations",
    summary="The invitation history of one address on one account, newest first",
    description="Sent, delivered, bounced, opened, accepted, expired, superseded and "
    "revoked, with who did it when a person did. `expired` is derived: an invitation whose "
    "link ran out before it was accepted or replaced reads as expired at that moment.",
    tags=TAGS,
)
def invitation_history(
    account_id: str, email_id: str, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> InvitationHistory:
    return history.history(current_staff(router), account_id, email_id, cursor, limit)
