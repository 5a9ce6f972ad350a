"""The portal access manager: every address with LOGIN on across the firm, with where its
invitation stands, and invitations to many addresses at once (with a personal note).

A bulk request answers at once: each address is checked, counted against the invitation
throttle (decision 29) and the firm's daily quota (decision 28), and written as a single
resend would (the row, its new invitation, the retired one, the audit entry and the
InvitationRequested event in one transaction: crm.storage.access.save); the invite
function sends the emails from the outbox. The same request retried within a quarter of
an hour gets the first answer and changes nothing (crm.storage.portal_access).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from crm import clock
from crm.access.manager_models import (
    BulkAnswer,
    BulkInvitation,
    BulkResult,
    PortalAccessEntry,
    PortalAccessPage,
    PortalStatus,
    SkipReason,
)
from crm.core.access import AccessRecord, invited, retired
from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.firms import FirmFacts
from crm.errors import Conflict, FirmNotVerified, NotFound, RateLimited
from crm.limits import throttle
from crm.limits.sending import Sending, may_email
from crm.storage import access as store
from crm.storage import directory
from crm.storage import paging as positions
from crm.storage import portal_access as manager_store
from crm.storage.keys import portal_access_position
from crm.storage.sending import firm_facts

ATTEMPTS = 3  # a row another writer changed meanwhile is read again this often
Pair = tuple[str, str]  # (account_id, email_id)


def status_of(record: AccessRecord, now: str) -> PortalStatus:
    """Where an address with LOGIN on stands (the same rule as the GSI3 filters)."""
    if record.login_status == "active":
        return "active"
    if record.login_status != "invited" or not record.invitation_id:
        return "not_invited"
    if record.invitation_bounced_at:
        return "bounced"
    if record.invitation_expires_at and record.invitation_expires_at <= now:
        return "expired"
    return "invited"


def entry(record: AccessRecord, now: str) -> PortalAccessEntry:
    return PortalAccessEntry(
        account_id=record.account_id,
        account_name=record.account_name,
        email_id=record.email_id,
        address=record.address,
        status=status_of(record, now),
        last_invited_at=record.last_invited_at,
        accepted_at=record.accepted_at,
        last_sign_in_at=record.last_sign_in_at,
    )


@dataclass
class PortalAccessManager:
    invitation_ttl_days: int
    sending: Sending = field(default_factory=Sending.from_settings)

    def listing(
        self,
        caller: Staff,
        status: PortalStatus | None,
        account_id: str | None,
        cursor: str | None,
        limit: int,
    ) -> PortalAccessPage:
        """The firm-wide list is one query per page (GSI3); one account's, its partition."""
        now = clock.iso()
        if account_id:
            return self._of_account(caller.firm_id, account_id, status, cursor, limit, now)
        login_status, out = _key_of(status)
        rows, next_cursor = manager_store.login_page(
            caller.firm_id, login_status, out, cursor, limit
        )
        return PortalAccessPage(items=[entry(r, now) for r in rows], next_cursor=next_cursor)

    def _of_account(
        self,
        firm_id: str,
        account_id: str,
        status: PortalStatus | None,
        cursor: str | None,
        limit: int,
        now: str,
    ) -> PortalAccessPage:
        _, records = store.read_partition(firm_id, account_id)
        wanted = [r for r in records if r.login and (status is None or status_of(r, now) == status)]
        wanted.sort(key=_position)
        page, next_cursor = positions.page_after(wanted, lambda r: (_position(r),), cursor, limit)
        return PortalAccessPage(items=[entry(r, now) for r in page], next_cursor=next_cursor)

    def invite_many(self, caller: Staff, request: BulkInvitation) -> BulkAnswer:
        caller.require_manage_accounts()
        pairs = [(t.account_id, t.email_id) for t in request.items]
        digest = hashlib.sha256(
            json.dumps([caller.firm_id, pairs, request.note]).encode()
        ).hexdigest()
        claimed = manager_store.claim_bulk(caller.firm_id, digest)
        if claimed is not None:
            if claimed.answer is None:
                raise Conflict(
                    "The same invitations are being sent by another request.",
                    code="bulk_in_progress",
                )
            return BulkAnswer.model_validate({"items": claimed.answer})
        try:
            results = self._invite_all(caller, pairs, request.note)
        except BaseException:
            manager_store.release_bulk(caller.firm_id, digest)
            raise
        answer = [r.model_dump(exclude_none=True) for r in results]
        manager_store.finish_bulk(caller.firm_id, digest, answer)
        return BulkAnswer(items=results)

    def _invite_all(self, caller: Staff, pairs: list[Pair], note: str | None) -> list[BulkResult]:
        firm_id = caller.firm_id
        facts = firm_facts(firm_id)
        if facts is None:
            raise NotFound("This firm does not exist.")
        found = {(r.account_id, r.email_id): r for r in directory.access_rows(firm_id, pairs)}
        reasons: dict[int, SkipReason] = {}
        candidates: list[tuple[int, AccessRecord]] = []
        seen: set[Pair] = set()
        for index, pair in enumerate(pairs):
            if pair in seen:
                reasons[index] = "duplicate"
                continue
            seen.add(pair)
            record = found.get(pair)
            reason = _refusal(record, facts)
            if reason is not None or record is None:
                reasons[index] = reason or "not_found"
            else:
                candidates.append((index, record))
        if candidates and not may_email(facts.standing, [r.address for _, r in candidates]):
            raise FirmNotVerified()
        permit = self.sending.reserve_up_to(facts.standing, len(candidates)) if candidates else None
        allowed = permit.count if permit else 0
        used = 0
        try:
            for position, (index, record) in enumerate(candidates):
                if position >= allowed:
                    reasons[index] = "quota"
                    continue
                reason = self._invite_one(caller, record, note)
                if reason is None:
                    used += 1
                else:
                    reasons[index] = reason
        finally:
            if permit is not None and used < permit.count:
                self.sending.release(permit, permit.count - used)
        return [
            BulkResult(
                account_id=account_id,
                email_id=email_id,
                result="skipped" if index in reasons else "queued",
                reason=reasons.get(index),
            )
            for index, (account_id, email_id) in enumerate(pairs)
        ]

    def _invite_one(
        self, caller: Staff, record: AccessRecord, note: str | None
    ) -> SkipReason | None:
        """Invite one address as a single resend does; the reason it was skipped, or None."""
        try:
            sends = throttle.invitation_send(caller.firm_id, record.address)
        except RateLimited:
            return "throttled"
        current = record
        with sends:
            for attempt in range(1, ATTEMPTS + 1):
                updated, invitation = invited(current, self.invitation_ttl_days, note)
                details: dict[str, object] = {"address": current.address, "bulk": True}
                if current.login_status != updated.login_status:
                    details["login_status"] = {
                        "from": current.login_status,
                        "to": updated.login_status,
                    }
                if note:  # the note itself stays on the invitation, never in the trail
                    details["note_length"] = len(note)
                audit_entry = AuditEntry.new(
                    caller.actor,
                    "invitation_sent",
                    account_id=current.account_id,
                    target=current.email_id,
                    details=details,
                )
                try:
                    store.save(
                        updated,
                        audit_entry,
                        invitation,
                        retired(current, updated),
                        before=current,
                    )
                    return None
                except Conflict:
                    if attempt == ATTEMPTS:
                        sends.give_back()
                        return "conflict"
                    try:
                        current = store.get(caller.firm_id, current.account_id, current.email_id)
                    except NotFound:
                        sends.give_back()
                        return "not_found"
                    reason = _refusal(current, None)
                    if reason is not None:
                        sends.give_back()
                        return reason
        return "conflict"  # pragma: no cover - the loop returns


def _refusal(record: AccessRecord | None, facts: FirmFacts | None) -> SkipReason | None:
    if record is None:
        return "not_found"
    if not record.login:
        return "login_off"
    if record.login_status == "active":
        return "active"
    if facts is not None and record.address.casefold() in facts.suppressed:
        return "suppressed"
    return None


def _key_of(status: PortalStatus | None) -> tuple[str | None, str | None]:
    """The GSI3 key prefix (login status) of a status, and the filter within it."""
    if status in ("invited", "expired", "bounced"):
        return "invited", status
    return status, None


def _position(record: AccessRecord) -> str:
    return portal_access_position(
        record.login_status, record.address, record.account_id, record.email_id
    )
