"""The email of a password reset (the invite function's work, on PasswordResetRequested):
a link `{PORTAL_URL}/reset?token=...` that works once, for an hour.

A required email: no List-Unsubscribe, no unsubscribe link, whatever the person's
preferences, and no copy to the firm (the link is the person's alone). It comes from the
firm the reset names (the account the portal opens first), to the identity's own address,
in the contact's language, else the firm's, with the firm's form of address.

The token is made here, and only its digest recorded, while the reset is unused; a
redelivered event is stopped by the function's idempotency, and a send retried after a
failure mails a new token that replaces the first (only the link last mailed works).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Literal

from crm.core.password_resets import (
    RESET_PATH,
    RESET_SECONDS,
    PasswordReset,
    PasswordResetRequested,
    issue,
)
from crm.i18n import Localizer
from crm.integrations.mailer import BODY_STYLE, BUTTON_STYLE, Mail, Mailer
from crm.limits.sending import may_email
from crm.observability import logger
from crm.portal.device_notice import contact_language
from crm.portal.password_reset import expired
from crm.storage import password_resets as resets
from crm.storage.sending import firm_facts

Outcome = Literal["sent", "skipped"]


@dataclass
class ResetNotice:
    mailer: Mailer
    portal_base: str  # PORTAL_URL from settings, never from a request

    def send(self, request: PasswordResetRequested) -> Outcome:
        reset = resets.get(request.reset_id)
        if reset is None or reset.used_at or expired(reset):
            return _skipped("the reset is used, expired or gone", request)
        firm = firm_facts(reset.firm_id)
        address = reset.username
        if firm is None or not may_email(firm.standing, [address]):
            return _skipped("the firm may not email this address", request)
        if address.casefold() in firm.suppressed:
            return _skipped("the address is suppressed", request)
        words = firm.words(contact_language(reset.firm_id, reset.account_id, reset.email_id))
        token = issue(reset.reset_id)
        if not resets.issued(reset.reset_id, token.digest, words.language):
            return _skipped("the reset was used meanwhile", request)
        link = f"{self.portal_base}{RESET_PATH}?token={token}"
        self.mailer.send(reset_mail(reset, firm.name, link, words=words))
        logger.info("password reset email sent", extra={"reset_id": reset.reset_id})
        return "sent"


def reset_mail(reset: PasswordReset, firm_name: str, link: str, *, words: Localizer) -> Mail:
    """A few lines in the reader's language: what was asked, the button, and what to do
    if it was not them."""
    minutes = RESET_SECONDS // 60
    greeting = words("email-greeting")
    said = words("password-reset-email.said", firm=firm_name)
    how = words("password-reset-email.how", minutes=minutes)
    button = words("password-reset-email.button")
    not_you = words("password-reset-email.if-not-you")
    text = f"{greeting}\n\n{said}\n\n{how}\n{button}: {link}\n\n{not_you}\n\n{firm_name}\n"
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
<p>{escape(greeting)}</p>
<p>{escape(said)}</p>
<p>{escape(how)}</p>
<p><a href="{escape(link, quote=True)}" {BUTTON_STYLE}>{escape(button)}</a></p>
<p>{escape(not_you)}</p>
<p>{escape(firm_name)}</p>
</body></html>
"""
    return Mail(
        to=[reset.username],
        subject=words("password-reset-email.subject", firm=firm_name),
        text=text,
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )


def _skipped(reason: str, request: PasswordResetRequested) -> Outcome:
    logger.info(f"password reset email not sent: {reason}", extra={"reset_id": request.reset_id})
    return "skipped"
