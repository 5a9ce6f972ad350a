"""The short notice to a client whose portal access came back (the invite function's work,
on AccessRestored): LOGIN was turned on again for an address whose portal login still
exists, so they sign in with their current password; no invitation, no link to activate.

Sent only while the row is still the one restored (active, the same `access_restored_at`):
a redelivered or late event for access turned off again in between sends nothing. The
firm's copy addresses get a copy, as of every email to a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Literal

from crm.core.access import AccessRecord, AccessRestored
from crm.errors import NotFound
from crm.integrations.mailer import Mail, Mailer, SendFailed
from crm.limits.sending import may_email
from crm.observability import logger
from crm.storage import access as store
from crm.storage.sending import firm_facts

Outcome = Literal["sent", "skipped"]
_STYLE = 'style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5"'
_BUTTON = (
    'style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;'
    'text-decoration:none;border-radius:6px"'
)


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
        mail = restored_mail(row, firm.name, f"{self.portal_base}/portal")
        self.mailer.send(mail)
        if firm.copies:
            copy = restored_mail(row, firm.name, f"{self.portal_base}/portal", copy_for=firm.copies)
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
    row: AccessRecord, firm_name: str, portal: str, copy_for: list[str] | None = None
) -> Mail:
    """A few lines: which account is back, and that the current password still works."""
    account = row.account_name
    said = (
        f"{firm_name} has given you access to {account} in their client portal again. "
        "Sign in with your current password: there is nothing to activate."
    )
    text = f"Hello,\n\n{said}\n\nOpen the portal: {portal}\n"
    html = f"""<!doctype html>
<html lang="en"><body {_STYLE}>
<p>Hello,</p>
<p>{escape(said)}</p>
<p><a href="{escape(portal, quote=True)}" {_BUTTON}>Open the portal</a></p>
</body></html>
"""
    subject = f"{firm_name}: your access to {account} is back"
    if copy_for:
        note = f"A copy of the notice sent to {row.address}.\n\n"
        return Mail(
            to=copy_for,
            subject=f"Copy: {subject}",
            text=note + text,
            html=html.replace("<p>Hello,</p>", f"<p>{escape(note.strip())}</p>\n<p>Hello,</p>"),
            sender_name=firm_name,
        )
    return Mail(to=[row.address], subject=subject, text=text, html=html, sender_name=firm_name)


def _ids(request: AccessRestored) -> dict[str, str]:
    return {"firm_id": request.firm_id, "account_id": request.account_id}


def _skipped(reason: str, request: AccessRestored) -> Outcome:
    logger.info(f"access restored notice not sent: {reason}", extra=_ids(request))
    return "skipped"
