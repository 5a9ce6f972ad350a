"""What portal sign-ins write: the devices a portal user signed in from (partition
`PORTAL#<sub>`, beside the user's grants), the last sign-in time on the access rows behind
the user's grants, and the end of every session ("this was not me") on those grants.

A new device and the event that announces it are written in one transaction (the
outbox), conditional on the device being new: two sign-ins from it at the same moment
announce it once.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError

from crm.core.devices import Device, KnownDevice, Place, SignIn
from crm.core.events import Event
from crm.errors import Conflict
from crm.storage import keys, outbox
from crm.storage.items import AccessItem, GrantItem, Item
from crm.storage.table import condition_failed, transaction


class DeviceItem(Item, discriminator="portal_device"):
    """A device (browser family and system) a portal user signed in from."""

    device_id = UnicodeAttribute()
    browser = UnicodeAttribute()
    system = UnicodeAttribute()
    username = UnicodeAttribute()
    first_seen_at = UnicodeAttribute()
    last_seen_at = UnicodeAttribute()
    country = UnicodeAttribute(null=True)  # where its first sign-in came from
    city = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    disowned_at = UnicodeAttribute(null=True)  # "this was not me": a new device again


class _AlreadyKnown(Conflict):
    """The device was recorded by another sign-in a moment ago."""


def get(sub: str, device_id: str) -> KnownDevice | None:
    try:
        item = DeviceItem.get(keys.portal_user(sub), keys.device(device_id), consistent_read=True)
    except DoesNotExist:
        return None
    return _known(sub, item)


def add(sub: str, username: str, sign_in: SignIn, events: Iterable[Event] = ()) -> bool:
    """Record a device not seen before (or disowned since), with the events it causes,
    in one transaction. False when another sign-in recorded it first (then nothing is
    written)."""
    device = sign_in.device
    item = DeviceItem(
        pk=keys.portal_user(sub),
        sk=keys.device(device.device_id),
        device_id=device.device_id,
        browser=device.browser,
        system=device.system,
        username=username,
        first_seen_at=sign_in.at,
        last_seen_at=sign_in.at,
        country=sign_in.place.country,
        city=sign_in.place.city,
        address=sign_in.place.address,
    )
    try:
        with transaction(_AlreadyKnown("This device is already recorded.")) as tx:
            tx.save(
                item,
                condition=DeviceItem.pk.does_not_exist() | DeviceItem.disowned_at.exists(),
            )
            outbox.emit(tx, events)
    except _AlreadyKnown:
        return False
    return True


def activated_on(sub: str, username: str, sign_in: SignIn) -> None:
    """The device an invitation was accepted on is known from then on: the sign-in that
    follows on it is news to nobody (an existing user's new account included). No event;
    one write when the device is new (most activations), two when it was known."""
    if not add(sub, username, sign_in):
        seen(sub, sign_in.device.device_id, sign_in.at)


def seen(sub: str, device_id: str, at: str) -> None:
    """A known device signed in again (one UpdateItem)."""
    DeviceItem(keys.portal_user(sub), keys.device(device_id)).update(
        actions=[DeviceItem.last_seen_at.set(at)], condition=DeviceItem.pk.exists()
    )


def signed_in(sub: str, rows: Iterable[tuple[str, str, str]], at: str) -> int:
    """`last_sign_in_at` on the access rows (firm, account, email id) behind the user's
    grants: one UpdateItem each, only while the row still serves this user. The row's
    version is left alone (a sign-in is not a change of the row: a staff member's change
    read a moment before still goes through). Returns how many rows were written."""
    connection = Item._get_connection()
    written = 0
    for firm_id, account_id, email_id in rows:
        try:
            connection.update_item(
                keys.account(firm_id, account_id),
                range_key=keys.access(email_id),
                actions=[AccessItem.last_sign_in_at.set(at)],
                condition=AccessItem.portal_sub == sub,
            )
        except UpdateError as error:
            if not condition_failed(error):
                raise
            continue  # LOGIN went off a moment ago, or the row serves someone else now
        written += 1
    return written


def disown(sub: str, device_id: str, at: str) -> None:
    """The user said the sign-in from this device was not theirs: the next sign-in from
    it is a new device again, announced again."""
    try:
        DeviceItem(keys.portal_user(sub), keys.device(device_id)).update(
            actions=[DeviceItem.disowned_at.set(at)], condition=DeviceItem.pk.exists()
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def sign_out(sub: str, at: int) -> int:
    """Every token of the user issued at or before `at` (epoch seconds) is refused from
    now on: the mark goes on each of the user's grants, which every portal request reads
    anyway (one query, one UpdateItem per grant; a later mark is never moved back).
    Returns how many grants were marked."""
    marked = 0
    for item in Item.query(keys.portal_user(sub), Item.sk.startswith("ACCOUNT#")):
        if not isinstance(item, GrantItem):
            continue
        try:
            item.update(
                actions=[GrantItem.signed_out_at.set(at)],
                condition=GrantItem.pk.exists()
                & (GrantItem.signed_out_at.does_not_exist() | (GrantItem.signed_out_at < at)),
            )
        except UpdateError as error:
            if not condition_failed(error):
                raise
            continue
        marked += 1
    return marked


def _known(sub: str, item: DeviceItem) -> KnownDevice:
    return KnownDevice(
        sub=sub,
        device_id=item.device_id,
        device=Device(browser=item.browser, system=item.system),
        username=item.username,
        first_seen_at=item.first_seen_at,
        last_seen_at=item.last_seen_at,
        place=Place(country=item.country, city=item.city, address=item.address),
    )
