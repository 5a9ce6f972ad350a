"""HTTP routes: an account's documents and their download links."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from crm.core.documents import DocumentPage, DownloadLink
from crm.documents.service import DocumentService
from crm.http.auth import current_staff
from crm.http.binding import Bound
from crm.http.paging import DEFAULT_LIMIT, Cursor, Limit

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
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> DocumentPage:
    return service().list(current_staff(router), account_id, cursor, limit)


@router.get(
    "/v1/documents/<document_id>/download",
    summary="Download a document: 302 to a link that works for a few minutes",
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
        302: {
            "description": "Location: a short-lived download link",
            "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
            "content": {},  # no body (else Powertools documents the 200's schema here)
        },
    },
)
def download(
    document_id: str,
    redirect: Annotated[
        bool, Query(description="false: answer the link as JSON instead of a 302.")
    ] = True,
) -> Response[DownloadLink | None]:
    link = service().download_link(current_staff(router), document_id)
    if redirect:
        return Response(
            status_code=302, headers={"Location": link.url, "Cache-Control": "no-store"}
        )
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=link,
        headers={"Cache-Control": "no-store"},
    )
