"""Sending the firm's own emails (the invite function's work): the verification link and
the notice to a staff address someone signed up with.

The verification token is made here, like an invitation's: `<firm>.<verification>.<secret>`
(crm.invitations.tokens), of which only the SHA-256 digest is kept on the firm's item,
recorded before the mail goes out and only while that link is the newest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crm.core import tokens
from crm.firms import emails
from crm.integrations.mailer import Mailer
from crm.limits.sending import Sending, may_email
from crm.observability import logger
from crm.storage import firms as store

Outcome = Literal["sent", "skipped"]


@dataclass
class FirmMailing:
    mailer: Mailer
    portal_base: str
    sending: Sending

    def send_verification(self, firm_id: str, verification_id: str) -> Outcome:
        state = store.get_verification(firm_id)
        if (
            state is None
            or state.verified_at
            or state.verification_id != verification_id
            or not state.owner_email
            or not state.expires_at
        ):
            logger.info("verification email not sent", extra={"firm_id": firm_id})
            return "skipped"
        standing = self.sending.standing(firm_id)
        if not may_email(standing, [state.owner_email]):  # defence in depth: the owner only
            return "skipped"
        token = tokens.issue(firm_id, verification_id)
        if not store.record_verification_digest(firm_id, verification_id, token.digest):
            return "skipped"  # replaced by a newer link, or verified, meanwhile
        link = f"{self.portal_base}/verify?token={token}"
        self.mailer.send(
            emails.verification_mail(state.owner_email, state.firm_name, link, state.expires_at)
        )
        logger.info("verification email sent", extra={"firm_id": firm_id})
        return "sent"

    def send_signup_notice(self, address: str) -> Outcome:
        """At most one an hour per address, however often someone signs up with it."""
        if not self.sending.notice_allowed(address, "firm_signup"):
            logger.info("signup notice not sent: one went within the hour")
            return "skipped"
        self.mailer.send(emails.signup_notice(address, f"{self.portal_base}/app"))
        return "sent"
