"""The rules of the portal side of LOGIN.

A portal user is the identity's immutable `sub` (from the token the gateway verified),
never an address or any other attribute the user could rewrite in the identity provider.
Access is checked on every request against the grant written under that sub when the
user activated, and deleted when LOGIN went off: losing access takes effect on the very
next request, with the same token.

Inside an account, a user reads only the synced mail exchanged with their own address
(the one their access hangs on), and only the documents that came from that mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crm.core.directory import AccountRef
from crm.core.documents import Document, DocumentPage
from crm.core.mail import AccountMail, MessagePage
from crm.errors import NotFound, Unauthorized
from crm.integrations.files import FileStore
from crm.integrations.identity import UserPool
from crm.portal import store
from crm.portal.models import Grant, PortalAccount, PortalAccounts, PortalLogin, PortalSession
from crm.storage import documents

NO_ACCESS = "You do not have access to this account."
NO_DOCUMENT = "This document does not exist."
PAGE = 50
DOCUMENT_ROUNDS = 5  # document queries per page at most; a short page carries a cursor


@dataclass(frozen=True)
class PortalUser:
    sub: str


@dataclass
class PortalService:
    portal_pool: UserPool
    files: FileStore
    mail: AccountMail  # the synced mail, through the core's interface (crm.sync.page_store)

    def login(self, request: PortalLogin) -> PortalSession:
        session = self.portal_pool.sign_in(request.email, request.password)
        user = portal_user(session.claims)  # the accounts of whoever actually signed in
        accounts, last = store.accounts(user.sub)
        return PortalSession(
            token=session.token,
            expires_in=session.expires_in,
            accounts=accounts,
            last_account_id=_still_open(last, accounts),
        )

    def accounts(self, user: PortalUser) -> PortalAccounts:
        accounts, last = store.accounts(user.sub)
        return PortalAccounts(items=accounts, last_account_id=_still_open(last, accounts))

    def account(self, user: PortalUser, account_id: str) -> PortalAccount:
        return self._grant(user, account_id).account

    def messages(self, user: PortalUser, account_id: str, cursor: str | None) -> MessagePage:
        """The account's synced mail exchanged with the user's own address, newest
        first; other accounts a message is also shown on are not named."""
        grant = self._grant(user, account_id)
        account = grant.account
        found = self.mail.exchanged_with(account.firm_id, account_id, [grant.address], cursor, PAGE)
        this = [AccountRef(account_id=account_id, name=account.name)]
        return MessagePage(
            items=[m.model_copy(update={"accounts": this}) for m in found.items],
            next_cursor=found.next_cursor,
        )

    def documents(self, user: PortalUser, account_id: str, cursor: str | None) -> DocumentPage:
        """The account's documents, newest first, without those saved from mail the user
        did not take part in (one batch read of those messages' addresses per round)."""
        grant = self._grant(user, account_id)
        firm_id = grant.account.firm_id
        shown: list[Document] = []
        for _ in range(DOCUMENT_ROUNDS):
            found = documents.list_documents(firm_id, account_id, cursor, PAGE - len(shown))
            shown += _theirs(self.mail, firm_id, grant.address, found.items)
            cursor = found.next_cursor
            if cursor is None or len(shown) == PAGE:
                break
        return DocumentPage(items=shown, next_cursor=cursor)

    def download_link(self, user: PortalUser, account_id: str, document_id: str) -> str:
        grant = self._grant(user, account_id)
        firm_id = grant.account.firm_id
        document = documents.get(firm_id, document_id)
        if document.account_id != account_id or not _theirs(
            self.mail, firm_id, grant.address, [document]
        ):
            raise NotFound(NO_DOCUMENT)
        return self.files.download_link(document.s3_key, document.name, document.content_type)

    def choose(self, user: PortalUser, account_id: str) -> PortalAccount:
        """Remember the account the user picked, for the picker at the next login."""
        account = self.account(user, account_id)
        store.remember(user.sub, account_id)
        return account

    def _grant(self, user: PortalUser, account_id: str) -> Grant:
        grant = store.granted(user.sub, account_id)
        if grant is None:
            raise NotFound(NO_ACCESS, code="no_access")
        return grant


def portal_user(claims: Mapping[str, object]) -> PortalUser:
    """Who a portal request comes from: the ID token's `sub`. The email claim is not
    read at all: it names an attribute, not the user."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or claims.get("token_use") != "id":
        raise Unauthorized("This token does not belong to a portal user.")
    return PortalUser(sub=sub)


def _theirs[D: Document](mail: AccountMail, firm_id: str, address: str, found: list[D]) -> list[D]:
    """The documents the user may see: those that came from no message, and those
    from a message exchanged with `address`."""
    wanted = {d.message_id for d in found if d.message_id}
    people = mail.participants(firm_id, wanted) if wanted else {}
    mine = address.strip().casefold()
    return [d for d in found if not d.message_id or mine in people.get(d.message_id, set())]


def _still_open(last: str | None, accounts: list[PortalAccount]) -> str | None:
    return last if any(a.account_id == last for a in accounts) else None
