"""Sign-ins from a new device, and "this was not me" (crm.core.devices says what a device
is).

At each portal sign-in the device is recognised against the user's known devices (read
with the grants, in the sign-in's one query of the user's partition):

- a known device: its `last_seen_at` moves (one UpdateItem);
- the user's first device: recorded, no notice (the device an invitation is accepted
  on is recorded by the activation itself: crm.storage.devices.activated_on);
- a new device of a user who has another: recorded together with a `NewDeviceSignIn`
  event (one transaction); the invite function sends the notice.

Then `last_sign_in_at` goes on every access row behind the user's grants (one UpdateItem
per grant).

"This was not me" is a signed link (the links' secret, decision 15) that names the user,
the device and the grant whose firm sent the notice, and expires after 7 days. Its page
changes nothing; its POST ends every session of the user: Cognito's global sign-out
(refresh tokens) and a mark on each grant that refuses every token issued before
(crm.portal.models.Grant.refuses), so the next request with an old token is a 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from crm import clock
from crm.core.devices import (
    NOT_ME_DAYS,
    KnownDevice,
    NewDeviceSignIn,
    SignIn,
    new_device_sign_in,
)
from crm.errors import NotFound
from crm.integrations.identity import UserPool
from crm.portal.models import Grant
from crm.storage import devices

Recognised = Literal["known", "first", "new", "raced"]
NOT_ME = "not_me"


@dataclass(frozen=True)
class SignedLinks:
    """Signing and checking the "this was not me" tokens: handed over by the function
    (the composition root) from crm.notifications.links with the product's link secret."""

    sign: Callable[[dict[str, str]], str]
    verify: Callable[[str], dict[str, str] | None]


def recognise(
    sub: str,
    username: str,
    sign_in: SignIn,
    known: set[str],
    grants: list[Grant],
    notify_for: Grant | None,
) -> Recognised:
    """Record the device of a successful sign-in, and the sign-in on the user's rows.
    `notify_for` is the grant whose firm writes the notice (the account the portal
    opens first); without one, nobody can be written to and the device is only recorded."""
    device_id = sign_in.device.device_id
    outcome: Recognised
    if device_id in known:
        devices.seen(sub, device_id, sign_in.at)
        outcome = "known"
    elif not known:
        outcome = "first" if devices.add(sub, username, sign_in) else "raced"
    else:
        events = []
        if notify_for is not None:
            account = notify_for.account
            notice = NewDeviceSignIn(
                sub=sub,
                device_id=device_id,
                first_seen_at=sign_in.at,
                firm_id=account.firm_id,
                account_id=account.account_id,
                email_id=notify_for.email_id,
            )
            events.append(new_device_sign_in(notice))
        outcome = "new" if devices.add(sub, username, sign_in, events) else "raced"
    rows = [(g.account.firm_id, g.account.account_id, g.email_id) for g in grants]
    devices.signed_in(sub, rows, sign_in.at)
    return outcome


@dataclass(frozen=True)
class NotMe:
    """What a "this was not me" link names."""

    notice: NewDeviceSignIn
    expires_at: int  # epoch seconds

    @property
    def expired(self) -> bool:
        return clock.now().timestamp() >= self.expires_at


class LinkExpired(Exception):
    def __init__(self, link: NotMe) -> None:
        super().__init__("This link has expired.")
        self.link = link


def not_me_token(links: SignedLinks, notice: NewDeviceSignIn) -> str:
    expires = clock.parse(notice.first_seen_at).timestamp() + NOT_ME_DAYS * 24 * 3600
    return links.sign(
        {
            "s": notice.sub,
            "d": notice.device_id,
            "t": notice.first_seen_at,
            "f": notice.firm_id,
            "a": notice.account_id,
            "e": notice.email_id,
            "x": str(int(expires)),
        }
    )


def read_token(links: SignedLinks, token: str) -> NotMe:
    """The link's content; NotFound for anything we did not sign, LinkExpired past its
    seven days (the link still says whose it was, so the page is in their language)."""
    fields = (links.verify(token) if len(token or "") <= 1000 else None) or {}
    try:
        found = NotMe(
            notice=NewDeviceSignIn(
                sub=fields["s"],
                device_id=fields["d"],
                first_seen_at=fields["t"],
                firm_id=fields["f"],
                account_id=fields["a"],
                email_id=fields["e"],
            ),
            expires_at=int(fields["x"]),
        )
    except (KeyError, ValueError) as error:
        raise NotFound("This link is not valid.", code="link_not_found") from error
    if found.expired:
        raise LinkExpired(found)
    return found


@dataclass
class NotMeService:
    portal_pool: UserPool
    links: SignedLinks

    def describe(self, token: str) -> tuple[NotMe, KnownDevice | None]:
        """What the link is about; changes nothing."""
        link = read_token(self.links, token)
        return link, devices.get(link.notice.sub, link.notice.device_id)

    def confirm(self, token: str) -> tuple[NotMe, KnownDevice | None]:
        """End every session of the user, and forget the device (its next sign-in is
        announced again). Doing it twice ends the sessions opened in between, nothing else."""
        link, device = self.describe(token)
        sub = link.notice.sub
        now = clock.now()
        devices.sign_out(sub, clock.system_seconds())  # Cognito's clock: auth_time
        if device is not None:
            self.portal_pool.sign_out_everywhere(device.username)
            devices.disown(sub, device.device_id, clock.iso(now))
        return link, device
