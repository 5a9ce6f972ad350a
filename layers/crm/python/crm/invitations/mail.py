"""The invitation email: who invites whom to what, what to do with the link (choose a
password, or give the current one for whoever already uses the portal: the sender does
not look the address up, so the words cover both), one button, the expiry date.

Every sentence is the catalogs' (`invitation-email`, `staff-invitation-email`,
`invitation-copy`, `staff-elsewhere-notice` in crm/i18n/*/emails.ftl), in the reader's
language, the expiry in the firm's time zone (`words`, from the sender).
"""

from __future__ import annotations

from html import escape

from crm import clock
from crm.core.invitations import Invitation
from crm.i18n import Localizer
from crm.integrations.mailer import BODY_STYLE, BUTTON_STYLE, Mail
from crm.invitations.page import password_minimum

_NOTE = 'style="margin:0 0 16px;padding:8px 16px;border-left:3px solid #cbd2d9"'


def invitation_mail(
    invitation: Invitation,
    firm_name: str,
    account_names: list[str],
    link: str,
    *,
    words: Localizer,
) -> Mail:
    expires = words.date_time(clock.parse(invitation.expires_at))
    said = "invitation-email"
    accounts = {"count": len(account_names), "accounts": ", ".join(account_names)}
    if invitation.audience == "staff":
        subject = words("staff-invitation-email.subject", firm=firm_name)
        purpose = words("staff-invitation-email.purpose", firm=firm_name)
        existing = ""
    else:
        subject = words(f"{said}.subject", firm=firm_name)
        purpose = words(f"{said}.purpose", firm=firm_name, **accounts)
        existing = words(f"{said}.existing")
    greeting = words("email-greeting")
    how = words(f"{said}.how", minimum=password_minimum())
    expiry = words(f"{said}.expiry", expires=expires)
    note_text, note_html = _note(invitation, firm_name, words)
    text = (
        f"{greeting}\n\n{purpose}\n\n{note_text}"
        f"{how}\n{link}\n\n"
        + (f"{existing}\n\n" if existing else "")
        + f"{expiry}\n\n{firm_name}\n"
    )
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
<p>{escape(greeting)}</p>
<p>{escape(purpose)}</p>
{note_html}<p>{escape(how)}</p>
<p><a href="{escape(link, quote=True)}" {BUTTON_STYLE}>{escape(words(f"{said}.button"))}</a></p>
<p>{escape(words("email-paste-link"))}<br><span style="word-break:break-all">\
{escape(link)}</span></p>
{f"<p>{escape(existing)}</p>" if existing else ""}
<p>{escape(expiry)}</p>
<p>{escape(firm_name)}</p>
</body></html>
"""
    return Mail(
        to=[invitation.address],
        subject=subject,
        text=text,
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )


def invitation_copy(
    invitation: Invitation,
    firm_name: str,
    account_names: list[str],
    copies: list[str],
    *,
    words: Localizer,
) -> Mail:
    """The firm's copy of a client invitation, in the firm's language: a message of its
    own, without the link (whoever reads the firm's copies must not be able to activate
    a client's login)."""
    expires = words.date_time(clock.parse(invitation.expires_at))
    intro = words(
        "invitation-copy.intro",
        firm=firm_name,
        address=invitation.address,
        count=len(account_names),
        accounts=", ".join(account_names),
    )
    link = words("invitation-copy.link", expires=expires)
    note_text, note_html = _note(invitation, firm_name, words)
    text = f"{intro}\n\n{note_text}{link}\n"
    html = (
        f'<!doctype html><html lang="{words.tag}"><body {BODY_STYLE}>'
        f"<p>{escape(intro)}</p>{note_html}<p>{escape(link)}</p></body></html>"
    )
    return Mail(
        to=copies,
        subject=words("invitation-copy.subject", firm=firm_name, address=invitation.address),
        text=text,
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )


def _note(invitation: Invitation, firm_name: str, words: Localizer) -> tuple[str, str]:
    """The firm's personal note under its heading, as text and as HTML (escaped, its
    line breaks kept); nothing when the invitation carries none."""
    if not invitation.note:
        return "", ""
    heading = words("invitation-note.heading", firm=firm_name)
    lines = invitation.note.splitlines()
    text = heading + "\n" + "\n".join(lines) + "\n\n"
    body = "<br>\n".join(escape(line) for line in lines)
    html = f"<p><strong>{escape(heading)}</strong></p>\n<blockquote {_NOTE}>{body}</blockquote>\n"
    return text, html


def staff_elsewhere_notice(
    invitation: Invitation, firm_name: str, portal_base: str, *, words: Localizer
) -> Mail:
    """Instead of a staff invitation to an address that is staff at another firm (or
    invited there): no link, the reason, what to do. Only the address's owner learns it."""
    sign_in = f"{portal_base}/app"
    notice = "staff-elsewhere-notice"
    greeting = words("email-greeting")
    purpose = words("staff-invitation-email.purpose", firm=firm_name)
    reason = words(f"{notice}.reason")
    advice = words(f"{notice}.advice", firm=firm_name)
    existing = words(f"{notice}.sign-in")
    text = f"{greeting}\n\n{purpose} {reason}\n\n{advice} {existing}\n{sign_in}\n\n{firm_name}\n"
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
<p>{escape(greeting)}</p>
<p>{escape(purpose)} {escape(reason)}</p>
<p>{escape(advice)} {escape(existing)}</p>
<p><a href="{escape(sign_in, quote=True)}" {BUTTON_STYLE}>{escape(words(f"{notice}.button"))}</a></p>
<p>{escape(firm_name)}</p>
</body></html>
"""
    return Mail(
        to=[invitation.address],
        subject=words("staff-invitation-email.subject", firm=firm_name),
        text=text,
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )
