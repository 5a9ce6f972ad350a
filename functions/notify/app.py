"""Notification fan-out: an event of another service becomes the emails it asks for.

EventBridge delivers at least once. An event is known by its DetailType together with its
event_id (two kinds of events may share an id): the whole event is idempotent on that pair
(Powertools, with the firm and account it names), and each recipient is claimed per
(type, id, address) before it is sent to, so a redelivery, even of an event cut short,
sends nothing twice. An event that does not match the contract (a missing field, a
control character in its title, ...) is refused: logged with the reason and kept in the
dead-letter queue with it.
"""

import json
from typing import Any

import boto3
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from crm import runtime
from crm.integrations.mailer import Mailer
from crm.notifications import links
from crm.notifications.fanout import FanOut
from crm.notifications.models import Notification
from crm.observability import logger, metrics

settings = runtime.start()
fan_out = FanOut(
    mailer=Mailer(settings.mail_from_address, configuration_set=settings.mail_configuration_set),
    link_secret=links.secret_from(settings.link_secret_arn),
    api_base=settings.api_base,
)
# the event's identity, not its whole content: (DetailType, event_id), in its firm and account
IDEMPOTENCY_KEY = "[detail_type, detail.firm_id, detail.account_id, detail.event_id]"
idempotency = IdempotencyConfig(
    event_key_jmespath=IDEMPOTENCY_KEY,
    raise_on_no_idempotency_key=True,
    expires_after_seconds=7 * 24 * 3600,
)


@idempotent_function(
    data_keyword_argument="notification",
    config=idempotency,
    persistence_store=DynamoDBPersistenceLayer(table_name=settings.idempotency_table_name),
)
def deliver(notification: Notification) -> dict[str, Any]:
    return fan_out.deliver(notification).model_dump()


def reject(event: dict[str, Any], reason: str) -> None:
    """Keep an event that does not match the contract, with the reason, for a person."""
    logger.error("notification event rejected", extra={"reason": reason, "id": event.get("id")})
    boto3.client("sqs").send_message(
        QueueUrl=settings.notifications_dead_letter_queue_url,
        MessageBody=json.dumps(event),
        MessageAttributes={"reason": {"DataType": "String", "StringValue": reason[:1000]}},
    )


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    try:
        notification = Notification.of(str(event.get("detail-type")), event.get("detail"))
    except (ValidationError, ValueError) as error:
        reject(event, str(error))
        return {"outcome": "rejected"}
    summary: dict[str, Any] = deliver(notification=notification)
    return summary
