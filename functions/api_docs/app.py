"""The OpenAPI document of the whole HTTP API and its Swagger UI.

Every API function's routes live in routers of the shared package; this function
includes them all to describe them, so the document cannot drift from the code. The
gateway sends only /v1/openapi.json and /v1/docs here: the routes are described, never
served, by this function.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, OpenAPI, SecurityScheme
from aws_lambda_powertools.utilities.typing import LambdaContext

from crm.access import api as access
from crm.access import manager_api as portal_access
from crm.directory import api as directory
from crm.documents import api as documents
from crm.firms import api as firms
from crm.http.openapi import with_error_answers
from crm.http.pages import guard_framing
from crm.invitations import api as invitations
from crm.invitations import history_api as invitation_history
from crm.notifications import api as notifications
from crm.notifications import digest_api as notification_schedule
from crm.notifications.models import NotificationDetail
from crm.observability import logger
from crm.portal import api as portal
from crm.portal import not_me_api as portal_not_me
from crm.portal import password_reset_api as portal_password_reset
from crm.sync import api as mailbox

TITLE = "CRM client access, notifications and email sync"
VERSION = "1.0.0"
SECURITY: dict[str, SecurityScheme] = {"bearer": HTTPBearer(bearerFormat="JWT")}
# the routes template.yaml serves without the gateway's JWT authorizer (a test holds the
# two together), and those a throttle or the firm's sending quota may answer 429
PUBLIC = {
    ("POST", "/v1/firms"),
    ("GET", "/verify"),
    ("POST", "/v1/firms/verify"),
    ("POST", "/v1/staff/login"),
    ("GET", "/activate"),
    ("GET", "/v1/invitations/{token}"),
    ("POST", "/v1/invitations/{token}/accept"),
    ("POST", "/v1/portal/login"),
    ("GET", "/v1/unsubscribe"),
    ("POST", "/v1/unsubscribe"),
    ("GET", "/v1/activation-request"),
    ("POST", "/v1/activation-request"),
    ("GET", "/v1/portal/not-me"),
    ("POST", "/v1/portal/not-me"),
    ("POST", "/v1/portal/password-reset"),
    ("GET", "/v1/portal/password-reset/{token}"),
    ("POST", "/v1/portal/password-reset/{token}"),
}
THROTTLED = {
    ("POST", "/v1/staff/login"),
    ("POST", "/v1/portal/login"),
    ("POST", "/v1/invitations/{token}/accept"),
    ("POST", "/v1/staff"),
    ("POST", "/v1/firm/verification"),
    ("PATCH", "/v1/accounts/{account_id}/emails/{email_id}"),
    ("POST", "/v1/accounts/{account_id}/emails/{email_id}/invitation"),
    ("POST", "/v1/activation-request"),
    ("POST", "/v1/messages/{message_id}/reply"),
    ("POST", "/v1/portal/password-reset"),
}


class DocumentingResolver(APIGatewayHttpResolver):
    """Powertools' document with the contract's error answers (crm.http.openapi), for
    /v1/openapi.json and the Swagger UI alike."""

    def get_openapi_schema(self, **options: Any) -> OpenAPI:
        document = (
            super()
            .get_openapi_schema(**options)
            .model_dump(mode="json", by_alias=True, exclude_none=True)
        )
        document = with_error_answers(document, PUBLIC, THROTTLED)
        document.setdefault("components", {}).setdefault("schemas", {}).update(EVENT_SCHEMAS)
        return OpenAPI.model_validate(document)


def _event_detail_schema() -> dict[str, Any]:
    """The `detail` of a notification event on the bus (API.md, Notifications), with the
    optional facts the email's sentence uses: no route takes it, so it is added by hand."""
    schema = NotificationDetail.model_json_schema()
    schema["title"] = "NotificationEventDetail"
    schema["description"] = (
        "The `detail` of a notification event put on the EventBridge bus (its `DetailType` "
        "is the kind, such as `InvoiceIssued`). Fields other services add are ignored. "
        "`amount` (a decimal, as a string or a number) with `currency` (ISO 4217), and "
        "`number` (the invoice's number as the firm writes it) are optional: the email "
        "reads well without them, and a value it cannot use is left out, never refused."
    )
    properties = schema["properties"]
    for name in ("amount", "number"):
        properties[name] = {
            "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}],
            "default": None,
        }
    properties["amount"]["examples"] = ["1250.00", 120.5]
    properties["currency"]["examples"] = ["EUR"]
    properties["number"]["examples"] = ["2026-0042", 1001]
    return schema


EVENT_SCHEMAS = {"NotificationEventDetail": _event_detail_schema()}


app = DocumentingResolver(enable_validation=True)
for router in (
    firms.router,
    directory.router,
    access.router,
    invitation_history.router,
    portal_access.router,
    invitations.router,
    portal.router,
    portal_not_me.router,
    portal_password_reset.router,
    notifications.router,
    notification_schedule.router,
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
