"""Sending an invitation (the invite function's work).

A token is made here, its digest recorded before the mail goes out, and the invitation
marked sent after. A redelivered event finds it sent and does nothing; a crash between
recording and sending is resumed with a fresh token (the unsent one never worked).

Nothing goes out for a firm that may not email the address (crm.firms.sending: an
unverified firm emails only its owner); the routes refuse first, this is defence in
depth. A staff invitation to an address that is staff at another firm is recorded and
"sent" like any other, but the email is a notice without a link (the token is never
mailed), so the inviting firm cannot tell it apart from a normal invitation.

The email is in its reader's language: a client's contact's, a staff member's own, else
the firm's (one more read: the contact, or the staff member); the firm's copy in the
firm's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from crm.core import tokens
from crm.core.invitations import Invitation
from crm.integrations.mailer import Mailer, SendFailed
from crm.invitations.accounts import invitee_words, rows_with_login
from crm.invitations.mail import invitation_copy, invitation_mail, staff_elsewhere_notice
from crm.limits.sending import may_email
from crm.observability import logger
from crm.storage import firms
from crm.storage import invitations as store
from crm.storage.sending import firm_facts

Outcome = Literal["sent", "skipped", "failed"]


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
        firm = firm_facts(firm_id)
        if firm is None or not may_email(firm.standing, [invitation.address]):
            logger.warning(
                "invitation not sent: the firm may not email this address (not verified)",
                extra={"invitation_id": invitation_id},
            )
            return "skipped"
        token = tokens.issue(firm_id, invitation_id)
        store.start_sending(invitation, token.digest)
        firm_name = firm.name
        rows = rows_with_login(invitation) if invitation.audience == "client" else []
        words = invitee_words(invitation, firm, rows)
        if invitation.audience == "staff" and not _holds_address(invitation):
            notice = staff_elsewhere_notice(invitation, firm_name, self.portal_base, words=words)
            self.mailer.send(notice)
            store.mark_sent(invitation, token.digest, firm_name)  # a token nobody received
            logger.info(
                "staff invitation answered with a notice: the address is staff elsewhere",
                extra={"invitation_id": invitation_id},
            )
            return "sent"
        names = list(dict.fromkeys(r.account_name for r in rows))
        link = f"{self.portal_base}/activate?token={token}"
        try:
            mail = invitation_mail(invitation, firm_name, names, link, words=words)
            self.mailer.send(replace(mail, tags=ses_tags(invitation)))
        except SendFailed as failure:
            if failure.transient:
                raise  # the event comes again, and a fresh token with it
            store.mark_failed(invitation, token.digest)
            logger.error(
                "invitation not sent, for good",
                extra={"invitation_id": invitation_id, "reason": failure.reason},
            )
            return "failed"
        store.mark_sent(invitation, token.digest, firm_name)
        if invitation.audience == "client" and firm.copies:
            try:
                copy = invitation_copy(
                    invitation, firm_name, names, firm.copies, words=firm.words()
                )
                self.mailer.send(copy)
            except SendFailed as failure:  # the invitation itself went out
                logger.error(
                    "firm copy of an invitation not sent",
                    extra={"invitation_id": invitation_id, "reason": failure.reason},
                )
        logger.info("invitation sent", extra={"invitation_id": invitation_id})
        return "sent"


def ses_tags(invitation: Invitation) -> dict[str, str]:
    """SES message tags, which come back in SES's delivery and bounce events: the firm
    (suppressions) and, for a client invitation, the invitation and the row that asked
    for it (its history, crm.invitations.history)."""
    tags = {"firm_id": invitation.firm_id}
    if invitation.audience == "client" and invitation.account_id and invitation.email_id:
        tags |= {
            "invitation_id": invitation.invitation_id,
            "account_id": invitation.account_id,
            "email_id": invitation.email_id,
        }
    return tags


def _holds_address(invitation: Invitation) -> bool:
    """The address's guard names this invitation's firm and staff member."""
    holder = firms.staff_address_owner(invitation.address)
    return holder == (invitation.firm_id, invitation.staff_id)
