"""SES feedback (from the default event bus): bounces and complaints suppress those
addresses; deliveries and bounces of invitation emails join their invitation history."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from crm import runtime
from crm.invitations import history
from crm.notifications import feedback
from crm.observability import logger

runtime.start()


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], _context: LambdaContext) -> dict[str, int]:
    detail = event.get("detail") or {}
    return {
        "suppressed": feedback.handle(detail),
        "recorded": int(history.mail_event(detail)),
    }
