"""The short notice to a client whose portal access came back (the invite function's work,
on AccessRestored): LOGIN was turned on again for an address whose portal login still
exists, so they sign in with their current password; no invitation, no link to activate.

Sent only while the row is still the one restored (active, the same `access_restored_at`):
a redelivered or late event for access turned off again in between sends nothing. The
firm's copy addresses get a copy, as of every email to a client. The notice is in the
contact's language, else the firm's (one read of the contact); the copy in the firm's.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Literal

from crm.core.access import AccessRecord, AccessRestored
from crm.errors import NotFound
from crm.i18n import Localizer
from crm.integrations.mailer import BODY_STYLE, BUTTON_STYLE, Mail, Mailer, SendFailed
from crm.limits.sending import may_email
from crm.observability import logger
from crm.storage import access as store
from crm.storage import directory
from crm.storage.sending import firm_facts

Outcome = Literal["sent", "skipped"]


@dataclass
class AccessNotice:
    mailer: Mailer
    portal_base: str

    def send_restored(self, request: AccessRestored) -> Outcome:
        try:
            row = store.get(request.firm_id, request.account_id, request.email_id)
        except NotFound:
            return _skipped("the row is gone", request)
        if row.login_status != "active" or row.access_restored_at != request.restored_at:
            return _skipped("access changed again since", request)
        firm = firm_facts(request.firm_id)
        if firm is None or not may_email(firm.standing, [row.address]):
            return _skipped("the firm may not email this address", request)
        if row.address.casefold() in firm.suppressed:
            return _skipped("the address is suppressed", request)
        portal = f"{self.portal_base}/portal"
        language = directory.contact_languages(row.firm_id, [row.contact_id]).get(row.contact_id)
        self.mailer.send(restored_mail(row, firm.name, portal, words=firm.words(language)))
        if firm.copies:  # in the firm's language
            copy = restored_mail(row, firm.name, portal, words=firm.words(), copy_for=firm.copies)
            try:
                self.mailer.send(copy)
            except SendFailed as failure:  # the notice itself went out
                logger.error(
                    "firm copy of an access notice not sent",
                    extra=_ids(request) | {"reason": failure.reason},
                )
        logger.info("access restored notice sent", extra=_ids(request))
        return "sent"


def restored_mail(
    row: AccessRecord,
    firm_name: str,
    portal: str,
    *,
    words: Localizer,
    copy_for: list[str] | None = None,
) -> Mail:
    """A few lines in the reader's language: which account is back, and that the current
    password still works. The firm's copy (`copy_for`) says whom it was sent to."""
    names = {"firm": firm_name, "account": row.account_name}
    greeting = words("email-greeting")
    said = words("access-restored-email.said", **names)
    open_portal = words("access-restored-email.open")
    subject = words("access-restored-email.subject", **names)
    note = words("access-restored-email.copy-note", address=row.address) if copy_for else ""
    text = f"{greeting}\n\n{said}\n\n{open_portal}: {portal}\n"
    html = f"""<!doctype html>
<html lang="{words.tag}"><body {BODY_STYLE}>
{f"<p>{escape(note)}</p>" if note else ""}
<p>{escape(greeting)}</p>
<p>{escape(said)}</p>
<p><a href="{escape(portal, quote=True)}" {BUTTON_STYLE}>{escape(open_portal)}</a></p>
</body></html>
"""
    if copy_for:
        return Mail(
            to=copy_for,
            subject=words("email-copy-subject", subject=subject),
            text=f"{note}\n\n{text}",
            html=html,
            sender_name=firm_name,
            language=words.tag,
        )
    return Mail(
        to=[row.address],
        subject=subject,
        text=text,
        html=html,
        sender_name=firm_name,
        language=words.tag,
    )


def _ids(request: AccessRestored) -> dict[str, str]:
    return {"firm_id": request.firm_id, "account_id": request.account_id}


def _skipped(reason: str, request: AccessRestored) -> Outcome:
    logger.info(f"access restored notice not sent: {reason}", extra=_ids(request))
    return "skipped"
