"""The firm's own emails: the link that proves the owner's address, and the notice to an
address that already has a staff login when someone signs up with it, in the firm's
language (the catalogs' `firm-verification-email`, `firm-signup-notice`)."""

from __future__ import annotations

from html import escape

from crm import clock
from crm.i18n import Localizer
from crm.integrations.mailer import BODY_STYLE, BUTTON_STYLE, Mail


def verification_mail(
    to: str, firm_name: str, link: str, expires_at: str, *, words: Localizer
) -> Mail:
    said = "firm-verification-email"
    greeting = words("email-greeting")
    ask = words(f"{said}.ask", address=to, firm=firm_name)
    how = words(f"{said}.how")
    expiry = words(f"{said}.expiry", expires=words.date_time(clock.parse(expires_at)))
    text = f"{greeting}\n\n{ask}\n\n{how}\n{link}\n\n{expiry}\n"
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
<p>{escape(greeting)}</p>
<p>{escape(ask)}</p>
<p><a href="{escape(link, quote=True)}" {BUTTON_STYLE}>{escape(words(f"{said}.button"))}</a></p>
<p>{escape(words("email-paste-link"))}<br><span style="word-break:break-all">\
{escape(link)}</span></p>
<p>{escape(expiry)}</p>
</body></html>
"""
    return Mail(
        to=[to],
        subject=words(f"{said}.subject", firm=firm_name),
        text=text,
        html=html,
        language=words.tag,
    )


def signup_notice(to: str, sign_in: str, *, words: Localizer) -> Mail:
    """Someone tried to create a firm with an address that already has a staff login (or
    a pending staff invitation): the answer they got looked like a success, so the
    address's owner hears of it here, and only here."""
    said = "firm-signup-notice"
    greeting = words("email-greeting")
    what, if_you, if_not = (words(f"{said}.{part}") for part in ("what", "if-you", "if-not"))
    text = f"{greeting}\n\n{what}\n\n{if_you}\n{sign_in}\n\n{if_not}\n"
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
<p>{escape(greeting)}</p>
<p>{escape(what)}</p>
<p>{escape(if_you)}</p>
<p><a href="{escape(sign_in, quote=True)}" {BUTTON_STYLE}>{escape(words(f"{said}.button"))}</a></p>
<p>{escape(if_not)}</p>
</body></html>
"""
    return Mail(to=[to], subject=words(f"{said}.subject"), text=text, html=html, language=words.tag)
