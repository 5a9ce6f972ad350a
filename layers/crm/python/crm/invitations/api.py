"""HTTP routes (public): the /activate page, reading an invitation, accepting it."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.errors import NotFound
from crm.http.binding import Bound
from crm.invitations.models import Accept, Accepted, InvitationView
from crm.invitations.page import activation_page, unusable_page
from crm.invitations.service import InvitationService

router = APIGatewayHttpRouter()
TAGS = ["Invitations"]
Token = Annotated[str, Path(max_length=300)]
# the page carries the token; it must not leak to other sites or be cached
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "connect-src 'self' {api}; form-action 'none'; frame-ancestors 'none'"
    ),
}


service = Bound[InvitationService]("crm.invitations.api")
use = service.use


@router.get("/activate", summary="The activation page (HTML); changes nothing", tags=TAGS)
def activate_page(token: Annotated[str, Query(max_length=300)] = "") -> Response[str]:
    headers = {**PAGE_HEADERS}
    headers["Content-Security-Policy"] = headers["Content-Security-Policy"].format(
        api=service().api_base
    )
    try:
        view = service().describe(token)
    except NotFound:
        return Response(404, content_types.TEXT_HTML, unusable_page(), headers)
    return Response(
        200, content_types.TEXT_HTML, activation_page(view, token, service().api_base), headers
    )


@router.get("/v1/invitations/<token>", summary="Read an invitation; changes nothing", tags=TAGS)
def read_invitation(token: Token) -> InvitationView:
    return service().describe(token)


@router.post("/v1/invitations/<token>/accept", summary="Accept an invitation", tags=TAGS)
def accept_invitation(token: Token, body: Accept) -> Accepted:
    return service().accept(token, body.password)
