"""HTTP routes: the delivery log, one-click unsubscribe (RFC 8058), activation requests
from the banner, the firm's suppressed addresses."""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import quote, unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.errors import NotFound
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.pages import html_response, page
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.http.responses import no_content
from crm.notifications.models import DeliveryPage, SuppressionPage
from crm.notifications.service import NotificationService

router = APIGatewayHttpRouter()
TAGS = ["Notifications"]
Token = Annotated[str, Query(max_length=2000)]


service = Bound[NotificationService]("crm.notifications.api")
use = service.use


def _html(status: int, title: str, body: str) -> Response[str]:
    """The pages here hold at most a form posting back to the same route, no script."""
    return html_response(status, page(title, body), forms_post=True)


_INVALID = "<h1>This link is not valid</h1><p>It may be incomplete. Copy the whole link from the email.</p>"


@router.get(
    "/v1/accounts/<account_id>/notifications",
    summary="Every notification delivery of an account, newest first",
    tags=TAGS,
)
def deliveries(
    account_id: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> DeliveryPage:
    return service().deliveries(current_staff(router), account_id, cursor, limit)


@router.get("/v1/unsubscribe", summary="Unsubscribe page; changes nothing", tags=TAGS)
def unsubscribe_page(token: Token = "") -> Response[str]:
    try:
        row, label = service().describe_unsubscribe(token)
    except NotFound:
        return _html(404, "Link not valid", _INVALID)
    action = f"/v1/unsubscribe?token={quote(token)}"
    return _html(
        200,
        "Unsubscribe",
        f"""<h1>Unsubscribe</h1>
<p>Stop emails about <strong>{escape(label)}</strong> for {escape(row.account_name)} to
{escape(row.address)}?</p>
<form method="post" action="{escape(action, quote=True)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>""",
    )


@router.post(
    "/v1/unsubscribe",
    summary="One-click unsubscribe (RFC 8058): that category off for that address there",
    tags=TAGS,
)
def unsubscribe(token: Token = "") -> Response[str]:
    try:
        row, label = service().unsubscribe(token)
    except NotFound:
        return _html(404, "Link not valid", _INVALID)
    return _html(
        200,
        "Unsubscribed",
        f"<h1>You are unsubscribed</h1><p>{escape(row.address)} will no longer receive "
        f"emails about {escape(label)} for {escape(row.account_name)}.</p>",
    )


@router.get("/v1/activation-request", summary="Activation request page; changes nothing", tags=TAGS)
def activation_page(token: Token = "") -> Response[str]:
    try:
        service().target("activate", token)
    except NotFound:
        return _html(404, "Link not valid", _INVALID)
    action = f"/v1/activation-request?token={quote(token)}"
    return _html(
        200,
        "Activate your account",
        f"""<h1>Activate your client portal account</h1>
<p>We will email you a fresh invitation link to set your password.</p>
<form method="post" action="{escape(action, quote=True)}">
<button type="submit">Send me the activation link</button></form>""",
    )


@router.post(
    "/v1/activation-request",
    summary="Send a fresh invitation to someone whose LOGIN waits for activation",
    tags=TAGS,
)
def activation_request(token: Token = "") -> Response[str]:
    try:
        result, row = service().request_activation(token)
    except NotFound:
        return _html(404, "Link not valid", _INVALID)
    messages = {
        "sent": f"We sent a new invitation to {escape(row.address)}. Open it to set your password.",
        "recently_sent": f"An invitation went to {escape(row.address)} a few minutes ago. "
        "Please look for it (and in your spam folder).",
        "active": "Your account is already active. Sign in to the client portal.",
        "unavailable": "Portal access is not available for this address. Please contact your firm.",
    }
    return _html(200, "Activate your account", f"<h1>Activation</h1><p>{messages[result]}</p>")


@router.get(
    "/v1/suppressions", summary="Addresses no email goes to (bounced, complained)", tags=TAGS
)
def suppressions(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> SuppressionPage:
    return service().suppressions(current_staff(router), cursor, limit)


@router.delete(
    "/v1/suppressions/<address>",
    summary="Clear a suppressed address",
    description="The address percent-encoded as a path segment: `ann%40home.example`.",
    tags=TAGS,
)
def clear_suppression(address: str) -> Response[None]:
    # the gateway hands the segment over as the client encoded it (`@` as `%40`)
    service().clear_suppression(current_staff(router), unquote(address))
    return no_content()
