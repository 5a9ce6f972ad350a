"""moto's Cognito made to keep one rule that AWS keeps and moto does not: a signed-in
user may write only the attributes their app client lists in ``WriteAttributes``.

The template's app clients list none of the attributes the product trusts (the address,
the firm, the role: docs/decisions.md, 7), so on AWS ``UpdateUserAttributes`` with any of
them is refused. moto accepts every attribute, which would let a staff member of the
local stack make themselves owner. Patched once per process, before the first pool
client is created, for the moto server of ``make run`` and moto's in-process mock alike.
"""

from __future__ import annotations

from typing import Any

from moto.cognitoidp import models
from moto.cognitoidp.exceptions import NotAuthorizedError

_REFUSAL = "A client attempted to write unauthorized attribute"


def _write_attributes_checked(original: Any) -> Any:
    def update_user_attributes(
        self: models.CognitoIdpBackend, access_token: str, attributes: list[dict[str, str]]
    ) -> None:
        for pool in self.user_pools.values():
            if access_token in pool.access_tokens:
                client_id, _ = pool.access_tokens[access_token]
                client = pool.clients.get(client_id)
                allowed = client.extended_config.get("WriteAttributes") if client else None
                if allowed is not None and any(a["Name"] not in allowed for a in attributes):
                    raise NotAuthorizedError(_REFUSAL)
                break
        original(self, access_token, attributes)

    update_user_attributes.write_attributes_checked = True  # type: ignore[attr-defined]
    return update_user_attributes


def enforce_write_attributes() -> None:
    """Idempotent: patching twice keeps one check."""
    backend = models.CognitoIdpBackend
    if not getattr(backend.update_user_attributes, "write_attributes_checked", False):
        backend.update_user_attributes = _write_attributes_checked(  # type: ignore[method-assign]
            backend.update_user_attributes
        )
