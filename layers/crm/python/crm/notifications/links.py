"""Signed links in emails (unsubscribe, activation request): the token carries what it
acts on and an HMAC of it, so nothing is stored per email and nothing can be forged.

    <payload>.<mac>   payload: base64url JSON {"p": purpose, ...}; mac: 128-bit HMAC-SHA256
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

UNSUBSCRIBE = "unsubscribe"
ACTIVATE = "activate"


def sign(secret: bytes, purpose: str, fields: dict[str, str]) -> str:
    payload = _encode(json.dumps({"p": purpose, **fields}, separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, payload)}"


def verify(secret: bytes, purpose: str, token: str) -> dict[str, str] | None:
    """The fields of a token signed for `purpose`, or None for anything else."""
    payload, _, mac = (token or "").partition(".")
    if not payload or not mac or not payload.isascii() or not mac.isascii():
        return None  # a token we signed is base64url; compare_digest refuses other text
    if not hmac.compare_digest(mac, _mac(secret, payload)):
        return None
    try:
        data: Any = json.loads(_decode(payload))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or data.pop("p", None) != purpose:
        return None
    return {str(k): str(v) for k, v in data.items()}


def _mac(secret: bytes, payload: str) -> str:
    return _encode(hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:16])


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret_from(arn: str, max_age: int = 300) -> Callable[[], bytes]:
    """The signing key, read from Secrets Manager on first use and kept for `max_age`
    seconds. A provider of its own per function: never a client made for another
    endpoint or region earlier in the process. The provider (and boto3 under it) is
    made on first use too: most routes of the notifications API never sign or verify
    a link, and a cold start should not pay for it (docs/benchmarks.md)."""
    made: list[Any] = []

    def secret() -> bytes:
        if not made:
            from aws_lambda_powertools.utilities.parameters import SecretsProvider

            made.append(SecretsProvider())
        return str(made[0].get(arn, max_age=max_age)).encode()

    return secret
