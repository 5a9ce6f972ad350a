"""Which accounts a message belongs to: those on which one of its From, To or Cc
addresses has EMAIL SYNC on (LOGIN does not matter). Read once per run from the sparse
GSI2, then a dictionary lookup per address.

Two kinds of mail belong to no account, whoever else is on it:
- mail with anyone on the firm's never-sync list (the firm settings' `never_sync`: an
  address, or `@domain` with its subdomains) as its sender or a To or Cc recipient. The
  firm's own mailbox address is never taken for a listed one: it is on every message.
- mail among the firm itself: its From and every recipient are staff addresses of the
  firm or the mailbox's own address.
The never-sync list comes with the run's read of the firm item; the staff addresses are
read once per run, when a message first matches an account (a quiet run reads none)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from crm.core.directory import AccountRef
from crm.sync.models import SyncedRow


class Matcher:
    def __init__(
        self,
        rows: Iterable[SyncedRow],
        *,
        never_sync: Iterable[str] = (),
        staff: Callable[[], Iterable[str]] = tuple,
        own: str = "",
    ) -> None:
        self._by_address: dict[str, list[AccountRef]] = {}
        for row in rows:
            accounts = self._by_address.setdefault(row.address.casefold(), [])
            if all(a.account_id != row.account_id for a in accounts):
                accounts.append(AccountRef(account_id=row.account_id, name=row.account_name))
        entries = {e.strip().casefold() for e in never_sync if e.strip()}
        self._never_domains = {e[1:] for e in entries if e.startswith("@")}
        self._never_addresses = {e for e in entries if not e.startswith("@")}
        self._own = own.strip().casefold()
        self._staff = staff
        self._firm: set[str] | None = None  # the staff's addresses and the mailbox's

    def __bool__(self) -> bool:
        return bool(self._by_address)

    @property
    def addresses(self) -> list[str]:
        """Every address with EMAIL SYNC on (case-folded), sorted."""
        return sorted(self._by_address)

    def accounts(self, addresses: Iterable[str]) -> list[AccountRef]:
        """The accounts of these addresses (a message's From, To and Cc), each once, in
        the order they come; none for mail with a never-sync address or among staff."""
        wanted = [a.strip().casefold() for a in addresses if a and a.strip()]
        found: dict[str, AccountRef] = {}
        for address in wanted:
            for account in self._by_address.get(address, ()):
                found.setdefault(account.account_id, account)
        if not found or self._never_synced(wanted) or self._among_firm(wanted):
            return []
        return list(found.values())

    def _never_synced(self, addresses: list[str]) -> bool:
        return any(self._never(a) for a in addresses if a != self._own)

    def _among_firm(self, addresses: list[str]) -> bool:
        if self._firm is None:
            self._firm = {a.strip().casefold() for a in self._staff() if a.strip()}
            if self._own:
                self._firm.add(self._own)
        return all(a in self._firm for a in addresses)

    def _never(self, address: str) -> bool:
        if address in self._never_addresses:
            return True
        if not self._never_domains:
            return False
        labels = address.rpartition("@")[2].split(".")
        # the domain itself, then each parent: mail.bank.example, bank.example, example
        return any(".".join(labels[i:]) in self._never_domains for i in range(len(labels)))
