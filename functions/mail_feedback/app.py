"""SES bounces and complaints (from the default event bus): suppress those addresses."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.notifications import feedback
from crm.observability import logger

runtime.start()


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], _context: LambdaContext) -> dict[str, int]:
    return {"suppressed": feedback.handle(event.get("detail") or {})}
