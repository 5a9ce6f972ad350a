"""Which accounts a message belongs to: those on which one of its From, To or Cc
addresses has EMAIL SYNC on (LOGIN does not matter). Read once per run from the sparse
GSI2, then a dictionary lookup per address."""

from __future__ import annotations

from collections.abc import Iterable

from crm.core.directory import AccountRef
from crm.sync.models import SyncedRow


class Matcher:
    def __init__(self, rows: Iterable[SyncedRow]) -> None:
        self._by_address: dict[str, list[AccountRef]] = {}
        for row in rows:
            accounts = self._by_address.setdefault(row.address.casefold(), [])
            if all(a.account_id != row.account_id for a in accounts):
                accounts.append(AccountRef(account_id=row.account_id, name=row.account_name))

    def __bool__(self) -> bool:
        return bool(self._by_address)

    def accounts(self, addresses: Iterable[str]) -> list[AccountRef]:
        """The accounts of these addresses, each once, in the order they come."""
        found: dict[str, AccountRef] = {}
        for address in addresses:
            for account in self._by_address.get(address.casefold(), ()):
                found.setdefault(account.account_id, account)
        return list(found.values())
