"""The client portal: sign-in, account picker, access check on every request."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.http.resolver import build_resolver
from crm.integrations.files import FileStore
from crm.integrations.identity import UserPool
from crm.observability import logger
from crm.portal import api
from crm.portal.service import PortalService
from crm.sync import page_store

settings = runtime.start()
api.use(
    PortalService(
        portal_pool=UserPool(settings.portal_user_pool_id, settings.portal_client_id),
        files=FileStore(settings.documents_bucket),
        mail=page_store,
    )
)
app = build_resolver()
app.include_router(api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
