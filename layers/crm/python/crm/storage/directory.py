"""Accounts, email fields, contacts and links in DynamoDB.

A contact's addresses live inside the contact item; every change that puts an address on
an account, or takes it off, writes the access rows of that account in the same
transaction, so the Contacts section never shows half a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pynamodb.exceptions import DoesNotExist

from crm import clock
from crm.core.access import AccessRecord
from crm.core.audit import AuditEntry
from crm.core.directory import Account, ContactEmail, EmailField, StoredContact
from crm.core.invitations import Invitation, Status
from crm.errors import AlreadyExists, NotFound
from crm.storage import access as access_store
from crm.storage import audit, invitations, keys, notified
from crm.storage.items import (
    AccessItem,
    AccountItem,
    ContactItem,
    EmailEntry,
    FieldItem,
    Item,
    LinkItem,
)
from crm.storage.table import transaction

# ------------------------------------------------------------------ accounts


def create_account(firm_id: str, account: Account, audit_entry: AuditEntry) -> None:
    with transaction() as tx:
        tx.save(
            AccountItem(
                pk=keys.firm(firm_id),
                sk=keys.account_meta(account.account_id),
                account_id=account.account_id,
                name=account.name,
                type=account.type,
                created_at=account.created_at,
                notified=0,
            ),
            condition=AccountItem.pk.does_not_exist(),
        )
        tx.save(audit.item(firm_id, audit_entry))


def get_account(firm_id: str, account_id: str) -> Account:
    try:
        item = AccountItem.get(keys.firm(firm_id), keys.account_meta(account_id))
    except DoesNotExist as error:
        raise NotFound("This account does not exist.") from error
    return _account(firm_id, item)


def get_accounts(firm_id: str, account_ids: Iterable[str]) -> list[Account]:
    """Several accounts in one batch read, sorted by name; missing ones are left out."""
    wanted = [(keys.firm(firm_id), keys.account_meta(a)) for a in dict.fromkeys(account_ids)]
    if not wanted:
        return []
    found = [_account(firm_id, item) for item in AccountItem.batch_get(wanted)]
    return sorted(found, key=lambda a: a.name.casefold())


def all_accounts(firm_id: str) -> list[Account]:
    """Every account of the firm: one query of its partition's accounts (paged by
    DynamoDB as it needs), for lists sorted and filtered in memory."""
    found = AccountItem.query(keys.firm(firm_id), AccountItem.sk.startswith("ACCOUNT#"))
    return [_account(firm_id, item) for item in found]


def _account(firm_id: str, item: AccountItem) -> Account:
    return Account(
        account_id=item.account_id,
        name=item.name,
        type=item.type,  # type: ignore[arg-type]
        created_at=item.created_at,
        nobody_notified=notified.nobody_notified(firm_id, item),
    )


# -------------------------------------------------------------- email fields


def create_field(firm_id: str, field: EmailField, audit_entry: AuditEntry) -> None:
    with transaction() as tx:
        tx.save(
            FieldItem(
                pk=keys.firm(firm_id),
                sk=keys.field(field.field_id),
                field_id=field.field_id,
                label=field.label,
                created_at=clock.iso(),
            )
        )
        tx.save(audit.item(firm_id, audit_entry))


def list_fields(firm_id: str) -> list[EmailField]:
    found = FieldItem.query(keys.firm(firm_id), FieldItem.sk.startswith("FIELD#"))
    return [EmailField(field_id=f.field_id, label=f.label) for f in found]


# ------------------------------------------------------------------ contacts


def create_contacts(
    firm_id: str, contacts: Sequence[StoredContact], audit_entries: Iterable[AuditEntry]
) -> None:
    """New contacts (none linked yet). Up to 25 per call go in one batch write."""
    with ContactItem.batch_write() as batch:
        for contact in contacts:
            batch.save(_contact_item(firm_id, contact))
        for entry in audit_entries:
            batch.save(audit.item(firm_id, entry))


def get_contact(firm_id: str, contact_id: str) -> StoredContact:
    try:
        item = ContactItem.get(keys.firm(firm_id), keys.contact(contact_id))
    except DoesNotExist as error:
        raise NotFound("This contact does not exist.") from error
    return _contact(item)


def contact_languages(firm_id: str, contact_ids: Iterable[str]) -> dict[str, str | None]:
    """The language of each contact that exists (None: the firm's), in one batch read:
    what the emails to several people need, whatever their number."""
    wanted = [(keys.firm(firm_id), keys.contact(c)) for c in dict.fromkeys(contact_ids)]
    if not wanted:
        return {}
    return {item.contact_id: item.language for item in ContactItem.batch_get(wanted)}


def all_contacts(firm_id: str) -> list[StoredContact]:
    """Every contact of the firm: one query of its partition's contacts (paged by
    DynamoDB as it needs), for the contacts list sorted and searched in memory."""
    found = ContactItem.query(keys.firm(firm_id), ContactItem.sk.startswith("CONTACT#"))
    return [_contact(item) for item in found]


def get_account_and_contacts(
    firm_id: str, account_id: str, contact_ids: Iterable[str]
) -> tuple[Account, dict[str, StoredContact]]:
    """The account and some of its contacts in one batch read (NotFound if the account
    does not exist)."""
    firm_pk = keys.firm(firm_id)
    wanted = [(firm_pk, keys.account_meta(account_id))]
    wanted += [(firm_pk, keys.contact(c)) for c in dict.fromkeys(contact_ids)]
    account: Account | None = None
    contacts: dict[str, StoredContact] = {}
    for item in Item.batch_get(wanted):
        if isinstance(item, AccountItem):
            account = _account(firm_id, item)
        elif isinstance(item, ContactItem):
            contacts[item.contact_id] = _contact(item)
    if account is None:
        raise NotFound("This account does not exist.")
    return account, contacts


def access_rows(firm_id: str, pairs: Iterable[tuple[str, str]]) -> list[AccessRecord]:
    """The access rows of (account_id, email_id) pairs that exist, in one batch read."""
    wanted = [(keys.account(firm_id, a), keys.access(e)) for a, e in dict.fromkeys(pairs)]
    if not wanted:
        return []
    return [
        access_store.record(firm_id, item.pk.rsplit("#", 1)[1], item)
        for item in AccessItem.batch_get(wanted)
    ]


def save_contact_change(
    contact: StoredContact,
    firm_id: str,
    *,
    new_rows: Sequence[AccessRecord] = (),
    changed_rows: Sequence[AccessRecord] = (),
    deleted_rows: Sequence[AccessRecord] = (),
    link: tuple[str, str] | None = None,
    unlink: str | None = None,
    audit_entries: Sequence[AuditEntry] = (),
    new_invitations: Sequence[Invitation] = (),
    retired: Sequence[tuple[str, Status]] = (),
    conflict: AlreadyExists | None = None,
    rows_before: Sequence[AccessRecord] = (),
) -> StoredContact:
    """One transaction: the contact (conditional on the version read), the access rows it
    puts on, changes or takes off accounts, a link made or removed, invitations sent
    instead of others, the audit, and the accounts' counts of rows with NOTIFY on
    (crm.storage.notified; `rows_before`: the changed rows as read)."""
    changed_ids = {(r.account_id, r.email_id) for r in changed_rows}
    change = notified.deltas(
        before=[
            *deleted_rows,
            *(r for r in rows_before if (r.account_id, r.email_id) in changed_ids),
        ],
        after=[*new_rows, *changed_rows],
    )
    return notified.write(
        firm_id,
        change,
        lambda: _save_contact_change(
            contact,
            firm_id,
            new_rows,
            changed_rows,
            deleted_rows,
            link,
            unlink,
            audit_entries,
            new_invitations,
            retired,
            conflict,
            change,
            rows_before,
        ),
    )


def _save_contact_change(
    contact: StoredContact,
    firm_id: str,
    new_rows: Sequence[AccessRecord],
    changed_rows: Sequence[AccessRecord],
    deleted_rows: Sequence[AccessRecord],
    link: tuple[str, str] | None,
    unlink: str | None,
    audit_entries: Sequence[AuditEntry],
    new_invitations: Sequence[Invitation],
    retired: Sequence[tuple[str, Status]],
    conflict: AlreadyExists | None,
    change: dict[str, int],
    rows_before: Sequence[AccessRecord] = (),
) -> StoredContact:
    item = _contact_item(firm_id, contact)
    with transaction(conflict) as tx:
        tx.save(item)
        for row in new_rows:
            tx.save(access_store.to_item(row), condition=AccessItem.pk.does_not_exist())
        for row in changed_rows:
            tx.save(access_store.to_item(row))
        for row in deleted_rows:
            tx.delete(access_store.to_item(row))
        if link:
            account_id, linked_at = link
            tx.save(
                LinkItem(
                    pk=keys.account(firm_id, account_id),
                    sk=keys.link(contact.contact_id),
                    contact_id=contact.contact_id,
                    linked_at=linked_at,
                ),
                condition=LinkItem.pk.does_not_exist(),
            )
        if unlink:
            tx.delete(
                LinkItem(keys.account(firm_id, unlink), keys.link(contact.contact_id)),
                condition=LinkItem.pk.exists(),
            )
        by = audit_entries[0].actor if audit_entries else "system"
        for invitation in new_invitations:
            invitations.add(tx, invitation, by=by)
        holders = {r.invitation_id: r for r in [*rows_before, *deleted_rows] if r.invitation_id}
        for invitation_id, status in retired:
            invitations.retire(
                tx, firm_id, invitation_id, status, by=by, holder=holders.get(invitation_id)
            )
        for entry in audit_entries:
            tx.save(audit.item(firm_id, entry))
        notified.add(tx, firm_id, change)
    return contact.model_copy(update={"version": item.version})


def _contact_item(firm_id: str, contact: StoredContact) -> ContactItem:
    item = ContactItem(
        pk=keys.firm(firm_id),
        sk=keys.contact(contact.contact_id),
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        language=contact.language,
        emails=[EmailEntry(**e.model_dump()) for e in contact.emails],
        account_ids=set(contact.account_ids) or None,
        created_at=contact.created_at,
    )
    if contact.version is not None:
        item.version = contact.version
    return item


def _contact(item: ContactItem) -> StoredContact:
    return StoredContact(
        contact_id=item.contact_id,
        first_name=item.first_name,
        last_name=item.last_name,
        language=item.language,  # type: ignore[arg-type]
        emails=[
            ContactEmail(email_id=e.email_id, address=e.address, field_id=e.field_id, label=e.label)
            for e in item.emails or []
        ],
        account_ids=sorted(item.account_ids or []),
        created_at=item.created_at,
        version=item.version,
    )
