"""The event that asks the invite function to send an invitation."""

from __future__ import annotations

from crm.integrations.events import Event
from crm.invitations.models import Invitation

INVITATION_REQUESTED = "InvitationRequested"


def invitation_requested(invitation: Invitation) -> Event:
    return Event(
        INVITATION_REQUESTED,
        {"firm_id": invitation.firm_id, "invitation_id": invitation.invitation_id},
    )
