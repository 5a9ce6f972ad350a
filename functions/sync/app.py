"""The sync's schedule: every 5 minutes, and when EMAIL SYNC turns on for an address.

It never opens a mailbox. The schedule puts one message per due mailbox on the sync
queue; EmailSyncEnabled records a history job for the address and puts its firm on the
queue. The workers (functions/sync_worker) do the syncing, a bounded number at a time.

Idempotent: a mailbox is due again only after its next run time, a redelivered
EmailSyncEnabled whose job is done queues nothing, and a firm queued twice is synced
under its lease by one worker while the other finds nothing new.
"""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from crm import runtime
from crm.integrations.queue import WorkQueue
from crm.observability import logger, metrics
from crm.sync import schedule
from crm.sync.models import EmailSyncEnabled

settings = runtime.start()
queue = WorkQueue(settings.sync_queue_url)


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], _context: LambdaContext) -> dict[str, Any]:
    if event.get("detail-type") != "EmailSyncEnabled":
        queued = schedule.hand_out_due(queue)
        failing = schedule.failing_mailboxes()
        metrics.add_metric(name="SyncFirmsQueued", unit=MetricUnit.Count, value=queued)
        metrics.add_metric(name="MailboxesFailing", unit=MetricUnit.Count, value=failing)
        logger.info("handed out the due mailboxes", extra={"queued": queued, "failing": failing})
        return {"queued": queued, "failing": failing}
    try:
        request = EmailSyncEnabled.model_validate(event.get("detail") or {})
    except ValidationError as error:
        logger.error(
            "rejected an event that is not an EmailSyncEnabled",
            extra={"errors": error.errors(include_input=False)},
        )
        metrics.add_metric(name="SyncEventsRejected", unit=MetricUnit.Count, value=1)
        return {"outcome": "rejected"}
    queued = schedule.request_history(
        queue,
        request.firm_id,
        request.account_id,
        request.email_id,
        request.address,
        event_id=request.event_id or str(event.get("id", "")),
    )
    metrics.add_metric(name="SyncHistoryQueued", unit=MetricUnit.Count, value=int(queued))
    return {"outcome": "queued" if queued else "done_already"}
