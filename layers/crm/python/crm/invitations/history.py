"""Invitation histories: read for staff (with the expiries they imply), and fed by what
mail servers say of an invitation email (SES delivery and bounce events, traced back by
the message's SES tags: crm.invitations.sender.ses_tags) and by the activation page
being read (the first time counts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crm import clock
from crm.core.caller import Staff
from crm.core.invitation_history import (
    HistoryEntry,
    What,
    moment,
    position,
    to_the_second,
    with_expiries,
)
from crm.core.invitations import Invitation
from crm.invitations.history_models import HistoryLine, InvitationHistory
from crm.observability import logger
from crm.storage import access, firms
from crm.storage import invitation_history as store
from crm.storage.paging import page_after


def history(
    caller: Staff, account_id: str, email_id: str, cursor: str | None, limit: int
) -> InvitationHistory:
    """Newest first, one page. Costs a read of the row (404 for an address not on the
    account), one query of the history, and the staff list when a staff member is named."""
    access.get(caller.firm_id, account_id, email_id)
    entries = with_expiries(store.entries(caller.firm_id, account_id, email_id), clock.iso())
    page, next_cursor = page_after(entries, position, cursor, limit, descending=True)
    staff: dict[str, str] = {}
    if any((e.by or "").startswith("staff:") for e in page):
        staff = {m.staff_id: m.email for m in firms.list_staff(caller.firm_id)}
    return InvitationHistory(
        items=[
            HistoryLine(
                at=to_the_second(e.at),
                what=e.what,
                by=_name(e.by, staff),
                by_id=e.by,
                invitation_id=e.invitation_id,
                address=e.address,
            )
            for e in page
        ],
        next_cursor=next_cursor,
    )


def _name(by: str | None, staff: dict[str, str]) -> str | None:
    kind, _, who = (by or "").partition(":")
    if kind == "staff":
        return staff.get(who)
    if kind == "client":
        return who
    return None


def opened(invitation: Invitation) -> None:
    """The activation page (or the invitation it shows) was read for a usable client
    invitation: the first time is an entry, later ones are not."""
    if invitation.audience != "client" or not (invitation.account_id and invitation.email_id):
        return
    store.record(
        invitation.firm_id,
        invitation.account_id,
        invitation.email_id,
        HistoryEntry(
            invitation_id=invitation.invitation_id,
            what="opened",
            at=moment(),
            by=f"client:{invitation.address}",
            address=invitation.address,
        ),
    )


MAIL_EVENTS: dict[str, tuple[What, str]] = {
    "Delivery": ("delivered", "delivery"),
    "Bounce": ("bounced", "bounce"),
}


def mail_event(detail: dict[str, Any]) -> bool:
    """Record an SES delivery or bounce of an invitation email in its row's history (once:
    SES and EventBridge may deliver the event again). A bounce of the row's current
    invitation also marks the row (`invitation_bounced_at`). False when the event is not
    about an invitation, or was recorded before."""
    kind = MAIL_EVENTS.get(str(detail.get("eventType") or ""))
    mail = detail.get("mail") or {}
    tags = {k: _tag(v) for k, v in (mail.get("tags") or {}).items()}
    firm_id, invitation_id = tags.get("firm_id"), tags.get("invitation_id")
    account_id, email_id = tags.get("account_id"), tags.get("email_id")
    if kind is None or not (firm_id and invitation_id and account_id and email_id):
        return False
    what, part = kind
    at = _moment((detail.get(part) or {}).get("timestamp")) or moment()
    recipients = mail.get("destination") or []
    entry = HistoryEntry(
        invitation_id=invitation_id,
        what=what,
        at=at,
        address=str(recipients[0]) if recipients else None,
    )
    new = store.record(firm_id, account_id, email_id, entry)
    if what == "bounced":
        store.mark_bounced(firm_id, account_id, email_id, invitation_id, to_the_second(at))
    logger.info(
        "invitation email feedback",
        extra={"invitation_id": invitation_id, "what": what, "new": new},
    )
    return new


def _tag(value: Any) -> str | None:
    """SES gives every tag as a list of values."""
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else None


def _moment(text: Any) -> str | None:
    """SES's timestamps (`2026-12-02T10:00:00.123Z`) as a `moment()`."""
    if not isinstance(text, str):
        return None
    for form in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return moment(datetime.strptime(text, form).replace(tzinfo=UTC))
        except ValueError:
            continue
    return None
