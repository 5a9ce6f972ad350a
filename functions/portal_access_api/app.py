"""The portal access manager: every address with LOGIN on, and bulk invitations."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.access import manager_api
from crm.access.manager import PortalAccessManager
from crm.http.resolver import build_resolver
from crm.observability import logger

settings = runtime.start()
manager_api.use(PortalAccessManager(invitation_ttl_days=settings.invitation_ttl_days))
app = build_resolver()
app.include_router(manager_api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
