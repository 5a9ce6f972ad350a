"""What the Contacts section shows of the email sync, read in one call: whether the firm
has a mailbox and how it is, and how far the history jobs of some of an account's rows
are. The items are the sync's (crm.sync.mailbox_store, crm.sync.history_store); this
module only reads them, for a capability that may not import the sync."""

from __future__ import annotations

from collections.abc import Iterable

from crm.core.firms import MailboxStanding
from crm.storage import keys
from crm.storage.items import Item
from crm.storage.mail_items import HistoryItem, MailboxItem


def history_key(account_id: str, email_id: str) -> str:
    """The sort key of a history job in the firm's mail partition (as history_store writes)."""
    return f"HISTORY#{account_id}#{email_id}"


def standing(firm_id: str, account_id: str, email_ids: Iterable[str]) -> MailboxStanding:
    """The firm's mailbox status and the history jobs of these rows of one account: one
    BatchGetItem (one more per 100 rows past the first 99)."""
    wanted = [(keys.firm(firm_id), keys.MAILBOX_META)]
    wanted += [(keys.mail(firm_id), history_key(account_id, e)) for e in dict.fromkeys(email_ids)]
    status: str | None = None
    jobs: dict[str, tuple[str, str]] = {}
    for item in Item.batch_get(wanted):
        if isinstance(item, MailboxItem):
            status = item.status or "pending"
        elif isinstance(item, HistoryItem):
            jobs[item.email_id] = (item.status, item.address)
    return MailboxStanding(mailbox_status=status, jobs=jobs)
