"""The delivery log, one-click unsubscribe, activation requests, suppressed addresses,
and each address's notification schedule (digests, quiet hours)."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.http.resolver import build_resolver
from crm.notifications import api, digest_api, links
from crm.notifications.service import NotificationService
from crm.observability import logger

settings = runtime.start()
api.use(
    NotificationService(
        link_secret=links.secret_from(settings.link_secret_arn),
        invitation_ttl_days=settings.invitation_ttl_days,
    )
)
app = build_resolver()
app.include_router(api.router)
app.include_router(digest_api.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
