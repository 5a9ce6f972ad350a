"""Public invitation routes: the /activate page, reading and accepting an invitation."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.http.resolver import build_resolver
from crm.integrations.identity import UserPool
from crm.invitations import api
from crm.invitations.service import InvitationService
from crm.observability import logger

settings = runtime.start()
api.use(
    InvitationService(
        staff_pool=UserPool(settings.staff_user_pool_id, settings.staff_client_id),
        portal_pool=UserPool(settings.portal_user_pool_id, settings.portal_client_id),
        portal_base=settings.portal_base,
        api_base=settings.api_base,
    )
)
app = build_resolver()
app.include_router(api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
