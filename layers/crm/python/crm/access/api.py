"""HTTP routes: the Contacts section of an account, its toggles, notification
preferences, invitations sent from a row, and the audit trail."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.access.models import AccessRow, AuditTrail, ContactsSection, ToggleChange
from crm.access.service import AccessService
from crm.core.categories import NotificationPreferences, PreferencesChange
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.http.responses import accepted

router = APIGatewayHttpRouter()
TAGS = ["Contacts section and toggles"]


service = Bound[AccessService]("crm.access.api")
use = service.use


@router.get(
    "/v1/accounts/<account_id>/contacts",
    summary="The Contacts section: every address of every linked contact, with its toggles",
    tags=TAGS,
)
def contacts_section(account_id: str) -> ContactsSection:
    return service().section(current_staff(router), account_id)


@router.patch(
    "/v1/accounts/<account_id>/emails/<email_id>",
    summary="Switch LOGIN, NOTIFY, EMAIL SYNC for one address on one account",
    tags=TAGS,
)
def change_toggles(account_id: str, email_id: str, body: ToggleChange) -> AccessRow:
    return service().change(current_staff(router), account_id, email_id, body)


@router.post(
    "/v1/accounts/<account_id>/emails/<email_id>/invitation",
    summary="Send, or send again, the invitation (only the newest link works)",
    tags=TAGS,
)
def send_invitation(account_id: str, email_id: str) -> Response[AccessRow]:
    return accepted(service().invite(current_staff(router), account_id, email_id))


@router.get(
    "/v1/accounts/<account_id>/emails/<email_id>/notification-preferences",
    summary="Notification preferences of one address on one account",
    tags=TAGS,
)
def get_preferences(account_id: str, email_id: str) -> NotificationPreferences:
    return service().preferences(current_staff(router), account_id, email_id)


@router.put(
    "/v1/accounts/<account_id>/emails/<email_id>/notification-preferences",
    summary="Change notification preferences (a subset is fine)",
    tags=TAGS,
)
def put_preferences(
    account_id: str, email_id: str, body: PreferencesChange
) -> NotificationPreferences:
    return service().change_preferences(current_staff(router), account_id, email_id, body)


@router.get("/v1/audit", summary="Who changed what and when, newest first", tags=["Audit"])
def audit_trail(
    account_id: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> AuditTrail:
    return service().audit(current_staff(router), account_id, cursor, limit)
