"""Reading and accepting invitations (public: the token is the only credential).

Every token that cannot be used — unknown, malformed, expired, used, superseded,
revoked — gets the same NotFound, so a caller learns nothing from the difference.
Reading changes nothing: mail scanners that open links cannot use them up.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm import clock
from crm.core import tokens
from crm.core.access import AccessRecord
from crm.core.audit import AuditEntry
from crm.core.devices import SignIn
from crm.core.directory import AccountRef
from crm.core.firms import staff_claims
from crm.core.invitations import Invitation
from crm.errors import AlreadyExists, InvalidCredentials, NotFound, RateLimited
from crm.integrations.identity import UserPool, username
from crm.invitations import history
from crm.invitations.accounts import invitee_words, rows_with_login
from crm.invitations.models import Accepted, InvitationView
from crm.storage import devices, firms
from crm.storage import invitations as store
from crm.storage.sending import firm_facts

UNUSABLE = "This invitation link cannot be used. Ask for a new invitation."
MAX_FAILED_ATTEMPTS = 5  # wrong current passwords before the link locks


@dataclass
class InvitationService:
    staff_pool: UserPool
    portal_pool: UserPool
    portal_base: str
    api_base: str

    def usable(self, raw_token: str) -> tuple[tokens.Token, Invitation]:
        token = tokens.parse(raw_token)
        invitation = store.get(token.firm_id, token.invitation_id) if token else None
        if (
            token is None
            or invitation is None
            or not tokens.matches(token, invitation.token_digest)
            or invitation.status != "sent"
            or invitation.expires_at <= clock.iso()
        ):
            raise NotFound(UNUSABLE, code="invitation_not_found")
        if invitation.failed_attempts >= MAX_FAILED_ATTEMPTS:
            raise RateLimited(
                "Too many wrong passwords for this invitation. Ask the firm for a new one."
            )
        return token, invitation

    def describe(self, raw_token: str) -> InvitationView:
        _, invitation = self.usable(raw_token)
        history.opened(invitation)  # the first reading is an entry of the history
        if invitation.audience == "staff":
            rows: list[AccessRecord] = []
            existing = False
        else:
            rows = rows_with_login(invitation)
            existing = self.portal_pool.user_exists(invitation.address)
        words = invitee_words(invitation, firm_facts(invitation.firm_id), rows)
        return InvitationView(
            email=invitation.address,
            firm_name=invitation.firm_name or "",
            account_names=list(dict.fromkeys(r.account_name for r in rows)),
            existing_user=existing,
            audience=invitation.audience,
            expires_at=invitation.expires_at,
            language=words.language,  # type: ignore[arg-type]
            form_of_address="informal" if words.informal else "formal",
            time_zone=words.zone.key,
        )

    def accept(self, raw_token: str, password: str, sign_in: SignIn | None = None) -> Accepted:
        """`sign_in`: the device the invitation is accepted on, known to the portal user
        from then on (no new-device notice for it: crm.portal.devices)."""
        token, invitation = self.usable(raw_token)
        if invitation.audience == "staff":
            return self._accept_staff(token, invitation, password)
        return self._accept_client(token, invitation, password, sign_in)

    def _accept_staff(self, token: tokens.Token, invitation: Invitation, password: str) -> Accepted:
        if invitation.staff_id is None:
            raise NotFound(UNUSABLE, code="invitation_not_found")
        member = firms.get_staff(invitation.firm_id, invitation.staff_id)
        try:
            self.staff_pool.create_user(
                member.email, password, staff_claims(invitation.firm_id, member)
            )
        except AlreadyExists as error:  # accepted at the same moment by another request
            raise NotFound(UNUSABLE, code="invitation_not_found") from error
        try:
            store.accept(
                invitation,
                token.digest,
                AuditEntry.new(
                    f"staff:{member.staff_id}",
                    "staff_joined",
                    target=member.staff_id,
                ),
                staff_id=member.staff_id,
            )
        except BaseException:
            self.staff_pool.delete_user(member.email)
            raise
        return Accepted(accounts=[], audience="staff", login_url=f"{self.portal_base}/app")

    def _accept_client(
        self,
        token: tokens.Token,
        invitation: Invitation,
        password: str,
        sign_in: SignIn | None = None,
    ) -> Accepted:
        """The access goes to a portal identity named after the invited address: a new
        one with this password, or the existing one, whose current password this must be.
        The existing identity is trusted with the address only while the pool says it is
        theirs and verified; the grants hang on its immutable `sub`."""
        created = False
        existing = self.portal_pool.find_user(invitation.address)
        if existing is None:
            sub = self.portal_pool.create_user(invitation.address, password, {})
            created = True
        elif not existing.holds(invitation.address):
            raise InvalidCredentials()  # not provably this address's owner: link nothing
        else:
            try:
                session = self.portal_pool.sign_in(invitation.address, password)
            except InvalidCredentials:
                store.count_failure(invitation)
                raise
            if session.sub != existing.sub:  # pragma: no cover - the pool answered for another
                raise InvalidCredentials()
            sub = existing.sub
        rows = rows_with_login(invitation)
        try:
            store.accept(
                invitation,
                token.digest,
                AuditEntry.new(
                    f"client:{invitation.address}",
                    "invitation_accepted",
                    account_id=invitation.account_id,
                    target=invitation.email_id,
                    details={"address": invitation.address},
                ),
                activate=rows,
                portal_sub=sub,
            )
        except BaseException:
            if created:
                self.portal_pool.delete_user(invitation.address)
            raise
        if sign_in is not None:
            devices.activated_on(sub, username(invitation.address), sign_in)
        return Accepted(
            accounts=[AccountRef(account_id=r.account_id, name=r.account_name) for r in rows],
            audience="client",
            login_url=f"{self.portal_base}/portal",
        )
