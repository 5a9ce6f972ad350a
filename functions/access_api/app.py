"""The Contacts section of an account: toggles, preferences, invitations and their
history, audit."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.access import api
from crm.access.service import AccessService
from crm.http.resolver import build_resolver
from crm.integrations.identity import UserPool
from crm.invitations import history_api
from crm.observability import logger

settings = runtime.start()
api.use(
    AccessService(
        invitation_ttl_days=settings.invitation_ttl_days,
        portal_pool=UserPool(settings.portal_user_pool_id, settings.portal_client_id),
    )
)
app = build_resolver()
app.include_router(api.router)
app.include_router(history_api.router)  # the invitation history of an address


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
