"""The digest email: everything held for one address, in one message, grouped by account
and category, each item in the sentence of its kind (crm.notifications.mail.content) with
its link, in the reader's language and time zone.

Its footer and `List-Unsubscribe` carry one link per (account, category) the digest
holds, unless the firm locked that category; required kinds never reach a digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from crm.core.categories import CATEGORIES
from crm.i18n import Localizer
from crm.integrations.mailer import Mail
from crm.notifications.digest_times import Why
from crm.notifications.mail import ACCENT, FONT, INK, MUTED, PAGE, content, list_id, sentence
from crm.notifications.models import Notification

DIGEST = "digest-email"
EMAIL = "notification-email"


@dataclass(frozen=True)
class Entry:
    notification: Notification
    account_name: str
    unsubscribe: str | None  # that category off for that address there; None: locked


def digest_mail(
    entries: Sequence[Entry],
    *,
    firm_id: str,
    firm_name: str,
    address: str,
    why: Why,
    day: datetime,
    portal: str,
    list_domain: str,
    words: Localizer,
) -> Mail:
    count = len(entries)
    names = {"firm": firm_name}
    heading = words(f"{DIGEST}.heading-{why}", date=words.date(day))
    intro = words(f"{DIGEST}.intro", firm=firm_name, count=count)
    text = [firm_name, "", heading, intro]
    html = [
        f'<p style="margin:0 0 4px;font-size:14px;color:{MUTED}">{escape(firm_name)}</p>',
        f'<h1 style="margin:0 0 8px;font-size:22px;line-height:1.3">{escape(heading)}</h1>',
        f'<p style="margin:0 0 8px">{escape(intro)}</p>',
    ]
    unsubscribes: dict[str, tuple[str, str, str]] = {}  # url: (label, account, url)
    shown_account: str | None = None
    for account_name, category, group in _grouped(entries):
        label = words(f"notification-category.{category}")
        if account_name != shown_account:
            shown_account = account_name
            account_line = sentence(words, f"{EMAIL}.account", {"account": account_name}).text
            text += ["", account_line]
            html.append(f'<h2 style="margin:20px 0 4px;font-size:17px">{escape(account_line)}</h2>')
        about = words(f"{DIGEST}.category", label=label)
        text += ["", about]
        html += [
            f'<h3 style="margin:8px 0 4px;font-size:15px;color:{MUTED}">{escape(about)}</h3>',
            '<ul style="margin:0;padding-left:20px">',
        ]
        for entry in group:
            said = content(entry.notification, firm_name, account_name, portal, words)
            link = sentence(words, f"{EMAIL}.open-link", {"button": said.button, "url": said.url})
            text += [f"- {said.lead.text}", f"  {link.text}"]
            html.append(
                f'<li style="margin:0 0 10px">{said.lead.html}<br>'
                f'<a href="{escape(said.url)}" style="color:{ACCENT}">{escape(said.button)}</a>'
                "</li>"
            )
            if entry.unsubscribe:
                unsubscribes[entry.unsubscribe] = (label, account_name, entry.unsubscribe)
        html.append("</ul>")
    footer = words(f"{DIGEST}.footer", **names)
    text += ["", "--", footer]
    footer_html = [escape(footer)]
    for label, account_name, url in unsubscribes.values():
        values = {"label": label, "account": account_name, "url": url}
        text.append(sentence(words, f"{EMAIL}.unsubscribe-text", values).text)
        after = sentence(words, f"{EMAIL}.unsubscribe-after", values).text
        footer_html.append(
            f'<br><a href="{escape(url)}" style="color:{MUTED}">'
            f"{escape(words(f'{EMAIL}.unsubscribe-link'))}</a> {escape(after)}"
        )
    subject = words(f"{DIGEST}.subject", firm=firm_name, count=count)
    headers: dict[str, str] = {}
    if unsubscribes:
        headers = {
            "List-Unsubscribe": ", ".join(f"<{url}>" for url in unsubscribes),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id(firm_id, firm_name, list_domain, words),
        }
    return Mail(
        to=[address],
        subject=subject,
        text="\n".join(text) + "\n",
        html=_document(subject, words.tag, html, footer_html),
        sender_name=firm_name,
        headers=headers,
        language=words.tag,
    )


def _grouped(entries: Sequence[Entry]) -> list[tuple[str, str, list[Entry]]]:
    """(account, category, entries), accounts by name, categories in the catalog's order,
    entries as they came."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry.account_name, entry.notification.category), []).append(entry)
    order: dict[str, int] = {category: i for i, category in enumerate(CATEGORIES)}
    return [
        (account, category, group)
        for (account, category), group in sorted(
            groups.items(), key=lambda kv: (kv[0][0].casefold(), order.get(kv[0][1], 99))
        )
    ]


def _document(subject: str, language: str, body: list[str], footer: list[str]) -> str:
    cell = f"{FONT};color:{INK};font-size:16px;line-height:1.5;overflow-wrap:anywhere"
    lines = [
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(subject)}</title></head>",
        f'<body style="margin:0;padding:0;background:{PAGE}">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'border="0" style="background:{PAGE}"><tr><td align="center" style="padding:24px 8px">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="max-width:560px;background:#ffffff;border:1px solid #e4e7eb;border-radius:8px">',
        f'<tr><td style="padding:20px 24px 8px;{cell}">',
        *body,
        "</td></tr>",
        f'<tr><td style="padding:16px 24px 24px;{FONT};font-size:13px;line-height:1.5;'
        f'color:{MUTED};overflow-wrap:anywhere">',
        '<hr style="border:0;border-top:1px solid #e4e7eb;margin:0 0 16px">',
        *footer,
        "</td></tr></table></td></tr></table></body></html>",
    ]
    return "\n".join(lines) + "\n"
