from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from crm.core.fields import EmailAddress, RequestModel


class PortalAccount(BaseModel):
    account_id: str
    name: str
    firm_id: str
    firm_name: str


class Grant(BaseModel):
    """A portal user's access to one account, as stored: the account, and the address
    the access hangs on (the user's own address at that firm)."""

    account: PortalAccount
    address: str


class PortalLogin(RequestModel):
    email: EmailAddress
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PortalSession(BaseModel):
    token: str
    expires_in: int
    accounts: list[PortalAccount]
    last_account_id: str | None


class PortalAccounts(BaseModel):
    items: list[PortalAccount]
    last_account_id: str | None


class ChooseAccount(RequestModel):
    account_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
