"""Invitation tokens, as a security engineer would make them.

A token is `<firm_id>.<invitation_id>.<secret>`: 256 random bits from `secrets`, of which
only a SHA-256 digest is stored, compared in constant time. The ids in front only find
the invitation (and keep its key inside the firm); the secret alone proves possession.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SECRET_BYTES = 32
_TOKEN = re.compile(r"^([a-z]+_[0-9a-f]{16,64})\.([a-z]+_[0-9a-f]{16,64})\.([A-Za-z0-9_-]{43,86})$")


@dataclass(frozen=True)
class Token:
    firm_id: str
    invitation_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.firm_id}.{self.invitation_id}.{self.secret}"

    @property
    def digest(self) -> str:
        return digest(self.secret)


def issue(firm_id: str, invitation_id: str) -> Token:
    return Token(firm_id, invitation_id, secrets.token_urlsafe(SECRET_BYTES))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse(text: str) -> Token | None:
    """The token's parts, or None for anything that is not shaped like a token."""
    match = _TOKEN.fullmatch(text or "")
    return Token(*match.groups()) if match else None


def matches(token: Token, stored_digest: str | None) -> bool:
    """Constant-time comparison of the token's secret with the stored digest."""
    return hmac.compare_digest(token.digest, stored_digest or "")
