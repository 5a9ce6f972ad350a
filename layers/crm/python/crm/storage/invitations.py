"""Invitations in DynamoDB. Every state change is conditional on the state it leaves."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from crm import clock
from crm.core.access import AccessRecord
from crm.core.audit import AuditEntry
from crm.core.invitation_history import HistoryEntry, moment
from crm.core.invitations import Invitation, Status, invitation_requested
from crm.errors import Conflict, NotFound
from crm.storage import audit, grants, invitation_history, keys, outbox
from crm.storage.items import AccessItem, InvitationItem, StaffItem
from crm.storage.table import TransactWrite, condition_failed, transaction


def add(tx: TransactWrite, invitation: Invitation, *, by: str | None = None) -> None:
    """Save a new invitation inside the transaction of the change that asks for it, with
    the event that asks the invite function to send it (the outbox). `by`: who asks, as
    the audit names them (the history's `sent` says it)."""
    tx.save(
        InvitationItem(
            pk=keys.firm(invitation.firm_id),
            sk=keys.invitation(invitation.invitation_id),
            invitation_id=invitation.invitation_id,
            audience=invitation.audience,
            address=invitation.address,
            staff_id=invitation.staff_id,
            account_id=invitation.account_id,
            email_id=invitation.email_id,
            note=invitation.note,
            requested_by=by or invitation.requested_by,
            status=invitation.status,
            expires_at=invitation.expires_at,
            created_at=invitation.created_at,
        ),
        condition=InvitationItem.pk.does_not_exist(),
    )
    outbox.emit(tx, [invitation_requested(invitation)])


def retire(
    tx: TransactWrite,
    firm_id: str,
    invitation_id: str,
    status: Status,
    *,
    by: str,
    holder: AccessRecord | None,
) -> None:
    """Make an invitation unusable (superseded or revoked) inside a transaction, with
    its entry in the history of the row that held it (`holder`, as read) naming `by`."""
    tx.update(
        InvitationItem(keys.firm(firm_id), keys.invitation(invitation_id)),
        actions=[InvitationItem.status.set(status)],
        condition=InvitationItem.pk.exists(),
    )
    if holder is not None and status in ("superseded", "revoked"):
        entry = HistoryEntry(
            invitation_id=invitation_id, what=status, at=moment(), by=by, address=holder.address
        )
        invitation_history.put(tx, firm_id, holder.account_id, holder.email_id, entry)


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


def mark_sent(invitation: Invitation, token_digest: str, firm_name: str) -> None:
    """Sent, and for a client invitation its `sent` entry in the history of the row that
    asked for it, in one transaction: a retried send finds it sent and adds nothing."""
    actions: list[Action] = [
        InvitationItem.status.set("sent"),
        InvitationItem.firm_name.set(firm_name),
    ]
    condition = (InvitationItem.status == "sending") & (InvitationItem.token_digest == token_digest)
    if not (invitation.audience == "client" and invitation.account_id and invitation.email_id):
        _update(invitation, actions, condition)
        return
    entry = HistoryEntry(
        invitation_id=invitation.invitation_id,
        what="sent",
        at=moment(),
        by=invitation.requested_by,
        address=invitation.address,
        expires_at=invitation.expires_at,
    )
    with transaction(Conflict("This invitation changed at the same time.")) as tx:
        tx.update(
            InvitationItem(
                keys.firm(invitation.firm_id), keys.invitation(invitation.invitation_id)
            ),
            actions=actions,
            condition=condition,
        )
        invitation_history.put(
            tx, invitation.firm_id, invitation.account_id, invitation.email_id, entry
        )


def mark_failed(invitation: Invitation, token_digest: str) -> None:
    """The email could never go out (SES refused it for good, or it could not be written):
    the invitation ends here rather than being retried for ever; a resend makes a new one."""
    _update(
        invitation,
        [InvitationItem.status.set("failed")],
        (InvitationItem.status == "sending") & (InvitationItem.token_digest == token_digest),
    )


def accept(
    invitation: Invitation,
    token_digest: str,
    audit_entry: AuditEntry,
    *,
    staff_id: str | None = None,
    activate: Sequence[AccessRecord] = (),
    portal_sub: str = "",
) -> None:
    """Use the invitation up, in one transaction with what it grants: the staff member
    becomes active, or the address's rows with LOGIN on become active for the portal
    user `portal_sub` (each row remembers it, so LOGIN off deletes that user's grant).
    The invitation must still be sent, carry this token's digest and be unexpired at
    write time."""
    if activate and not portal_sub:
        raise ValueError("activating access rows needs the portal user's sub")
    unusable = NotFound("This invitation link cannot be used.", code="invitation_not_found")
    with transaction(unusable) as tx:
        tx.update(
            InvitationItem(
                keys.firm(invitation.firm_id), keys.invitation(invitation.invitation_id)
            ),
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
        granted: set[str] = set()
        for row in activate:
            if row.account_id not in granted:  # one grant per account
                grants.grant(tx, row, invitation.firm_name or "", portal_sub)
                granted.add(row.account_id)
            item = AccessItem(keys.account(row.firm_id, row.account_id), keys.access(row.email_id))
            item.version = row.version  # conditional on the row as read
            tx.update(
                item,
                actions=[
                    AccessItem.login_status.set("active"),
                    AccessItem.gsi3sk.set(
                        keys.portal_access_position(
                            "active", row.address, row.account_id, row.email_id
                        )
                    ),
                    AccessItem.accepted_at.set(clock.iso()),
                    AccessItem.portal_sub.set(portal_sub),
                    AccessItem.invitation_id.remove(),
                    AccessItem.invitation_expires_at.remove(),
                ],
            )
        if invitation.audience == "client":
            _accepted_entries(tx, invitation, activate)
        tx.save(audit.item(invitation.firm_id, audit_entry))


def _accepted_entries(
    tx: TransactWrite, invitation: Invitation, activate: Sequence[AccessRecord]
) -> None:
    """`accepted` in the history of every row the acceptance activates, and of the row
    that asked for the invitation."""
    rows = {(r.account_id, r.email_id) for r in activate}
    if invitation.account_id and invitation.email_id:
        rows.add((invitation.account_id, invitation.email_id))
    entry = HistoryEntry(
        invitation_id=invitation.invitation_id,
        what="accepted",
        at=moment(),
        by=f"client:{invitation.address}",
        address=invitation.address,
    )
    for account_id, email_id in sorted(rows):
        invitation_history.put(tx, invitation.firm_id, account_id, email_id, entry)


def count_failure(invitation: Invitation) -> None:
    """One more wrong password tried with this invitation (the link locks at a limit)."""
    item = InvitationItem(keys.firm(invitation.firm_id), keys.invitation(invitation.invitation_id))
    item.update(
        actions=[InvitationItem.failed_attempts.add(1)], condition=InvitationItem.pk.exists()
    )


def _update(invitation: Invitation, actions: list[Action], condition: Condition) -> None:
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
        account_id=item.account_id,
        email_id=item.email_id,
        firm_name=item.firm_name,
        failed_attempts=int(item.failed_attempts or 0),
        note=item.note,
        requested_by=item.requested_by,
        status=item.status,  # type: ignore[arg-type]
        token_digest=item.token_digest,
        expires_at=item.expires_at,
        created_at=item.created_at,
    )
