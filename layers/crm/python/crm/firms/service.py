"""The rules of firms and staff."""

from __future__ import annotations

from dataclasses import dataclass

from crm import clock, ids
from crm.errors import AlreadyExists
from crm.firms import store
from crm.firms.models import (
    CreateFirm,
    FirmCreated,
    FirmSettings,
    InviteStaff,
    LoginAnswer,
    SettingsChange,
    StaffLogin,
    StaffMember,
)
from crm.http.auth import Staff
from crm.integrations.events import EventPublisher
from crm.integrations.identity import UserPool
from crm.invitations.events import invitation_requested
from crm.invitations.models import Invitation


@dataclass
class FirmService:
    staff_pool: UserPool
    events: EventPublisher
    invitation_ttl_days: int

    def create_firm(self, request: CreateFirm) -> FirmCreated:
        """A new firm with its owner. The owner's Cognito user comes first; if the
        firm's records cannot be written, that user is removed again."""
        firm_id = ids.new_id("frm")
        owner = StaffMember(
            staff_id=ids.new_id("stf"),
            email=request.owner_email,
            role="owner",
            manage_accounts=True,
            status="active",
            created_at=clock.iso(),
        )
        self.staff_pool.create_user(
            owner.email, request.owner_password, staff_claims(firm_id, owner), "owner_password"
        )
        try:
            store.create_firm(firm_id, request.firm_name, owner)
        except BaseException:
            self.staff_pool.delete_user(owner.email)
            raise
        return FirmCreated(firm_id=firm_id, staff_id=owner.staff_id)

    def login(self, request: StaffLogin) -> LoginAnswer:
        session = self.staff_pool.sign_in(request.email, request.password)
        claims = session.claims
        return LoginAnswer(
            token=session.token,
            expires_in=session.expires_in,
            firm_id=claims.get("custom:firm_id", ""),
            staff_id=claims.get("custom:staff_id", ""),
            role=claims.get("custom:role", "employee"),  # type: ignore[arg-type]
        )

    def invite_staff(self, caller: Staff, request: InviteStaff) -> StaffMember:
        caller.require_admin()
        if self.staff_pool.user_exists(request.email):
            raise AlreadyExists("This email address already belongs to a staff member.")
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
        store.add_staff(caller.firm_id, member, invitation, caller.actor)
        self.events.publish([invitation_requested(invitation)])
        return member

    def list_staff(self, caller: Staff) -> list[StaffMember]:
        return store.list_staff(caller.firm_id)

    def settings(self, caller: Staff) -> FirmSettings:
        return store.get_settings(caller.firm_id)

    def change_settings(self, caller: Staff, change: SettingsChange) -> FirmSettings:
        caller.require_admin()
        changes = change.model_dump(exclude_unset=True, exclude_none=True)
        if not changes:
            return store.get_settings(caller.firm_id)
        return store.update_settings(caller.firm_id, changes, caller.actor)


def staff_claims(firm_id: str, member: StaffMember) -> dict[str, str]:
    """The custom attributes that become the staff token's claims."""
    return {
        "custom:firm_id": firm_id,
        "custom:staff_id": member.staff_id,
        "custom:role": member.role,
        "custom:manage_accounts": "true" if member.manage_accounts else "false",
    }
