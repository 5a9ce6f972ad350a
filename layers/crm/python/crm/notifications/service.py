"""The notification routes' rules: the delivery log, one-click unsubscribe, activation
requests from the banner, and the firm's suppressed addresses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from crm import clock
from crm.core.access import AccessRecord, invited, retired
from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.categories import CATEGORIES, Category
from crm.errors import Conflict, NotFound
from crm.i18n import Localizer, localizer
from crm.limits.sending import Sending
from crm.notifications import links, store
from crm.notifications.models import DeliveryPage, Suppression, SuppressionPage
from crm.storage import access, directory, paging, sending

ATTEMPTS = 5
RESEND_AFTER = timedelta(minutes=10)  # an activation request sooner than this sends nothing

ActivationResult = Literal["sent", "recently_sent", "active", "unavailable"]


class CategoryLocked(Exception):
    """An unsubscribe link of a category the firm locked: nothing changes (the firm
    manages these emails; staff may still change the preferences)."""

    def __init__(self, row: AccessRecord, category: Category) -> None:
        super().__init__(f"{category} is locked by the firm")
        self.row, self.category = row, category


@dataclass(frozen=True)
class LinkTarget:
    firm_id: str
    account_id: str
    email_id: str
    category: str | None = None


@dataclass
class NotificationService:
    link_secret: Callable[[], bytes]
    invitation_ttl_days: int
    sending: Sending = field(default_factory=Sending.from_settings)  # crm.limits.sending

    # ------------------------------------------------------------------ staff
    def deliveries(
        self, caller: Staff, account_id: str, cursor: str | None, limit: int
    ) -> DeliveryPage:
        directory.get_account(caller.firm_id, account_id)
        return store.list_deliveries(caller.firm_id, account_id, cursor, limit)

    def suppressions(self, caller: Staff, cursor: str | None, limit: int) -> SuppressionPage:
        facts = sending.firm_facts(caller.firm_id)
        addresses = sorted(facts.suppressed) if facts else []
        page, next_cursor = paging.page_after(addresses, lambda a: (a,), cursor, limit)
        return SuppressionPage(
            items=[Suppression(address=a) for a in page], next_cursor=next_cursor
        )

    def clear_suppression(self, caller: Staff, address: str) -> None:
        caller.require_manage_accounts()
        facts = sending.firm_facts(caller.firm_id)
        if facts is None or address.casefold() not in facts.suppressed:
            raise NotFound("This address is not suppressed.")
        store.clear(caller.firm_id, address)

    # ------------------------------------------------------- signed links
    def target(self, purpose: str, token: str) -> LinkTarget:
        fields = links.verify(self.link_secret(), purpose, token)
        if fields is None or not {"f", "a", "e"} <= set(fields):
            raise NotFound("This link is not valid.", code="link_not_found")
        return LinkTarget(fields["f"], fields["a"], fields["e"], fields.get("c"))

    def _unsubscribe_target(self, token: str) -> tuple[LinkTarget, Category]:
        target = self.target(links.UNSUBSCRIBE, token)
        category = next((c for c in CATEGORIES if c == target.category), None)
        if category is None:
            raise NotFound("This link is not valid.", code="link_not_found")
        return target, category

    def describe_unsubscribe(self, token: str) -> tuple[AccessRecord, Category]:
        """The row and category a link names, for its page; changes nothing. A category
        the firm locked raises CategoryLocked (the page says the firm manages it)."""
        target, category = self._unsubscribe_target(token)
        row = access.get(target.firm_id, target.account_id, target.email_id)
        self._refuse_locked(row, category)
        return row, category

    def _refuse_locked(self, row: AccessRecord, category: Category) -> None:
        firm = sending.firm_facts(row.firm_id)
        if firm is not None and category in firm.locked:
            raise CategoryLocked(row, category)

    def unsubscribe(self, token: str) -> tuple[AccessRecord, Category]:
        """Turn the link's category off for its address on its account (idempotent),
        unless the firm locked it (CategoryLocked: nothing changes)."""
        target, category = self._unsubscribe_target(token)
        for attempt in range(1, ATTEMPTS + 1):
            row = access.get(target.firm_id, target.account_id, target.email_id)
            self._refuse_locked(row, category)
            if row.preferences.get(category) is False:
                return row, category
            updated = row.model_copy(
                update={
                    "preferences": {**row.preferences, category: False},
                    "unsubscribed": sorted({*row.unsubscribed, category}),
                }
            )
            entry = AuditEntry.new(
                f"client:{row.address}",
                "unsubscribed",
                account_id=row.account_id,
                target=row.email_id,
                details={"address": row.address, f"preferences.{category}": False},
            )
            try:
                return access.save(updated, entry), category
            except Conflict:
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def describe_activation(self, token: str) -> AccessRecord:
        """The row an activation link names, for its page; changes nothing."""
        target = self.target(links.ACTIVATE, token)
        return access.get(target.firm_id, target.account_id, target.email_id)

    def reader_words(self, row: AccessRecord) -> Localizer:
        """The words of a page opened from a link in an email to `row`'s address: its
        contact's language, else the firm's; the firm's form of address and time zone."""
        firm = sending.firm_facts(row.firm_id)
        if firm is None:
            return localizer(None)
        language = directory.contact_languages(row.firm_id, [row.contact_id]).get(row.contact_id)
        return firm.words(language)

    def request_activation(self, token: str) -> tuple[ActivationResult, AccessRecord]:
        """From the banner: send a fresh invitation to someone whose LOGIN waits."""
        target = self.target(links.ACTIVATE, token)
        row = access.get(target.firm_id, target.account_id, target.email_id)
        if row.login_status == "active":
            return "active", row
        if not row.login:
            return "unavailable", row
        if row.login_status == "invited" and row.invitation_expires_at:
            sent_at = clock.parse(row.invitation_expires_at) - timedelta(
                days=self.invitation_ttl_days
            )
            if clock.now() - sent_at < RESEND_AFTER:
                return "recently_sent", row
        permit = self.sending.permit(target.firm_id, [row.address])  # 403 unverified, 429
        updated, invitation = invited(row, self.invitation_ttl_days)
        entry = AuditEntry.new(
            f"client:{row.address}",
            "invitation_sent",
            account_id=row.account_id,
            target=row.email_id,
            details={"address": row.address, "requested_from": "activation banner"},
        )
        try:
            written = access.save(updated, entry, invitation, retired(row, updated))
        except BaseException:
            self.sending.release(permit)
            raise
        return "sent", written
