"""The item kinds of the data table (PynamoDB models). Only the data layer uses them.

One table, several kinds told apart by the `kind` discriminator, so a query over an
account's partition returns links and access rows as their own classes. The table name
is bound at start-up from settings (`bind`), never at import.

Every kind goes through one connection, the base class's: PynamoDB would open one per
class, each with a botocore client of its own that loads the DynamoDB service model again
(tens of milliseconds and several MB per kind, on a cold start).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.connection import TableConnection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class Gsi1(GlobalSecondaryIndex["Item"]):
    """The table's one GSI: access rows by (firm, address); deliveries by time."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex["Item"]):
    """Sparse: the access rows with EMAIL SYNC on, per firm (the email sync's matcher)."""

    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class Gsi3(GlobalSecondaryIndex["Item"]):
    """Sparse: the access rows with LOGIN on, per firm, by status then address (the
    portal access manager, crm.storage.portal_access)."""

    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class Item(Model):
    class Meta:
        table_name = "unbound"  # set by bind() at start-up

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """The one connection of the process, whichever kind asks: PynamoDB's own, made
        for this base class and kept on it. Its schema holds the indexes of the kinds
        defined when it is made (`bind`): both GSIs are declared by kinds of this module."""
        if cls is not Item:
            return Item._get_connection()
        return super()._get_connection()


class FirmItem(Item, discriminator="firm"):
    firm_id = UnicodeAttribute()
    name = UnicodeAttribute()
    copy_client_emails_to = ListAttribute(of=UnicodeAttribute, default=list)
    auto_save_attachments = BooleanAttribute(default=False)
    notify_staff_on_synced_email = BooleanAttribute(default=False)
    default_preferences = MapAttribute[str, Any](null=True)
    suppressed_addresses = UnicodeSetAttribute(null=True)  # casefolded, until staff clear
    # addresses and @domains whose mail the sync never stores (lower case; crm.sync.matching)
    never_sync = ListAttribute(of=UnicodeAttribute, default=list)
    # the firm's contact details the portal shows its clients (absent until set)
    contact_email = UnicodeAttribute(null=True)
    contact_phone = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    website = UnicodeAttribute(null=True)
    language = UnicodeAttribute(null=True)  # en, nl; absent: en
    time_zone = UnicodeAttribute(null=True)  # IANA name; absent: UTC
    form_of_address = UnicodeAttribute(null=True)  # formal (u), informal (je); absent: formal
    # notification categories clients cannot unsubscribe from (crm.notifications); absent: none
    locked_categories = ListAttribute(of=UnicodeAttribute, null=True)
    created_at = UnicodeAttribute()
    # the owner's address proved by a link (crm.firms.verification); until then the firm
    # emails nobody but its owner
    owner_email = UnicodeAttribute(null=True)
    verified_at = UnicodeAttribute(null=True)
    verification_id = UnicodeAttribute(null=True)  # only the newest link works
    verification_digest = UnicodeAttribute(null=True)  # SHA-256 of the mailed secret
    verification_expires_at = UnicodeAttribute(null=True)
    verification_requested_at = UnicodeAttribute(null=True)


class StaffAddressItem(Item, discriminator="staff_address"):
    firm_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()


class StaffItem(Item, discriminator="staff"):
    staff_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    manage_accounts = BooleanAttribute(default=False)
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    language = UnicodeAttribute(null=True)  # en, nl; absent: the firm's


class AccountItem(Item, discriminator="account"):
    account_id = UnicodeAttribute()
    name = UnicodeAttribute()
    type = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # access rows with NOTIFY on, changed with them (crm.storage.notified); absent: not
    # counted yet (an account older than the count)
    notified = NumberAttribute(null=True)


class FieldItem(Item, discriminator="field"):
    field_id = UnicodeAttribute()
    label = UnicodeAttribute()
    created_at = UnicodeAttribute()


class EmailEntry(MapAttribute[str, Any]):
    email_id = UnicodeAttribute()
    address = UnicodeAttribute()
    field_id = UnicodeAttribute()
    label = UnicodeAttribute()


class ContactItem(Item, discriminator="contact"):
    contact_id = UnicodeAttribute()
    first_name = UnicodeAttribute()
    last_name = UnicodeAttribute()
    language = UnicodeAttribute(null=True)  # en, nl; absent: the firm's
    emails = ListAttribute(of=EmailEntry, default=list)
    account_ids = UnicodeSetAttribute(default=set)
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class LinkItem(Item, discriminator="link"):
    contact_id = UnicodeAttribute()
    linked_at = UnicodeAttribute()


class AccessItem(Item, discriminator="access"):
    """LOGIN, NOTIFY, EMAIL SYNC and preferences of one address on one account."""

    email_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    account_name = UnicodeAttribute(default="")
    address = UnicodeAttribute()
    label = UnicodeAttribute()
    linked = BooleanAttribute(default=True)
    login = BooleanAttribute(default=False)
    notify = BooleanAttribute(default=False)
    email_sync = BooleanAttribute(default=False)
    login_status = UnicodeAttribute(default="off")
    invitation_id = UnicodeAttribute(null=True)
    invitation_expires_at = UnicodeAttribute(null=True)
    preferences = MapAttribute[str, Any](default=dict)
    updated_at = UnicodeAttribute()
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi2pk = UnicodeAttribute(null=True)  # set only while EMAIL SYNC is on
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)  # set only while LOGIN is on
    gsi3sk = UnicodeAttribute(null=True)
    accepted_at = UnicodeAttribute(null=True)  # when the newest invitation was accepted
    portal_sub = UnicodeAttribute(null=True)  # while active: the portal user it was activated for
    last_portal_sub = UnicodeAttribute(null=True)  # kept after LOGIN off (access restored)
    last_invited_at = UnicodeAttribute(null=True)
    access_restored_at = UnicodeAttribute(null=True)
    last_sign_in_at = UnicodeAttribute(null=True)  # set by sign-ins (crm.storage.devices)
    # the row's current invitation bounced (SES feedback, crm.storage.invitation_history)
    invitation_bounced_at = UnicodeAttribute(null=True)
    unsubscribed = UnicodeSetAttribute(null=True)  # categories turned off by the client's link
    delivery_schedule = UnicodeAttribute(null=True)  # JSON of crm.core.schedules; absent: at once
    version = VersionAttribute()
    by_address = Gsi1()
    by_email_sync = Gsi2()
    by_login = Gsi3()


class GrantItem(Item, discriminator="grant"):
    """A portal user's access to one account, under the user's immutable Cognito `sub`:
    written with the access row that grants it (activation) and deleted with the one that
    takes it away (LOGIN off), so one strongly consistent GetItem answers "may this user
    open this account?". `address` is the one the access hangs on: the portal shows the
    user the account's mail exchanged with it."""

    firm_id = UnicodeAttribute()
    firm_name = UnicodeAttribute(default="")
    account_id = UnicodeAttribute()
    account_name = UnicodeAttribute()
    email_id = UnicodeAttribute()
    address = UnicodeAttribute(default="")
    granted_at = UnicodeAttribute()
    # epoch seconds: tokens issued at or before it are refused ("this was not me")
    signed_out_at = NumberAttribute(null=True)


class PortalProfileItem(Item, discriminator="portal_profile"):
    last_account_id = UnicodeAttribute(null=True)


class InvitationItem(Item, discriminator="invitation"):
    """One invitation link. Only the token's hash is kept."""

    invitation_id = UnicodeAttribute()
    audience = UnicodeAttribute()  # "staff" or "client"
    address = UnicodeAttribute()
    staff_id = UnicodeAttribute(null=True)
    account_id = UnicodeAttribute(null=True)  # client invitations: the row that asked
    email_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute()  # requested, sent, accepted, revoked, superseded
    token_digest = UnicodeAttribute(null=True)
    firm_name = UnicodeAttribute(null=True)  # recorded when sent
    failed_attempts = NumberAttribute(default=0)
    note = UnicodeAttribute(null=True)  # the firm's personal note, as written (plain text)
    requested_by = UnicodeAttribute(null=True)  # who asked for it, as the audit names them
    expires_at = UnicodeAttribute()
    created_at = UnicodeAttribute()


class InvitationEventItem(Item, discriminator="invitation_event"):
    """One entry of the invitation history of an address on an account (its own
    partition, crm.storage.invitation_history), keyed by (invitation, what): once each."""

    invitation_id = UnicodeAttribute()
    what = UnicodeAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute(null=True)  # staff:<id>, client:<address>
    address = UnicodeAttribute(null=True)
    expires_at = UnicodeAttribute(null=True)


class DeliveryItem(Item, discriminator="delivery"):
    """One notification to one address: the claim that makes a redelivery send nothing
    new, then the outcome. Keyed by (detail type, event, address); newest first via GSI1."""

    event_id = UnicodeAttribute()
    detail_type = UnicodeAttribute()
    address = UnicodeAttribute()
    status = UnicodeAttribute()  # sending, sent, skipped, suppressed, failed
    reason = UnicodeAttribute(null=True)
    retryable = BooleanAttribute(default=False)
    lease_until = UnicodeAttribute(null=True)
    at = UnicodeAttribute()
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_time = Gsi1()


class AuditItem(Item, discriminator="audit"):
    audit_id = UnicodeAttribute()
    account_id = UnicodeAttribute(null=True)
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    target = UnicodeAttribute(null=True)
    details = MapAttribute[str, Any](default=dict)
    at = UnicodeAttribute()


def bind(table_name: str, region: str) -> TableConnection:
    """Point every item kind at the table named in settings, through one new connection
    (called once at start-up). Its botocore client is made on the first request."""
    Item.Meta.table_name = table_name
    Item.Meta.region = region  # type: ignore[attr-defined]
    Item._connection = None
    return Item._get_connection()


class AddressNoticeItem(Item, discriminator="address_notice"):
    """When a notice last went to a staff address (in the address guard's partition):
    at most one an hour, whoever asks. Gone with the TTL."""

    sent_at = UnicodeAttribute()
    ttl = NumberAttribute()


class CounterItem(Item, discriminator="counter"):
    """A counter of crm.storage.counters: a throttle's window (`THROTTLE#<name>#<digest>` /
    `WINDOW#<start>`) or a firm's emails of one UTC day (`FIRM#<f>` / `SENDING#<date>`).
    Raised only within its limit, in one conditional update, so concurrent requests cannot
    pass it. Gone with the TTL, which correctness never needs (the window is in the key)."""

    hits = NumberAttribute(default=0)
    ttl = NumberAttribute()  # epoch seconds: DynamoDB deletes the item after
