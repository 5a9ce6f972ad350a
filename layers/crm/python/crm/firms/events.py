"""The events that ask the invite function to send the firm's own emails."""

from __future__ import annotations

from pydantic import BaseModel, Field

from crm.core import ids
from crm.core.events import Event

FIRM_VERIFICATION_REQUESTED = "FirmVerificationRequested"
STAFF_ADDRESS_NOTICE = "StaffAddressNotice"
SIGNUP = "firm_signup"  # the one kind of notice so far


class FirmVerificationRequested(BaseModel):
    firm_id: str = Field(max_length=100)
    verification_id: str = Field(max_length=100)


class StaffAddressNotice(BaseModel):
    notice_id: str = Field(max_length=100)  # each attempt its own (idempotency key)
    address: str = Field(max_length=320)
    purpose: str = Field(pattern=f"^{SIGNUP}$")


def verification_requested(firm_id: str, verification_id: str) -> Event:
    return Event(
        FIRM_VERIFICATION_REQUESTED, {"firm_id": firm_id, "verification_id": verification_id}
    )


def signup_notice(address: str) -> Event:
    return Event(
        STAFF_ADDRESS_NOTICE,
        {"notice_id": ids.new_id("ntc"), "address": address, "purpose": SIGNUP},
    )
