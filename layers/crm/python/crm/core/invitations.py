"""Invitations: to the portal (client) or to the staff app, their states, and the event
that asks the invite function to send one. Every state change is conditional on the
state it leaves (crm.storage.invitations)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel

from crm import clock
from crm.core import ids
from crm.core.events import Event

Audience = Literal["staff", "client"]
Status = Literal["requested", "sending", "sent", "failed", "accepted", "revoked", "superseded"]
INVITATION_REQUESTED = "InvitationRequested"


class Invitation(BaseModel):
    firm_id: str
    invitation_id: str
    audience: Audience
    address: str
    staff_id: str | None = None
    account_id: str | None = None  # client invitations: the row that asked for it
    email_id: str | None = None
    status: Status = "requested"
    token_digest: str | None = None
    firm_name: str | None = None
    failed_attempts: int = 0
    note: str | None = None  # the firm's personal note (client invitations), plain text
    requested_by: str | None = None  # who asked for it, as the audit names them (the history)
    expires_at: str
    created_at: str

    @classmethod
    def new(
        cls,
        firm_id: str,
        audience: Audience,
        address: str,
        ttl_days: int,
        *,
        staff_id: str | None = None,
        account_id: str | None = None,
        email_id: str | None = None,
        note: str | None = None,
    ) -> Invitation:
        """A requested invitation, saved with the change that asks for it; the invite
        function makes its token and sends it."""
        now = clock.now()
        return cls(
            firm_id=firm_id,
            invitation_id=ids.new_id("inv"),
            audience=audience,
            address=address,
            expires_at=clock.iso(now + timedelta(days=ttl_days)),
            created_at=clock.iso(now),
            staff_id=staff_id,
            account_id=account_id,
            email_id=email_id,
            note=note or None,
        )


class InvitationRequested(BaseModel):
    """The detail of the InvitationRequested event."""

    firm_id: str
    invitation_id: str


def invitation_requested(invitation: Invitation) -> Event:
    return Event(
        INVITATION_REQUESTED,
        {"firm_id": invitation.firm_id, "invitation_id": invitation.invitation_id},
    )
