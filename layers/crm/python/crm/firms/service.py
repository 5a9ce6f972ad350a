"""The rules of firms and staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from crm import clock
from crm.core import ids, tokens
from crm.core.audit import AuditEntry
from crm.core.caller import Staff
from crm.core.firms import FirmSettings, FirmStanding, StaffMember, VerificationState, staff_claims
from crm.core.invitations import Invitation
from crm.errors import AlreadyExists, Conflict, Forbidden, NotFound, VerificationRecentlySent
from crm.firms.events import signup_notice, verification_requested
from crm.firms.models import (
    ChangeStaff,
    CreateFirm,
    FirmCreated,
    FirmVerified,
    InviteStaff,
    LoginAnswer,
    SettingsChange,
    StaffLogin,
    StaffPage,
    VerificationPage,
    VerificationSent,
)
from crm.integrations.identity import UserPool
from crm.limits.sending import Sending
from crm.storage import firms as store
from crm.storage import outbox, paging

RESEND_AFTER = timedelta(minutes=5)  # the owner may ask for the link again this often
UNUSABLE_LINK = "This confirmation link cannot be used. Sign in and ask for a new one."


@dataclass
class FirmService:
    staff_pool: UserPool
    invitation_ttl_days: int
    sending: Sending = field(default_factory=Sending.from_settings)

    def create_firm(self, request: CreateFirm) -> FirmCreated:
        """A new firm with its owner, waiting for the owner to prove the address by the
        link just mailed. The owner's Cognito user comes first; if the firm's records
        cannot be written, that user is removed again.

        An address that already signs in as staff, or is invited as staff, gets the very
        answer a new firm gets (ids that exist nowhere): whether an address is staff
        somewhere is told only to that address, by email."""
        firm_id = ids.new_id("frm")
        owner = StaffMember(
            staff_id=ids.new_id("stf"),
            email=request.owner_email,
            role="owner",
            manage_accounts=True,
            status="active",
            created_at=clock.iso(),
        )
        try:
            self.staff_pool.create_user(
                owner.email, request.owner_password, staff_claims(firm_id, owner), "owner_password"
            )
        except AlreadyExists:
            return self._address_taken(owner.email)
        verification = self._new_verification(firm_id, owner.email)
        try:
            store.create_firm(
                firm_id,
                request.firm_name,
                owner,
                verification,
                [verification_requested(firm_id, str(verification.verification_id))],
            )
        except AlreadyExists:
            self.staff_pool.delete_user(owner.email)
            return self._address_taken(owner.email)
        except BaseException:
            self.staff_pool.delete_user(owner.email)
            raise
        standing = FirmStanding(
            firm_id=firm_id, name=request.firm_name, verified=False, owner_email=owner.email
        )
        self.sending.permit(firm_id, [owner.email], standing)  # a new firm: room for one
        return FirmCreated(firm_id=firm_id, staff_id=owner.staff_id)

    def _address_taken(self, address: str) -> FirmCreated:
        outbox.put([signup_notice(address)])  # nothing else changes: the event alone
        return FirmCreated(firm_id=ids.new_id("frm"), staff_id=ids.new_id("stf"))

    def _new_verification(self, firm_id: str, owner_email: str) -> VerificationState:
        now = clock.now()
        return VerificationState(
            firm_id=firm_id,
            owner_email=owner_email,
            verification_id=ids.new_id("vrf"),
            expires_at=clock.iso(now + timedelta(days=self.invitation_ttl_days)),
            requested_at=clock.iso(now),
        )

    # ------------------------------------------------------------ verification

    def request_verification(self, caller: Staff) -> VerificationSent:
        """The owner asks for the link again (the older ones stop working): at most once
        per RESEND_AFTER, and within the firm's sending quota."""
        if caller.role != "owner":
            raise Forbidden(
                "Only the firm's owner may confirm the firm's address.", words="error-owner-only"
            )
        current = store.get_verification(caller.firm_id)
        if current is None:
            raise NotFound("This firm does not exist.", words="error-firm-not-found")
        if current.verified_at:
            raise Conflict("The firm's address is already confirmed.", code="already_verified")
        if current.requested_at:
            wait = clock.parse(current.requested_at) + RESEND_AFTER - clock.now()
            if wait.total_seconds() > 0:
                raise VerificationRecentlySent(int(wait.total_seconds()) + 1)
        owner_email = current.owner_email or store.get_staff(caller.firm_id, caller.staff_id).email
        wanted = self._new_verification(caller.firm_id, owner_email)
        standing = FirmStanding(
            firm_id=caller.firm_id,
            name=current.firm_name,
            verified=False,
            owner_email=owner_email,
        )
        permit = self.sending.permit(caller.firm_id, [owner_email], standing)
        try:
            store.request_verification(
                wanted,
                current.requested_at,
                caller.actor,
                [verification_requested(caller.firm_id, str(wanted.verification_id))],
            )
        except Conflict as error:  # another request came first
            self.sending.release(permit)
            raise VerificationRecentlySent(int(RESEND_AFTER.total_seconds())) from error
        except BaseException:
            self.sending.release(permit)
            raise
        return VerificationSent(
            verified=False, sent_to=owner_email, requested_at=str(wanted.requested_at)
        )

    def _usable(self, raw_token: str) -> tuple[tokens.Token, VerificationState]:
        """Every token that cannot be used (malformed, unknown, replaced, expired, used)
        is the same NotFound."""
        token = tokens.parse(raw_token)
        state = store.get_verification(token.firm_id) if token else None
        if (
            token is None
            or state is None
            or state.verified_at
            or state.verification_id != token.invitation_id  # the middle part names it
            or not tokens.matches(token, state.digest)
            or not state.expires_at
            or state.expires_at <= clock.iso()
        ):
            raise NotFound(UNUSABLE_LINK, code="verification_not_found")
        return token, state

    def describe_verification(self, raw_token: str) -> VerificationPage:
        """The firm's name and the owner's own language, for the page of a usable link;
        changes nothing."""
        state = self._usable(raw_token)[1]
        holder = store.staff_address_owner(state.owner_email) if state.owner_email else None
        language = None
        if holder is not None and holder[0] == state.firm_id:
            language = store.get_staff(state.firm_id, holder[1]).language
        return VerificationPage(firm_name=state.firm_name, language=language)

    def verify(self, raw_token: str) -> FirmVerified:
        token, state = self._usable(raw_token)
        store.verify(
            state.firm_id,
            token.invitation_id,
            token.digest,
            AuditEntry.new(
                f"owner:{state.owner_email}",
                "firm_verified",
                target=state.firm_id,
                details={"address": state.owner_email},
            ),
        )
        return FirmVerified(verified=True, firm_name=state.firm_name)

    # ------------------------------------------------------------------ staff

    def login(self, request: StaffLogin) -> LoginAnswer:
        """A token, and what the staff pages need to speak the member's language from the
        first screen: their own language, the firm's, its time zone and form of address."""
        session = self.staff_pool.sign_in(request.email, request.password)
        claims = session.claims
        firm_id = claims.get("custom:firm_id", "")
        staff_id = claims.get("custom:staff_id", "")
        settings = store.get_settings(firm_id)
        return LoginAnswer(
            token=session.token,
            expires_in=session.expires_in,
            firm_id=firm_id,
            staff_id=staff_id,
            role=claims.get("custom:role", "employee"),  # type: ignore[arg-type]
            language=store.get_staff(firm_id, staff_id).language,
            firm_language=settings.language,
            time_zone=settings.time_zone,
            form_of_address=settings.form_of_address,
        )

    def invite_staff(self, caller: Staff, request: InviteStaff) -> StaffMember:
        """Invite a staff member: 201 and an invitation email. An address already staff
        at another firm (or invited there) gets the same answer and the same records
        here, but its email is a notice instead of a link (crm.invitations.sender): the
        caller cannot learn from the answer whether the address is staff elsewhere."""
        caller.require_admin()
        holder = store.staff_address_owner(request.email)
        if holder is not None and holder[0] == caller.firm_id:
            raise AlreadyExists(
                "This email address already belongs to a staff member.", words="error-staff-taken"
            )
        permit = self.sending.permit(caller.firm_id, [request.email])
        member = StaffMember(
            staff_id=ids.new_id("stf"),
            email=request.email,
            role=request.role,
            manage_accounts=request.manage_accounts,
            status="invited",
            created_at=clock.iso(),
        )
        invitation = Invitation.new(
            caller.firm_id,
            "staff",
            member.email,
            self.invitation_ttl_days,
            staff_id=member.staff_id,
        )
        try:
            try:
                store.add_staff(
                    caller.firm_id,
                    member,
                    invitation,
                    caller.actor,
                    guard=holder is None,
                )
            except AlreadyExists:  # the address was taken between the read and the write
                holder = store.staff_address_owner(request.email)
                if holder is None or holder[0] == caller.firm_id:
                    raise
                store.add_staff(
                    caller.firm_id,
                    member,
                    invitation,
                    caller.actor,
                    guard=False,
                )
        except BaseException:
            self.sending.release(permit)
            raise
        return member

    def list_staff(self, caller: Staff, cursor: str | None, limit: int) -> StaffPage:
        """The firm's staff, the owner first, then by address."""
        members = store.list_staff(caller.firm_id)

        def position(member: StaffMember) -> tuple[str, ...]:
            return ("0" if member.role == "owner" else "1", member.email, member.staff_id)

        members.sort(key=position)
        items, next_cursor = paging.page_after(members, position, cursor, limit)
        return StaffPage(items=items, next_cursor=next_cursor)

    def change_staff(self, caller: Staff, staff_id: str, change: ChangeStaff) -> StaffMember:
        """A member's role or manage-accounts right (owner, admin), or language (also the
        member themselves). The owner's role stays (409). An active member's sign-in attributes change too: the new rights ride on
        the tokens issued from their next sign-in on."""
        if not (change.only_language() and staff_id == caller.staff_id):
            caller.require_admin()  # anyone may change their own language, nothing else
        before = store.get_staff(caller.firm_id, staff_id)
        if before.role == "owner" and change.role is not None:
            raise Conflict(
                "The owner's role cannot be changed: a firm always has its owner.",
                code="owner_role_fixed",
            )
        after = before.model_copy(update=change.model_dump(exclude_unset=True))
        if after == before:
            return before
        rights_change = staff_claims(caller.firm_id, after) != staff_claims(caller.firm_id, before)
        if before.status == "active" and rights_change:
            self.staff_pool.update_attributes(before.email, staff_claims(caller.firm_id, after))
        try:
            return store.change_staff(caller.firm_id, before, after, caller.actor)
        except BaseException:
            if before.status == "active" and rights_change:
                self.staff_pool.update_attributes(
                    before.email, staff_claims(caller.firm_id, before)
                )
            raise

    def settings(self, caller: Staff) -> FirmSettings:
        return store.get_settings(caller.firm_id)

    def change_settings(self, caller: Staff, change: SettingsChange) -> FirmSettings:
        caller.require_admin()
        changes = change.model_dump(exclude_unset=True, exclude_none=True)
        if not changes:
            return store.get_settings(caller.firm_id)
        return store.update_settings(caller.firm_id, changes, caller.actor)
