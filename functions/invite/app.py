"""Sends invitation emails when an InvitationRequested event arrives.

EventBridge delivers at least once; the idempotency record (keyed on the invitation)
makes a redelivery return the first outcome without sending again.
"""

from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from crm import runtime
from crm.integrations.mailer import Mailer
from crm.invitations.models import InvitationRequested
from crm.invitations.sender import InvitationSender
from crm.observability import logger, tracer

settings = runtime.start()
sender = InvitationSender(Mailer(settings.mail_from_address), settings.portal_base)
idempotency = IdempotencyConfig(expires_after_seconds=7 * 24 * 3600)
trace = tracer()


@idempotent_function(
    data_keyword_argument="request",
    config=idempotency,
    persistence_store=DynamoDBPersistenceLayer(table_name=settings.idempotency_table_name),
)
def send(request: InvitationRequested) -> dict[str, str]:
    return {"outcome": sender.send(request.firm_id, request.invitation_id)}


@logger.inject_lambda_context(clear_state=True)
@trace.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    idempotency.register_lambda_context(context)
    try:
        request = InvitationRequested.model_validate(event.get("detail") or {})
    except ValidationError as error:
        logger.error(
            "rejected an event that is not an invitation request",
            extra={"errors": error.errors(include_input=False)},
        )
        return {"outcome": "rejected"}
    outcome: dict[str, str] = send(request=request)
    return outcome
