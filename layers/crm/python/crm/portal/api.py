"""HTTP routes of the client portal: sign-in, the accounts a user may open (with what
needs attention), one account, its mail and documents, and the account they picked last."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.devices import device_of, place_of
from crm.core.documents import DocumentPage, DownloadLink
from crm.core.mail import MessagePage
from crm.http.binding import Bound
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.limits import throttle
from crm.portal.models import (
    ChooseAccount,
    OpenedAccount,
    PortalAccount,
    PortalAccounts,
    PortalLogin,
    PortalMessage,
    PortalSession,
)
from crm.portal.service import PortalService, PortalUser, portal_user

router = APIGatewayHttpRouter()
TAGS = ["Client portal"]


service = Bound[PortalService]("crm.portal.api")
use = service.use


def _user() -> PortalUser:
    return portal_user(router.current_event.request_context.authorizer.jwt_claim or {})


@router.post(
    "/v1/portal/login",
    summary="Portal sign-in (public)",
    description="A sign-in from a device (browser and system, from the User-Agent) the "
    "user has not used before emails them a notice with a 'this was not me' link.",
    tags=TAGS,
)
def login(body: PortalLogin) -> PortalSession:
    event = router.current_event
    client = event.request_context.http.source_ip
    with throttle.portal_login(body.email, client):  # 429 after too many wrong passwords
        device = device_of(event.headers.get("user-agent"))
        return service().login(body, device, place_of(dict(event.headers), client))


@router.get(
    "/v1/portal/accounts",
    summary="The accounts this user may open now, with what arrived since each was opened",
    description=(
        "Each item carries `new_documents` and `new_messages`: what arrived since this "
        "user last opened the account (`GET /v1/portal/accounts/{account_id}`)."
    ),
    tags=TAGS,
)
def accounts() -> PortalAccounts:
    return service().accounts(_user())


@router.get(
    "/v1/portal/accounts/<account_id>",
    summary="Open one account (and its firm's contact details); 404 once LOGIN is off",
    tags=TAGS,
)
def account(account_id: str) -> OpenedAccount:
    return service().account(_user(), account_id)


@router.get(
    "/v1/portal/accounts/<account_id>/messages",
    summary="The account's synced emails exchanged with this user's address, newest first",
    tags=TAGS,
)
def messages(account_id: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> MessagePage:
    return service().messages(_user(), account_id, cursor, limit)


@router.get(
    "/v1/portal/accounts/<account_id>/messages/<message_id>",
    summary="One email exchanged with this user's address, in full (HTML sanitised)",
    tags=TAGS,
)
def message(account_id: str, message_id: str) -> PortalMessage:
    return service().message(_user(), account_id, message_id)


@router.get(
    "/v1/portal/accounts/<account_id>/documents",
    summary="The account's documents, less those saved from other people's emails",
    tags=TAGS,
)
def documents(account_id: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> DocumentPage:
    return service().documents(_user(), account_id, cursor, limit)


@router.get(
    "/v1/portal/accounts/<account_id>/documents/<document_id>/download",
    summary="302 to a short-lived link to the document",
    description=(
        "With `redirect=false`, 200 `{url, expires_at}` instead of the 302: a page that "
        "sends its bearer token from script cannot follow a redirect to a plain link."
    ),
    tags=TAGS,
    responses={
        200: {
            "description": "With redirect=false: the link and when it stops working",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/DownloadLink"}}
            },
        },
        302: {"description": "Location: a short-lived download link"},
    },
)
def download(
    account_id: str,
    document_id: str,
    redirect: Annotated[
        bool, Query(description="false: answer the link as JSON instead of a 302.")
    ] = True,
) -> Response[DownloadLink | None]:  # None: the 302 has no body
    link = service().download_link(_user(), account_id, document_id)
    if redirect:
        return Response(302, headers={"Location": link.url, "Cache-Control": "no-store"})
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=link,
        headers={"Cache-Control": "no-store"},
    )


@router.put(
    "/v1/portal/last-account",
    summary="Remember the account picked (offered first at the next login)",
    tags=TAGS,
)
def choose(body: ChooseAccount) -> PortalAccount:
    return service().choose(_user(), body.account_id)
