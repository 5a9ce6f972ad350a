"""The rules of the portal side of LOGIN.

Access is checked on every request against the grant written when the user activated
and deleted when LOGIN went off: losing access takes effect on the very next request,
with the same token.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.documents import store as documents
from crm.documents.models import DocumentPage
from crm.errors import NotFound, Unauthorized
from crm.integrations.files import FileStore
from crm.integrations.identity import UserPool
from crm.portal import store
from crm.portal.models import PortalAccount, PortalAccounts, PortalLogin, PortalSession
from crm.storage import keys
from crm.sync import store as mail
from crm.sync.models import MessagePage

NO_ACCESS = "You do not have access to this account."
PAGE = 50


@dataclass(frozen=True)
class PortalUser:
    address: str


@dataclass
class PortalService:
    portal_pool: UserPool
    files: FileStore

    def login(self, request: PortalLogin) -> PortalSession:
        session = self.portal_pool.sign_in(request.email, request.password)
        accounts, last = store.accounts(request.email)
        return PortalSession(
            token=session.token,
            expires_in=session.expires_in,
            accounts=accounts,
            last_account_id=_still_open(last, accounts),
        )

    def accounts(self, user: PortalUser) -> PortalAccounts:
        accounts, last = store.accounts(user.address)
        return PortalAccounts(items=accounts, last_account_id=_still_open(last, accounts))

    def account(self, user: PortalUser, account_id: str) -> PortalAccount:
        account = store.granted(user.address, account_id)
        if account is None:
            raise NotFound(NO_ACCESS, code="no_access")
        return account

    def messages(self, user: PortalUser, account_id: str, cursor: str | None) -> MessagePage:
        """The account's email tab, as the firm's staff see it (synced mail only)."""
        account = self.account(user, account_id)
        return mail.page(keys.account_mail(account.firm_id, account_id), cursor, PAGE)

    def documents(self, user: PortalUser, account_id: str, cursor: str | None) -> DocumentPage:
        account = self.account(user, account_id)
        return documents.list_documents(account.firm_id, account_id, cursor, PAGE)

    def download_link(self, user: PortalUser, account_id: str, document_id: str) -> str:
        account = self.account(user, account_id)
        document = documents.get(account.firm_id, document_id)
        if document.account_id != account_id:
            raise NotFound("This document does not exist.")
        return self.files.download_link(document.s3_key, document.name, document.content_type)

    def choose(self, user: PortalUser, account_id: str) -> PortalAccount:
        """Remember the account the user picked, for the picker at the next login."""
        account = self.account(user, account_id)
        store.remember(user.address, account_id)
        return account


def portal_user(claims: dict[str, object]) -> PortalUser:
    address = claims.get("email")
    if not isinstance(address, str) or not address or claims.get("token_use") != "id":
        raise Unauthorized("This token does not belong to a portal user.")
    return PortalUser(address=address)


def _still_open(last: str | None, accounts: list[PortalAccount]) -> str | None:
    return last if any(a.account_id == last for a in accounts) else None
