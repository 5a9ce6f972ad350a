"""The schedule's side of the sync: it never talks to a mailbox. Every few minutes it
finds the mailboxes that are due (one query of the registry) and puts one message per
firm on the sync queue, where the workers (functions/sync_worker) take them, a bounded
number at a time (the template's MaximumConcurrency). EMAIL SYNC turned on for an
address is recorded as a history job and handed over the same way.

So ten thousand firms cost the schedule one query and a thousand SendMessageBatch calls;
a slow IMAP server delays only its own firm; a worker cut short by its deadline puts
its firm back on the queue; and a firm queued again while its last message still
waited (the workers behind a tick) is synced once: the second finds its run done
(`queued_at`) (docs/decisions.md 33).
"""

from __future__ import annotations

from datetime import timedelta

from crm import clock
from crm.integrations.queue import WorkQueue
from crm.sync import history_store, mailbox_store
from crm.sync.models import Job, SyncRequest

FAILING_FOR = timedelta(hours=1)  # a mailbox failing this long counts for the alarm


def hand_out_due(queue: WorkQueue, limit: int | None = None) -> int:
    """Put every mailbox due now on the queue (longest waiting first); how many. A
    mailbox is due from the end of its last good run, and a while after a failed one
    (SyncEngine.retry_after)."""
    now = clock.iso()
    firms = mailbox_store.due(now, limit)
    queue.send([SyncRequest(firm_id=f, queued_at=now).model_dump(exclude_none=True) for f in firms])
    return len(firms)


def failing_mailboxes() -> int:
    """How many mailboxes have failed every run for FAILING_FOR or longer."""
    return mailbox_store.failing_since(clock.iso(clock.now() - FAILING_FOR))


def request_history(
    queue: WorkQueue, firm_id: str, account_id: str, email_id: str, address: str, event_id: str
) -> bool:
    """EMAIL SYNC turned on: record the history job and hand the firm to a worker. False
    when that event's job is done already (a redelivery): nothing is queued."""
    if not record(firm_id, account_id, email_id, address, event_id):
        return False
    queue.send([SyncRequest(firm_id=firm_id, kind="history").model_dump(exclude_none=True)])
    return True


def record(firm_id: str, account_id: str, email_id: str, address: str, event_id: str) -> bool:
    """Record the job an event asks for; False when that event's job is done already
    (a redelivery), so that there is nothing to run."""
    job = history_store.get_job(firm_id, account_id, email_id)
    if job is not None and job.event_id == event_id and job.status == "done":
        return False
    if job is None or job.event_id != event_id:
        job = Job(
            account_id=account_id,
            email_id=email_id,
            address=address,
            status="pending",
            event_id=event_id,
            progress={},
            stored=0,
            linked=0,
            requested_at=clock.iso(),
            started_at=None,
            finished_at=None,
            last_error=None,
        )
        history_store.save_job(firm_id, job)
    return True
