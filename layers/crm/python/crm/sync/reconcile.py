"""Reconciliation: a health that proves nothing is missing.

For each folder the sync walks, the server's UIDs at or below the folder's cursor that
have an address with EMAIL SYNC on in From, To or Cc (one SEARCH per twenty addresses)
are read again as envelopes and handed to the same batch step as new mail. What is
stored is recognised from the envelope, with no body fetched (its place, or the stamp of
a copy); anything missing is fetched and stored now. What that pass stored is what was
missing: `missing` on `GET /v1/firm/mailbox`, 0 when the mailbox was whole, with the ids
fetched again. Daily for every mailbox, and on demand (docs/decisions.md 37).
"""

from __future__ import annotations

from crm.sync import mailbox_store
from crm.sync.batches import store_batch
from crm.sync.run import Progress, Run, Where


def reconcile(run: Run, folders: dict[str, str]) -> bool:
    """Compare and repair every folder; False when time ran out first (nothing is
    recorded then: the next run starts again)."""
    stored, first_id = run.report.stored, len(run.report.stored_ids)
    addresses = run.matcher.addresses
    for role, folder in folders.items():
        cursor = mailbox_store.get_cursor(run.firm_id, run.mailbox.mailbox_key, role)
        if cursor is None or cursor.last_uid == 0 or not addresses:
            continue  # nothing below the cursor yet, or no address to look for
        status = run.session.select(folder)
        if status.uidvalidity != cursor.uidvalidity:
            continue  # a new folder generation: the folder's own pass starts it again
        where = Where(role, folder, status.uidvalidity)
        uids = run.session.search_addresses(addresses, cursor.last_uid)
        batch = run.limits.envelope_batch
        for start in range(0, len(uids), batch):
            if run.out_of_time():
                return False
            chunk = uids[start : start + batch]
            envelopes = run.session.envelopes_of(chunk)
            if envelopes:
                store_batch(run, where, envelopes, Progress(chunk[0] - 1), notify=False)
    run.report.reconciled = True
    run.report.missing = run.report.stored - stored
    mailbox_store.record_reconciliation(
        run.firm_id, run.report.missing, run.report.stored_ids[first_id:]
    )
    return True
