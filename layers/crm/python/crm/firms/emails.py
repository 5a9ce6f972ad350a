"""The firm's own emails: the link that proves the owner's address, and the notice to an
address that already has a staff login when someone signs up with it."""

from __future__ import annotations

from html import escape

from crm import clock
from crm.integrations.mailer import Mail

_STYLE = 'style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5"'
_BUTTON = (
    'style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;'
    'text-decoration:none;border-radius:6px"'
)


def verification_mail(to: str, firm_name: str, link: str, expires_at: str) -> Mail:
    expires = clock.parse(expires_at).strftime("%d %B %Y, %H:%M UTC")
    text = (
        f"Hello,\n\nPlease confirm that {to} is the address of the owner of {firm_name}. "
        f"Until you do, {firm_name} can email nobody but you.\n\n"
        f"Open this link and press the button to confirm:\n{link}\n\n"
        f"The link works once and expires on {expires}. If you did not create this firm, "
        "you can ignore this email: nothing will be sent in its name.\n"
    )
    html = f"""<!doctype html>
<html><body {_STYLE}>
<p>Hello,</p>
<p>Please confirm that {escape(to)} is the address of the owner of {escape(firm_name)}.
Until you do, {escape(firm_name)} can email nobody but you.</p>
<p><a href="{escape(link, quote=True)}" {_BUTTON}>Confirm my address</a></p>
<p>Or paste this link into your browser:<br><span style="word-break:break-all">\
{escape(link)}</span></p>
<p>The link works once and expires on {escape(expires)}. If you did not create this firm,
you can ignore this email: nothing will be sent in its name.</p>
</body></html>
"""
    return Mail(to=[to], subject=f"Confirm your address for {firm_name}", text=text, html=html)


def signup_notice(to: str, sign_in: str) -> Mail:
    """Someone tried to create a firm with an address that already has a staff login (or
    a pending staff invitation): the answer they got looked like a success, so the
    address's owner hears of it here, and only here."""
    text = (
        "Hello,\n\nSomeone just tried to create a new firm with this email address. "
        "The address already has a staff login (or a pending invitation to join a firm), "
        "so no firm was created and nothing changed.\n\n"
        f"If it was you: sign in with your existing login at {sign_in} . An address can "
        "belong to one firm only; to start another firm, use another address.\n\n"
        "If it was not you, you can ignore this email.\n"
    )
    html = f"""<!doctype html>
<html><body {_STYLE}>
<p>Hello,</p>
<p>Someone just tried to create a new firm with this email address. The address already
has a staff login (or a pending invitation to join a firm), so no firm was created and
nothing changed.</p>
<p>If it was you: sign in with your existing login.
An address can belong to one firm only; to start another firm, use another address.</p>
<p><a href="{escape(sign_in, quote=True)}" {_BUTTON}>Sign in</a></p>
<p>If it was not you, you can ignore this email.</p>
</body></html>
"""
    return Mail(
        to=[to], subject="Someone tried to create a firm with your address", text=text, html=html
    )
