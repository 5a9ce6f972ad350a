"""crm.invitations.tokens: 256-bit secrets, only digests kept and compared, in constant
time; anything not shaped like a token is refused."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from crm.core import tokens
from tests.unit.conftest import Staff, mail_to, table_items, token_in

FIRM = "frm_0123456789abcdef0123456789abcdef"
INVITATION = "inv_fedcba9876543210fedcba9876543210"


def test_a_secret_holds_256_random_bits() -> None:
    token = tokens.issue(FIRM, INVITATION)

    raw = base64.urlsafe_b64decode(token.secret + "=" * (-len(token.secret) % 4))
    assert len(raw) * 8 == 256
    assert (token.firm_id, token.invitation_id) == (FIRM, INVITATION)
    assert len({tokens.issue(FIRM, INVITATION).secret for _ in range(50)}) == 50


def test_an_issued_token_parses_back() -> None:
    token = tokens.issue(FIRM, INVITATION)

    assert tokens.parse(str(token)) == token


def test_the_digest_is_the_sha256_of_the_secret() -> None:
    token = tokens.issue(FIRM, INVITATION)

    assert token.digest == hashlib.sha256(token.secret.encode()).hexdigest()
    assert token.secret not in token.digest


def good_secret() -> str:
    return tokens.issue(FIRM, INVITATION).secret


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-a-token",
        f"{FIRM}.{INVITATION}",
        f"{FIRM}.{INVITATION}.",
        f"{FIRM}.{INVITATION}.short",
        f"{FIRM}.{INVITATION}.{'A' * 43}.extra",
        f"{FIRM}..{'A' * 43}",
        f"FRM_0123456789ABCDEF0123456789ABCDEF.{INVITATION}.{'A' * 43}",
        f"frm_xyz.{INVITATION}.{'A' * 43}",
        f"{FIRM}.{INVITATION}.{'A' * 42}+/",
        f" {FIRM}.{INVITATION}.{'A' * 43}",
        f"{FIRM}.{INVITATION}.{'A' * 43}\n",
        f"{FIRM}.{INVITATION}.{'A' * 87}",
        f"{FIRM}.{INVITATION}.{'A' * 20}%00{'A' * 20}",
    ],
)
def test_parse_refuses_what_is_not_shaped_like_a_token(text: str) -> None:
    assert tokens.parse(text) is None


def test_parse_refuses_nothing_at_all() -> None:
    assert tokens.parse(None) is None  # type: ignore[arg-type]


def test_matches_compares_the_digest() -> None:
    token = tokens.issue(FIRM, INVITATION)
    other = tokens.issue(FIRM, INVITATION)

    assert tokens.matches(token, token.digest) is True
    assert tokens.matches(token, other.digest) is False
    assert tokens.matches(token, token.secret) is False  # a stored secret would not match
    assert tokens.matches(token, None) is False
    assert tokens.matches(token, "") is False


def test_matches_compares_digests_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, Any]] = []
    compare = tokens.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    token = tokens.issue(FIRM, INVITATION)

    assert tokens.matches(token, token.digest) is True
    assert tokens.matches(token, "0" * 64) is False
    assert calls == [(token.digest, token.digest), (token.digest, "0" * 64)]


def test_only_the_digest_of_a_sent_token_is_stored(owner: Staff) -> None:
    owner.invite_staff("ann@firm.example")
    owner.api.deliver_requested(owner.firm_id)
    token = tokens.parse(token_in(mail_to("ann@firm.example")[0]))
    assert token is not None

    stored = str(table_items())

    assert token.secret not in stored
    assert token.digest in stored
