"""The firm's mailbox in DynamoDB: its settings and health, the lease of the run that
syncs it, and its folders' cursors (the checkpoints a run resumes from)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from crm import clock
from crm.core.audit import AuditEntry
from crm.storage import audit, keys
from crm.storage.mail_items import CursorItem, MailboxItem
from crm.storage.table import condition_failed, transaction
from crm.sync import mappers
from crm.sync.models import Cursor, MailboxSettings, StoredMailbox

REFETCHED_KEPT = 50  # ids of missing messages kept with the last reconciliation

# ------------------------------------------------------------------ mailbox


def find_mailbox(firm_id: str, consistent: bool = False) -> StoredMailbox | None:
    try:
        item = MailboxItem.get(keys.firm(firm_id), keys.MAILBOX_META, consistent_read=consistent)
    except DoesNotExist:
        return None
    return _mailbox(item)


def save_mailbox(
    firm_id: str,
    settings: MailboxSettings,
    secret_id: str,
    mailbox_key: str,
    folders: dict[str, str],
    entry: AuditEntry,
) -> StoredMailbox:
    """Save the settings; the sync's health is kept unless the mailbox is another one."""
    now = clock.iso()
    try:
        raw = MailboxItem.get(keys.firm(firm_id), keys.MAILBOX_META, consistent_read=True)
    except DoesNotExist:
        raw = None
    current = _mailbox(raw) if raw is not None else None
    same = current is not None and current.mailbox_key == mailbox_key
    item = MailboxItem(
        pk=keys.firm(firm_id),
        sk=keys.MAILBOX_META,
        firm_id=firm_id,
        imap_host=settings.imap_host,
        imap_port=settings.imap_port,
        username=settings.username,
        security=settings.security,
        auth_method=settings.auth_method,
        secret_id=secret_id,
        mailbox_key=mailbox_key,
        folders=folders,
        connected_at=current.connected_at if current is not None and same else now,
        updated_at=now,
        status=current.status if current is not None and same else "pending",
        last_sync_at=current.last_sync_at if current is not None and same else None,
        last_error=current.last_error if current is not None and same else None,
        last_error_code=current.last_error_code if current is not None and same else None,
        last_error_at=current.last_error_at if current is not None and same else None,
        lease_until=raw.lease_until if raw is not None else None,  # a run may be going on
        lease_owner=raw.lease_owner if raw is not None else None,
        failing_since=raw.failing_since if raw is not None and same else None,
        next_sync_at=now,  # saved: due at once
        gsi1pk=keys.MAILBOXES,
        gsi1sk=keys.mailbox_due(now, firm_id),
    )
    with transaction() as tx:
        tx.save(item)
        tx.save(audit.item(firm_id, entry))
    return _mailbox(item)


def due(now: str, limit: int | None = None) -> list[str]:
    """The firms whose mailbox is due to sync at `now`, longest waiting first: one query
    of the sparse registry (GSI1), which keeps each mailbox under its next run's time."""
    found = MailboxItem.registry.query(
        keys.MAILBOXES,
        MailboxItem.gsi1sk <= keys.mailbox_due(now, "~"),
        limit=limit,
        attributes_to_get=["pk", "sk", "kind", "firm_id"],
    )
    return [item.firm_id for item in found if isinstance(item, MailboxItem)]


def failing_since(before: str) -> int:
    """How many mailboxes have failed without a good run since before `before` (the
    on-call alarm's figure): a query of the registry's due part, as a failing mailbox is
    always due again within one interval."""
    found = MailboxItem.registry.query(
        keys.MAILBOXES,
        filter_condition=MailboxItem.failing_since <= before,
        attributes_to_get=["pk", "sk", "kind", "failing_since"],
    )
    return sum(1 for item in found if isinstance(item, MailboxItem))


def take_lease(firm_id: str, owner: str, seconds: int) -> bool:
    """Only one run syncs a mailbox at a time; a lease left by a crashed run expires."""
    now = clock.iso()
    until = clock.iso(clock.now() + timedelta(seconds=seconds))
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=[MailboxItem.lease_until.set(until), MailboxItem.lease_owner.set(owner)],
            condition=MailboxItem.pk.exists()
            & (MailboxItem.lease_until.does_not_exist() | (MailboxItem.lease_until < now)),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def release_lease(firm_id: str, owner: str) -> None:
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=[MailboxItem.lease_until.remove(), MailboxItem.lease_owner.remove()],
            condition=MailboxItem.lease_owner == owner,
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def record_health(
    firm_id: str,
    error_code: str | None,
    error: str | None,
    next_in: timedelta,
    folders: bool = True,
) -> None:
    """The outcome of a run: ok, or the error a person can act on; when the next run is
    due (the registry's sort key, which the schedule queries); and, for a run that went
    through the folders (not a history job alone), its time as `last_sync_at`."""
    moment = clock.now()
    now, due_at = clock.iso(moment), clock.iso(moment + next_in)
    actions: list[Any] = [
        MailboxItem.next_sync_at.set(due_at),
        MailboxItem.gsi1sk.set(keys.mailbox_due(due_at, firm_id)),
    ]
    if folders:
        actions.append(MailboxItem.last_sync_at.set(now))
    if error_code is None:
        actions += [
            MailboxItem.status.set("ok"),
            MailboxItem.last_error.remove(),
            MailboxItem.last_error_code.remove(),
            MailboxItem.failing_since.remove(),
        ]
    else:
        actions += [
            MailboxItem.status.set("error"),
            MailboxItem.last_error.set(error or error_code),
            MailboxItem.last_error_code.set(error_code),
            MailboxItem.last_error_at.set(now),
            # the first failure of a streak: kept until a run goes well
            MailboxItem.failing_since.set(MailboxItem.failing_since | now),
        ]
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=actions, condition=MailboxItem.pk.exists()
        )
    except UpdateError as failure:
        if not condition_failed(failure):  # the mailbox was removed meanwhile
            raise


def record_reconciliation(firm_id: str, missing: int, refetched: list[str]) -> None:
    """The outcome of a reconciliation: when, how many messages were missing (and are
    stored now), and their ids (the first few)."""
    try:
        MailboxItem(keys.firm(firm_id), keys.MAILBOX_META).update(
            actions=[
                MailboxItem.reconciled_at.set(clock.iso()),
                MailboxItem.missing.set(missing),
                MailboxItem.refetched.set(refetched[:REFETCHED_KEPT]),  # type: ignore[arg-type]
            ],
            condition=MailboxItem.pk.exists(),
        )
    except UpdateError as failure:
        if not condition_failed(failure):  # the mailbox was removed meanwhile
            raise


def _mailbox(item: MailboxItem) -> StoredMailbox:
    folders: Any = item.folders
    return StoredMailbox(
        firm_id=item.firm_id,
        imap_host=item.imap_host,
        imap_port=int(item.imap_port),
        username=item.username,
        security=item.security,  # type: ignore[arg-type]
        auth_method=item.auth_method,  # type: ignore[arg-type]
        folders=mappers.plain(folders),
        connected_at=item.connected_at,
        updated_at=item.updated_at,
        last_sync_at=item.last_sync_at,
        status=item.status,  # type: ignore[arg-type]
        last_error=item.last_error,
        last_error_code=item.last_error_code,
        last_error_at=item.last_error_at,
        next_sync_at=item.next_sync_at,
        failing_since=item.failing_since,
        reconciled_at=item.reconciled_at,
        missing=int(item.missing) if item.missing is not None else None,  # type: ignore[redundant-expr]
        refetched=[str(i) for i in item.refetched or []],
        secret_id=item.secret_id,
        mailbox_key=item.mailbox_key,
    )


# ------------------------------------------------------------------ cursors


def get_cursor(firm_id: str, mailbox_key: str, role: str) -> Cursor | None:
    try:
        item = CursorItem.get(
            keys.mail(firm_id), f"CURSOR#{mailbox_key}#{role}", consistent_read=True
        )
    except DoesNotExist:
        return None
    return Cursor(item.folder, int(item.uidvalidity), int(item.last_uid), bool(item.initial))


def save_cursor(firm_id: str, mailbox_key: str, role: str, cursor: Cursor) -> None:
    CursorItem(
        pk=keys.mail(firm_id),
        sk=f"CURSOR#{mailbox_key}#{role}",
        folder=cursor.folder,
        uidvalidity=cursor.uidvalidity,
        last_uid=cursor.last_uid,
        initial=cursor.initial,
        updated_at=clock.iso(),
    ).save()
