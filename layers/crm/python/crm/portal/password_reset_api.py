"""HTTP routes (public) of "Forgot your password?": asking for a link by address, reading
a link, and using it with a new password (crm.portal.password_reset)."""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm import clock
from crm.http.binding import Bound
from crm.http.language import reader
from crm.http.responses import accepted
from crm.limits import throttle
from crm.portal.models import (
    NewPassword,
    PasswordChanged,
    PasswordResetAnswer,
    PasswordResetLink,
    PasswordResetRequest,
)
from crm.portal.password_reset import PasswordResetService

router = APIGatewayHttpRouter()
TAGS = ["Client portal"]
GONE: dict[int, OpenAPIResponse] = {
    410: {
        "description": "The link was used already (`link_used`) or its hour is over "
        "(`link_expired`)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
}

service = Bound[PasswordResetService]("crm.portal.password_reset_api")
use = service.use


@router.post(
    "/v1/portal/password-reset",
    summary="Ask for a link to choose a new portal password (public)",
    description="Always 202 with the same answer, whether or not a portal user has this "
    "address; when one does, an email with a link that works once, for one hour, goes "
    "out. Counted per address and per client like the login's wrong passwords (429).",
    tags=TAGS,
)
def request_reset(body: PasswordResetRequest) -> Response[PasswordResetAnswer]:
    event = router.current_event
    throttle.password_reset(body.email, event.request_context.http.source_ip)
    service().request(body.email)
    words = reader(event.headers)
    return accepted(PasswordResetAnswer(message=words("password-reset-answer.requested")))


@router.get(
    "/v1/portal/password-reset/<token>",
    summary="Whether a password reset link can be used; changes nothing",
    description="404 for a link that is not ours; 410 once used or expired.",
    tags=TAGS,
    responses=GONE,
)
def read_reset(token: str) -> PasswordResetLink:
    reset = service().describe(token)
    language = reset.language if reset.language in ("en", "nl") else "en"
    return PasswordResetLink(
        expires_at=clock.iso(datetime.fromtimestamp(reset.expires_at, tz=UTC)),
        language=language,  # type: ignore[arg-type]
    )


@router.post(
    "/v1/portal/password-reset/<token>",
    summary="Choose a new portal password with a reset link (public)",
    description="The password rule of activation (at least 12 characters, 422). The link "
    "works once (a second use is 410 `link_used`); every session of the user ends, and "
    "each token issued before is refused from the next request (401 `session_ended`).",
    tags=TAGS,
    responses=GONE,
)
def use_reset(token: str, body: NewPassword) -> PasswordChanged:
    reset = service().reset(token, body.password)
    throttle.portal_password_changed(reset.username)
    words = reader(router.current_event.headers)
    return PasswordChanged(message=words("password-reset-answer.done"))
