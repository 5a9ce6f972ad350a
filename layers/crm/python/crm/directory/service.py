"""The rules of the directory: accounts, email fields, contacts, addresses, links.

An address leaves an account only through LOGIN off: when an address of an active
portal user is changed or removed, or its contact unlinked, the row stays on the account
as an unlinked email with LOGIN on, so access is never cut by accident (API.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crm import clock
from crm.core import ids
from crm.core.access import AccessRecord, invited, new_record, retired
from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.directory import (
    Account,
    AccountPage,
    AccountRef,
    AccountSort,
    Contact,
    ContactDetail,
    ContactEmail,
    ContactListed,
    ContactPage,
    EmailField,
    StoredContact,
)
from crm.core.invitations import Invitation, Status
from crm.directory import csv_import
from crm.directory.contacts import new_contact, new_email, refuse_duplicate
from crm.directory.models import (
    ChangeContact,
    ChangeEmail,
    CreateAccount,
    CreateContact,
    CreateEmailField,
    EmailFieldPage,
    EmailInput,
    ImportResult,
    Link,
    LinkContact,
)
from crm.errors import AlreadyExists, NotFound, ValidationFailed
from crm.i18n import Localizer
from crm.storage import directory as store
from crm.storage import firms, paging


@dataclass
class DirectoryService:
    invitation_ttl_days: int

    # ------------------------------------------------------------- accounts
    def create_account(self, caller: Staff, request: CreateAccount) -> Account:
        caller.require_manage_accounts()
        account = Account(
            account_id=ids.new_id("acc"),
            name=request.name,
            type=request.type,
            created_at=clock.iso(),
        )
        entry = AuditEntry.new(
            caller.actor,
            "account_created",
            account_id=account.account_id,
            target=account.account_id,
            details={"name": account.name, "type": account.type},
        )
        store.create_account(caller.firm_id, account, entry)
        return account

    def list_accounts(
        self,
        caller: Staff,
        cursor: str | None,
        limit: int,
        query: str = "",
        sort: AccountSort = "name",
        nobody_notified: bool | None = None,
    ) -> AccountPage:
        """The firm's accounts whose name holds `query` (any case), and with
        `nobody_notified` only those where no address has NOTIFY on (or, false, only the
        others), sorted by `sort` (a leading `-`: descending), one page of at most
        `limit`. The accounts' own items say it (crm.storage.notified): no row is read."""
        wanted = query.casefold()
        accounts = [
            a
            for a in store.all_accounts(caller.firm_id)
            if wanted in a.name.casefold()
            and (nobody_notified is None or a.nobody_notified == nobody_notified)
        ]
        by = sort.lstrip("-")

        def position(account: Account) -> tuple[str, ...]:
            first = account.name.casefold() if by == "name" else account.created_at
            return (first, account.account_id)

        descending = sort.startswith("-")
        accounts.sort(key=position, reverse=descending)
        items, next_cursor = paging.page_after(
            accounts, position, cursor, limit, descending=descending
        )
        return AccountPage(items=items, next_cursor=next_cursor)

    def get_account(self, caller: Staff, account_id: str) -> Account:
        return store.get_account(caller.firm_id, account_id)

    # --------------------------------------------------------- email fields
    def list_fields(self, caller: Staff, cursor: str | None, limit: int) -> EmailFieldPage:
        fields = store.list_fields(caller.firm_id)  # in the order of their ids
        items, next_cursor = paging.page_after(fields, lambda f: (f.field_id,), cursor, limit)
        return EmailFieldPage(items=items, next_cursor=next_cursor)

    def create_field(self, caller: Staff, request: CreateEmailField) -> EmailField:
        caller.require_manage_accounts()
        existing = store.list_fields(caller.firm_id)
        if any(f.label.casefold() == request.label.casefold() for f in existing):
            raise AlreadyExists("An email field with this label already exists.")
        field = EmailField(field_id=ids.new_id("fld"), label=request.label)
        entry = AuditEntry.new(
            caller.actor,
            "email_field_created",
            target=field.field_id,
            details={"label": field.label},
        )
        store.create_field(caller.firm_id, field, entry)
        return field

    # ------------------------------------------------------------- contacts
    def create_contact(self, caller: Staff, request: CreateContact) -> Contact:
        caller.require_manage_accounts()
        fields = self._fields(caller.firm_id)
        contact = new_contact(request, fields)
        store.create_contacts(caller.firm_id, [contact], [_created(caller, contact)])
        return contact.public()

    def get_contact(self, caller: Staff, contact_id: str) -> ContactDetail:
        contact = store.get_contact(caller.firm_id, contact_id)
        accounts = store.get_accounts(caller.firm_id, contact.account_ids)
        return ContactDetail(
            **contact.public().model_dump(),
            accounts=[AccountRef(account_id=a.account_id, name=a.name) for a in accounts],
        )

    def change_contact(
        self, caller: Staff, contact_id: str, request: ChangeContact
    ) -> ContactDetail:
        """New names or language (null: the firm's); the contact's rows on its accounts
        show the new names from the next read, as they read them from the contact."""
        caller.require_manage_accounts()
        contact = store.get_contact(caller.firm_id, contact_id)
        changes: dict[str, object] = {
            name: {"from": getattr(contact, name), "to": value}
            for name, value in request.changes().items()
            if getattr(contact, name) != value
        }
        if changes:
            changed = contact.model_copy(update=request.changes())
            store.save_contact_change(
                changed,
                caller.firm_id,
                audit_entries=_audits(caller, contact, "contact_changed", contact_id, changes),
            )
        return self.get_contact(caller, contact_id)

    def list_contacts(
        self, caller: Staff, cursor: str | None, limit: int, query: str = ""
    ) -> ContactPage:
        """The firm's contacts whose first or last name or any address holds `query`
        (any case), by last name then first name: two queries of the firm's partition
        (its contacts, its accounts), whatever the page."""
        wanted = query.casefold()
        contacts = [
            c
            for c in store.all_contacts(caller.firm_id)
            if not wanted
            or wanted in f"{c.first_name} {c.last_name}".casefold()
            or wanted in f"{c.last_name} {c.first_name}".casefold()
            or any(wanted in e.address.casefold() for e in c.emails)
        ]
        names = {a.account_id: a.name for a in store.all_accounts(caller.firm_id)}

        def position(contact: StoredContact) -> tuple[str, ...]:
            return (contact.last_name.casefold(), contact.first_name.casefold(), contact.contact_id)

        contacts.sort(key=position)
        page, next_cursor = paging.page_after(contacts, position, cursor, limit)
        items = [
            ContactListed(
                contact_id=c.contact_id,
                first_name=c.first_name,
                last_name=c.last_name,
                language=c.language,
                emails=c.emails,
                accounts=sorted(
                    (AccountRef(account_id=a, name=names[a]) for a in c.account_ids if a in names),
                    key=lambda ref: ref.name.casefold(),
                ),
            )
            for c in page
        ]
        return ContactPage(items=items, next_cursor=next_cursor)

    def add_email(self, caller: Staff, contact_id: str, request: EmailInput) -> ContactEmail:
        caller.require_manage_accounts()
        contact = store.get_contact(caller.firm_id, contact_id)
        email = new_email(request, self._fields(caller.firm_id), name="address")
        refuse_duplicate(contact.emails, email.address)
        changed = contact.model_copy(update={"emails": [*contact.emails, email]})
        accounts = store.get_accounts(caller.firm_id, contact.account_ids)
        defaults = self._defaults(caller.firm_id) if accounts else {}
        rows = [
            new_record(caller.firm_id, a.account_id, a.name, contact.contact_id, email, defaults)
            for a in accounts
        ]
        store.save_contact_change(
            changed,
            caller.firm_id,
            new_rows=rows,
            audit_entries=_audits(
                caller, contact, "email_added", email.email_id, {"address": email.address}
            ),
        )
        return email

    def change_email(
        self, caller: Staff, contact_id: str, email_id: str, request: ChangeEmail
    ) -> ContactEmail:
        caller.require_manage_accounts()
        contact = store.get_contact(caller.firm_id, contact_id)
        current = _find(contact, email_id)
        fields = self._fields(caller.firm_id)
        address = request.address if request.address is not None else current.address
        field_id = request.field_id if request.field_id is not None else current.field_id
        if field_id not in fields:
            raise ValidationFailed.on("field_id", "There is no email field with this id.")
        others = [e for e in contact.emails if e.email_id != email_id]
        refuse_duplicate(others, address)
        updated = ContactEmail(
            email_id=email_id, address=address, field_id=field_id, label=fields[field_id]
        )
        if updated == current:
            return current
        rows = store.access_rows(caller.firm_id, [(a, email_id) for a in contact.account_ids])
        new_rows: list[AccessRecord] = []
        changed_rows: list[AccessRecord] = []
        new_invitations: list[Invitation] = []
        address_changed = address.casefold() != current.address.casefold()
        for row in rows:
            moved = row.model_copy(update={"address": address, "label": updated.label})
            if address_changed and row.login and row.login_status == "active":
                # the active user keeps access through the old address, now unlinked
                new_rows.append(
                    row.model_copy(
                        update={
                            "email_id": ids.new_id("eml"),
                            "linked": False,
                            "notify": False,
                            "email_sync": False,
                            "version": None,
                        }
                    )
                )
                # ... and the row itself now holds the new address, LOGIN off
                changed_rows.append(
                    moved.model_copy(update={"login": False, "login_status": "off"})
                )
            elif address_changed and row.login_status == "invited":
                # the old link dies at once; a fresh invitation goes to the new address
                reinvited, invitation = invited(moved, self.invitation_ttl_days)
                changed_rows.append(reinvited)
                new_invitations.append(invitation)
            else:
                changed_rows.append(moved)
        changed = contact.model_copy(
            update={"emails": [updated if e.email_id == email_id else e for e in contact.emails]}
        )
        store.save_contact_change(
            changed,
            caller.firm_id,
            new_rows=new_rows,
            changed_rows=changed_rows,
            new_invitations=new_invitations,
            rows_before=rows,
            retired=[
                r for r in (retired(old, new) for old, new in _pairs(rows, changed_rows)) if r
            ],
            audit_entries=_audits(
                caller,
                contact,
                "email_changed",
                email_id,
                {"from": current.address, "to": address, "field_id": field_id},
            ),
        )
        return updated

    def remove_email(self, caller: Staff, contact_id: str, email_id: str) -> None:
        caller.require_manage_accounts()
        contact = store.get_contact(caller.firm_id, contact_id)
        current = _find(contact, email_id)
        rows = store.access_rows(caller.firm_id, [(a, email_id) for a in contact.account_ids])
        kept, dropped = _keep_active(rows)
        retire, revoked = _revoke_pending(caller, dropped, "email_removed")
        changed = contact.model_copy(
            update={"emails": [e for e in contact.emails if e.email_id != email_id]}
        )
        store.save_contact_change(
            changed,
            caller.firm_id,
            changed_rows=kept,
            deleted_rows=dropped,
            rows_before=rows,
            retired=retire,
            audit_entries=[
                *_audits(caller, contact, "email_removed", email_id, {"address": current.address}),
                *revoked,
            ],
        )

    def import_contacts(self, caller: Staff, text: str, words: Localizer) -> ImportResult:
        """Good rows kept, bad ones reported in `words` (the reader's language)."""
        caller.require_manage_accounts()
        contacts, errors = csv_import.parse(text, self._fields(caller.firm_id), words)
        if contacts:
            summary = AuditEntry.new(
                caller.actor,
                "contacts_imported",
                details={"created": len(contacts), "rejected_rows": len(errors)},
            )
            store.create_contacts(caller.firm_id, contacts, [summary])
        return ImportResult(created=len(contacts), errors=errors)

    # ---------------------------------------------------------------- links
    def link(self, caller: Staff, account_id: str, request: LinkContact) -> Link:
        caller.require_manage_accounts()
        account, contacts = store.get_account_and_contacts(
            caller.firm_id, account_id, [request.contact_id]
        )
        contact = contacts.get(request.contact_id)
        if contact is None:
            raise NotFound("This contact does not exist.")
        if account.account_id in contact.account_ids:
            raise AlreadyExists("This contact is already linked to this account.")
        existing = {
            r.email_id: r
            for r in store.access_rows(
                caller.firm_id, [(account_id, e.email_id) for e in contact.emails]
            )
        }
        defaults = self._defaults(caller.firm_id)
        new_rows = [
            new_record(caller.firm_id, account_id, account.name, contact.contact_id, e, defaults)
            for e in contact.emails
            if e.email_id not in existing
        ]
        relinked = [r.model_copy(update={"linked": True}) for r in existing.values()]
        linked_at = clock.iso()
        changed = contact.model_copy(
            update={"account_ids": sorted({*contact.account_ids, account_id})}
        )
        store.save_contact_change(
            changed,
            caller.firm_id,
            new_rows=new_rows,
            changed_rows=relinked,
            rows_before=list(existing.values()),
            link=(account_id, linked_at),
            audit_entries=[
                AuditEntry.new(
                    caller.actor,
                    "contact_linked",
                    account_id=account_id,
                    target=contact.contact_id,
                )
            ],
            conflict=AlreadyExists("This contact is already linked to this account."),
        )
        return Link(account_id=account_id, contact_id=contact.contact_id, linked_at=linked_at)

    def unlink(self, caller: Staff, account_id: str, contact_id: str) -> None:
        caller.require_manage_accounts()
        _, contacts = store.get_account_and_contacts(caller.firm_id, account_id, [contact_id])
        contact = contacts.get(contact_id)
        if contact is None or account_id not in contact.account_ids:
            raise NotFound("This contact is not linked to this account.")
        rows = store.access_rows(caller.firm_id, [(account_id, e.email_id) for e in contact.emails])
        kept, dropped = _keep_active(rows)
        retire, revoked = _revoke_pending(caller, dropped, "contact_unlinked")
        changed = contact.model_copy(
            update={"account_ids": [a for a in contact.account_ids if a != account_id]}
        )
        store.save_contact_change(
            changed,
            caller.firm_id,
            changed_rows=kept,
            deleted_rows=dropped,
            rows_before=rows,
            unlink=account_id,
            retired=retire,
            audit_entries=[
                AuditEntry.new(
                    caller.actor,
                    "contact_unlinked",
                    account_id=account_id,
                    target=contact_id,
                ),
                *revoked,
            ],
        )

    # --------------------------------------------------------------- helpers
    def _defaults(self, firm_id: str) -> dict[str, bool]:
        """The preferences a new address starts with, as the firm set them."""
        return firms.get_settings(firm_id).default_notification_preferences.model_dump()

    def _fields(self, firm_id: str) -> dict[str, str]:
        return {f.field_id: f.label for f in store.list_fields(firm_id)}


def _find(contact: StoredContact, email_id: str) -> ContactEmail:
    for email in contact.emails:
        if email.email_id == email_id:
            return email
    raise NotFound("This contact has no such email address.")


def _pairs(
    before: Sequence[AccessRecord], after: Sequence[AccessRecord]
) -> list[tuple[AccessRecord, AccessRecord]]:
    """(old, new) for every row present in both, by email id."""
    old = {r.email_id: r for r in before}
    return [(old[r.email_id], r) for r in after if r.email_id in old]


def _keep_active(rows: Sequence[AccessRecord]) -> tuple[list[AccessRecord], list[AccessRecord]]:
    """Rows of active users stay, unlinked; every other row goes (a pending invitation
    dies with it)."""
    kept = [
        r.model_copy(update={"linked": False})
        for r in rows
        if r.login and r.login_status == "active"
    ]
    active = {r.email_id for r in kept}
    return kept, [r for r in rows if r.email_id not in active]


def _revoke_pending(
    caller: Staff, dropped: Sequence[AccessRecord], reason: str
) -> tuple[list[tuple[str, Status]], list[AuditEntry]]:
    """The invitations pending on rows that leave their account (address removed,
    contact unlinked) end with them, as a resend ends the one it replaces: revoked in the
    same transaction, so their tokens answer the same 404 as any unusable one; each with
    its entry in the account's audit."""
    pending = list({r.invitation_id: r for r in dropped if r.invitation_id}.values())
    retire: list[tuple[str, Status]] = [
        (r.invitation_id, "revoked") for r in pending if r.invitation_id
    ]
    entries = [
        AuditEntry.new(
            caller.actor,
            "invitation_revoked",
            account_id=r.account_id,
            target=r.email_id,
            details={"address": r.address, "invitation_id": r.invitation_id, "reason": reason},
        )
        for r in pending
    ]
    return retire, entries


def _created(caller: Staff, contact: StoredContact) -> AuditEntry:
    return AuditEntry.new(
        caller.actor,
        "contact_created",
        target=contact.contact_id,
        details={"emails": [e.address for e in contact.emails]},
    )


def _audits(
    caller: Staff, contact: StoredContact, action: str, target: str, details: dict[str, object]
) -> list[AuditEntry]:
    """One entry in the audit of every account the contact is linked to (the firm's own
    audit when it is linked to none)."""
    accounts: list[str | None] = list(contact.account_ids) or [None]
    details = {"contact_id": contact.contact_id, **details}
    return [
        AuditEntry.new(caller.actor, action, account_id=a, target=target, details=details)
        for a in accounts
    ]
