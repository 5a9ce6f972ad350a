"""The portal access manager's answers and the bulk invitation request (API.md: *Portal
access, firm-wide*)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from crm.access.models import InvitationNote
from crm.core.fields import RequestModel

PortalStatus = Literal["not_invited", "invited", "expired", "active", "bounced"]
BULK_LIMIT = 500
SkipReason = Literal[
    "duplicate",  # the same address on the same account earlier in the request
    "not_found",  # no such address on that account
    "login_off",  # LOGIN is off: turn it on first
    "active",  # the person already uses the portal
    "suppressed",  # the address bounced or complained: the firm's suppression list
    "throttled",  # too many invitations to this address lately (decision 29)
    "quota",  # the firm's emails for today are used up (decision 28)
    "conflict",  # the row kept changing while this request wrote it: try again
]
Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class PortalAccessEntry(BaseModel):
    """One address with LOGIN on, on one account."""

    account_id: str
    account_name: str
    email_id: str
    address: str
    status: PortalStatus = Field(
        description="`not_invited`: LOGIN on, no invitation yet (waiting to be invited); "
        "`invited`: an invitation is out and still valid; `expired`: the newest invitation "
        "expired unaccepted; `bounced`: the newest invitation's email bounced; `active`: "
        "the person uses the portal."
    )
    last_invited_at: str | None = Field(description="When the newest invitation was asked for.")
    accepted_at: str | None = Field(description="When an invitation was accepted.")
    last_sign_in_at: str | None = Field(description="When the person last signed in.")


class PortalAccessPage(BaseModel):
    items: list[PortalAccessEntry]
    next_cursor: str | None = None


class BulkTarget(RequestModel):
    account_id: Id
    email_id: Id


class BulkInvitation(RequestModel):
    items: list[BulkTarget] = Field(min_length=1, max_length=BULK_LIMIT)
    note: InvitationNote | None = None


class BulkResult(BaseModel):
    account_id: str
    email_id: str
    result: Literal["queued", "skipped"]
    reason: SkipReason | None = Field(
        default=None,
        description="Why an address was skipped: `duplicate`, `not_found`, `login_off`, "
        "`active`, `suppressed`, `throttled`, `quota`, `conflict`.",
    )


class BulkAnswer(BaseModel):
    items: list[BulkResult]
