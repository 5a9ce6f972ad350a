"""HTTP routes: the Contacts section of an account, its toggles, notification
preferences, invitations sent from a row, and the audit trail."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.access.models import (
    AccessRow,
    AuditTrail,
    ContactsSection,
    InvitationRequest,
    ToggleChange,
)
from crm.access.service import AccessService
from crm.core.categories import NotificationPreferences, NotificationRules, PreferencesChange
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.language import reader
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
    description='The body is optional: `{"note": ...}` adds a personal note from the '
    "firm to the email (plain text, at most 1,000 characters).",
    tags=TAGS,
)
def send_invitation(
    account_id: str, email_id: str, body: InvitationRequest | None = None
) -> Response[AccessRow]:
    note = body.note if body else None
    return accepted(service().invite(current_staff(router), account_id, email_id, note))


@router.get(
    "/v1/accounts/<account_id>/emails/<email_id>/notification-preferences",
    summary="Notification preferences of one address on one account",
    description="One switch per category, the whole set. What no switch changes (the "
    "kinds always sent, the categories the firm locked) is `GET /v1/notification-rules`.",
    tags=TAGS,
)
def get_preferences(account_id: str, email_id: str) -> NotificationPreferences:
    return service().preferences(current_staff(router), account_id, email_id)


@router.get(
    "/v1/notification-rules",
    summary="What no notification switch changes",
    description="`required`: the kinds always sent whatever an address's switches say "
    "(no unsubscribe link); `locked_categories`: the categories the firm locked (clients "
    "cannot change them; staff can). Any staff member may read it.",
    tags=TAGS,
)
def notification_rules() -> NotificationRules:
    return service().notification_rules(current_staff(router))


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
    words = reader(router.current_event.headers)  # the page's language, as its errors
    return service().audit(current_staff(router), account_id, cursor, limit, words)
