"""Firms: their settings, their staff, and their standing with the sending rule
(crm.limits.sending): whether the owner's address is proved, which decides whom the
firm may email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from crm.core.caller import Role, Staff
from crm.core.categories import Category, NotificationPreferences
from crm.core.directory import Language
from crm.i18n import Localizer, localizer

StaffRole = Role
FormOfAddress = Literal["formal", "informal"]


def _zone_name(value: str) -> str:
    """An IANA zone name the server knows (`Europe/Amsterdam`); anything else is refused."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone", "Not a time zone: write an IANA name such as Europe/Amsterdam."
        ) from None
    return value


TimeZoneName = Annotated[
    str,
    Field(min_length=1, max_length=64, examples=["Europe/Amsterdam"]),
    AfterValidator(_zone_name),
]


class StaffMember(BaseModel):
    staff_id: str
    email: str
    role: StaffRole
    manage_accounts: bool
    status: Literal["invited", "active"]
    created_at: str
    invited_at: str | None = Field(
        default=None, description="When the invitation went out (null for the owner)."
    )
    language: Language | None = Field(
        default=None,
        description="The language of this person's staff pages and emails (`en`, `nl`); "
        "null: the firm's language.",
    )


class Firm(BaseModel):
    firm_id: str
    name: str


class FirmSettings(BaseModel):
    verified: bool = Field(
        description="The owner's address is confirmed: until then the firm emails nobody "
        "but its owner (POST /v1/firm/verification sends the link again)."
    )
    copy_client_emails_to: list[str]
    auto_save_attachments: bool
    notify_staff_on_synced_email: bool
    default_notification_preferences: NotificationPreferences
    never_sync: list[str] = Field(
        description="Addresses (`name@bank.example`) and domains (`@bank.example`, its "
        "subdomains included) whose mail is never synced: a message whose sender or any "
        "To or Cc recipient is on this list is not stored, not even on the account of a "
        "synced client in the same thread. Lower case; changed by the owner or an admin.",
    )
    contact_email: str | None = Field(
        default=None, description="The address clients may write to (shown in the portal)."
    )
    contact_phone: str | None = Field(
        default=None, description="The firm's phone number as clients should read it."
    )
    address: str | None = Field(
        default=None, description="The firm's postal address, lines separated by \\n."
    )
    website: str | None = Field(default=None, description="The firm's website (https).")
    language: Language = Field(
        default="en",
        description="The language of emails to a client whose contact has none of its own.",
    )
    time_zone: str = Field(
        default="UTC",
        description="The IANA time zone (`Europe/Amsterdam`) in which emails and pages "
        "write dates and times.",
    )
    form_of_address: FormOfAddress = Field(
        default="formal",
        description="How Dutch texts address clients: `formal` (u) or `informal` (je).",
    )
    locked_categories: list[Category] = Field(
        default_factory=list,
        description="Notification categories the firm manages for its clients: a client "
        "cannot change them (their emails carry no unsubscribe link, and an older link "
        "changes nothing); staff still change each address's preferences.",
    )


class FirmStanding(BaseModel):
    """What every sender asks about a firm before it emails anyone (crm.firms.sending)."""

    firm_id: str
    name: str
    verified: bool
    owner_email: str | None = None


class VerificationState(BaseModel):
    """Where a firm stands in proving its owner's address (kept on the firm's item)."""

    firm_id: str
    firm_name: str = ""
    owner_email: str | None = None
    verified_at: str | None = None
    verification_id: str | None = None
    digest: str | None = None
    expires_at: str | None = None
    requested_at: str | None = None


@dataclass(frozen=True)
class MailboxStanding:
    """What the Contacts section reads of the email sync (crm.storage.mailbox_state, one
    batch read): the firm's mailbox status (`pending`, `ok`, `error`; None when no
    mailbox is connected) and, per email_id of the rows asked about, its history job's
    (status, address)."""

    mailbox_status: str | None
    jobs: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class FirmFacts:
    """What a sender reads about a firm before it emails for it (one GetItem)."""

    name: str
    copies: list[str]
    suppressed: frozenset[str]
    standing: FirmStanding  # what the sending rule needs (crm.limits.sending), same read
    language: str = "en"  # its clients' emails, when a contact has no language of its own
    time_zone: str = "UTC"  # IANA name: the dates and times of its emails
    informal: bool = False  # form_of_address "informal": Dutch "je" instead of "u"
    locked: frozenset[str] = frozenset()  # categories clients cannot unsubscribe from

    def words(self, language: str | None = None) -> Localizer:
        """The words of an email from this firm: in the reader's `language`, else the
        firm's, with the firm's form of address and time zone."""
        return localizer(
            language or self.language, informal=self.informal, time_zone_name=self.time_zone
        )


def staff_claims(firm_id: str, member: StaffMember) -> dict[str, str]:
    """The custom attributes that become a staff member's token claims."""
    return Staff(firm_id, member.staff_id, member.role, member.manage_accounts).claims()
