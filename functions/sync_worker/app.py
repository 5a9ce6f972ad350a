"""The sync's worker: one firm's mailbox per message of the sync queue.

SQS hands over a few messages at a time, at most MaximumConcurrency invocations at once
(template.yaml), so IMAP providers and DynamoDB see a bounded load whatever the number
of firms. Each firm runs under its lease; a run cut short by the deadline puts its firm
back on the queue to go on. A mailbox that fails (wrong password, server gone) is a
health the firm sees, not a failed message: the next schedule tries again. A message
that cannot be read, or that failed every time it was tried, goes to the dead-letter
queue with its reason; the other messages of the batch are not held back (Powertools'
batch utility reports the failed ones alone).
"""

import time
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from crm import runtime
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.queue import WorkQueue
from crm.integrations.secrets import SecretStore
from crm.observability import logger, metrics
from crm.sync.engine import SyncEngine
from crm.sync.models import SyncRequest

settings = runtime.start()
engine = SyncEngine(
    secrets=SecretStore(),
    files=FileStore(settings.documents_bucket),
    mailer=Mailer(settings.mail_from_address, configuration_set=settings.mail_configuration_set),
    allow_loopback=settings.mailbox_allow_loopback,
)
queue = WorkQueue(settings.sync_queue_url)
dead_letters = WorkQueue(settings.sync_dead_letter_queue_url)
# a batch whose every record failed is answered like any other (each listed), rather
# than failing the invocation: SQS offers the listed ones again either way
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
MARGIN = 0.2  # of the invocation's time, kept for the last checkpoint and the logout


class Invocation:
    """What the records of one invocation share: when to stop starting new work."""

    deadline: float = 0.0


def failed(reason: str) -> None:
    """One failed run, counted by its reason (auth_failed, unreachable, a bug's type): a
    metric of its own, so the reason is not a dimension of the others."""
    with single_metric(
        name="SyncFailures", unit=MetricUnit.Count, value=1, namespace=metrics.namespace
    ) as metric:
        metric.add_dimension(name="reason", value=reason)


def sync(record: SQSRecord) -> dict[str, Any]:
    try:
        request = SyncRequest.model_validate_json(record.body)
    except ValidationError as error:
        # no retry can make it readable: set aside at once, with why
        dead_letters.set_aside(record.body, "unreadable", str(error.errors(include_input=False)))
        metrics.add_metric(name="SyncRequestsSetAside", unit=MetricUnit.Count, value=1)
        logger.error(
            "set aside an unreadable sync request", extra={"message_id": record.message_id}
        )
        return {"outcome": "set_aside"}
    if time.monotonic() > Invocation.deadline:  # no time left to start this firm
        metrics.add_metric(name="SyncFirmsRequeued", unit=MetricUnit.Count, value=1)
        queue.send(
            [SyncRequest(firm_id=request.firm_id, kind="resumed").model_dump(exclude_none=True)]
        )
        return {"firm_id": request.firm_id, "outcome": "requeued"}
    started = time.monotonic()
    try:
        report = engine.sync_firm(
            request.firm_id,
            Invocation.deadline,
            folders=request.kind != "history",
            queued_at=request.queued_at,
            reconcile=True if request.kind == "reconcile" else None,
        )
    except Exception as error:
        tries = int(record.attributes.approximate_receive_count or 1)
        failed(type(error).__name__)
        if tries >= settings.sync_max_receives:
            dead_letters.set_aside(record.body, type(error).__name__, str(error))
            metrics.add_metric(name="SyncRequestsSetAside", unit=MetricUnit.Count, value=1)
            logger.exception(
                "set aside a sync request that failed every time", extra={"tries": tries}
            )
            return {"firm_id": request.firm_id, "outcome": "set_aside"}
        raise  # the batch utility reports it; SQS offers it again after its visibility timeout
    if report.outcome == "deadline":
        queue.send(
            [SyncRequest(firm_id=request.firm_id, kind="resumed").model_dump(exclude_none=True)]
        )
    if report.outcome == "error":
        failed(report.error_code or "error")
    else:
        metrics.add_metric(name="SyncFirmsSynced", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="SyncMessagesStored", unit=MetricUnit.Count, value=report.stored)
    metrics.add_metric(
        name="SyncRunSeconds", unit=MetricUnit.Seconds, value=time.monotonic() - started
    )
    return report.as_dict()


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The failed records for SQS (ReportBatchItemFailures), and each firm's run report
    beside them (Lambda reads only `batchItemFailures`)."""
    remaining = context.get_remaining_time_in_millis() / 1000
    Invocation.deadline = time.monotonic() + remaining * (1 - MARGIN)
    with processor(records=event.get("Records") or [], handler=sync, lambda_context=context):
        outcomes = processor.process()
    answer: dict[str, Any] = dict(processor.response())
    answer["runs"] = [result for status, result, _ in outcomes if status == "success"]
    return answer
