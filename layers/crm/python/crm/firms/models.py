from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from crm.core.categories import CATEGORIES, Category, PreferencesChange
from crm.core.directory import Language
from crm.core.fields import ChangeModel, EmailAddress, Name, Password, RequestModel
from crm.core.firms import FormOfAddress, StaffMember, StaffRole, TimeZoneName
from crm.text import SingleLine, is_single_line


class CreateFirm(RequestModel):
    firm_name: Name
    owner_email: EmailAddress
    owner_password: Password


class FirmCreated(BaseModel):
    firm_id: str
    staff_id: str


class StaffLogin(RequestModel):
    email: EmailAddress
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class LoginAnswer(BaseModel):
    token: str
    expires_in: int
    firm_id: str
    staff_id: str
    role: StaffRole
    language: Language | None = Field(
        default=None, description="The staff member's own language; null: the firm's."
    )
    firm_language: Language = Field(
        default="en",
        description="The firm's language (the pages' language when `language` is null).",
    )
    time_zone: str = Field(default="UTC", description="The firm's time zone (IANA name).")
    form_of_address: FormOfAddress = Field(
        default="formal", description="The firm's form of address to clients (u or je)."
    )


class InviteStaff(RequestModel):
    email: EmailAddress
    role: Literal["admin", "employee"]
    manage_accounts: bool = False


class StaffPage(BaseModel):
    items: list[StaffMember]
    next_cursor: str | None = None


class ChangeStaff(RequestModel):
    """A field left out keeps its value; a null role or right is a 422, a null language
    means the firm's."""

    role: Literal["admin", "employee"] | None = None
    manage_accounts: bool | None = None
    language: Language | None = Field(
        default=None,
        description="`en` or `nl`; null: the firm's. Every staff member may change their own.",
    )

    @field_validator("role", "manage_accounts", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError(
                "null_value", "null is not a value here: leave the field out to keep it"
            )
        return value

    def only_language(self) -> bool:
        """The change touches nothing but the language (which a member may change for
        themselves, without admin rights)."""
        return self.model_fields_set <= {"language"}


NEVER_SYNC_MAX = 100  # entries: the list rides on the firm's item, read by every sender
_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
_ADDRESS = TypeAdapter(EmailAddress)
_FORMS = "Write an address as name@bank.example, a domain as @bank.example."


def _never_sync_entry(value: str) -> str:
    """One form each: `name@bank.example` an address, `@bank.example` a domain (and its
    subdomains); lower case, surrounding spaces dropped."""
    entry = value.strip().lower()
    if entry.startswith("@"):
        if len(entry) > 254 or not _DOMAIN.fullmatch(entry[1:]):
            raise PydanticCustomError("not_domain", f"Not a domain. {_FORMS}")
        return entry
    if "@" not in entry and _DOMAIN.fullmatch(entry):
        raise PydanticCustomError(
            "domain_without_at", "A domain is written with its @: @{domain}.", {"domain": entry}
        )
    try:
        return str(_ADDRESS.validate_python(entry)).lower()
    except ValidationError:
        raise PydanticCustomError(
            "not_address_or_domain", f"Not an address or a domain. {_FORMS}"
        ) from None


NeverSyncEntry = Annotated[
    str, StringConstraints(max_length=320), AfterValidator(_never_sync_entry)
]


_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{2,39}")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::[0-9]{1,5})?")
CLEARED = "send an empty string to clear it"


def _email_or_empty(value: str) -> str:
    value = value.strip()
    try:
        return value and str(_ADDRESS.validate_python(value))
    except ValidationError:
        raise PydanticCustomError("email", "Not a valid email address") from None


def _phone(value: str) -> str:
    value = value.strip()
    if value and not _PHONE.fullmatch(value):
        raise PydanticCustomError("phone", "Not a phone number: digits, spaces, + ( ) . / - only.")
    return value


def _postal_address(value: str) -> str:
    lines = [line.strip() for line in value.replace("\r\n", "\n").split("\n")]
    if not all(is_single_line(line) for line in lines):
        raise PydanticCustomError(
            "postal_address",
            "An address holds text and line breaks only, no other control characters.",
        )
    return "\n".join(lines).strip()


def _website(value: str) -> str:
    value = value.strip()
    if not value:
        return value
    rest = value[len("https://") :] if value.lower().startswith("https://") else None
    host = (rest or "").split("/", 1)[0].lower()
    if rest is None or not _HOST.fullmatch(host) or any(c.isspace() for c in value):
        raise PydanticCustomError(
            "website", "Not a website address: write it as https://example.com."
        )
    return value


class SettingsChange(ChangeModel):
    copy_client_emails_to: Annotated[list[EmailAddress], Field(max_length=20)] | None = None
    auto_save_attachments: bool | None = None
    notify_staff_on_synced_email: bool | None = None
    default_notification_preferences: PreferencesChange | None = None
    never_sync: (
        Annotated[
            list[NeverSyncEntry],
            Field(
                max_length=NEVER_SYNC_MAX,
                description="The whole never-sync list, replacing the last (send [] to "
                "empty it): up to 100 entries, each an address (`name@bank.example`) or a "
                "domain (`@bank.example`, its subdomains included). Case and surrounding "
                "spaces do not matter; duplicates count once. Any other entry is a 422 "
                "and changes nothing.",
            ),
            AfterValidator(lambda entries: list(dict.fromkeys(entries))),
        ]
        | None
    ) = None
    contact_email: (
        Annotated[
            SingleLine,
            StringConstraints(max_length=320),
            AfterValidator(_email_or_empty),
            Field(description=f"The address clients may write to; {CLEARED}."),
        ]
        | None
    ) = None
    contact_phone: (
        Annotated[
            SingleLine,
            StringConstraints(max_length=40),
            AfterValidator(_phone),
            Field(description=f"A phone number (digits, spaces, + ( ) . / -); {CLEARED}."),
        ]
        | None
    ) = None
    address: (
        Annotated[
            str,
            StringConstraints(max_length=500),
            AfterValidator(_postal_address),
            Field(
                description=f"The postal address, up to 500 characters, lines separated by \\n; {CLEARED}."
            ),
        ]
        | None
    ) = None
    website: (
        Annotated[
            SingleLine,
            StringConstraints(max_length=300),
            AfterValidator(_website),
            Field(description=f"An https:// address; {CLEARED}."),
        ]
        | None
    ) = None
    language: Language | None = Field(
        default=None,
        description="`en` or `nl`: emails to a client whose contact has no language of its own.",
    )
    time_zone: TimeZoneName | None = Field(
        default=None,
        description="An IANA time zone (`Europe/Amsterdam`): dates and times in emails and "
        "pages; anything else is a 422.",
    )
    form_of_address: FormOfAddress | None = Field(
        default=None, description="`formal` (u) or `informal` (je), for Dutch texts to clients."
    )
    locked_categories: (
        Annotated[
            list[Category],
            Field(
                max_length=len(CATEGORIES),
                description="The whole list of locked notification categories, replacing "
                "the last (send [] to unlock all): clients cannot change a locked category "
                "(no unsubscribe link in its emails, an older link changes nothing); staff "
                "still can. An unknown category is a 422 and changes nothing.",
            ),
            AfterValidator(lambda found: [c for c in CATEGORIES if c in found]),
        ]
        | None
    ) = None


class VerifyFirm(RequestModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class VerificationPage(BaseModel):
    """What the /verify page shows for a usable link: the firm, and the owner's own
    language (None: the page follows the browser's)."""

    firm_name: str
    language: Language | None = None


class FirmVerified(BaseModel):
    verified: bool
    firm_name: str


class VerificationSent(BaseModel):
    verified: bool
    sent_to: str
    requested_at: str
