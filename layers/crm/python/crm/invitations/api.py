"""HTTP routes (public): the /activate page, reading an invitation, accepting it."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm import clock
from crm.core.devices import SignIn, device_of, place_of
from crm.errors import NotFound
from crm.http.binding import Bound
from crm.http.language import reader
from crm.http.pages import html_response
from crm.invitations.models import Accept, Accepted, InvitationView
from crm.invitations.page import activation_page, page_words, unusable_page
from crm.invitations.service import InvitationService
from crm.limits import throttle

router = APIGatewayHttpRouter()
TAGS = ["Invitations"]
Token = Annotated[str, Path(max_length=300)]


service = Bound[InvitationService]("crm.invitations.api")
use = service.use


@router.get("/activate", summary="The activation page (HTML); changes nothing", tags=TAGS)
def activate_page(token: Annotated[str, Query(max_length=300)] = "") -> Response[str]:
    # the page carries the token: its script may call the API, nothing else (crm.http.pages)
    api_base = service().api_base
    try:
        view = service().describe(token)
    except NotFound:  # no invitation to tell the language: the browser's
        words = reader(router.current_event.headers)
        return html_response(404, unusable_page(words), language=words.tag)
    words = page_words(view)
    page = activation_page(view, token, api_base, words)
    return html_response(200, page, script="inline", calls=api_base, language=words.tag)


@router.get("/v1/invitations/<token>", summary="Read an invitation; changes nothing", tags=TAGS)
def read_invitation(token: Token) -> InvitationView:
    return service().describe(token)


@router.post("/v1/invitations/<token>/accept", summary="Accept an invitation", tags=TAGS)
def accept_invitation(token: Token, body: Accept) -> Accepted:
    event = router.current_event
    client = event.request_context.http.source_ip
    with throttle.invitation_accept(client):  # 429 after too many wrong passwords
        sign_in = SignIn(
            device=device_of(event.headers.get("user-agent")),
            place=place_of(dict(event.headers), client),
            at=clock.iso(),
        )
        return service().accept(token, body.password, sign_in)
