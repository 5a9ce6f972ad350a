"""Throttles: how many wrong passwords, and how many invitation emails, in a time window.

Counters are fixed windows in the data table (crm.storage.counters), one item per
(counter, window), raised by a conditional update that holds only under the limit: a
burst of concurrent requests cannot pass it. Over the limit a request is refused with
`RateLimited`, whose `retry_after` (the seconds left in the window) becomes the answer's
Retry-After header. Limits come from settings (docs/decisions.md, section 29):

- Wrong passwords, per address (staff and portal apart) and per client address (the
  caller's IP; an IPv6 client by its /64), shared by staff login, portal login and
  accepting an invitation as an existing user. An attempt takes its place in the counters
  before the password is checked, so concurrent guesses count too; a wrong password keeps
  it, anything else gives it back, and a right password also clears its address's count:
  failures count, never successes.
- Password reset requests ("Forgot your password?"), per address and per client address,
  with the login's limits and window: every request counts, whether or not the address
  is a user's (the answer is the same either way).
- Invitation emails per recipient and firm (staff invitations, client invitations sent
  or sent again).

What is counted is named by a digest: no address is stored in a counter.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from crm import clock
from crm.errors import InvalidCredentials, RateLimited
from crm.observability import logger
from crm.settings import Settings, get_settings
from crm.storage import counters

TOO_MANY_PASSWORDS = "Too many wrong passwords. Wait a few minutes, then try again."
TOO_MANY_RESETS = (
    "Several reset links were asked for a moment ago. Wait a few minutes, then try again."
)
TOO_MANY_INVITATIONS = (
    "Several invitations went to this address a moment ago. Wait a few minutes before "
    "sending another."
)


@dataclass(frozen=True)
class Limit:
    """At most `limit` in each window of `window_seconds`, per subject."""

    name: str
    limit: int
    window_seconds: int
    clear_on_success: bool = False  # a right password forgets this subject's failures

    def counter(self, subject: str) -> str:
        digest = hashlib.sha256(f"{self.name}\n{subject}".encode()).hexdigest()[:32]
        return f"{self.name}#{digest}"

    def window(self) -> tuple[int, int]:
        """(start, seconds left) of the window the product's clock is in."""
        now = int(clock.now().timestamp())
        start = now - now % self.window_seconds
        return start, start + self.window_seconds - now

    def refused(self, message: str) -> RateLimited:
        _, left = self.window()
        logger.warning("throttled", extra={"throttle": self.name, "retry_after": left})
        return RateLimited(message, retry_after=max(1, left))


@dataclass(frozen=True)
class Limits:
    staff_login: Limit
    portal_login: Limit
    client_failures: Limit
    invitation_sends: Limit
    reset_requests: Limit
    reset_clients: Limit

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        login_window = settings.throttle_login_window_seconds
        return cls(
            staff_login=Limit(
                "staff_login", settings.throttle_login_failures, login_window, clear_on_success=True
            ),
            portal_login=Limit(
                "portal_login",
                settings.throttle_login_failures,
                login_window,
                clear_on_success=True,
            ),
            client_failures=Limit(
                "client_failures", settings.throttle_client_failures, login_window
            ),
            invitation_sends=Limit(
                "invitation_sends",
                settings.throttle_invitation_sends,
                settings.throttle_invitation_window_seconds,
            ),
            reset_requests=Limit("reset_requests", settings.throttle_login_failures, login_window),
            reset_clients=Limit("reset_clients", settings.throttle_client_failures, login_window),
        )


def limits() -> Limits:
    return Limits.of(get_settings())


# ------------------------------------------------------------------ passwords


def staff_login(address: str, client: str) -> AbstractContextManager[None]:
    """Around a staff sign-in: see `password_attempt`."""
    found = limits()
    return password_attempt(
        [(found.staff_login, _address(address)), (found.client_failures, client_key(client))]
    )


def portal_login(address: str, client: str) -> AbstractContextManager[None]:
    found = limits()
    return password_attempt(
        [(found.portal_login, _address(address)), (found.client_failures, client_key(client))]
    )


def invitation_accept(client: str) -> AbstractContextManager[None]:
    """Around accepting an invitation: a wrong current password of an existing user counts
    for the client (the invitation counts its own, crm.invitations)."""
    return password_attempt([(limits().client_failures, client_key(client))])


@contextmanager
def password_attempt(subjects: Sequence[tuple[Limit, str]]) -> Iterator[None]:
    """Refused (429) while any counter is full; otherwise the attempt takes a place in
    each before the password is checked. A wrong password (`InvalidCredentials`) keeps
    them; any other outcome gives them back, and success also clears the counters marked
    `clear_on_success`."""
    taken: list[tuple[Limit, str, int]] = []
    for limit, subject in subjects:
        start, _ = limit.window()
        counter = limit.counter(subject)
        if not counters.take(counter, start, limit.limit, _ttl(start, limit)):
            _give_back(taken)
            raise limit.refused(TOO_MANY_PASSWORDS)
        taken.append((limit, counter, start))
    try:
        yield
    except InvalidCredentials:
        raise
    except BaseException:
        _give_back(taken)
        raise
    for limit, counter, start in taken:
        if limit.clear_on_success:
            counters.clear(counter, start)
        else:
            counters.give_back(counter, start)


def portal_password_changed(address: str) -> None:
    """A portal user set a new password (a reset): their wrong passwords of this window
    are forgotten, so the lock of too many wrong ones does not outlive the old password."""
    limit = limits().portal_login
    start, _ = limit.window()
    counters.clear(limit.counter(_address(address)), start)


# ------------------------------------------------------------ password resets


def password_reset(address: str, client: str) -> None:
    """Count one reset request for this address and this client (every request counts,
    whatever it finds); 429 while either counter is full. A refusal by the client's
    counter gives back the address's place."""
    found = limits()
    taken: list[tuple[Limit, str, int]] = []
    for limit, subject in (
        (found.reset_requests, _address(address)),
        (found.reset_clients, client_key(client)),
    ):
        start, _ = limit.window()
        counter = limit.counter(subject)
        if not counters.take(counter, start, limit.limit, _ttl(start, limit)):
            _give_back(taken)
            raise limit.refused(TOO_MANY_RESETS)
        taken.append((limit, counter, start))


# ---------------------------------------------------------------- invitations


def invitation_send(firm_id: str, address: str) -> Taken:
    """Count one invitation email from this firm to this address; 429 over the limit.
    The place taken is given back if the request then fails (`Taken.give_back`, or use
    it as a context manager around the request): a request that fails changes nothing."""
    limit = limits().invitation_sends
    start, _ = limit.window()
    counter = limit.counter(f"{firm_id}\n{_address(address)}")
    if not counters.take(counter, start, limit.limit, _ttl(start, limit)):
        raise limit.refused(TOO_MANY_INVITATIONS)
    return Taken(counter, start)


@dataclass
class Taken:
    """A place taken in a counter, until the request it was taken for has succeeded."""

    counter: str
    window_start: int
    given_back: bool = False

    def give_back(self) -> None:
        if not self.given_back:
            self.given_back = True
            counters.give_back(self.counter, self.window_start)

    def __enter__(self) -> Taken:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.give_back()


# -------------------------------------------------------------------- helpers


def client_key(source_ip: str) -> str:
    """The client's address as counted: IPv4 as is, IPv6 by its /64 (one subscriber
    holds a whole /64), an IPv4-mapped IPv6 as its IPv4; anything unreadable in one
    shared bucket."""
    try:
        address = ipaddress.ip_address(source_ip.strip())
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def _address(address: str) -> str:
    return address.strip().casefold()


def _ttl(start: int, limit: Limit) -> int:
    """DynamoDB may drop the counter one window after its own has ended."""
    return start + 2 * limit.window_seconds


def _give_back(taken: Sequence[tuple[Limit, str, int]]) -> None:
    for _, counter, start in taken:
        counters.give_back(counter, start)
