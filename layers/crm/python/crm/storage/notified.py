"""How many access rows of an account have NOTIFY on, kept on the account's item.

"Nobody would get this account's invoices" is then known from the account item alone:
the accounts list shows it and filters by it without reading any row. Every write that
turns NOTIFY on or off, or puts on an account or takes off it a row with NOTIFY on, adds
its difference to the count (`ADD`) in its own transaction, so the count is exact under
concurrent changes: two toggles on one account each add their own one.

Accounts written before the count existed have no `notified` attribute. The additions
require it (`attribute_exists`), so a change to such an account fails once; `seed` then
counts its rows and sets the attribute (only while it is still absent, and no change of
NOTIFY can commit in between, as each needs the attribute), and the change is written
again. A read of such an account (`nobody_notified`) counts its rows and seeds it the same
way. New accounts start at 0.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from pynamodb.exceptions import TransactWriteError, UpdateError

from crm.core.access import AccessRecord
from crm.errors import DomainError
from crm.storage import keys
from crm.storage.items import AccessItem, AccountItem, Item
from crm.storage.table import TransactWrite, condition_failed

ATTEMPTS = 5  # a transaction cancelled by another on the same account item is tried again


def counts(row: AccessRecord | None) -> int:
    """1 when the row, as stored after its write, has NOTIFY on (a row with LOGIN off
    and no linked contact is deleted by its write: it counts 0)."""
    return int(row is not None and row.notify and (row.login or row.linked))


def deltas(
    *,
    before: Iterable[AccessRecord] = (),
    after: Iterable[AccessRecord] = (),
) -> dict[str, int]:
    """Per account, what a write changes in the count: the rows after (new or changed)
    minus the same rows before (changed or deleted). Accounts with no change are left out."""
    change: Counter[str] = Counter()
    for row in after:
        change[row.account_id] += counts(row)
    for row in before:
        change[row.account_id] -= counts(row)
    return {account: n for account, n in change.items() if n}


def add(tx: TransactWrite, firm_id: str, change: Mapping[str, int]) -> None:
    """In the write's own transaction: each account's count moves by its difference."""
    for account_id, n in change.items():
        tx.update(
            AccountItem(keys.firm(firm_id), keys.account_meta(account_id)),
            actions=[AccountItem.notified.add(n)],
            condition=AccountItem.notified.exists(),
        )


def write[T](firm_id: str, change: Mapping[str, int], attempt: Callable[[], T]) -> T:
    """Run `attempt` (a write that calls `add` with `change`). When it fails on an account
    not counted yet, count that account, then write again; when another transaction on
    the same account item cancelled it, write again after a moment."""
    for tries in range(1, ATTEMPTS + 1):
        try:
            return attempt()
        except DomainError:  # a failed condition, as the transaction maps it
            if not change or not seed(firm_id, change):
                raise
        except TransactWriteError as error:
            if not change or tries == ATTEMPTS or not _cancelled_by_another(error):
                raise
            time.sleep(0.02 * tries)
    return attempt()


def nobody_notified(firm_id: str, item: AccountItem) -> bool:
    """True when no row of the account has NOTIFY on (an account not counted yet is
    counted and seeded first)."""
    count = _count_of(item)
    if count is None:
        return _seed_one(firm_id, item.account_id) == 0
    return count <= 0


def seed(firm_id: str, accounts: Iterable[str]) -> bool:
    """Count the rows of the accounts among `accounts` that have no count yet, and keep
    it. True when any had none (the write that failed on it may go again)."""
    wanted = [(keys.firm(firm_id), keys.account_meta(a)) for a in dict.fromkeys(accounts)]
    missing = [i.account_id for i in AccountItem.batch_get(wanted) if _count_of(i) is None]
    for account_id in missing:
        _seed_one(firm_id, account_id)
    return bool(missing)


def _count_of(item: AccountItem) -> int | None:
    """The account's count, None when it has none yet (PynamoDB types a nullable number as
    a number: its stored values say whether it is there)."""
    value = item.attribute_values.get("notified")
    return None if value is None else int(value)


def _seed_one(firm_id: str, account_id: str) -> int:
    rows = Item.query(keys.account(firm_id, account_id), consistent_read=True)
    count = sum(1 for i in rows if isinstance(i, AccessItem) and i.notify)
    try:
        AccountItem(keys.firm(firm_id), keys.account_meta(account_id)).update(
            actions=[AccountItem.notified.set(count)],
            condition=AccountItem.pk.exists() & AccountItem.notified.does_not_exist(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise  # else: someone seeded it first, with the same rows
    return count


def _cancelled_by_another(error: TransactWriteError) -> bool:
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(r is not None and r.code == "TransactionConflict" for r in reasons)
