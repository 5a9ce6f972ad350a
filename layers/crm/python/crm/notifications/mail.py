"""The notification email: the event's title and link, the activation banner for people
who have not activated yet, a footer naming the account, and RFC 8058 unsubscribe."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from crm.core.categories import LABELS
from crm.integrations.mailer import Mail
from crm.notifications.models import Notification


@dataclass(frozen=True)
class Links:
    unsubscribe: str
    activate: str | None  # set only for a person whose LOGIN waits for activation


def notification_mail(
    notification: Notification, firm_name: str, account_name: str, address: str, links: Links
) -> Mail:
    detail = notification.detail
    label = LABELS[notification.category]
    subject = f"Reminder: {detail.title}" if notification.is_reminder else detail.title
    lead = (
        f"A reminder from {firm_name}: {detail.title}"
        if notification.is_reminder
        else f"{firm_name}: {detail.title}"
    )
    due = f"Due: {detail.due_date}" if detail.due_date else ""
    footer = (
        f"You receive this email as a contact of {account_name} at {firm_name}. "
        f"To stop emails about {label} for {account_name}, unsubscribe: {links.unsubscribe}"
    )
    text_parts = []
    if links.activate:
        text_parts.append(
            "Activate your client portal account to see everything in one place: "
            f"{links.activate}\n"
        )
    text_parts += [lead, due, f"Open: {detail.url}" if detail.url else "", "", "--", footer]
    text = "\n".join(text_parts) + "\n"

    banner = ""
    if links.activate:
        banner = (
            '<div style="background:#fef3c7;border:1px solid #f59e0b;padding:12px 16px;'
            'border-radius:6px;margin-bottom:16px">Your client portal account is not '
            f'activated yet. <a href="{escape(links.activate, quote=True)}">Activate it</a> '
            "to see everything in one place.</div>"
        )
    button = (
        f'<p><a href="{escape(detail.url, quote=True)}" style="display:inline-block;'
        "padding:10px 18px;background:#1d4ed8;color:#ffffff;text-decoration:none;"
        'border-radius:6px">Open</a></p>'
        if detail.url
        else ""
    )
    html = (
        '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;'
        'color:#1f2933;line-height:1.5">'
        f"{banner}<p><strong>{escape(lead)}</strong></p>"
        + (f"<p>{escape(due)}</p>" if due else "")
        + button
        + '<hr style="border:0;border-top:1px solid #e4e7eb">'
        f'<p style="font-size:12px;color:#52606d">You receive this email as a contact of '
        f"{escape(account_name)} at {escape(firm_name)}. "
        f'<a href="{escape(links.unsubscribe, quote=True)}">Unsubscribe</a> from emails '
        f"about {escape(label)} for {escape(account_name)}.</p></body></html>"
    )
    return Mail(
        to=[address],
        subject=subject,
        text=text,
        html=html,
        sender_name=firm_name,
        headers={
            "List-Unsubscribe": f"<{links.unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def firm_copy(
    notification: Notification,
    firm_name: str,
    account_name: str,
    recipients: list[str],
    copies: list[str],
) -> Mail:
    """The firm's copy of what its clients were sent (one per event): no personal links."""
    detail = notification.detail
    subject = f"Copy: {'Reminder: ' if notification.is_reminder else ''}{detail.title}"
    sent_to = ", ".join(recipients)
    text = (
        f"A copy of the notification {firm_name} sent about {account_name}.\n\n"
        f"{detail.title}\n{('Due: ' + detail.due_date) if detail.due_date else ''}\n"
        f"{('Link: ' + detail.url) if detail.url else ''}\n\nSent to: {sent_to}\n"
    )
    html = (
        '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif">'
        f"<p>A copy of the notification {escape(firm_name)} sent about "
        f"{escape(account_name)}.</p><p><strong>{escape(detail.title)}</strong></p>"
        + (f"<p>Due: {escape(detail.due_date)}</p>" if detail.due_date else "")
        + (f'<p><a href="{escape(detail.url, quote=True)}">Link</a></p>' if detail.url else "")
        + f"<p>Sent to: {escape(sent_to)}</p></body></html>"
    )
    return Mail(to=copies, subject=subject, text=text, html=html, sender_name=firm_name)
