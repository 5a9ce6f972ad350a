"""Invitation histories in DynamoDB: one partition per address on an account
(`FIRM#f#INVITATIONS#<account>#<email_id>`), one item per (invitation, what), so the
route reads it in one query and a redelivered event or a retried send adds nothing (the
put is conditional on the item being new: the first time stays)."""

from __future__ import annotations

from pynamodb.exceptions import PutError, UpdateError

from crm.core.invitation_history import HistoryEntry
from crm.storage import keys
from crm.storage.items import AccessItem, InvitationEventItem, Item
from crm.storage.table import TransactWrite, condition_failed


def put(
    tx: TransactWrite, firm_id: str, account_id: str, email_id: str, entry: HistoryEntry
) -> None:
    """Inside the transaction of the change it records (accepted, superseded, revoked):
    that change happens once, so the entry needs no condition of its own."""
    tx.save(_item(firm_id, account_id, email_id, entry))


def record(firm_id: str, account_id: str, email_id: str, entry: HistoryEntry) -> bool:
    """Record an entry once: False when this invitation already has one of this kind
    (a redelivered SES event, a retried send, a second opening of the link)."""
    try:
        _item(firm_id, account_id, email_id, entry).save(
            condition=InvitationEventItem.pk.does_not_exist()
        )
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def entries(firm_id: str, account_id: str, email_id: str) -> list[HistoryEntry]:
    """Every stored entry of the address on the account: one query (DynamoDB pages past
    1 MB, some thousands of entries; the invitation throttle keeps it far smaller)."""
    found = Item.query(keys.invitation_history(firm_id, account_id, email_id))
    return [
        HistoryEntry(
            invitation_id=item.invitation_id,
            what=item.what,  # type: ignore[arg-type]
            at=item.at,
            by=item.by,
            address=item.address,
            expires_at=item.expires_at,
        )
        for item in found
        if isinstance(item, InvitationEventItem)
    ]


def mark_bounced(firm_id: str, account_id: str, email_id: str, invitation_id: str, at: str) -> bool:
    """`invitation_bounced_at` on the access row, only while the bounced invitation is
    still the row's current one (a bounce of a superseded one changes nothing). The
    row's version is left alone: a bounce is not a change staff made."""
    try:
        Item._get_connection().update_item(
            keys.account(firm_id, account_id),
            range_key=keys.access(email_id),
            actions=[AccessItem.invitation_bounced_at.set(at)],
            condition=AccessItem.invitation_id == invitation_id,
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def _item(firm_id: str, account_id: str, email_id: str, entry: HistoryEntry) -> InvitationEventItem:
    return InvitationEventItem(
        pk=keys.invitation_history(firm_id, account_id, email_id),
        sk=keys.invitation_event(entry.invitation_id, entry.what),
        invitation_id=entry.invitation_id,
        what=entry.what,
        at=entry.at,
        by=entry.by,
        address=entry.address,
        expires_at=entry.expires_at,
    )
