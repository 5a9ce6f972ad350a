"""Firms and staff in DynamoDB."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from crm import clock
from crm.core.audit import AuditEntry
from crm.core.categories import NotificationPreferences
from crm.core.directory import DEFAULT_FIELD_ID, DEFAULT_FIELD_LABEL
from crm.core.events import Event
from crm.core.firms import Firm, FirmSettings, StaffMember, VerificationState
from crm.core.invitations import Invitation
from crm.errors import AlreadyExists, Conflict, NotFound
from crm.storage import audit, invitations, keys, outbox
from crm.storage.items import FieldItem, FirmItem, StaffAddressItem, StaffItem
from crm.storage.table import condition_failed, transaction

_TAKEN = AlreadyExists(
    "This email address already belongs to a staff member.", words="error-staff-taken"
)


def create_firm(
    firm_id: str,
    name: str,
    owner: StaffMember,
    verification: VerificationState,
    events: Sequence[Event] = (),
) -> None:
    """The firm (waiting for its owner's address to be verified), its owner, the address
    guard, the default `Email` field and the events it causes, at once."""
    now = clock.iso()
    firm_pk = keys.firm(firm_id)
    with transaction(_TAKEN) as tx:
        tx.save(
            FirmItem(
                pk=firm_pk,
                sk=keys.FIRM_META,
                firm_id=firm_id,
                name=name,
                created_at=now,
                owner_email=owner.email,
                verification_id=verification.verification_id,
                verification_expires_at=verification.expires_at,
                verification_requested_at=verification.requested_at,
            )
        )
        tx.save(
            StaffAddressItem(
                pk=keys.staff_address(owner.email),
                sk=keys.STAFF_ADDRESS_META,
                firm_id=firm_id,
                staff_id=owner.staff_id,
            ),
            condition=StaffAddressItem.pk.does_not_exist(),
        )
        tx.save(_staff_item(firm_id, owner))
        tx.save(
            FieldItem(
                pk=firm_pk,
                sk=keys.field(DEFAULT_FIELD_ID),
                field_id=DEFAULT_FIELD_ID,
                label=DEFAULT_FIELD_LABEL,
                created_at=now,
            )
        )
        tx.save(
            audit.item(
                firm_id, AuditEntry.new(f"staff:{owner.staff_id}", "firm_created", target=firm_id)
            )
        )
        outbox.emit(tx, events)


def add_staff(
    firm_id: str,
    member: StaffMember,
    invitation: Invitation,
    actor: str,
    *,
    guard: bool,
) -> None:
    """An invited staff member and their invitation (with its event), at once; with `guard`, the address
    guard too (without it when the address already belongs to another firm: the
    invitation then brings a notice instead of a link, see crm.invitations.sender)."""
    with transaction(_TAKEN) as tx:
        if guard:
            tx.save(
                StaffAddressItem(
                    pk=keys.staff_address(member.email),
                    sk=keys.STAFF_ADDRESS_META,
                    firm_id=firm_id,
                    staff_id=member.staff_id,
                ),
                condition=StaffAddressItem.pk.does_not_exist(),
            )
        tx.save(_staff_item(firm_id, member))
        invitations.add(tx, invitation)
        tx.save(
            audit.item(
                firm_id,
                AuditEntry.new(
                    actor,
                    "staff_invited",
                    target=member.staff_id,
                    details={"email": member.email, "role": member.role},
                ),
            )
        )


def staff_address_owner(address: str) -> tuple[str, str] | None:
    """The (firm, staff member) an address signs in as, or is invited as; None if free."""
    try:
        item = StaffAddressItem.get(
            keys.staff_address(address), keys.STAFF_ADDRESS_META, consistent_read=True
        )
    except DoesNotExist:
        return None
    return item.firm_id, item.staff_id


# ------------------------------------------------------------- verification


def get_verification(firm_id: str) -> VerificationState | None:
    try:
        item = FirmItem.get(keys.firm(firm_id), keys.FIRM_META, consistent_read=True)
    except DoesNotExist:
        return None
    return VerificationState(
        firm_id=firm_id,
        firm_name=item.name,
        owner_email=item.owner_email,
        verified_at=item.verified_at,
        verification_id=item.verification_id,
        digest=item.verification_digest,
        expires_at=item.verification_expires_at,
        requested_at=item.verification_requested_at,
    )


def request_verification(
    state: VerificationState, previous: str | None, actor: str, events: Sequence[Event] = ()
) -> None:
    """A new link replaces the last (only the newest works), if the firm is still
    unverified and nobody asked since `previous` (the request time read); with the
    events that mail it."""
    owner, link = state.owner_email, state.verification_id
    expires, requested = state.expires_at, state.requested_at
    if not (owner and link and expires and requested):
        raise ValueError("a new link names the owner's address, its id and its times")
    unchanged = (
        FirmItem.verification_requested_at.does_not_exist()
        if previous is None
        else FirmItem.verification_requested_at == previous
    )
    with transaction(
        Conflict(
            "The confirmation email was asked for at the same time.",
            words="error-verification-asked-twice",
        )
    ) as tx:
        tx.update(
            FirmItem(keys.firm(state.firm_id), keys.FIRM_META),
            actions=[
                FirmItem.owner_email.set(owner),
                FirmItem.verification_id.set(link),
                FirmItem.verification_expires_at.set(expires),
                FirmItem.verification_requested_at.set(requested),
                FirmItem.verification_digest.remove(),
            ],
            condition=FirmItem.pk.exists() & FirmItem.verified_at.does_not_exist() & unchanged,
        )
        tx.save(
            audit.item(
                state.firm_id,
                AuditEntry.new(
                    actor, "verification_requested", details={"address": state.owner_email}
                ),
            )
        )
        outbox.emit(tx, events)


def record_verification_digest(firm_id: str, verification_id: str, digest: str) -> bool:
    """Keep the digest of the token about to be mailed, if that link is still the newest
    and the firm unverified. False otherwise (nothing is to be sent)."""
    try:
        FirmItem(keys.firm(firm_id), keys.FIRM_META).update(
            actions=[FirmItem.verification_digest.set(digest)],
            condition=(FirmItem.verification_id == verification_id)
            & FirmItem.verified_at.does_not_exist(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def verify(firm_id: str, verification_id: str, digest: str, audit_entry: AuditEntry) -> None:
    """Mark the firm verified, if the token is its newest, unexpired and unused one, at
    write time. Anything else is the same NotFound."""
    unusable = NotFound("This link cannot be used.", code="verification_not_found")
    with transaction(unusable) as tx:
        tx.update(
            FirmItem(keys.firm(firm_id), keys.FIRM_META),
            actions=[
                FirmItem.verified_at.set(clock.iso()),
                FirmItem.verification_id.remove(),
                FirmItem.verification_digest.remove(),
                FirmItem.verification_expires_at.remove(),
            ],
            condition=(FirmItem.verification_id == verification_id)
            & (FirmItem.verification_digest == digest)
            & (FirmItem.verification_expires_at > clock.iso())
            & FirmItem.verified_at.does_not_exist(),
        )
        tx.save(audit.item(firm_id, audit_entry))


def get_firm(firm_id: str) -> Firm:
    item = _firm_item(firm_id)
    return Firm(firm_id=item.firm_id, name=item.name)


def get_settings(firm_id: str) -> FirmSettings:
    return _settings(_firm_item(firm_id))


def update_settings(firm_id: str, changes: dict[str, Any], actor: str) -> FirmSettings:
    item = _firm_item(firm_id)
    before = _settings(item).model_dump()
    if "default_notification_preferences" in changes:
        merged = {**before["default_notification_preferences"]}
        merged.update(changes.pop("default_notification_preferences"))
        changes["default_preferences"] = merged
    attributes = FirmItem.get_attributes()
    with transaction() as tx:
        tx.update(
            FirmItem(keys.firm(firm_id), keys.FIRM_META),
            actions=[
                attributes[name].set(value) if value != "" else attributes[name].remove()
                for name, value in changes.items()
            ],
            condition=FirmItem.pk.exists(),
        )
        tx.save(
            audit.item(
                firm_id,
                AuditEntry.new(
                    actor,
                    "settings_changed",
                    details={k: {"from": before.get(k), "to": v} for k, v in changes.items()},
                ),
            )
        )
    for name, value in changes.items():
        setattr(item, name, None if value == "" else value)
    return _settings(item)


def change_staff(firm_id: str, before: StaffMember, after: StaffMember, actor: str) -> StaffMember:
    """A staff member's role, rights and language, if still as read (else Conflict), with
    the audit."""
    changes = {
        name: {"from": getattr(before, name), "to": getattr(after, name)}
        for name in ("role", "manage_accounts", "language")
        if getattr(before, name) != getattr(after, name)
    }
    language = (
        StaffItem.language.set(after.language) if after.language else StaffItem.language.remove()
    )
    with transaction(
        Conflict("This staff member was changed at the same time.", words="error-staff-changed")
    ) as tx:
        tx.update(
            StaffItem(keys.firm(firm_id), keys.staff(before.staff_id)),
            actions=[
                StaffItem.role.set(after.role),
                StaffItem.manage_accounts.set(after.manage_accounts),
                language,
            ],
            condition=(StaffItem.role == before.role)
            & (StaffItem.manage_accounts == before.manage_accounts),
        )
        tx.save(
            audit.item(
                firm_id,
                AuditEntry.new(
                    actor,
                    "staff_changed",
                    target=before.staff_id,
                    details={"email": before.email, **changes},
                ),
            )
        )
    return after


def list_staff(firm_id: str) -> list[StaffMember]:
    found = StaffItem.query(keys.firm(firm_id), StaffItem.sk.startswith("STAFF#"))
    return [_member(item) for item in found]


def get_staff(firm_id: str, staff_id: str) -> StaffMember:
    return _member(_staff(firm_id, staff_id))


def _firm_item(firm_id: str) -> FirmItem:
    try:
        return FirmItem.get(keys.firm(firm_id), keys.FIRM_META)
    except DoesNotExist as error:
        raise NotFound("This firm does not exist.", words="error-firm-not-found") from error


def _staff(firm_id: str, staff_id: str) -> StaffItem:
    try:
        return StaffItem.get(keys.firm(firm_id), keys.staff(staff_id))
    except DoesNotExist as error:
        raise NotFound(
            "This staff member does not exist.", words="error-staff-not-found"
        ) from error


def _staff_item(firm_id: str, member: StaffMember) -> StaffItem:
    return StaffItem(
        pk=keys.firm(firm_id),
        sk=keys.staff(member.staff_id),
        staff_id=member.staff_id,
        email=member.email,
        role=member.role,
        manage_accounts=member.manage_accounts,
        status=member.status,
        created_at=member.created_at,
        language=member.language,
    )


def _member(item: StaffItem) -> StaffMember:
    return StaffMember(
        staff_id=item.staff_id,
        email=item.email,
        role=item.role,  # type: ignore[arg-type]
        manage_accounts=item.manage_accounts,
        status=item.status,  # type: ignore[arg-type]
        created_at=item.created_at,
        invited_at=None if item.role == "owner" else item.created_at,
        language=item.language,  # type: ignore[arg-type]
    )


def _settings(item: FirmItem) -> FirmSettings:
    return FirmSettings(
        verified=bool(item.verified_at),
        copy_client_emails_to=[str(a) for a in item.copy_client_emails_to or []],
        auto_save_attachments=bool(item.auto_save_attachments),
        notify_staff_on_synced_email=bool(item.notify_staff_on_synced_email),
        default_notification_preferences=NotificationPreferences(
            **_as_dict(item.default_preferences)
        ),
        never_sync=[str(e) for e in item.never_sync or []],
        contact_email=item.contact_email,
        contact_phone=item.contact_phone,
        address=item.address,
        website=item.website,
        language=item.language or "en",  # type: ignore[arg-type]
        time_zone=item.time_zone or "UTC",
        form_of_address=item.form_of_address or "formal",  # type: ignore[arg-type]
        locked_categories=[str(c) for c in item.locked_categories or []],  # type: ignore[misc]
    )


def _as_dict(value: Any) -> dict[str, bool]:
    raw = value.as_dict() if hasattr(value, "as_dict") else (value or {})
    return {str(k): bool(v) for k, v in raw.items()}
