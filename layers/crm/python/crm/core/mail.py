"""What a list of synced mail shows (Inbox+, an account's tab, the portal), and the
interface through which the portal reads the mail the sync stored (crm.sync.page_store
implements it; functions/portal_api hands it over)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from crm.core.directory import AccountRef

Direction = Literal["inbound", "outbound"]


class Person(BaseModel):
    name: str
    address: str


class MessageSummary(BaseModel):
    """A message in Inbox+, an account's email tab or a thread."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    message_id: str
    thread_id: str
    subject: str
    from_: list[Person] = Field(alias="from")
    to: list[Person]
    date: str
    snippet: str
    direction: Direction
    has_attachments: bool
    accounts: list[AccountRef]


class MessagePage(BaseModel):
    items: list[MessageSummary]
    next_cursor: str | None = None


class AccountMail(Protocol):
    """The synced mail of an account, as the portal may read it."""

    def exchanged_with(
        self,
        firm_id: str,
        account_id: str,
        addresses: Iterable[str],
        cursor: str | None,
        limit: int,
    ) -> MessagePage:
        """The account's messages from, to or copied to one of `addresses`, newest first."""
        ...

    def participants(self, firm_id: str, message_ids: Iterable[str]) -> dict[str, set[str]]:
        """The case-folded addresses that took part in each of these messages."""
        ...
