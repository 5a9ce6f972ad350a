"""Password resets of portal users (crm.core.password_resets): one item per reset
(`PASSWORD_RESET#<id>`), written with its event in one transaction, gone with its TTL a
day after it expired.

Every step is a conditional write, so concurrency cannot use a link twice: the invite
function records the token's digest only while the reset is not used (a retried send
replaces the digest, so only the link last mailed works), and using the link sets
`used_at` only where it is absent, the digest is the one given and the hour is not over.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError

from crm import clock
from crm.core.events import Event
from crm.core.password_resets import PasswordReset
from crm.storage import keys, outbox
from crm.storage.items import Item
from crm.storage.table import condition_failed, transaction

KEEP_SECONDS = 24 * 3600  # after its expiry, then DynamoDB deletes it


class PasswordResetItem(Item, discriminator="password_reset"):
    reset_id = UnicodeAttribute()
    sub = UnicodeAttribute()
    username = UnicodeAttribute()
    firm_id = UnicodeAttribute()
    account_id = UnicodeAttribute()
    email_id = UnicodeAttribute()
    requested_at = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds
    state = UnicodeAttribute()  # requested, sent
    digest = UnicodeAttribute(null=True)  # SHA-256 of the mailed secret
    language = UnicodeAttribute(null=True)
    used_at = UnicodeAttribute(null=True)
    ttl = NumberAttribute()


def request(reset: PasswordReset, events: list[Event]) -> None:
    """Record a reset asked for, with the event that has it mailed (one transaction)."""
    item = PasswordResetItem(
        pk=keys.password_reset(reset.reset_id),
        sk=keys.PASSWORD_RESET_META,
        reset_id=reset.reset_id,
        sub=reset.sub,
        username=reset.username,
        firm_id=reset.firm_id,
        account_id=reset.account_id,
        email_id=reset.email_id,
        requested_at=reset.requested_at,
        expires_at=reset.expires_at,
        state=reset.state,
        ttl=reset.expires_at + KEEP_SECONDS,
    )
    with transaction() as tx:
        tx.save(item, condition=PasswordResetItem.pk.does_not_exist())
        outbox.emit(tx, events)


def get(reset_id: str) -> PasswordReset | None:
    try:
        item = PasswordResetItem.get(
            keys.password_reset(reset_id), keys.PASSWORD_RESET_META, consistent_read=True
        )
    except DoesNotExist:
        return None
    return _reset(item)


def issued(reset_id: str, digest: str, language: str) -> bool:
    """The mailed token's digest and the email's language, while the reset is unused
    (one UpdateItem). False when it is used or gone: nothing is to be mailed."""
    try:
        _item(reset_id).update(
            actions=[
                PasswordResetItem.digest.set(digest),
                PasswordResetItem.language.set(language),
                PasswordResetItem.state.set("sent"),
            ],
            condition=PasswordResetItem.pk.exists() & PasswordResetItem.used_at.does_not_exist(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def use(reset_id: str, digest: str, at: str) -> bool:
    """Use the link (one conditional UpdateItem): False when it was used already, its
    digest is not this one (a newer link was mailed) or its hour is over."""
    now = int(clock.parse(at).timestamp())
    try:
        _item(reset_id).update(
            actions=[PasswordResetItem.used_at.set(at)],
            condition=PasswordResetItem.pk.exists()
            & PasswordResetItem.used_at.does_not_exist()
            & (PasswordResetItem.digest == digest)
            & (PasswordResetItem.expires_at > now),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def give_back(reset_id: str, at: str) -> None:
    """The use at `at` did not go through (the identity provider refused the password):
    the link works again, within its hour."""
    try:
        _item(reset_id).update(
            actions=[PasswordResetItem.used_at.remove()],
            condition=PasswordResetItem.used_at == at,
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def _item(reset_id: str) -> PasswordResetItem:
    return PasswordResetItem(keys.password_reset(reset_id), keys.PASSWORD_RESET_META)


def _reset(item: PasswordResetItem) -> PasswordReset:
    return PasswordReset(
        reset_id=item.reset_id,
        sub=item.sub,
        username=item.username,
        firm_id=item.firm_id,
        account_id=item.account_id,
        email_id=item.email_id,
        requested_at=item.requested_at,
        expires_at=int(item.expires_at),
        state=item.state,
        digest=item.digest,
        language=item.language,
        used_at=item.used_at,
    )
