"""The notification email: what happened, in the sentence of its kind (the catalogs'
`notification-*` messages, chosen by crm.notifications.wording), what to do, a button to
the item (the event's `url`, else the portal), the account it is about, the activation
banner for people who have not activated yet, and a footer, all in the reader's language
(the Localizer the caller passes: the contact's language, else the firm's). Bulk kinds
carry RFC 8058 one-click unsubscribe and an RFC 2919 `List-Id`; required kinds
(PaymentConfirmed) neither, nor do the kinds of a category the firm locked (their footer
says the firm manages these emails).

The account is named in every email, not only to people with several accounts at the
firm: knowing that would cost a query per recipient (the fan-out reads one partition
however many recipients), and the name helps whoever reads a forwarded email too.

The HTML is written for mail clients: one column of layout tables, inline styles, no
external image or font, a hidden preheader (the sentence, for the inbox preview), 560 px
at most and fluid below. The plain-text part says the same. Every value is escaped where
it lands: a title is text in both parts, never markup; the catalog's own words are
escaped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from crm.i18n import Localizer
from crm.integrations.mailer import Mail
from crm.notifications import wording
from crm.notifications.models import Notification

# RFC 5322 atext without the specials: a phrase of only these (and spaces) needs no quotes
_ATEXT = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$")
_NOT_LABEL = re.compile(r"[^a-z0-9-]+")
# a value's place in a sentence while the catalog's words are escaped around it
_SLOT = re.compile(r"\x00(\w+)\x00")
_SLOT_STOP = re.compile(r"\x00(\w+)\x00\.")
EMAIL = "notification-email"  # the catalog message of the parts every kind shares

INK = "#1f2933"
MUTED = "#52606d"  # 6.4:1 on white
ACCENT = "#1d4ed8"  # white on it: 6.7:1
PAGE = "#f3f4f6"
FONT = "font-family:Arial,Helvetica,sans-serif"


@dataclass(frozen=True)
class Links:
    portal: str  # where the button goes when the event has no url
    unsubscribe: str | None  # None for a required kind: it has no unsubscribe link
    activate: str | None  # set only for a person whose LOGIN waits for activation
    locked: bool = False  # the firm locked the category: no unsubscribe link, it says so


@dataclass(frozen=True)
class Part:
    """One piece of wording, filled in: as plain text and as HTML."""

    text: str
    html: str


@dataclass(frozen=True)
class Content:
    subject: str
    heading: str
    lead: Part
    due_line: Part | None
    action: str
    button: str
    url: str


def content(
    notification: Notification, firm_name: str, account_name: str, portal: str, words: Localizer
) -> Content:
    """What the email says, in the reader's words, with the event's facts filled in."""
    detail = notification.detail
    kind = wording.message_of(notification.detail_type)
    values = {"firm": firm_name, "title": detail.title, "account": account_name}
    facts: set[str] = set()
    if detail.number:
        values["number"] = detail.number.lstrip("#").strip() or detail.number
        facts.add("number")
    if detail.amount is not None and detail.currency is not None:
        values["amount"] = wording.format_amount(detail.amount, detail.currency, words)
        facts.add("amount")
    if detail.due_date:
        values["due"] = wording.format_date(detail.due_date, words)
        facts.add("due")
    rich = {key: escape(value) for key, value in values.items()}
    rich["title"] = f"<strong>{rich['title']}</strong>"
    if words.has(f"{kind}.item"):
        item, _ = wording.pick(words, kind, "item", facts)
        said = sentence(words, item, values, rich)
        values["item"], rich["item"] = said.text, said.html
    lead, used = wording.pick(words, kind, "lead", facts)
    subject, _ = wording.pick(words, kind, "subject", facts)
    due_line = None
    if "due" in facts and "due" not in used:
        due_line = sentence(words, f"{EMAIL}.due-line", values, rich)
    return Content(
        subject=sentence(words, subject, values).text,
        heading=words(f"{kind}.heading"),
        lead=sentence(words, lead, values, rich),
        due_line=due_line,
        action=words(f"{kind}.action"),
        button=words(f"{kind}.button"),
        url=detail.url or portal,
    )


def notification_mail(
    notification: Notification,
    firm_name: str,
    account_name: str,
    address: str,
    links: Links,
    list_domain: str,
    *,
    words: Localizer,
) -> Mail:
    """One client's email, in `words`' language. `list_domain` is the sending domain, for
    the List-Id."""
    said = content(notification, firm_name, account_name, links.portal, words)
    names = {"firm": firm_name, "account": account_name}
    label = words(f"notification-category.{notification.category}")
    footer = _say(words, "footer", names)

    text_parts = []
    if links.activate:
        text_parts += [_say(words, "activate-text", {"url": links.activate}), ""]
    text_parts += [firm_name, "", said.heading, _say(words, "account", names), ""]
    text_parts += [said.lead.text]
    if said.due_line:
        text_parts.append(said.due_line.text)
    text_parts += [
        said.action,
        "",
        _say(words, "open-link", {"button": said.button, "url": said.url}),
    ]
    text_parts += ["", "--", footer]
    if links.unsubscribe:
        unsubscribe = {"label": label, "account": account_name, "url": links.unsubscribe}
        text_parts.append(_say(words, "unsubscribe-text", unsubscribe))
    else:
        text_parts.append(_no_unsubscribe(words, links, names))
    text = "\n".join(text_parts) + "\n"

    footer_html = escape(footer)
    if links.unsubscribe:
        after = _say(words, "unsubscribe-after", {"label": label, "account": account_name})
        footer_html += (
            f' <a href="{escape(links.unsubscribe)}" style="color:{MUTED}">'
            f"{escape(words(f'{EMAIL}.unsubscribe-link'))}</a> {escape(after)}"
        )
    else:
        footer_html += " " + escape(_no_unsubscribe(words, links, names))
    html = _document(said, words, firm_name, account_name, links.activate, footer_html)

    headers: dict[str, str] = {}
    if links.unsubscribe:
        headers |= {
            "List-Unsubscribe": f"<{links.unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id(notification.detail.firm_id, firm_name, list_domain, words),
        }
    return Mail(
        to=[address],
        subject=said.subject,
        text=text,
        html=html,
        sender_name=firm_name,
        headers=headers,
        language=words.tag,
    )


def _no_unsubscribe(words: Localizer, links: Links, names: dict[str, str]) -> str:
    """The footer's sentence of an email without an unsubscribe link: the firm manages
    this category (locked), or this kind always goes out (required)."""
    if links.locked:
        return sentence(words, "locked-category-footer", names).text
    return _say(words, "required-footer", names)


def list_id(firm_id: str, firm_name: str, domain: str, words: Localizer) -> str:
    """RFC 2919: `Ledger & Co notifications <notifications.frm-3f9c.example.com>`, one list
    per firm under the sending domain; the id is a dot-atom of DNS-like labels (the same
    in every language: only the phrase is the reader's)."""
    labels = ["notifications", firm_id, *domain.split(".")]
    cleaned = [_NOT_LABEL.sub("-", label.lower()).strip("-") for label in labels]
    identifier = ".".join(label for label in cleaned if label)
    return f"{_phrase(_say(words, 'list-name', {'firm': firm_name}))} <{identifier}>"


def firm_copy(
    notification: Notification,
    firm_name: str,
    account_name: str,
    recipients: list[str],
    copies: list[str],
    portal: str,
    *,
    words: Localizer,
) -> Mail:
    """The firm's copy of what its clients were sent (one per event), in the firm's
    language (`words`): no personal links."""
    said = content(notification, firm_name, account_name, portal, words)
    names = {"firm": firm_name, "account": account_name}
    intro = _say(words, "copy-intro", names)
    sent_to = _say(words, "copy-sent-to", {"recipients": ", ".join(recipients)})
    link = words(f"{EMAIL}.copy-link")
    due = said.due_line
    text = "\n".join(
        [
            intro,
            "",
            said.lead.text,
            *([due.text] if due else []),
            _say(words, "open-link", {"button": link, "url": said.url}),
            "",
            sent_to,
        ]
    )
    html = (
        f'<!doctype html><html lang="{words.tag}"><head><meta charset="utf-8">'
        f"<title>{escape(said.subject)}</title></head>"
        f'<body style="{FONT};color:{INK};line-height:1.5">'
        f"<p>{escape(intro)}</p><p>{said.lead.html}</p>"
        + (f"<p>{due.html}</p>" if due else "")
        + f'<p><a href="{escape(said.url)}">{escape(link)}</a></p>'
        f"<p>{escape(sent_to)}</p></body></html>"
    )
    return Mail(
        to=copies,
        subject=_say(words, "copy-subject", {"subject": said.subject}),
        text=text + "\n",
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )


def _document(
    said: Content,
    words: Localizer,
    firm_name: str,
    account_name: str,
    activate: str | None,
    footer_html: str,
) -> str:
    cell = f"{FONT};color:{INK};font-size:16px;line-height:1.5;overflow-wrap:anywhere"
    banner = ""
    if activate:
        banner = (
            f'<tr><td style="padding:16px 24px 0"><div style="{FONT};font-size:15px;'
            f"line-height:1.5;color:{INK};background:#fef3c7;border:1px solid #f59e0b;"
            f'padding:12px 16px;border-radius:6px">{escape(words(f"{EMAIL}.activate-banner"))} '
            f'<a href="{escape(activate)}" style="color:#1e3a8a">'
            f"{escape(words(f'{EMAIL}.activate-link'))}</a> "
            f"{escape(words(f'{EMAIL}.activate-after'))}"
            "</div></td></tr>"
        )
    due = f'<p style="margin:0 0 12px">{said.due_line.html}</p>' if said.due_line else ""
    account = escape(_say(words, "account", {"account": account_name}))
    button = (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>'
        f'<td style="border-radius:6px;background:{ACCENT}">'
        f'<a href="{escape(said.url)}" style="display:inline-block;padding:12px 22px;'
        f"{FONT};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;"
        f'border-radius:6px">{escape(said.button)}</a></td></tr></table>'
    )
    # one element a line: short lines in the MIME body too (a line of 998 characters
    # costs points in SpamAssassin and breaks RFC 2045's limit for quoted-printable)
    lines = [
        f'<!doctype html><html lang="{words.tag}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f"<title>{escape(said.subject)}</title></head>",
        f'<body style="margin:0;padding:0;background:{PAGE}">',
        '<div style="display:none;max-height:0;overflow:hidden;opacity:0;mso-hide:all">'
        f"{said.lead.html}</div>",
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'border="0" style="background:{PAGE}">',
        '<tr><td align="center" style="padding:24px 8px">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'border="0" style="max-width:560px;background:#ffffff;border:1px solid #e4e7eb;'
        'border-radius:8px">',
        f'<tr><td style="padding:20px 24px 0;{FONT};font-size:14px;color:{MUTED};'
        f'overflow-wrap:anywhere">{escape(firm_name)}</td></tr>',
        banner,
        f'<tr><td style="padding:12px 24px 0;{cell}">',
        f'<h1 style="margin:0;font-size:22px;line-height:1.3;color:{INK}">'
        f"{escape(said.heading)}</h1>",
        f'<p style="margin:4px 0 0;font-size:14px;color:{MUTED}">{account}</p></td></tr>',
        f'<tr><td style="padding:16px 24px 8px;{cell}">',
        f'<p style="margin:0 0 12px">{said.lead.html}</p>',
        due,
        f'<p style="margin:0 0 20px">{escape(said.action)}</p>',
        button,
        "</td></tr>",
        f'<tr><td style="padding:20px 24px 24px;{FONT};font-size:13px;line-height:1.5;'
        f'color:{MUTED};overflow-wrap:anywhere">',
        '<hr style="border:0;border-top:1px solid #e4e7eb;margin:0 0 16px">',
        footer_html,
        "</td></tr>",
        "</table></td></tr></table></body></html>",
    ]
    return "\n".join(line for line in lines if line) + "\n"


def sentence(
    words: Localizer,
    message_id: str,
    values: dict[str, str],
    rich: dict[str, str] | None = None,
) -> Part:
    """The catalog's sentence with `values` in it, as text and as HTML: the catalog's
    words escaped, the values as `rich` has them (HTML already, escaped by the caller;
    `values` escaped when it is not given). Without the sentence's full stop right after
    a value that ends a sentence itself ("Are you ready?", "Smith B.V."): no "ready?." in
    the email."""
    html_values = rich if rich is not None else {k: escape(v) for k, v in values.items()}
    pattern = words(message_id, **{name: f"\x00{name}\x00" for name in values})

    def stop(found: re.Match[str]) -> str:
        return found[0][:-1] if values[found[1]].endswith((".", "!", "?")) else found[0]

    pattern = _SLOT_STOP.sub(stop, pattern)
    return Part(
        text=_SLOT.sub(lambda found: values[found[1]], pattern),
        html=_SLOT.sub(lambda found: html_values[found[1]], escape(pattern, quote=False)),
    )


def _say(words: Localizer, part: str, values: dict[str, str]) -> str:
    """One of the shared parts (`notification-email.<part>`), as text."""
    return sentence(words, f"{EMAIL}.{part}", values).text


def _phrase(text: str) -> str:
    """A display phrase for a header: as it is when it is plain words, else quoted (the
    email package encodes non-ASCII text itself)."""
    if _ATEXT.match(text) or not text.isascii():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
