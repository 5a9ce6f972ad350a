from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints

from crm.http.fields import RequestModel

Audience = Literal["staff", "client"]
Status = Literal["requested", "sending", "sent", "accepted", "revoked", "superseded"]


class Invitation(BaseModel):
    firm_id: str
    invitation_id: str
    audience: Audience
    address: str
    staff_id: str | None
    status: Status
    token_digest: str | None
    expires_at: str
    created_at: str


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
