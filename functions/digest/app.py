"""Digests and quiet hours: every 15 minutes, the held notifications that are due go out,
one email per (firm, address), claimed before the send and marked after
(crm.notifications.digest_run)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.integrations.mailer import Mailer
from crm.notifications import links
from crm.notifications.digest_run import DigestRun
from crm.observability import logger, metrics

settings = runtime.start()
digests = DigestRun(
    mailer=Mailer(settings.mail_from_address, configuration_set=settings.mail_configuration_set),
    link_secret=links.secret_from(settings.link_secret_arn),
    api_base=settings.api_base,
)


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(_event: dict[str, Any], _context: LambdaContext) -> dict[str, Any]:
    return digests.run().model_dump()
