"""HTTP routes (public, the link is the credential) of "this was not me": the page of the
link in the new-device notice (changes nothing) and its button, which ends every session
of the portal user (crm.portal.devices)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.devices import NewDeviceSignIn
from crm.errors import NotFound
from crm.http.binding import Bound
from crm.http.language import reader
from crm.http.pages import html_response
from crm.i18n import Localizer
from crm.portal import not_me_pages as pages
from crm.portal.device_notice import reader_words
from crm.portal.devices import LinkExpired, NotMeService

router = APIGatewayHttpRouter()
TAGS = ["Client portal"]
Token = Annotated[str, Query(max_length=1000)]

service = Bound[NotMeService]("crm.portal.not_me_api")
use = service.use


def _html(status: int, words: Localizer, document: str) -> Response[str]:
    """At most a form posting back to the same route, no script."""
    return html_response(status, document, forms_post=True, language=words.tag)


def _words(notice: NewDeviceSignIn) -> tuple[Localizer, str]:
    """The words of the person the link names, else the browser's."""
    found = reader_words(notice)
    return found or (reader(router.current_event.headers), "")


def _unusable(error: NotFound | LinkExpired) -> Response[str]:
    if isinstance(error, LinkExpired):
        words, firm = _words(error.link.notice)
        return _html(410, words, pages.expired(words, firm))
    words = reader(router.current_event.headers)  # a link that names nobody
    return _html(400, words, pages.invalid(words))


@router.get(
    "/v1/portal/not-me",
    summary="Page of the new-device notice's link 'this was not me'; changes nothing",
    description="400 for a link that is not ours, 410 once its 7 days are over.",
    tags=TAGS,
)
def not_me_page(token: Token = "") -> Response[str]:
    try:
        link, device = service().describe(token)
    except (NotFound, LinkExpired) as error:
        return _unusable(error)
    words, _ = _words(link.notice)
    return _html(200, words, pages.question(words, device, token))


@router.post(
    "/v1/portal/not-me",
    summary="End every session of the portal user the link names (idempotent)",
    description="Cognito's global sign-out, and every token issued before is refused "
    "from the next request on (401 `session_ended`). 400 / 410 as the page.",
    tags=TAGS,
)
def not_me(token: Token = "") -> Response[str]:
    try:
        link, _ = service().confirm(token)
    except (NotFound, LinkExpired) as error:
        return _unusable(error)
    words, firm = _words(link.notice)
    return _html(200, words, pages.done(words, firm))
