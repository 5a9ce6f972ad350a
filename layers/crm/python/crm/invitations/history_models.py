"""The invitation history of one address on one account, as the API answers it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from crm.core.invitation_history import What


class HistoryLine(BaseModel):
    at: str = Field(description="When it happened (for `expired`: when the link ran out).")
    what: What = Field(
        description="`sent` (the email went out), `delivered` or `bounced` (what the "
        "receiving mail server said), `opened` (the activation page was first read), "
        "`accepted`, `expired` (the link ran out unused), `superseded` (a newer "
        "invitation replaced it), `revoked` (the address or its contact left the account)."
    )
    by: str | None = Field(
        default=None,
        description="Who did it, when a person did: the staff member's address (sent, "
        "superseded, revoked), the client's address (opened, accepted); absent for what "
        "mail servers report, for expiry, and for a former staff member.",
    )
    by_id: str | None = Field(
        default=None,
        description="Who, as the audit trail stores it: `staff:<staff_id>`, `client:<address>`.",
    )
    invitation_id: str = Field(description="The invitation the entry is about.")
    address: str | None = Field(
        default=None, description="The address that invitation went to (it may have changed since)."
    )


class InvitationHistory(BaseModel):
    items: list[HistoryLine]
    next_cursor: str | None = None
