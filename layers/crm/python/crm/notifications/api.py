"""HTTP routes: the delivery log, one-click unsubscribe (RFC 8058), activation requests
from the banner, the firm's suppressed addresses."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.errors import NotFound
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.language import reader
from crm.http.pages import html_response
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.http.responses import no_content
from crm.i18n import Localizer
from crm.notifications import pages
from crm.notifications.models import DeliveryPage, SuppressionPage
from crm.notifications.service import CategoryLocked, NotificationService

router = APIGatewayHttpRouter()
TAGS = ["Notifications"]
Token = Annotated[str, Query(max_length=2000)]


service = Bound[NotificationService]("crm.notifications.api")
use = service.use


def _html(status: int, words: Localizer, document: str) -> Response[str]:
    """The pages here hold at most a form posting back to the same route, no script."""
    return html_response(status, document, forms_post=True, language=words.tag)


def _invalid() -> Response[str]:
    """A link that names nobody: in the browser's language."""
    words = reader(router.current_event.headers)
    return _html(404, words, pages.invalid_link(words))


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
        row, category = service().describe_unsubscribe(token)
    except NotFound:
        return _invalid()
    except CategoryLocked as locked:
        return _locked(200, locked)
    words = service().reader_words(row)
    return _html(200, words, pages.unsubscribe_question(words, row, category, token))


def _locked(status: int, locked: CategoryLocked) -> Response[str]:
    """A category the firm locked: the page says so (GET 200; POST 409, nothing changed)."""
    words = service().reader_words(locked.row)
    return _html(status, words, pages.locked_category(words, locked.row, locked.category))


@router.post(
    "/v1/unsubscribe",
    summary="One-click unsubscribe (RFC 8058): that category off for that address there",
    description="A category the firm locked (`locked_categories` of the firm's settings) "
    "changes nothing: 409 with a page saying that the firm manages these emails.",
    tags=TAGS,
)
def unsubscribe(token: Token = "") -> Response[str]:
    try:
        row, category = service().unsubscribe(token)
    except NotFound:
        return _invalid()
    except CategoryLocked as locked:
        return _locked(409, locked)
    words = service().reader_words(row)
    return _html(200, words, pages.unsubscribed(words, row, category))


@router.get("/v1/activation-request", summary="Activation request page; changes nothing", tags=TAGS)
def activation_page(token: Token = "") -> Response[str]:
    try:
        row = service().describe_activation(token)
    except NotFound:
        return _invalid()
    words = service().reader_words(row)
    return _html(200, words, pages.activation_question(words, token))


@router.post(
    "/v1/activation-request",
    summary="Send a fresh invitation to someone whose LOGIN waits for activation",
    tags=TAGS,
)
def activation_request(token: Token = "") -> Response[str]:
    try:
        result, row = service().request_activation(token)
    except NotFound:
        return _invalid()
    words = service().reader_words(row)
    return _html(200, words, pages.activation_answer(words, result, row.address))


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
