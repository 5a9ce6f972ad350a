"""The email the stack has sent, read from moto's SES backend (the server runs in-process).

SES v1 and v2, simple and raw, all land in the same backend; each message is described in
one shape: ``{to, cc, bcc, from, subject, text, html, headers, raw}``.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

from moto.ses.models import RawMessage, ses_backends

from local.template import ACCOUNT_ID, REGION


def _backend() -> Any:
    return ses_backends[ACCOUNT_ID][REGION]


def sent_mail() -> list[dict[str, Any]]:
    """Every email sent so far, oldest first."""
    return [describe(message) for message in list(_backend().sent_messages)]


def clear_mail() -> None:
    _backend().sent_messages.clear()


def _as_mime(message: Any) -> tuple[str, list[str]]:
    """The MIME text of a sent message, and every address it went to."""
    if isinstance(message, RawMessage):
        return message.raw_data, list(message.destinations or [])
    # SendEmail (simple content): SES builds the MIME message itself.
    destinations = message.destinations or {}
    mime = EmailMessage()
    mime["From"] = message.source
    for header, key in (("To", "ToAddresses"), ("Cc", "CcAddresses")):
        if destinations.get(key):
            mime[header] = ", ".join(destinations[key])
    mime["Subject"] = getattr(message, "subject", None) or ""
    body = str(getattr(message, "body", None) or getattr(message, "template_data", ""))
    mime.set_content(body, subtype="html" if body.lstrip().startswith("<") else "plain")
    recipients = [address for addresses in destinations.values() for address in addresses]
    return mime.as_string(), recipients


def _addresses(mime: EmailMessage, header: str) -> list[str]:
    return [address for _, address in getaddresses(mime.get_all(header, [])) if address]


def _part(mime: EmailMessage, subtype: str) -> str | None:
    part = mime.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    return str(part.get_content())


def describe(message: Any) -> dict[str, Any]:
    raw, recipients = _as_mime(message)
    # As bytes, so that 8bit parts decode with their charset.
    mime: EmailMessage = message_from_bytes(raw.encode("utf-8"), policy=policy.default)
    to, cc = _addresses(mime, "To"), _addresses(mime, "Cc")
    bcc = _addresses(mime, "Bcc")
    if not bcc:  # Bcc is not a header: it is whoever received the message but is not listed
        listed = {address.lower() for address in to + cc}
        bcc = [
            address
            for _, address in getaddresses(recipients)
            if address and address.lower() not in listed
        ]
        bcc = list(dict.fromkeys(bcc))
    headers: dict[str, str] = {}
    for name, value in mime.items():
        headers[name] = f"{headers[name]}, {value}" if name in headers else str(value)
    return {
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "from": str(mime.get("From", "")),
        "subject": str(mime.get("Subject", "")),
        "text": _part(mime, "plain"),
        "html": _part(mime, "html"),
        "headers": headers,
        "raw": raw,
    }
