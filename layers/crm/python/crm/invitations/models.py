from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from crm.core.directory import AccountRef, Language
from crm.core.fields import RequestModel
from crm.core.firms import FormOfAddress
from crm.core.invitations import Audience


class InvitationView(BaseModel):
    """What the holder of a usable link may know about it."""

    email: str
    firm_name: str
    account_names: list[str]
    existing_user: bool
    audience: Audience
    expires_at: str
    language: Language = Field(
        default="en",
        description="The invitee's language: their contact's (a staff member's own), else "
        "the firm's. The activation page and the invitation email are written in it.",
    )
    form_of_address: FormOfAddress = Field(
        default="formal", description="The firm's form of address: `formal` (u) or `informal` (je)."
    )
    time_zone: str = Field(default="UTC", description="The firm's time zone (IANA name).")


class Accept(RequestModel):
    """A new user's chosen password, or an existing portal user's current one."""

    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class Accepted(BaseModel):
    accounts: list[AccountRef]
    audience: Audience
    login_url: str
