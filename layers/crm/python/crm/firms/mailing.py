"""Sending the firm's own emails (the invite function's work): the verification link and
the notice to a staff address someone signed up with.

The verification token is made here, like an invitation's: `<firm>.<verification>.<secret>`
(crm.invitations.tokens), of which only the SHA-256 digest is kept on the firm's item,
recorded before the mail goes out and only while that link is the newest.

The verification email is in the firm's language; the signup notice in the language of
the staff member who holds the address, else of their firm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crm.core import tokens
from crm.errors import NotFound
from crm.firms import emails
from crm.i18n import Localizer, localizer
from crm.integrations.mailer import Mailer
from crm.limits.sending import Sending, may_email
from crm.observability import logger
from crm.storage import firms as store
from crm.storage.sending import firm_facts

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
        facts = firm_facts(firm_id)  # the standing and the firm's language, one read
        if facts is None or not may_email(facts.standing, [state.owner_email]):
            return "skipped"  # defence in depth: the owner only
        token = tokens.issue(firm_id, verification_id)
        if not store.record_verification_digest(firm_id, verification_id, token.digest):
            return "skipped"  # replaced by a newer link, or verified, meanwhile
        link = f"{self.portal_base}/verify?token={token}"
        owner = state.owner_email
        mail = emails.verification_mail(
            owner, state.firm_name, link, state.expires_at, words=facts.words()
        )
        self.mailer.send(mail)
        logger.info("verification email sent", extra={"firm_id": firm_id})
        return "sent"

    def send_signup_notice(self, address: str) -> Outcome:
        """At most one an hour per address, however often someone signs up with it."""
        if not self.sending.notice_allowed(address, "firm_signup"):
            logger.info("signup notice not sent: one went within the hour")
            return "skipped"
        sign_in = f"{self.portal_base}/app"
        self.mailer.send(emails.signup_notice(address, sign_in, words=_staff_words(address)))
        return "sent"


def _staff_words(address: str) -> Localizer:
    """The words of the staff member who holds `address`: their language, else their
    firm's (the default language when the address is held by nobody any more)."""
    holder = store.staff_address_owner(address)
    facts = firm_facts(holder[0]) if holder else None
    if holder is None or facts is None:
        return localizer(None)
    try:
        member = store.get_staff(*holder)
    except NotFound:
        return facts.words()
    return facts.words(member.language)
