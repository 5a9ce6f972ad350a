"""Sending an invitation (the invite function's work).

A token is made here, its digest recorded before the mail goes out, and the invitation
marked sent after. A redelivered event finds it sent and does nothing; a crash between
recording and sending is resumed with a fresh token (the unsent one never worked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crm.integrations.mailer import Mailer, SendFailed
from crm.invitations import store, tokens
from crm.invitations.accounts import account_names
from crm.invitations.mail import invitation_copy, invitation_mail
from crm.notifications.store import firm_facts
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
        firm = firm_facts(firm_id)
        firm_name = firm.name if firm else ""
        names = account_names(invitation) if invitation.audience == "client" else []
        link = f"{self.portal_base}/activate?token={token}"
        self.mailer.send(invitation_mail(invitation, firm_name, names, link))
        store.mark_sent(invitation, token.digest, firm_name)
        if invitation.audience == "client" and firm and firm.copies:
            try:
                self.mailer.send(invitation_copy(invitation, firm_name, names, firm.copies))
            except SendFailed as failure:  # the invitation itself went out
                logger.error(
                    "firm copy of an invitation not sent",
                    extra={"invitation_id": invitation_id, "reason": failure.reason},
                )
        logger.info("invitation sent", extra={"invitation_id": invitation_id})
        return "sent"
