"""The access row: LOGIN, NOTIFY, EMAIL SYNC and the notification preferences of one
address on one account, and the rules of its changes that every capability applies
(linking a contact makes rows, an invitation changes one, an accepted one activates it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from crm.core.categories import all_on
from crm.core.directory import ContactEmail
from crm.core.events import Event
from crm.core.invitations import Invitation, Status
from crm.core.schedules import DeliverySchedule

LoginStatus = Literal["off", "not_invited", "invited", "active"]
EMAIL_SYNC_ENABLED = "EmailSyncEnabled"
ACCESS_RESTORED = "AccessRestored"  # the invite function sends the person a short notice


class AccessRecord(BaseModel):
    """One address on one account, as stored (the data layer's domain model)."""

    firm_id: str
    account_id: str
    account_name: str
    email_id: str
    contact_id: str
    address: str
    label: str
    linked: bool
    login: bool
    notify: bool
    email_sync: bool
    login_status: LoginStatus
    invitation_id: str | None
    invitation_expires_at: str | None
    preferences: dict[str, bool]
    version: int | None
    portal_sub: str | None = None  # while active: the portal user (Cognito sub) it serves
    # the portal user it was last active for, kept after LOGIN off: LOGIN on again gives
    # that user access back at once while their identity lives (crm.access.service)
    last_portal_sub: str | None = None
    last_invited_at: str | None = None  # when the newest invitation was asked for
    accepted_at: str | None = None  # when an invitation to it was last accepted
    access_restored_at: str | None = None  # LOGIN on again for a still active user
    last_sign_in_at: str | None = None  # the portal user's last sign-in (crm.portal.devices)
    invitation_bounced_at: str | None = None  # the current invitation's email bounced
    unsubscribed: list[str] = []  # categories the client turned off by a link, not on since
    # digests and quiet hours (crm.notifications.digest_times); None: all at once
    delivery_schedule: DeliverySchedule | None = None

    @property
    def pending_activation(self) -> bool:
        """LOGIN on, but the person has not activated yet (the notification banner)."""
        return self.login and self.login_status in ("not_invited", "invited")


def new_record(
    firm_id: str,
    account_id: str,
    account_name: str,
    contact_id: str,
    email: ContactEmail,
    preferences: dict[str, bool],
) -> AccessRecord:
    """A row with everything off and every category on, to save with the change that
    puts this address on this account (a link, or a new address on a linked contact)."""
    return AccessRecord(
        firm_id=firm_id,
        account_id=account_id,
        account_name=account_name,
        email_id=email.email_id,
        contact_id=contact_id,
        address=email.address,
        label=email.label,
        linked=True,
        login=False,
        notify=False,
        email_sync=False,
        login_status="off",
        invitation_id=None,
        invitation_expires_at=None,
        preferences={**all_on(), **preferences},
        version=None,
    )


def invited(
    record: AccessRecord, ttl_days: int, note: str | None = None
) -> tuple[AccessRecord, Invitation]:
    """The row with a new invitation to its address (with the firm's personal `note`, if
    any); only the newest link works."""
    invitation = Invitation.new(
        record.firm_id,
        "client",
        record.address,
        ttl_days,
        account_id=record.account_id,
        email_id=record.email_id,
        note=note,
    )
    row_ = record.model_copy(
        update={
            "login_status": "invited",
            "invitation_id": invitation.invitation_id,
            "invitation_expires_at": invitation.expires_at,
            "last_invited_at": invitation.created_at,
            "access_restored_at": None,
            "invitation_bounced_at": None,  # the bounce was the previous invitation's
        }
    )
    return row_, invitation


def email_sync_enabled(record: AccessRecord) -> Event:
    """Asks the sync to bring in the history between the firm's mailbox and this address."""
    return Event(
        EMAIL_SYNC_ENABLED,
        {
            "firm_id": record.firm_id,
            "account_id": record.account_id,
            "email_id": record.email_id,
            "address": record.address,
        },
    )


def retired(before: AccessRecord, after: AccessRecord) -> tuple[str, Status] | None:
    """The invitation a change makes unusable: replaced by a newer one, or revoked."""
    if before.invitation_id and before.invitation_id != after.invitation_id:
        return before.invitation_id, ("superseded" if after.invitation_id else "revoked")
    return None


class AccessRestored(BaseModel):
    """LOGIN came back on for a portal user who still signs in (crm.access.notice)."""

    firm_id: str
    account_id: str
    email_id: str
    restored_at: str  # the row's access_restored_at: the idempotency key, with the row


def access_restored(record: AccessRecord) -> Event:
    return Event(
        ACCESS_RESTORED,
        {
            "firm_id": record.firm_id,
            "account_id": record.account_id,
            "email_id": record.email_id,
            "restored_at": record.access_restored_at or "",
        },
    )
