"""Firms and staff in DynamoDB."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from crm import clock
from crm.access.models import NotificationPreferences
from crm.audit import store as audit
from crm.audit.models import AuditEntry
from crm.directory.models import DEFAULT_FIELD_ID, DEFAULT_FIELD_LABEL
from crm.errors import AlreadyExists, NotFound
from crm.firms.models import Firm, FirmSettings, StaffMember
from crm.invitations import store as invitations
from crm.invitations.models import Invitation
from crm.storage import keys
from crm.storage.items import FieldItem, FirmItem, StaffAddressItem, StaffItem
from crm.storage.table import transaction

_TAKEN = AlreadyExists("This email address already belongs to a staff member.")


def create_firm(firm_id: str, name: str, owner: StaffMember) -> None:
    """The firm, its owner, the address guard and the default `Email` field, at once."""
    now = clock.iso()
    firm_pk = keys.firm(firm_id)
    with transaction(_TAKEN) as tx:
        tx.save(FirmItem(pk=firm_pk, sk=keys.FIRM_META, firm_id=firm_id, name=name, created_at=now))
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


def add_staff(firm_id: str, member: StaffMember, invitation: Invitation, actor: str) -> None:
    """An invited staff member, the address guard, and their invitation, at once."""
    with transaction(_TAKEN) as tx:
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
            actions=[attributes[name].set(value) for name, value in changes.items()],
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
        setattr(item, name, value)
    return _settings(item)


def list_staff(firm_id: str) -> list[StaffMember]:
    found = StaffItem.query(keys.firm(firm_id), StaffItem.sk.startswith("STAFF#"))
    return [_member(item) for item in found]


def get_staff(firm_id: str, staff_id: str) -> StaffMember:
    return _member(_staff(firm_id, staff_id))


def _firm_item(firm_id: str) -> FirmItem:
    try:
        return FirmItem.get(keys.firm(firm_id), keys.FIRM_META)
    except DoesNotExist as error:
        raise NotFound("This firm does not exist.") from error


def _staff(firm_id: str, staff_id: str) -> StaffItem:
    try:
        return StaffItem.get(keys.firm(firm_id), keys.staff(staff_id))
    except DoesNotExist as error:
        raise NotFound("This staff member does not exist.") from error


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
    )


def _member(item: StaffItem) -> StaffMember:
    return StaffMember(
        staff_id=item.staff_id,
        email=item.email,
        role=item.role,  # type: ignore[arg-type]
        manage_accounts=item.manage_accounts,
        status=item.status,  # type: ignore[arg-type]
        created_at=item.created_at,
    )


def _settings(item: FirmItem) -> FirmSettings:
    return FirmSettings(
        copy_client_emails_to=[str(a) for a in item.copy_client_emails_to or []],
        auto_save_attachments=bool(item.auto_save_attachments),
        notify_staff_on_synced_email=bool(item.notify_staff_on_synced_email),
        default_notification_preferences=NotificationPreferences(
            **_as_dict(item.default_preferences)
        ),
    )


def _as_dict(value: Any) -> dict[str, bool]:
    raw = value.as_dict() if hasattr(value, "as_dict") else (value or {})
    return {str(k): bool(v) for k, v in raw.items()}
