"""Firms and their verification, staff, staff login and firm settings."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.firms import api
from crm.firms.service import FirmService
from crm.http.resolver import build_resolver
from crm.integrations.identity import UserPool
from crm.limits.sending import Sending
from crm.observability import logger

settings = runtime.start()
api.use(
    FirmService(
        staff_pool=UserPool(settings.staff_user_pool_id, settings.staff_client_id),
        invitation_ttl_days=settings.invitation_ttl_days,
        sending=Sending.from_settings(settings),
    )
)
app = build_resolver()
app.include_router(api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
