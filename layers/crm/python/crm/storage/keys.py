"""Every key of the data table, in one place. Every partition key starts with the firm,
so nothing can be read across firms by mistake (the one exception, the global staff
address guard, is named as such)."""

from __future__ import annotations


def firm(firm_id: str) -> str:
    return f"FIRM#{firm_id}"


def account(firm_id: str, account_id: str) -> str:
    """The account's partition: its links and its access rows, read in one query."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}"


def audit(firm_id: str, account_id: str | None) -> str:
    return f"FIRM#{firm_id}#AUDIT#{account_id or '-'}"


def deliveries(firm_id: str, account_id: str) -> str:
    """Notification deliveries of one account, keyed by (event, address)."""
    return f"FIRM#{firm_id}#DELIVERY#{account_id}"


def delivery_log(firm_id: str, account_id: str) -> str:
    """GSI1: the same deliveries, by time."""
    return f"FIRM#{firm_id}#DELIVERIES#{account_id}"


def delivery(detail_type: str, event_id: str, address_: str) -> str:
    """An event is known by its type together with its id (two kinds of events may carry
    the same event_id): each (type, id, address) is claimed and logged once."""
    return f"{detail_type}#{event_id}#{address_.casefold()}"


def address(firm_id: str, address_: str) -> str:
    """GSI1: every access row of one address in one firm, across its accounts."""
    return f"FIRM#{firm_id}#ADDRESS#{address_.casefold()}"


def staff_address(address_: str) -> str:
    """Global guard: a staff address signs in to one firm only (one Cognito pool)."""
    return f"STAFF_ADDRESS#{address_.casefold()}"


def portal_user(sub: str) -> str:
    """A portal user's grants and profile. Keyed by the user (one identity across firms),
    not by a firm: the user is the tenant boundary here. The key is the identity's
    immutable `sub`, as the token says it, never an address the user could rewrite."""
    return f"PORTAL#{sub}"


def grant(account_id: str) -> str:
    return f"ACCOUNT#{account_id}"


def device(device_id: str) -> str:
    """Under the portal user: a device they signed in from (crm.storage.devices)."""
    return f"DEVICE#{device_id}"


PORTAL_PROFILE = "PROFILE"
FIRM_META = "FIRM"
STAFF_ADDRESS_META = "STAFF_ADDRESS"


def staff(staff_id: str) -> str:
    return f"STAFF#{staff_id}"


def account_meta(account_id: str) -> str:
    return f"ACCOUNT#{account_id}"


def field(field_id: str) -> str:
    return f"FIELD#{field_id}"


def contact(contact_id: str) -> str:
    return f"CONTACT#{contact_id}"


def invitation(invitation_id: str) -> str:
    return f"INVITATION#{invitation_id}"


def invitation_history(firm_id: str, account_id: str, email_id: str) -> str:
    """What happened to the invitations of one address on one account (one query)."""
    return f"FIRM#{firm_id}#INVITATIONS#{account_id}#{email_id}"


def invitation_event(invitation_id: str, what: str) -> str:
    """One entry of an invitation history: each (invitation, what) is recorded once."""
    return f"{invitation_id}#{what}"


def link(contact_id: str) -> str:
    return f"LINK#{contact_id}"


def access(email_id: str) -> str:
    return f"ACCESS#{email_id}"


# ---------------------------------------------------------------- email sync

MAILBOX_META = "MAILBOX"
MAILBOXES = "MAILBOXES"  # GSI1 (sparse, global): every firm with a mailbox, for the schedule


def mailbox_due(at: str, firm_id: str) -> str:
    """The registry's sort key: mailboxes in the order their next run is due."""
    return f"DUE#{at}#{firm_id}"


def email_sync(firm_id: str) -> str:
    """GSI2 (sparse): the access rows with EMAIL SYNC on in one firm (the sync matcher)."""
    return f"FIRM#{firm_id}#EMAIL_SYNC"


def portal_access(firm_id: str) -> str:
    """GSI3 (sparse): the access rows with LOGIN on in one firm (the portal access manager)."""
    return f"FIRM#{firm_id}#LOGIN"


def portal_access_position(login_status: str, address_: str, account_id: str, email_id: str) -> str:
    """GSI3's sort key: status first, so a stable status is one key prefix."""
    return f"{login_status}#{address_.casefold()}#{account_id}#{email_id}"


def bulk_invitation(digest: str) -> str:
    """Under the firm's partition: one bulk invitation request, by its content's digest."""
    return f"BULK_INVITATION#{digest}"


def mail(firm_id: str) -> str:
    """The firm's synced mail: messages, their IMAP locations, cursors, history jobs."""
    return f"FIRM#{firm_id}#MAIL"


def inbox(firm_id: str) -> str:
    """Inbox+: one entry per message, sorted by date."""
    return f"FIRM#{firm_id}#INBOX"


def account_mail(firm_id: str, account_id: str) -> str:
    """The email tab of one account: one entry per message shown there."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}#MAIL"


def thread(firm_id: str, thread_id: str) -> str:
    return f"FIRM#{firm_id}#THREAD#{thread_id}"


def documents(firm_id: str) -> str:
    """Every document of the firm by id (the download route knows only the id)."""
    return f"FIRM#{firm_id}#DOCS"


def account_documents(firm_id: str, account_id: str) -> str:
    """The documents of one account, and the content hashes already saved there."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}#DOCS"


# ------------------------------------------------------------ sending (crm.firms.sending)


def sending_day(day: str) -> str:
    """Under the firm's partition: the emails it sent on one UTC day (YYYY-MM-DD)."""
    return f"SENDING#{day}"


def address_notice(purpose: str) -> str:
    """Under the global staff address guard: the last notice of this kind to the address."""
    return f"NOTICE#{purpose}"


# ----------------------------------------------------------------- throttles (crm.throttle)


def throttle(counter: str) -> str:
    """A throttle's counter: global like the staff address guard, as the things counted
    (an address, a client's network address) are not a firm's. `counter` is a name and a
    digest, never the address itself."""
    return f"THROTTLE#{counter}"


def throttle_window(start: int) -> str:
    """One fixed window of a counter, by its start (epoch seconds)."""
    return f"WINDOW#{start}"


# ------------------------------------------------------------ digests (crm.notifications)


def digests_due(shard: int) -> str:
    """Global, like the throttles: held notifications of every firm by due time, so the
    digest run finds what is due with one query per shard (crm.storage.digest_items)."""
    return f"DIGESTS#{shard}"


def digest_claims(firm_id: str, address_: str) -> str:
    """The digests sent, or being sent, to one address of one firm."""
    return f"FIRM#{firm_id}#DIGEST#{address_.casefold()}"


OUTBOX = "OUTBOX"


def outbox(event_id: str) -> str:
    """An event waiting in the outbox: a partition of its own (crm.storage.outbox)."""
    return f"OUTBOX#{event_id}"


# ------------------------------------------------- password resets (crm.portal.password_reset)


def password_reset(reset_id: str) -> str:
    """A portal user's password reset: global like the portal partitions (the user is
    one identity across firms), found by the id in the link's token."""
    return f"PASSWORD_RESET#{reset_id}"


PASSWORD_RESET_META = "PASSWORD_RESET"  # noqa: S105 - a key
