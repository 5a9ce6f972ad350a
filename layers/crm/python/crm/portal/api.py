"""HTTP routes of the client portal: sign-in, the accounts a user may open, one account,
and the account they picked last."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.documents import DocumentPage
from crm.core.mail import MessagePage
from crm.http.binding import Bound
from crm.limits import throttle
from crm.portal.models import (
    ChooseAccount,
    PortalAccount,
    PortalAccounts,
    PortalLogin,
    PortalSession,
)
from crm.portal.service import PortalService, PortalUser, portal_user

router = APIGatewayHttpRouter()
Cursor = Annotated[str | None, Query(max_length=2000)]
TAGS = ["Client portal"]


service = Bound[PortalService]("crm.portal.api")
use = service.use


def _user() -> PortalUser:
    return portal_user(router.current_event.request_context.authorizer.jwt_claim or {})


@router.post("/v1/portal/login", summary="Portal sign-in (public)", tags=TAGS)
def login(body: PortalLogin) -> PortalSession:
    client = router.current_event.request_context.http.source_ip
    with throttle.portal_login(body.email, client):  # 429 after too many wrong passwords
        return service().login(body)


@router.get("/v1/portal/accounts", summary="The accounts this user may open now", tags=TAGS)
def accounts() -> PortalAccounts:
    return service().accounts(_user())


@router.get(
    "/v1/portal/accounts/<account_id>",
    summary="One account; 404 as soon as LOGIN is off for this user there",
    tags=TAGS,
)
def account(account_id: str) -> PortalAccount:
    return service().account(_user(), account_id)


@router.get(
    "/v1/portal/accounts/<account_id>/messages",
    summary="The account's synced emails exchanged with this user's address, newest first",
    tags=TAGS,
)
def messages(account_id: str, cursor: Cursor = None) -> MessagePage:
    return service().messages(_user(), account_id, cursor)


@router.get(
    "/v1/portal/accounts/<account_id>/documents",
    summary="The account's documents, less those saved from other people's emails",
    tags=TAGS,
)
def documents(account_id: str, cursor: Cursor = None) -> DocumentPage:
    return service().documents(_user(), account_id, cursor)


@router.get(
    "/v1/portal/accounts/<account_id>/documents/<document_id>/download",
    summary="302 to a short-lived link to the document",
    tags=TAGS,
)
def download(account_id: str, document_id: str) -> Response[None]:
    link = service().download_link(_user(), account_id, document_id)
    return Response(302, headers={"Location": link, "Cache-Control": "no-store"})


@router.put(
    "/v1/portal/last-account",
    summary="Remember the account picked (offered first at the next login)",
    tags=TAGS,
)
def choose(body: ChooseAccount) -> PortalAccount:
    return service().choose(_user(), body.account_id)
