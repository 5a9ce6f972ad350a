"""The notification schedule of one address on one account: frequency per category,
the daily digest's hour, quiet hours and the time zone they are read in. Staff read it;
those who may change preferences change it (a subset at a time), with an audit entry."""

from __future__ import annotations

from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.schedules import DeliverySchedule, NotificationSchedule, ScheduleChange
from crm.errors import Conflict
from crm.storage import access, sending

ATTEMPTS = 5  # a field-wise change is re-applied on a fresh read when it lost a race


def schedule(caller: Staff, account_id: str, email_id: str) -> NotificationSchedule:
    row = access.get(caller.firm_id, account_id, email_id)
    return _answer(caller.firm_id, row.delivery_schedule or DeliverySchedule())


def change(
    caller: Staff, account_id: str, email_id: str, wanted: ScheduleChange
) -> NotificationSchedule:
    caller.require_manage_accounts()
    for attempt in range(1, ATTEMPTS + 1):
        row = access.get(caller.firm_id, account_id, email_id)
        current = row.delivery_schedule or DeliverySchedule()
        updated = wanted.applied_to(current)
        if updated == current:
            return _answer(caller.firm_id, current)
        entry = AuditEntry.new(
            caller.actor,
            "notification_schedule_changed",
            account_id=account_id,
            target=email_id,
            details={
                "address": row.address,
                "schedule": updated.model_dump(mode="json", exclude_defaults=True),
            },
        )
        try:
            access.save(row.model_copy(update={"delivery_schedule": updated}), entry)
        except Conflict:
            if attempt == ATTEMPTS:
                raise
            continue
        return _answer(caller.firm_id, updated)
    raise AssertionError("unreachable")  # pragma: no cover


def _answer(firm_id: str, current: DeliverySchedule) -> NotificationSchedule:
    facts = sending.firm_facts(firm_id)
    return NotificationSchedule.of(current, facts.time_zone if facts else None)
