"""The email sync: every 5 minutes, and when EMAIL SYNC turns on for an address.

- The schedule syncs every firm's mailbox, least recently synced first, while the
  invocation's time lasts; each firm under a lease, so overlapping runs never sync the
  same mailbox at once.
- EmailSyncEnabled records a history job for the address and runs the firm's pending
  jobs; what a run cannot finish, the next scheduled run resumes.

Idempotent by construction, which covers EventBridge's redeliveries and overlapping
runs alike: folder cursors and job progress are checkpoints, every message is stored
under an id derived from its Message-ID with a condition that it is new, and a job whose
event was already handled to the end is not run again.
"""

import time
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from crm import runtime
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretStore
from crm.observability import logger
from crm.sync.engine import SyncEngine
from crm.sync.models import EmailSyncEnabled

settings = runtime.start()
engine = SyncEngine(
    secrets=SecretStore(),
    files=FileStore(settings.documents_bucket),
    mailer=Mailer(settings.mail_from_address, configuration_set=settings.mail_configuration_set),
    allow_loopback=settings.mailbox_allow_loopback,
)


def deadline(context: LambdaContext) -> float:
    """When to stop starting new work: a margin before the invocation's timeout, for the
    last checkpoint and the logout."""
    remaining = context.get_remaining_time_in_millis() / 1000
    return time.monotonic() + remaining - min(60.0, remaining * 0.2)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("detail-type") != "EmailSyncEnabled":
        return {"runs": [report.as_dict() for report in engine.run_all(deadline(context))]}
    try:
        request = EmailSyncEnabled.model_validate(event.get("detail") or {})
    except ValidationError as error:
        logger.error(
            "rejected an event that is not an EmailSyncEnabled",
            extra={"errors": error.errors(include_input=False)},
        )
        return {"outcome": "rejected"}
    report = engine.request_history(
        request.firm_id,
        request.account_id,
        request.email_id,
        request.address,
        event_id=request.event_id or str(event.get("id", "")),
        deadline=deadline(context),
    )
    return report.as_dict()
