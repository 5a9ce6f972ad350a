"""The staff notice: new mail from synced contacts, one email per staff member per run."""

from __future__ import annotations

from html import escape

from crm.integrations.mailer import Mail
from crm.sync.models import StoredMessage

LISTED = 20


def _sender(message: StoredMessage) -> str:
    person = message.from_[0] if message.from_ else None
    if person is None:
        return "(unknown sender)"
    return f"{person.name} <{person.address}>" if person.name else person.address


def staff_notice(to: str, firm_name: str, messages: list[StoredMessage]) -> Mail:
    count = len(messages)
    if count == 1:
        subject = f"New email from {_sender(messages[0])}: {messages[0].subject or '(no subject)'}"
    else:
        subject = f"{count} new emails from synced contacts"
    lines = []
    for message in messages[:LISTED]:
        accounts = ", ".join(a.name or a.account_id for a in message.accounts)
        lines.append((_sender(message), message.subject or "(no subject)", accounts))
    more = count - len(lines)
    text = "New email from synced contacts, in the account's email tab and in Inbox+:\n\n"
    text += "".join(f"- {s}: {subj} ({acc})\n" for s, subj, acc in lines)
    text += f"\n... and {more} more.\n" if more > 0 else ""
    items = "".join(
        f"<li><b>{escape(s)}</b>: {escape(subj)} <i>({escape(acc)})</i></li>"
        for s, subj, acc in lines
    )
    html = (
        '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif">'
        "<p>New email from synced contacts, in the account's email tab and in Inbox+:</p>"
        f"<ul>{items}</ul>"
        + (f"<p>... and {more} more.</p>" if more > 0 else "")
        + "</body></html>"
    )
    return Mail(to=[to], subject=subject, text=text, html=html, sender_name=firm_name)
