from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crm.core.directory import AccountRef, Language
from crm.core.fields import PASSWORD_MINIMUM, EmailAddress, Password, RequestModel
from crm.core.firms import FormOfAddress
from crm.core.mail import Direction, Person

ATTENTION_CAP = 100  # new items counted per account at most (one read each)


class PortalAccount(BaseModel):
    account_id: str
    name: str
    firm_id: str
    firm_name: str


class AccountAttention(PortalAccount):
    """An account in the picker, with what arrived since this user last opened it."""

    new_documents: int = Field(
        description="Documents saved since the user last opened the account (all, if "
        f"never), that the user may read; counted up to {ATTENTION_CAP}."
    )
    new_messages: int = Field(
        description="Messages exchanged with the user's address, dated after the user "
        f"last opened the account (all, if never); counted up to {ATTENTION_CAP}."
    )


class FirmContact(BaseModel):
    """The firm as its clients may reach it: what the firm set, null where it did not."""

    name: str
    contact_email: str | None = None
    contact_phone: str | None = None
    address: str | None = Field(default=None, description="Lines separated by \\n.")
    website: str | None = None


class ReaderLanguage(BaseModel):
    """How the portal speaks to this user about this account: the contact's language,
    else the firm's; the firm's form of address and time zone."""

    language: Language = Field(
        default="en", description="The contact's language, else the firm's (`en`, `nl`)."
    )
    form_of_address: FormOfAddress = Field(
        default="formal", description="The firm's form of address: `formal` (u) or `informal` (je)."
    )
    time_zone: str = Field(default="UTC", description="The firm's time zone (IANA name).")


class OpenedAccount(PortalAccount, ReaderLanguage):
    """GET /v1/portal/accounts/{account_id}: the account, the firm's contact details, and
    the language the portal speaks to this user on it."""

    firm: FirmContact


class Grant(BaseModel):
    """A portal user's access to one account, as stored: the account, and the address
    the access hangs on (the user's own address at that firm)."""

    account: PortalAccount
    address: str
    email_id: str = ""
    signed_out_at: int | None = None  # tokens issued at or before it are refused (epoch s)

    def refuses(self, signed_in_at: int | None) -> bool:
        """True for a session that began at or before the user ended every session
        ("this was not me"); a token that does not say when it began, too, once any did."""
        if self.signed_out_at is None:
            return False
        return signed_in_at is None or signed_in_at <= self.signed_out_at


class Attention(BaseModel):
    """The user's accounts as stored, and when they last opened each (ISO, UTC)."""

    accounts: list[PortalAccount]
    last_account_id: str | None
    opened: dict[str, str]
    devices: set[str] = set()  # the devices the user signed in from (crm.core.devices)


class PortalMessage(BaseModel):
    """One message exchanged with the user, in full: its text and its sanitised HTML."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    message_id: str
    thread_id: str
    subject: str
    from_: list[Person] = Field(alias="from")
    to: list[Person]
    cc: list[Person]
    date: str
    direction: Direction
    text: str
    html: str = Field(description="Sanitised at sync; show it in a sandboxed frame.")
    attachments: list[str] = Field(description="The attachments' file names.")
    accounts: list[AccountRef]


class StoredPortalMessage(PortalMessage):
    """What the portal reads of a stored message: the message, the accounts it is on
    and where its body lives when it was too large for the item."""

    body_key: str | None = None


class PortalLogin(RequestModel):
    email: EmailAddress
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PortalSession(ReaderLanguage):
    """A portal sign-in; the language fields are those of the account the portal opens
    first (the last one chosen, else the first), the defaults when there is none."""

    token: str
    expires_in: int
    accounts: list[PortalAccount]
    last_account_id: str | None


class PortalAccounts(BaseModel):
    items: list[AccountAttention]
    last_account_id: str | None


class ChooseAccount(RequestModel):
    account_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]


# ------------------------------------------------ "Forgot your password?"


class PasswordResetRequest(RequestModel):
    email: EmailAddress


class PasswordResetAnswer(BaseModel):
    """The same answer whether or not the address is a portal user's."""

    message: str = Field(description="For the person, in the language of Accept-Language.")


class PasswordResetLink(BaseModel):
    valid: bool = True
    password_minimum: int = Field(
        default=PASSWORD_MINIMUM, description="The shortest password taken (the page says it)."
    )
    expires_at: str = Field(
        description="When the link stops working (one hour after it was asked)."
    )
    language: Language = Field(
        default="en", description="The language of the email that carried the link (the page's)."
    )


class NewPassword(RequestModel):
    password: Password


class PasswordChanged(BaseModel):
    message: str = Field(description="For the person: sign in again with the new password.")
