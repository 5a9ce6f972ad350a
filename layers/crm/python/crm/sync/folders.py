"""Walking a folder: the envelopes of the UIDs above its cursor, in bounded batches, the
cursor saved after each so that a run cut short resumes where it stopped. A new
UIDVALIDITY restarts the folder from the beginning (stored mail is recognised)."""

from __future__ import annotations

from crm.observability import logger
from crm.sync import mailbox_store
from crm.sync.batches import store_batch
from crm.sync.models import Cursor
from crm.sync.run import Progress, Run, Where


def sync_folder(run: Run, role: str, folder: str) -> None:
    status = run.session.select(folder)
    key = run.mailbox.mailbox_key
    cursor = mailbox_store.get_cursor(run.firm_id, key, role)
    if cursor is None or (cursor.uidvalidity, cursor.folder) != (status.uidvalidity, folder):
        if cursor is not None:
            logger.warning(
                "folder changed identity: full resync",
                extra={"firm_id": run.firm_id, "folder": folder, "role": role},
            )
        cursor = Cursor(folder, status.uidvalidity, 0, initial=True)
        mailbox_store.save_cursor(run.firm_id, key, role, cursor)
    run.report.cursors[role] = cursor.last_uid
    if status.exists == 0 or (status.uidnext is not None and status.uidnext <= cursor.last_uid + 1):
        return
    if not run.matcher and status.uidnext is not None:
        # no address has EMAIL SYNC on: nothing here can be ours (a history job
        # brings in the past mail of an address when it is turned on)
        cursor.last_uid = status.uidnext - 1
        mailbox_store.save_cursor(run.firm_id, key, role, cursor)
        run.report.cursors[role] = cursor.last_uid
        return
    where = Where(role, folder, status.uidvalidity)
    progress = Progress(cursor.last_uid)
    saved = cursor.last_uid
    try:
        for batch in run.session.envelopes(
            cursor.last_uid, status.uidnext, run.limits.envelope_batch
        ):
            store_batch(run, where, batch, progress, notify=not cursor.initial)
            cursor.last_uid = saved = progress.last_uid
            mailbox_store.save_cursor(run.firm_id, key, role, cursor)
            if run.out_of_time():
                run.report.outcome = "deadline"
                return
        if cursor.initial:
            cursor.initial = False
            mailbox_store.save_cursor(run.firm_id, key, role, cursor)
    finally:
        if progress.last_uid != saved:  # cut short inside a batch: keep what is done
            cursor.last_uid = progress.last_uid
            mailbox_store.save_cursor(run.firm_id, key, role, cursor)
        run.report.cursors[role] = cursor.last_uid
