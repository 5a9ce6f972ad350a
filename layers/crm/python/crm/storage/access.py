"""Access rows in DynamoDB: one item per (account, address), in the account's partition
beside its links, so the Contacts section is one query plus one batch read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.exceptions import DoesNotExist

from crm import clock
from crm.core.access import AccessRecord
from crm.core.audit import AuditEntry
from crm.core.events import Event
from crm.core.invitations import Invitation, Status
from crm.core.schedules import DeliverySchedule
from crm.errors import NotFound
from crm.storage import audit, grants, invitations, keys, notified, outbox
from crm.storage.items import AccessItem, Item, LinkItem
from crm.storage.table import transaction

NOT_FOUND = "This address is not on this account."


def get(firm_id: str, account_id: str, email_id: str) -> AccessRecord:
    try:
        item = AccessItem.get(keys.account(firm_id, account_id), keys.access(email_id))
    except DoesNotExist as error:
        raise NotFound(NOT_FOUND) from error
    return record(firm_id, account_id, item)


def save(
    record_: AccessRecord,
    audit_entry: AuditEntry,
    invitation: Invitation | None = None,
    retire: tuple[str, Status] | None = None,
    revoke_grant: bool = False,
    events: Sequence[Event] = (),
    grant_firm_name: str | None = None,
    before: AccessRecord | None = None,
) -> AccessRecord:
    """Write a changed row, conditional on the version that was read, with its audit
    entry, a new invitation, the retirement (`(invitation_id, status)`) of the one it
    replaces, and the events it causes (the outbox), in one transaction. Someone else's
    change in between is a Conflict. With `grant_firm_name`, the row's portal user
    (`portal_sub`) gains the account again (access restored). With `before` (the row as
    read), a change of NOTIFY moves the account's count (crm.storage.notified)."""
    change = notified.deltas(before=[before], after=[record_]) if before else {}
    return notified.write(
        record_.firm_id,
        change,
        lambda: _save(
            record_, audit_entry, invitation, retire, revoke_grant, events, grant_firm_name, change
        ),
    )


def _save(
    record_: AccessRecord,
    audit_entry: AuditEntry,
    invitation: Invitation | None,
    retire: tuple[str, Status] | None,
    revoke_grant: bool,
    events: Sequence[Event],
    grant_firm_name: str | None,
    change: dict[str, int],
) -> AccessRecord:
    item = to_item(record_)
    with transaction() as tx:
        if record_.login or record_.linked:
            tx.save(item)
        else:  # LOGIN off on an address no longer on a linked contact: it leaves
            tx.delete(item)
        if invitation is not None:
            invitations.add(tx, invitation, by=audit_entry.actor)
        if retire is not None:
            invitations.retire(tx, record_.firm_id, *retire, by=audit_entry.actor, holder=record_)
        if revoke_grant:
            grants.revoke(tx, record_)  # the grant of the user the row was activated for
        if grant_firm_name is not None and record_.portal_sub:
            grants.grant(tx, record_, grant_firm_name, record_.portal_sub)
        tx.save(audit.item(record_.firm_id, audit_entry))
        outbox.emit(tx, events)
        notified.add(tx, record_.firm_id, change)
    return record_.model_copy(update={"version": item.version})


def read_partition(firm_id: str, account_id: str) -> tuple[list[str], list[AccessRecord]]:
    """The ids of the account's linked contacts and its access rows, in one query (paged
    by DynamoDB only past 1 MB)."""
    links: list[str] = []
    rows: list[AccessRecord] = []
    for item in Item.query(keys.account(firm_id, account_id)):
        if isinstance(item, LinkItem):
            links.append(item.contact_id)
        elif isinstance(item, AccessItem):
            rows.append(record(firm_id, account_id, item))
    return links, rows


def rows_of_address(firm_id: str, address: str) -> list[AccessRecord]:
    """Every access row of one address in one firm, across its accounts (one query)."""
    return [
        record(firm_id, item.gsi1sk.split("#", 1)[0], item)
        for item in AccessItem.by_address.query(keys.address(firm_id, address))
        if isinstance(item, AccessItem)
    ]


def record(firm_id: str, account_id: str, item: AccessItem) -> AccessRecord:
    prefs: Any = item.preferences
    return AccessRecord(
        firm_id=firm_id,
        account_id=account_id,
        account_name=item.account_name,
        email_id=item.email_id,
        contact_id=item.contact_id,
        address=item.address,
        label=item.label,
        linked=item.linked,
        login=item.login,
        notify=item.notify,
        email_sync=item.email_sync,
        login_status=item.login_status,  # type: ignore[arg-type]
        invitation_id=item.invitation_id,
        invitation_expires_at=item.invitation_expires_at,
        preferences=prefs.as_dict() if hasattr(prefs, "as_dict") else dict(prefs),
        version=item.version,
        portal_sub=item.portal_sub,
        last_portal_sub=item.portal_sub or item.last_portal_sub,
        last_invited_at=item.last_invited_at,
        accepted_at=item.accepted_at,
        access_restored_at=item.access_restored_at,
        last_sign_in_at=item.last_sign_in_at,
        invitation_bounced_at=item.invitation_bounced_at,
        unsubscribed=sorted(item.unsubscribed or ()),
        delivery_schedule=DeliverySchedule.model_validate_json(item.delivery_schedule)
        if item.delivery_schedule
        else None,
    )


def to_item(record_: AccessRecord) -> AccessItem:
    item = AccessItem(
        pk=keys.account(record_.firm_id, record_.account_id),
        sk=keys.access(record_.email_id),
        email_id=record_.email_id,
        contact_id=record_.contact_id,
        account_name=record_.account_name,
        address=record_.address,
        label=record_.label,
        linked=record_.linked,
        login=record_.login,
        notify=record_.notify,
        email_sync=record_.email_sync,
        login_status=record_.login_status,
        invitation_id=record_.invitation_id,
        invitation_expires_at=record_.invitation_expires_at,
        preferences=record_.preferences,
        updated_at=clock.iso(),
        gsi1pk=keys.address(record_.firm_id, record_.address),
        gsi1sk=f"{record_.account_id}#{record_.email_id}",
        gsi2pk=keys.email_sync(record_.firm_id) if record_.email_sync else None,
        gsi2sk=(
            f"{record_.address.casefold()}#{record_.account_id}#{record_.email_id}"
            if record_.email_sync
            else None
        ),
        gsi3pk=keys.portal_access(record_.firm_id) if record_.login else None,
        gsi3sk=(
            keys.portal_access_position(
                record_.login_status, record_.address, record_.account_id, record_.email_id
            )
            if record_.login
            else None
        ),
        # the user a grant was written for, kept only while the row is active: LOGIN off
        # deletes that user's grant, whoever else holds the address by then
        portal_sub=record_.portal_sub if record_.login_status == "active" else None,
        last_portal_sub=record_.portal_sub or record_.last_portal_sub,
        last_invited_at=record_.last_invited_at,
        accepted_at=record_.accepted_at,
        access_restored_at=record_.access_restored_at,
        last_sign_in_at=record_.last_sign_in_at,
        invitation_bounced_at=record_.invitation_bounced_at,
        unsubscribed=set(record_.unsubscribed) or None,
        delivery_schedule=record_.delivery_schedule.model_dump_json(exclude_defaults=True)
        if record_.delivery_schedule and not record_.delivery_schedule.is_default
        else None,
    )
    if record_.version is not None:
        item.version = record_.version
    return item
