"""HTTP routes: an account's documents and their download links."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.documents import DocumentPage
from crm.documents.service import DocumentService
from crm.http.auth import current_staff
from crm.http.binding import Bound

router = APIGatewayHttpRouter()
TAGS = ["Documents"]


service = Bound[DocumentService]("crm.documents.api")
use = service.use


@router.get(
    "/v1/accounts/<account_id>/documents",
    summary="The account's documents (Docs), newest first",
    tags=TAGS,
)
def list_documents(
    account_id: str,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> DocumentPage:
    return service().list(current_staff(router), account_id, cursor, limit)


@router.get(
    "/v1/documents/<document_id>/download",
    summary="Download a document: 302 to a link that works for a few minutes",
    tags=TAGS,
    responses={302: {"description": "Location: a short-lived download link"}},
)
def download(document_id: str) -> Response[None]:
    link = service().download_link(current_staff(router), document_id)
    return Response(status_code=302, headers={"Location": link, "Cache-Control": "no-store"})
