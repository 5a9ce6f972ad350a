"""Sending an invitation (the invite function's work).

A token is made here, its digest recorded before the mail goes out, and the invitation
marked sent after. A redelivered event finds it sent and does nothing; a crash between
recording and sending is resumed with a fresh token (the unsent one never worked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crm.firms import store as firms
from crm.integrations.mailer import Mailer
from crm.invitations import store, tokens
from crm.invitations.accounts import account_names
from crm.invitations.mail import invitation_mail
from crm.observability import logger

Outcome = Literal["sent", "skipped"]


@dataclass
class InvitationSender:
    mailer: Mailer
    portal_base: str

    def send(self, firm_id: str, invitation_id: str) -> Outcome:
        invitation = store.get(firm_id, invitation_id)
        if invitation is None or invitation.status not in ("requested", "sending"):
            logger.info(
                "invitation not sent",
                extra={
                    "invitation_id": invitation_id,
                    "status": invitation.status if invitation else "missing",
                },
            )
            return "skipped"
        token = tokens.issue(firm_id, invitation_id)
        store.start_sending(invitation, token.digest)
        firm = firms.get_firm(firm_id)
        names = account_names(invitation) if invitation.audience == "client" else []
        link = f"{self.portal_base}/activate?token={token}"
        self.mailer.send(invitation_mail(invitation, firm.name, names, link))
        store.mark_sent(invitation, token.digest, firm.name)
        logger.info("invitation sent", extra={"invitation_id": invitation_id})
        return "sent"
