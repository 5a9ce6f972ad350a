"""A portal user's password reset ("Forgot your password?"): what is asked for, what is
mailed, and the link's token.

A reset is asked for by address; when that address is a portal user's, a reset item is
recorded (`requested`, one hour to live) together with a `PasswordResetRequested` event in
one transaction (the outbox). The invite function makes the token, records only its
SHA-256 digest on the item (`sent`), and mails the link `{PORTAL_URL}/reset?token=...`.
The token is `<reset_id>.<secret>`, the secret 256 bits from `secrets` (as an
invitation's, crm.core.tokens): the id finds the item, the secret alone proves
possession. A token works once, within its hour.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from pydantic import BaseModel

from crm.core import tokens
from crm.core.events import Event

PASSWORD_RESET_REQUESTED = "PasswordResetRequested"  # noqa: S105 - an event name
RESET_SECONDS = 3600  # a reset link works for one hour
RESET_PATH = "/reset"  # the page of the link, on the portal's origin
_TOKEN = re.compile(r"^(rst_[0-9a-f]{32})\.([A-Za-z0-9_-]{43,86})$")


class PasswordResetRequested(BaseModel):
    """Mail the link of this reset (the reset item says to whom, from which firm)."""

    reset_id: str


def password_reset_requested(reset_id: str) -> Event:
    return Event(PASSWORD_RESET_REQUESTED, PasswordResetRequested(reset_id=reset_id).model_dump())


@dataclass(frozen=True)
class ResetToken:
    reset_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.reset_id}.{self.secret}"

    @property
    def digest(self) -> str:
        return tokens.digest(self.secret)

    def matches(self, stored_digest: str | None) -> bool:
        """Constant-time comparison with the stored digest."""
        return tokens.matches(tokens.Token("", self.reset_id, self.secret), stored_digest)


def issue(reset_id: str) -> ResetToken:
    return ResetToken(reset_id, secrets.token_urlsafe(tokens.SECRET_BYTES))


def parse(text: str) -> ResetToken | None:
    """The token's parts, or None for anything not shaped like a reset token."""
    match = _TOKEN.fullmatch(text or "")
    return ResetToken(*match.groups()) if match else None


@dataclass(frozen=True)
class PasswordReset:
    """A reset as stored: whose (the pool's username and `sub`), the grant whose firm
    writes the email (firm, account, address row), and where it stands."""

    reset_id: str
    sub: str
    username: str
    firm_id: str
    account_id: str
    email_id: str
    requested_at: str
    expires_at: int  # epoch seconds
    state: str  # requested, sent
    digest: str | None = None
    language: str | None = None  # the email's, recorded when it is sent (the page's too)
    used_at: str | None = None
