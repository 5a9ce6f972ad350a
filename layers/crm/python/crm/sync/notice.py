"""The staff notice: new mail from synced contacts, one email per staff member per run,
in the member's language, else the firm's (the catalogs' `synced-mail-notice`)."""

from __future__ import annotations

from html import escape

from crm.i18n import Localizer
from crm.integrations.mailer import Mail
from crm.sync.models import StoredMessage

LISTED = 20
_SAID = "synced-mail-notice"


def _sender(message: StoredMessage, words: Localizer) -> str:
    person = message.from_[0] if message.from_ else None
    if person is None:
        return words(f"{_SAID}.unknown-sender")
    return f"{person.name} <{person.address}>" if person.name else person.address


def staff_notice(
    to: str, firm_name: str, messages: list[StoredMessage], *, words: Localizer
) -> Mail:
    count = len(messages)
    no_subject = words(f"{_SAID}.no-subject")
    if count == 1:
        subject = words(
            f"{_SAID}.subject-one",
            sender=_sender(messages[0], words),
            subject=messages[0].subject or no_subject,
        )
    else:
        subject = words(f"{_SAID}.subject", count=count)
    lines = []
    for message in messages[:LISTED]:
        accounts = ", ".join(a.name or a.account_id for a in message.accounts)
        lines.append((_sender(message, words), message.subject or no_subject, accounts))
    more = count - len(lines)
    intro = words(f"{_SAID}.intro")
    rest = words(f"{_SAID}.more", more=more) if more > 0 else ""
    text = f"{intro}\n\n"
    text += "".join(f"- {s}: {subj} ({acc})\n" for s, subj, acc in lines)
    text += f"\n{rest}\n" if rest else ""
    items = "".join(
        f"<li><b>{escape(s)}</b>: {escape(subj)} <i>({escape(acc)})</i></li>"
        for s, subj, acc in lines
    )
    html = (
        f'<!doctype html><html lang="{words.tag}">'
        '<body style="font-family:Arial,Helvetica,sans-serif">'
        f"<p>{escape(intro)}</p>"
        f"<ul>{items}</ul>" + (f"<p>{escape(rest)}</p>" if rest else "") + "</body></html>"
    )
    return Mail(
        to=[to], subject=subject, text=text, html=html, sender_name=firm_name, language=words.tag
    )
