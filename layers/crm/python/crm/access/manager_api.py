"""HTTP routes: the portal access manager and bulk invitations (API.md: *Portal access,
firm-wide*)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.access.manager import PortalAccessManager
from crm.access.manager_models import BulkAnswer, BulkInvitation, PortalAccessPage, PortalStatus
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit
from crm.http.responses import accepted

router = APIGatewayHttpRouter()
TAGS = ["Portal access, firm-wide"]

service = Bound[PortalAccessManager]("crm.access.manager_api")
use = service.use


@router.get(
    "/v1/portal-access",
    summary="Every address with LOGIN on, with where its invitation stands",
    description="Sorted by status, then address. A page filtered on `invited`, `expired` "
    "or `bounced` may hold fewer items than `limit` while `next_cursor` goes on.",
    tags=TAGS,
)
def portal_access(
    status: Annotated[PortalStatus | None, Query()] = None,
    account_id: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> PortalAccessPage:
    return service().listing(current_staff(router), status, account_id, cursor, limit)


@router.post(
    "/v1/portal-access/invitations",
    summary="Invite, or invite again, up to 500 addresses at once (the emails follow)",
    description="Each address gets one invitation, sent in the background; the answer "
    "says per address, in the request's order, whether it was queued or skipped and why. "
    "The same request sent again within 15 minutes gets the first answer and sends nothing.",
    tags=TAGS,
)
def invite_many(body: BulkInvitation) -> Response[BulkAnswer]:
    return accepted(service().invite_many(current_staff(router), body))
