"""The client portal: sign-in, account picker, access check on every request, the
"this was not me" link of the new-device notice, and "Forgot your password?"."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.http.resolver import build_resolver
from crm.integrations.files import FileStore
from crm.integrations.identity import UserPool
from crm.notifications import links
from crm.observability import logger
from crm.portal import api, not_me_api, password_reset_api
from crm.portal.devices import NOT_ME, NotMeService, SignedLinks
from crm.portal.password_reset import PasswordResetService
from crm.portal.service import PortalService
from crm.sync import page_store

settings = runtime.start()
portal_pool = UserPool(settings.portal_user_pool_id, settings.portal_client_id)
secret = links.secret_from(settings.link_secret_arn)
api.use(
    PortalService(
        portal_pool=portal_pool,
        files=FileStore(settings.documents_bucket),
        mail=page_store,
    )
)
not_me_api.use(
    NotMeService(
        portal_pool=portal_pool,
        links=SignedLinks(
            sign=lambda fields: links.sign(secret(), NOT_ME, fields),
            verify=lambda token: links.verify(secret(), NOT_ME, token),
        ),
    )
)
password_reset_api.use(PasswordResetService(portal_pool=portal_pool))
app = build_resolver()
app.include_router(api.router)
app.include_router(not_me_api.router)
app.include_router(password_reset_api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
