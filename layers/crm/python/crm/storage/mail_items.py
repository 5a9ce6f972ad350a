"""The item kinds of email sync and documents (PynamoDB models, data layer only).

The people, accounts and attachments of a message are small JSON documents in one
string attribute each: never queried or updated field by field, and many times cheaper
to write and read than lists of DynamoDB maps.

Partitions (keys.py): the mailbox in `FIRM#<firm>` (and, sparse, in GSI1 under
`MAILBOXES` so the schedule finds every firm with a mailbox); the messages, folder
cursors and history jobs in `FIRM#<firm>#MAIL`; list entries of Inbox+, of each
account's email tab and of each thread in their own partitions, sorted by date;
documents by id in `FIRM#<firm>#DOCS` and per account in `FIRM#<firm>#ACCOUNT#<a>#DOCS`.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)

from crm.storage.items import Gsi1, Item


class MailboxItem(Item, discriminator="mailbox"):
    """The firm's mailbox: where it is (the password is in Secrets Manager), how the
    last sync went, and the lease that keeps two runs from syncing it at once."""

    firm_id = UnicodeAttribute()
    imap_host = UnicodeAttribute()
    imap_port = NumberAttribute()
    username = UnicodeAttribute()
    security = UnicodeAttribute()
    auth_method = UnicodeAttribute(default="password")
    secret_id = UnicodeAttribute()
    mailbox_key = UnicodeAttribute()  # names this server+username in cursors and locations
    folders = MapAttribute[str, Any](default=dict)
    connected_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    status = UnicodeAttribute(default="pending")
    last_sync_at = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    last_error_code = UnicodeAttribute(null=True)
    last_error_at = UnicodeAttribute(null=True)
    lease_until = UnicodeAttribute(null=True)
    lease_owner = UnicodeAttribute(null=True)
    next_sync_at = UnicodeAttribute(null=True)  # when the schedule hands it to a worker
    failing_since = UnicodeAttribute(null=True)  # the first failed run since the last good one
    reconciled_at = UnicodeAttribute(null=True)  # the last reconciliation (crm.sync.reconcile)
    missing = NumberAttribute(null=True)  # what it found missing (and stored)
    refetched = ListAttribute(of=UnicodeAttribute, null=True)  # their ids, the first few
    gsi1pk = UnicodeAttribute()  # MAILBOXES
    gsi1sk = UnicodeAttribute()  # DUE#<next_sync_at>#<firm>: the schedule's query
    registry = Gsi1()


class CursorItem(Item, discriminator="mail_cursor"):
    """Where the sync of one folder stands: every UID up to `last_uid` under
    `uidvalidity` is stored or was not for us."""

    folder = UnicodeAttribute()
    uidvalidity = NumberAttribute()
    last_uid = NumberAttribute()
    initial = BooleanAttribute(default=True)  # the first pass: no staff notices
    updated_at = UnicodeAttribute()


class MessageItem(Item, discriminator="mail_message"):
    """One message, once per firm, keyed by its Message-ID (or its envelope's
    fingerprint when it has none; a different message reusing a stored one's id gets
    one derived from it and its content's digest), with every IMAP place it was seen."""

    message_id = UnicodeAttribute()
    rfc_message_id = UnicodeAttribute(default="")
    in_reply_to = UnicodeAttribute(default="")
    references = JSONAttribute(default=list)
    thread_id = UnicodeAttribute()
    subject = UnicodeAttribute(default="")
    from_ = JSONAttribute(default=list, attr_name="from")  # [{name, address}]
    to = JSONAttribute(default=list)
    cc = JSONAttribute(default=list)
    reply_to = JSONAttribute(default=list)
    date = UnicodeAttribute()
    direction = UnicodeAttribute()  # inbound, outbound
    source = UnicodeAttribute(default="imap")  # imap, reply
    snippet = UnicodeAttribute(default="")
    text = UnicodeAttribute(default="")
    html = UnicodeAttribute(default="")  # sanitised
    body_key = UnicodeAttribute(null=True)  # S3: text and HTML too large for the item
    raw_key = UnicodeAttribute(null=True)  # S3: the message as received
    attachments = JSONAttribute(default=list)  # [{name, content_type, size, status...}]
    accounts = JSONAttribute(default=list)  # [{account_id, name}]
    locations = JSONAttribute(default=list)
    problems = JSONAttribute(default=list)
    size = NumberAttribute(default=0)
    sent_by = UnicodeAttribute(null=True)
    synced_at = UnicodeAttribute()
    # how copies are recognised (crm.sync.mail_ids.Identity): the content's digest (none
    # on messages stored before it was kept, and on replies) and the copies' stamps
    digest = UnicodeAttribute(null=True)
    copies = JSONAttribute(default=list)


class EntryItem(Item, discriminator="mail_entry"):
    """A message in a list (Inbox+, an account's tab), sorted by date. The Inbox+ entry
    is also the message's place in its thread (GSI1: thread, date). An account's entry
    carries the message's participants, for the portal's filter."""

    message_id = UnicodeAttribute()
    thread_id = UnicodeAttribute()
    subject = UnicodeAttribute(default="")
    from_ = JSONAttribute(default=list, attr_name="from")
    to = JSONAttribute(default=list)
    date = UnicodeAttribute()
    snippet = UnicodeAttribute(default="")
    direction = UnicodeAttribute()
    has_attachments = BooleanAttribute(default=False)
    accounts = JSONAttribute(default=list)
    # on an account's entries: the case-folded From, To and Cc addresses, which the
    # portal filters on (a client reads only the mail exchanged with their own address)
    participants = UnicodeSetAttribute(null=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    by_thread = Gsi1()


class WaitingItem(Item, discriminator="mail_waiting"):
    """A reply that named only its parent (In-Reply-To) came first: when the parent is
    stored, its thread takes the reply in."""

    since = UnicodeAttribute()


class HistoryItem(Item, discriminator="mail_history"):
    """The history job of one address on one account: progress per folder, resumable."""

    account_id = UnicodeAttribute()
    email_id = UnicodeAttribute()
    address = UnicodeAttribute()
    status = UnicodeAttribute()  # pending, running, done, failed
    event_id = UnicodeAttribute(default="")
    progress = MapAttribute[str, Any](
        default=dict
    )  # folder role -> {uidvalidity, done_uid, found, processed}
    stored = NumberAttribute(default=0)
    linked = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)
    requested_at = UnicodeAttribute()
    started_at = UnicodeAttribute(null=True)
    finished_at = UnicodeAttribute(null=True)


class DocumentItem(Item, discriminator="document"):
    """A document of an account. Written twice: by id in the firm's documents partition
    (the download) and in the account's (the list)."""

    document_id = UnicodeAttribute()
    account_id = UnicodeAttribute()
    name = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    sha256 = UnicodeAttribute()
    s3_key = UnicodeAttribute()
    source = UnicodeAttribute()
    message_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class DocumentHashItem(Item, discriminator="document_hash"):
    """The same bytes are saved once per account: this guard holds the first one's id."""

    document_id = UnicodeAttribute()
