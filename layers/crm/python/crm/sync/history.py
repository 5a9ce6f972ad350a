"""History: turning EMAIL SYNC on asks for the past mail of that address. A job per
(account, address) SEARCHes both folders for it and stores what matches, recording its
progress per folder so that the next run resumes it."""

from __future__ import annotations

from crm import clock
from crm.integrations import imap
from crm.sync import history_store
from crm.sync.batches import store_batch
from crm.sync.models import Job
from crm.sync.run import Progress, Run, Where


def run_job(run: Run, job: Job, folders: dict[str, str]) -> None:
    job.status = "running"
    job.started_at = job.started_at or clock.iso()
    job.last_error = None
    history_store.save_job(run.firm_id, job)
    stored, linked = run.report.stored, run.report.linked
    try:
        for role, folder in folders.items():
            if not _job_folder(run, job, role, folder):
                return  # out of time: the next run goes on from the saved progress
    except imap.MailboxError as error:
        job.last_error = str(error)
        raise
    finally:
        job.stored += run.report.stored - stored
        job.linked += run.report.linked - linked
        history_store.save_job(run.firm_id, job)
    job.status = "done"
    job.finished_at = clock.iso()
    history_store.save_job(run.firm_id, job)
    run.report.jobs_done += 1


def _job_folder(run: Run, job: Job, role: str, folder: str) -> bool:
    status = run.session.select(folder)
    state = job.progress.get(role)
    if state is None or state.get("uidvalidity") != status.uidvalidity:
        state = {"uidvalidity": status.uidvalidity, "done_uid": 0, "found": 0, "processed": 0}
        job.progress[role] = state
    uids = run.session.search_address(job.address)
    todo = [uid for uid in uids if uid > state["done_uid"]]
    state["found"], state["processed"] = len(uids), len(uids) - len(todo)
    where = Where(role, folder, status.uidvalidity)
    batch_size = run.limits.envelope_batch
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        progress = Progress(state["done_uid"])
        try:
            envelopes = run.session.envelopes_of(chunk)
            if envelopes:
                store_batch(run, where, envelopes, progress, notify=False)
            else:  # expunged since the SEARCH
                progress.last_uid = chunk[-1]
        finally:
            state["done_uid"] = progress.last_uid
            state["processed"] = sum(1 for uid in uids if uid <= progress.last_uid)
            history_store.save_job(run.firm_id, job)
        if run.out_of_time():
            run.report.outcome = "deadline"
            return False
    return True
