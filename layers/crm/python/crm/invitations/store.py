"""Invitations in DynamoDB. Every state change is conditional on the state it leaves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError

from crm import clock, ids
from crm.access.models import AccessRecord
from crm.errors import Conflict, NotFound
from crm.invitations.models import Audience, Invitation
from crm.storage import keys
from crm.storage.items import AccessItem, AuditItem, InvitationItem, StaffItem
from crm.storage.table import condition_failed, transaction


def new_item(
    firm_id: str, audience: Audience, address: str, ttl_days: int, staff_id: str | None = None
) -> InvitationItem:
    """A requested invitation, to be saved with the change that asks for it."""
    invitation_id = ids.new_id("inv")
    now = clock.now()
    return InvitationItem(
        pk=keys.firm(firm_id),
        sk=keys.invitation(invitation_id),
        invitation_id=invitation_id,
        audience=audience,
        address=address,
        staff_id=staff_id,
        status="requested",
        expires_at=clock.iso(now + timedelta(days=ttl_days)),
        created_at=clock.iso(now),
    )


def get(firm_id: str, invitation_id: str) -> Invitation | None:
    try:
        item = InvitationItem.get(keys.firm(firm_id), keys.invitation(invitation_id))
    except DoesNotExist:
        return None
    return _invitation(firm_id, item)


def start_sending(invitation: Invitation, token_digest: str) -> None:
    """Record the digest of the token about to be mailed; only while not yet sent."""
    _update(
        invitation,
        [InvitationItem.token_digest.set(token_digest), InvitationItem.status.set("sending")],
        InvitationItem.status.is_in("requested", "sending"),
    )


def mark_sent(invitation: Invitation, token_digest: str) -> None:
    _update(
        invitation,
        [InvitationItem.status.set("sent")],
        (InvitationItem.status == "sending") & (InvitationItem.token_digest == token_digest),
    )


def accept(
    invitation: Invitation,
    token_digest: str,
    audit_entry: AuditItem,
    *,
    staff_id: str | None = None,
    activate: Sequence[AccessRecord] = (),
) -> None:
    """Use the invitation up, in one transaction with what it grants: the staff member
    becomes active, or the address's rows with LOGIN on become active. The invitation
    must still be sent, carry this token's digest and be unexpired at write time."""
    unusable = NotFound("This invitation link cannot be used.", code="invitation_not_found")
    with transaction(unusable) as tx:
        tx.update(
            InvitationItem(keys.firm(invitation.firm_id), keys.invitation(invitation.invitation_id)),
            actions=[InvitationItem.status.set("accepted")],
            condition=(InvitationItem.status == "sent")
            & (InvitationItem.token_digest == token_digest)
            & (InvitationItem.expires_at > clock.iso()),
        )
        if staff_id:
            tx.update(
                StaffItem(keys.firm(invitation.firm_id), keys.staff(staff_id)),
                actions=[StaffItem.status.set("active")],
                condition=StaffItem.pk.exists(),
            )
        for row in activate:
            item = AccessItem(keys.account(row.firm_id, row.account_id), keys.access(row.email_id))
            item.version = row.version  # conditional on the row as read
            tx.update(
                item,
                actions=[
                    AccessItem.login_status.set("active"),
                    AccessItem.invitation_id.remove(),
                    AccessItem.invitation_expires_at.remove(),
                ],
            )
        tx.save(audit_entry)


def _update(invitation: Invitation, actions: list, condition) -> None:  # type: ignore[no-untyped-def, type-arg]
    item = InvitationItem(keys.firm(invitation.firm_id), keys.invitation(invitation.invitation_id))
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            raise Conflict("This invitation changed at the same time.") from error
        raise


def _invitation(firm_id: str, item: InvitationItem) -> Invitation:
    return Invitation(
        firm_id=firm_id,
        invitation_id=item.invitation_id,
        audience=item.audience,  # type: ignore[arg-type]
        address=item.address,
        staff_id=item.staff_id,
        status=item.status,  # type: ignore[arg-type]
        token_digest=item.token_digest,
        expires_at=item.expires_at,
        created_at=item.created_at,
    )
