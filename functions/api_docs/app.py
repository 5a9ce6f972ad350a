"""The OpenAPI document of the whole HTTP API and its Swagger UI.

Every API function's routes live in routers of the shared package; this function
includes them all to describe them, so the document cannot drift from the code. The
gateway sends only /v1/openapi.json and /v1/docs here: the routes are described, never
served, by this function.
"""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, SecurityScheme
from aws_lambda_powertools.utilities.typing import LambdaContext

from crm.access import api as access
from crm.directory import api as directory
from crm.documents import api as documents
from crm.firms import api as firms
from crm.http.pages import guard_framing
from crm.invitations import api as invitations
from crm.notifications import api as notifications
from crm.observability import logger
from crm.portal import api as portal
from crm.sync import api as mailbox

TITLE = "CRM client access, notifications and email sync"
VERSION = "1.0.0"
SECURITY: dict[str, SecurityScheme] = {"bearer": HTTPBearer(bearerFormat="JWT")}

app = APIGatewayHttpResolver(enable_validation=True)
for router in (
    firms.router,
    directory.router,
    access.router,
    invitations.router,
    portal.router,
    notifications.router,
    mailbox.router,
    documents.router,
):
    app.include_router(router)
app.enable_swagger(
    path="/v1/docs",
    title=TITLE,
    version=VERSION,
    security_schemes=SECURITY,
    security=[{"bearer": []}],
    middlewares=[guard_framing],  # no framing of the docs page either
)


@app.get("/v1/openapi.json", include_in_schema=False)
def openapi_document() -> Response[str]:
    document = app.get_openapi_json_schema(
        title=TITLE, version=VERSION, security_schemes=SECURITY, security=[{"bearer": []}]
    )
    return Response(200, content_types.APPLICATION_JSON, document)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
