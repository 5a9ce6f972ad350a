from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from crm.core.directory import AccountRef
from crm.core.fields import RequestModel
from crm.core.invitations import Audience


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


class Accepted(BaseModel):
    accounts: list[AccountRef]
    audience: Audience
    login_url: str
