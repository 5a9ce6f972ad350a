"""The invitation email: who invites whom to what, what to do with the link (choose a
password, or give the current one for whoever already uses the portal: the sender does
not look the address up, so the words cover both), one button, the expiry date."""

from __future__ import annotations

from html import escape

from crm import clock
from crm.core.invitations import Invitation
from crm.integrations.mailer import Mail
from crm.invitations.page import password_minimum


def invitation_mail(
    invitation: Invitation, firm_name: str, account_names: list[str], link: str
) -> Mail:
    expires = _readable(invitation.expires_at)
    choose = f"choose a password of at least {password_minimum()} characters"
    if invitation.audience == "staff":
        subject = f"{firm_name} invites you to join their team"
        purpose = f"{firm_name} has invited you to join their team as a staff member."
        how = f"To accept, open this link and {choose}."
        existing = ""
    else:
        subject = f"{firm_name} invites you to your client portal"
        names = ", ".join(account_names) if account_names else "your account"
        purpose = f"{firm_name} has invited you to the client portal for {names}."
        how = f"To accept, open this link and {choose}."
        existing = (
            "If you already use the client portal, use your current password on that "
            "page: the link adds this access to your login."
        )
    text = (
        f"Hello,\n\n{purpose}\n\n"
        f"{how}\n{link}\n\n"
        + (f"{existing}\n\n" if existing else "")
        + f"The link works once and expires on {expires}. If you did not expect this "
        f"invitation, you can ignore this email.\n\n{firm_name}\n"
    )
    html = f"""<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<p>Hello,</p>
<p>{escape(purpose)}</p>
<p>{escape(how)}</p>
<p><a href="{escape(link, quote=True)}" style="display:inline-block;padding:12px 20px;\
background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px">Accept the invitation</a></p>
<p>Or paste this link into your browser:<br><span style="word-break:break-all">\
{escape(link)}</span></p>
{f"<p>{escape(existing)}</p>" if existing else ""}
<p>The link works once and expires on {escape(expires)}. If you did not expect this
invitation, you can ignore this email.</p>
<p>{escape(firm_name)}</p>
</body></html>
"""
    return Mail(
        to=[invitation.address], subject=subject, text=text, html=html, sender_name=firm_name
    )


def _readable(moment: str) -> str:
    return clock.parse(moment).strftime("%d %B %Y, %H:%M UTC")


def invitation_copy(
    invitation: Invitation, firm_name: str, account_names: list[str], copies: list[str]
) -> Mail:
    """The firm's copy of a client invitation: a message of its own, without the link
    (whoever reads the firm's copies must not be able to activate a client's login)."""
    names = ", ".join(account_names) if account_names else "their account"
    expires = _readable(invitation.expires_at)
    text = (
        f"A copy of the invitation {firm_name} sent to {invitation.address} for the client "
        f"portal ({names}).\n\nThe activation link is only in the invitee's own email; it "
        f"expires on {expires}.\n"
    )
    html = (
        '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif">'
        f"<p>A copy of the invitation {escape(firm_name)} sent to "
        f"{escape(invitation.address)} for the client portal ({escape(names)}).</p>"
        "<p>The activation link is only in the invitee's own email; it expires on "
        f"{escape(expires)}.</p></body></html>"
    )
    return Mail(
        to=copies,
        subject=f"Copy: {firm_name} invited {invitation.address} to the client portal",
        text=text,
        html=html,
        sender_name=firm_name,
    )


def staff_elsewhere_notice(invitation: Invitation, firm_name: str, portal_base: str) -> Mail:
    """Instead of a staff invitation to an address that is staff at another firm (or
    invited there): no link, the reason, what to do. Only the address's owner learns it."""
    sign_in = f"{portal_base}/app"
    text = (
        f"Hello,\n\n{firm_name} has invited you to join their team as a staff member. "
        "Your address already has a staff login with another firm (or a pending "
        "invitation from one), and an address can belong to one firm only, so this "
        "invitation cannot be accepted.\n\n"
        f"To join {firm_name}, ask them to invite another of your addresses. To use your "
        f"existing login, sign in at {sign_in} .\n\n{firm_name}\n"
    )
    html = f"""<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<p>Hello,</p>
<p>{escape(firm_name)} has invited you to join their team as a staff member. Your address
already has a staff login with another firm (or a pending invitation from one), and an
address can belong to one firm only, so this invitation cannot be accepted.</p>
<p>To join {escape(firm_name)}, ask them to invite another of your addresses. To use your
existing login, <a href="{escape(sign_in, quote=True)}">sign in</a>.</p>
<p>{escape(firm_name)}</p>
</body></html>
"""
    return Mail(
        to=[invitation.address],
        subject=f"{firm_name} invites you to join their team",
        text=text,
        html=html,
        sender_name=firm_name,
    )
