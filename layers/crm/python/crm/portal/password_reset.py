"""The rules of "Forgot your password?" for portal users (crm.core.password_resets says
what a reset and its token are).

- Asking (by address) answers the same whatever the address is: only when it names a
  portal user who holds it (verified, enabled) and who may open an account somewhere is
  a reset recorded, with the event that has it mailed (the invite function,
  crm.portal.reset_notice). The email comes from the firm of the account the portal
  opens first (the last one chosen, else the first by name), as the new-device notice.
- The link works once, for an hour; reading it changes nothing.
- Using it takes the link first (a conditional write: a second use, even a concurrent
  one, is refused), then sets the password in the pool for good, then ends every
  session as "this was not me" does (crm.portal.devices): Cognito's global sign-out and
  a mark on every grant, so each token issued before is refused from the next request.
  A password the pool refuses gives the link back.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm import clock
from crm.core import ids
from crm.core.password_resets import (
    RESET_SECONDS,
    PasswordReset,
    ResetToken,
    parse,
    password_reset_requested,
)
from crm.errors import Gone, NotFound, ValidationFailed
from crm.integrations.identity import UserPool, username
from crm.observability import logger
from crm.portal import store
from crm.storage import devices
from crm.storage import password_resets as resets

NOT_VALID = "This link is not valid."
USED = "This link has been used already. Ask for a new one if you still need it."
EXPIRED = "This link has expired: a reset link works for one hour. Ask for a new one."


@dataclass
class PasswordResetService:
    portal_pool: UserPool

    def request(self, email: str) -> PasswordReset | None:
        """Record a reset for the portal user of this address, if there is one who may be
        written to; None otherwise (the caller answers the same either way)."""
        user = self.portal_pool.find_user(email)
        if user is None or not user.holds(email):
            logger.info("password reset asked for an address that is no portal user's")
            return None
        state, grants = store.attention(user.sub)
        first = next(
            (g for g in grants if g.account.account_id == state.last_account_id), None
        ) or next(iter(grants), None)
        if first is None:  # no firm to write from: the user may open no account
            logger.info("password reset asked by a portal user without accounts")
            return None
        now = clock.now()
        reset = PasswordReset(
            reset_id=ids.new_id("rst"),
            sub=user.sub,
            username=username(email),
            firm_id=first.account.firm_id,
            account_id=first.account.account_id,
            email_id=first.email_id,
            requested_at=clock.iso(now),
            expires_at=int(now.timestamp()) + RESET_SECONDS,
            state="requested",
        )
        resets.request(reset, [password_reset_requested(reset.reset_id)])
        logger.info("password reset requested", extra={"reset_id": reset.reset_id})
        return reset

    def describe(self, token: str) -> PasswordReset:
        """The reset a link names, while it can be used; changes nothing."""
        _, reset = _usable(token)
        return reset

    def reset(self, token: str, password: str) -> PasswordReset:
        """Use the link: the new password, then every session ended."""
        parsed, reset = _usable(token)
        at = clock.iso()
        if not resets.use(reset.reset_id, parsed.digest, at):  # used or expired meanwhile
            raise _gone(resets.get(reset.reset_id) or reset)
        try:
            self.portal_pool.set_password(reset.username, password)
        except (ValidationFailed, NotFound):
            resets.give_back(reset.reset_id, at)
            raise
        self.portal_pool.sign_out_everywhere(reset.username)
        devices.sign_out(reset.sub, clock.system_seconds())  # Cognito's clock: auth_time
        logger.info("password reset used", extra={"reset_id": reset.reset_id})
        return reset


def _usable(token: str) -> tuple[ResetToken, PasswordReset]:
    """The token and its reset; 404 for a link that is not ours (unknown, malformed, not
    the secret mailed), 410 for one used or expired."""
    parsed = parse(token)
    reset = resets.get(parsed.reset_id) if parsed else None
    if parsed is None or reset is None or not parsed.matches(reset.digest):
        raise NotFound(NOT_VALID, code="link_not_found")
    if reset.used_at or expired(reset):
        raise _gone(reset)
    return parsed, reset


def expired(reset: PasswordReset) -> bool:
    return clock.now().timestamp() >= reset.expires_at


def _gone(reset: PasswordReset) -> Gone:
    if reset.used_at:
        return Gone(USED, code="link_used")
    if expired(reset):
        return Gone(EXPIRED, code="link_expired")
    return Gone(USED, code="link_used")  # a newer link was mailed, or another use won
