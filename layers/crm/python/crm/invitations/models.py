from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints

from crm import clock, ids
from crm.http.fields import RequestModel

Audience = Literal["staff", "client"]
Status = Literal["requested", "sending", "sent", "failed", "accepted", "revoked", "superseded"]


class Invitation(BaseModel):
    firm_id: str
    invitation_id: str
    audience: Audience
    address: str
    staff_id: str | None = None
    account_id: str | None = None  # client invitations: the row that asked for it
    email_id: str | None = None
    status: Status = "requested"
    token_digest: str | None = None
    firm_name: str | None = None
    failed_attempts: int = 0
    expires_at: str
    created_at: str

    @classmethod
    def new(
        cls,
        firm_id: str,
        audience: Audience,
        address: str,
        ttl_days: int,
        *,
        staff_id: str | None = None,
        account_id: str | None = None,
        email_id: str | None = None,
    ) -> Invitation:
        """A requested invitation, saved with the change that asks for it; the invite
        function makes its token and sends it."""
        now = clock.now()
        return cls(
            firm_id=firm_id,
            invitation_id=ids.new_id("inv"),
            audience=audience,
            address=address,
            expires_at=clock.iso(now + timedelta(days=ttl_days)),
            created_at=clock.iso(now),
            staff_id=staff_id,
            account_id=account_id,
            email_id=email_id,
        )


class AccountRef(BaseModel):
    account_id: str
    name: str


class InvitationView(BaseModel):
    """What the holder of a usable link may know about it."""

    email: str
    firm_name: str
    account_names: list[str]
    existing_user: bool
    audience: Audience
    expires_at: str


class Accept(RequestModel):
    """A new user's chosen password, or an existing portal user's current one."""

    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class InvitationRequested(BaseModel):
    """The detail of the InvitationRequested event."""

    firm_id: str
    invitation_id: str


class Accepted(BaseModel):
    accounts: list[AccountRef]
    audience: Audience
    login_url: str
