"""The rules of the Contacts section: LOGIN, NOTIFY, EMAIL SYNC and preferences per
account and address, and invitations requested from there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crm import clock
from crm.access import summaries
from crm.access.models import (
    AccessRow,
    AuditLine,
    AuditTrail,
    ContactsSection,
    EmailSyncState,
    SectionContact,
    ToggleChange,
)
from crm.core.access import (
    AccessRecord,
    access_restored,
    email_sync_enabled,
    invited,
    retired,
)
from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.categories import (
    CATEGORIES,
    NotificationPreferences,
    NotificationRules,
    PreferencesChange,
)
from crm.core.firms import MailboxStanding
from crm.errors import Conflict, ValidationFailed
from crm.i18n import Localizer
from crm.integrations.identity import UserPool
from crm.limits import throttle
from crm.limits.sending import Permit, Sending
from crm.storage import access as store
from crm.storage import audit, directory, firms, mailbox_state

ATTEMPTS = 5  # a field-wise change is re-applied on a fresh read when it lost a race
NO_SYNC = MailboxStanding(mailbox_status=None, jobs={})  # what rows with EMAIL SYNC off need


@dataclass
class AccessService:
    invitation_ttl_days: int
    sending: Sending = field(default_factory=Sending.from_settings)
    # the portal's users: LOGIN on again for someone whose portal login still exists
    # gives access back at once (no pool: LOGIN on always waits for an invitation)
    portal_pool: UserPool | None = None

    def section(self, caller: Staff, account_id: str) -> ContactsSection:
        """Two DynamoDB calls however many contacts: the account's partition (links and
        rows), then the account and its contacts in one batch read; a third, when a row
        has EMAIL SYNC on, for the firm's mailbox and those rows' history jobs."""
        contact_ids, records = store.read_partition(caller.firm_id, account_id)
        _, contacts = directory.get_account_and_contacts(caller.firm_id, account_id, contact_ids)
        standing = _standing(caller.firm_id, account_id, records)
        by_email = {r.email_id: r for r in records if r.linked}
        section = []
        for contact in sorted(
            contacts.values(), key=lambda c: (c.last_name.casefold(), c.first_name.casefold())
        ):
            rows = [
                row(by_email[e.email_id], standing)
                for e in contact.emails
                if e.email_id in by_email
            ]
            section.append(
                SectionContact(
                    contact_id=contact.contact_id,
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    emails=rows,
                )
            )
        unlinked = [row(r, standing) for r in records if not r.linked]
        return ContactsSection(
            contacts=section,
            unlinked_emails=unlinked,
            nobody_notified=not any(r.notify for r in records),
        )

    def change(
        self, caller: Staff, account_id: str, email_id: str, change: ToggleChange
    ) -> AccessRow:
        caller.require_manage_accounts()
        if change.send_invitation and change.login is not True:
            raise ValidationFailed.on("send_invitation", "send_invitation goes with login: true.")
        if change.note is not None and not change.send_invitation:
            raise ValidationFailed.on("note", "A note goes with send_invitation: true.")

        restorable: dict[str, bool] = {}  # the pool asked once, whatever the retries

        def apply(current: AccessRecord) -> AccessRecord:
            updated = current.model_copy()
            if change.login is True and not current.login:
                updated.login, updated.login_status = True, "not_invited"
                sub = current.last_portal_sub
                if sub and not change.send_invitation:
                    if sub not in restorable:
                        restorable[sub] = self._still_signs_in(sub, current.address)
                    if restorable[sub]:
                        updated.login_status, updated.portal_sub = "active", sub
                        updated.access_restored_at = clock.iso()
            elif change.login is False and current.login:
                updated.login, updated.login_status = False, "off"
                updated.invitation_id = updated.invitation_expires_at = None
            if change.notify is not None:
                updated.notify = change.notify
            if change.email_sync is not None:
                updated.email_sync = change.email_sync
            return updated

        invite = bool(change.send_invitation)
        written = self._write(
            caller, account_id, email_id, apply, "access_changed", invite, change.note
        )
        return row(written, _standing(caller.firm_id, account_id, [written]))

    def _still_signs_in(self, sub: str, address: str) -> bool:
        """The portal user a row was last active for still exists, is the same identity
        (its immutable sub) and still holds the address."""
        if self.portal_pool is None:
            return False
        user = self.portal_pool.find_user(address)
        return user is not None and user.sub == sub and user.holds(address)

    def invite(
        self, caller: Staff, account_id: str, email_id: str, note: str | None = None
    ) -> AccessRow:
        """Send (or send again) the invitation of a row with LOGIN on, with the firm's
        personal `note` if any; only the newest link works."""
        caller.require_manage_accounts()

        def apply(current: AccessRecord) -> AccessRecord:
            if not current.login:
                raise Conflict("Turn LOGIN on before sending an invitation.", code="login_off")
            if current.login_status == "active":
                raise Conflict("This user has already activated their login.", code="active")
            return current

        written = self._write(caller, account_id, email_id, apply, "invitation_sent", True, note)
        return row(written, _standing(caller.firm_id, account_id, [written]))

    def preferences(self, caller: Staff, account_id: str, email_id: str) -> NotificationPreferences:
        """The category switches, all of them."""
        record = store.get(caller.firm_id, account_id, email_id)
        return NotificationPreferences.model_validate(record.preferences)

    def notification_rules(self, caller: Staff) -> NotificationRules:
        """The kinds no switch stops, and the categories the firm locked."""
        locked = firms.get_settings(caller.firm_id).locked_categories
        return NotificationRules(locked_categories=locked)

    def change_preferences(
        self, caller: Staff, account_id: str, email_id: str, change: PreferencesChange
    ) -> NotificationPreferences:
        """Staff change any category, a locked one too (the firm manages it)."""
        caller.require_manage_accounts()
        wanted = change.model_dump(exclude_none=True)

        def apply(current: AccessRecord) -> AccessRecord:
            turned_on = {name for name, on in wanted.items() if on}
            return current.model_copy(
                update={
                    "preferences": {**current.preferences, **wanted},
                    "unsubscribed": [c for c in current.unsubscribed if c not in turned_on],
                }
            )

        written = self._write(caller, account_id, email_id, apply, "preferences_changed", False)
        return NotificationPreferences.model_validate(written.preferences)

    def audit(
        self,
        caller: Staff,
        account_id: str | None,
        cursor: str | None,
        limit: int,
        words: Localizer,
    ) -> AuditTrail:
        """A page of the trail, worded in the reader's language: who (a staff address,
        "client", "system") and a sentence. An account's page costs four calls whatever its
        size: its rows, the account and its people (one batch), the staff, the entries."""
        by_email_id: dict[str, str] = {}
        people: dict[str, str] = {}
        page = audit.list_entries(caller.firm_id, account_id, cursor, limit)
        if account_id:
            links, records = store.read_partition(caller.firm_id, account_id)
            named = [e.target for e in page.items if e.target and e.target.startswith("con_")]
            _, contacts = directory.get_account_and_contacts(
                caller.firm_id, account_id, [*links, *(r.contact_id for r in records), *named]
            )
            people = {
                c.contact_id: _full_name(c.first_name, c.last_name) for c in contacts.values()
            }
            by_email_id = {r.email_id: people.get(r.contact_id, "") for r in records}
        staff = {m.staff_id: m.email for m in firms.list_staff(caller.firm_id)}
        names = summaries.Names(staff=staff, contacts=people, by_email_id=by_email_id)
        return AuditTrail(
            items=[
                AuditLine(
                    **entry.model_dump(exclude={"actor"}),
                    actor=summaries.actor(entry.actor, names, words),
                    actor_id=entry.actor,
                    summary=summaries.summary(entry, names, words),
                )
                for entry in page.items
            ],
            next_cursor=page.next_cursor,
        )

    def _write(
        self,
        caller: Staff,
        account_id: str,
        email_id: str,
        apply: Callable[[AccessRecord], AccessRecord],
        action: str,
        invite: bool,
        note: str | None = None,
    ) -> AccessRecord:
        """Read, apply, write conditionally on the version read: one read and one write
        call, again on a fresh read (up to ATTEMPTS) when another writer came first.
        An invitation first asks the sending rule (crm.firms.sending: 403 for a firm not
        verified, 429 past its daily quota); a request that then fails gives it back."""
        permit: Permit | None = None
        sends: throttle.Taken | None = None  # 429 past a few per address (crm.throttle)
        try:
            for attempt in range(1, ATTEMPTS + 1):
                current = store.get(caller.firm_id, account_id, email_id)
                updated = apply(current)
                invitation = None
                if invite:
                    if permit is None:
                        permit = self.sending.permit(caller.firm_id, [current.address])
                        sends = throttle.invitation_send(caller.firm_id, current.address)
                    updated, invitation = invited(updated, self.invitation_ttl_days, note)
                if updated == current:
                    return current
                retire = retired(current, updated)
                restored = current.login_status != "active" and updated.login_status == "active"
                entry = AuditEntry.new(
                    caller.actor,
                    "access_restored" if restored else action,
                    account_id=account_id,
                    target=email_id,
                    details={
                        "address": current.address,
                        **_difference(current, updated),
                        # the note itself stays on the invitation: the trail says it had one
                        **({"note_length": len(note)} if invitation and note else {}),
                    },
                )
                # the invitation brings its own event (crm.storage.invitations)
                events = []
                if updated.email_sync and not current.email_sync:
                    events.append(email_sync_enabled(updated))
                if restored:  # the person hears that the account is back in their portal
                    events.append(access_restored(updated))
                try:
                    revoke = current.login_status == "active" and updated.login_status != "active"
                    firm_name = firms.get_firm(caller.firm_id).name if restored else None
                    return store.save(
                        updated,
                        entry,
                        invitation,
                        retire,
                        revoke,
                        events,
                        firm_name,
                        before=current,
                    )
                except Conflict:
                    if attempt == ATTEMPTS:
                        raise
                    continue
        except BaseException:
            if permit is not None:
                self.sending.release(permit)
            if sends is not None:
                sends.give_back()
            raise
        raise AssertionError("unreachable")  # pragma: no cover


def row(record: AccessRecord, standing: MailboxStanding) -> AccessRow:
    return AccessRow(
        email_id=record.email_id,
        address=record.address,
        label=record.label,
        login=record.login,
        notify=record.notify,
        email_sync=record.email_sync,
        login_status=record.login_status,
        invitation_expires_at=record.invitation_expires_at,
        last_invited_at=record.last_invited_at,
        access_restored_at=record.access_restored_at,
        unsubscribed_categories=[c for c in CATEGORIES if c in record.unsubscribed],
        notification_preferences=NotificationPreferences(**record.preferences),
        email_sync_state=email_sync_state(record, standing),
    )


def email_sync_state(record: AccessRecord, standing: MailboxStanding) -> EmailSyncState:
    """EMAIL SYNC on while no mailbox is connected is allowed, and said: `no_mailbox`.
    Then the mailbox's health (`error`), then this address's history job: `synced` once
    it is done for this very address, `pending` until then (not yet asked for included)."""
    if not record.email_sync:
        return "off"
    if standing.mailbox_status is None:
        return "no_mailbox"
    if standing.mailbox_status == "error":
        return "error"
    status, address = standing.jobs.get(record.email_id, ("pending", record.address))
    if status != "done" or address.casefold() != record.address.casefold():
        return "pending"
    return "synced"


def _standing(firm_id: str, account_id: str, records: list[AccessRecord]) -> MailboxStanding:
    """The sync's side of these rows: one read, and none when EMAIL SYNC is off on all."""
    synced = [r.email_id for r in records if r.email_sync]
    if not synced:
        return NO_SYNC
    return mailbox_state.standing(firm_id, account_id, synced)


def _difference(before: AccessRecord, after: AccessRecord) -> dict[str, object]:
    changed: dict[str, object] = {}
    for name in ("login", "notify", "email_sync", "login_status"):
        if getattr(before, name) != getattr(after, name):
            changed[name] = {"from": getattr(before, name), "to": getattr(after, name)}
    for category, value in after.preferences.items():
        if before.preferences.get(category) != value:
            changed[f"preferences.{category}"] = {
                "from": before.preferences.get(category),
                "to": value,
            }
    return changed


def _full_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()
