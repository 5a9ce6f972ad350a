"""The rules of the portal side of LOGIN.

A portal user is the identity's immutable `sub` (from the token the gateway verified),
never an address or any other attribute the user could rewrite in the identity provider.
Access is checked on every request against the grant written under that sub when the
user activated, and deleted when LOGIN went off: losing access takes effect on the very
next request, with the same token.

Inside an account, a user reads only the synced mail exchanged with their own address
(the one their access hangs on), and only the documents that came from that mail.

The picker says what needs attention: per account, the documents and messages that
arrived since the user last opened it (opening is reading the account), counted with a
few bounded reads per account.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from crm import clock
from crm.core.devices import UNKNOWN, Device, Place, SignIn
from crm.core.directory import AccountRef
from crm.core.documents import Document, DocumentPage, DownloadLink
from crm.core.firms import FirmSettings
from crm.core.mail import AccountMail, MessagePage
from crm.errors import NotFound, Unauthorized
from crm.i18n import supported
from crm.integrations.files import DOWNLOAD_SECONDS, FileStore
from crm.integrations.identity import UserPool, username
from crm.portal import devices, store
from crm.portal.models import (
    AccountAttention,
    FirmContact,
    Grant,
    OpenedAccount,
    PortalAccount,
    PortalAccounts,
    PortalLogin,
    PortalMessage,
    PortalSession,
    ReaderLanguage,
)
from crm.storage import access, directory, documents, firms

NO_ACCESS = "You do not have access to this account."
NO_DOCUMENT = "This document does not exist."
NO_MESSAGE = "This message does not exist."
SESSION_ENDED = "This session was ended; sign in again."
PAGE = 50
DOCUMENT_ROUNDS = 5  # document queries per page at most; a short page carries a cursor


@dataclass(frozen=True)
class PortalUser:
    sub: str
    signed_in_at: int | None = None  # the token's auth_time: when its session began


@dataclass
class PortalService:
    portal_pool: UserPool
    files: FileStore
    mail: AccountMail  # the synced mail, through the core's interface (crm.sync.page_store)

    def login(
        self, request: PortalLogin, device: Device | None = None, place: Place | None = None
    ) -> PortalSession:
        """Sign in; the device is recognised and the sign-in recorded on the user's rows
        (crm.portal.devices): a device the user never used before is announced by email."""
        session = self.portal_pool.sign_in(request.email, request.password)
        user = portal_user(session.claims)  # the accounts of whoever actually signed in
        state, grants = store.attention(user.sub)
        last = _still_open(state.last_account_id, state.accounts)
        first = next((g for g in grants if g.account.account_id == last), None) or next(
            iter(grants), None
        )
        sign_in = SignIn(
            device=device or Device(browser=UNKNOWN, system=UNKNOWN),
            place=place or Place(),
            at=clock.iso(),
        )
        devices.recognise(user.sub, username(request.email), sign_in, state.devices, grants, first)
        return PortalSession(
            token=session.token,
            expires_in=session.expires_in,
            accounts=state.accounts,
            last_account_id=last,
            **(_reader(first).model_dump() if first else {}),
        )

    def accounts(self, user: PortalUser) -> PortalAccounts:
        """The accounts the user may open, each with what arrived since they last opened
        it: one query of the user's partition, then per account one query of its mail,
        one of its documents and, when new documents came from mail, one batch read of
        those messages' addresses."""
        state, grants = store.attention(user.sub)
        if any(g.refuses(user.signed_in_at) for g in grants):
            raise Unauthorized(SESSION_ENDED, code="session_ended")
        items = []
        for grant in grants:
            account = grant.account
            since = state.opened.get(account.account_id)
            new_messages = store.new_messages(
                account.firm_id, account.account_id, grant.address, since
            )
            new_documents = self._new_documents(grant, since)
            items.append(
                AccountAttention(
                    **account.model_dump(), new_documents=new_documents, new_messages=new_messages
                )
            )
        last = _still_open(state.last_account_id, state.accounts)
        return PortalAccounts(items=items, last_account_id=last)

    def account(self, user: PortalUser, account_id: str) -> OpenedAccount:
        """Open an account: the account and its firm's contact details; from now on the
        picker counts only what arrives after this moment."""
        grant = self._grant(user, account_id)
        account = grant.account
        settings = firms.get_settings(account.firm_id)
        store.mark_opened(user.sub, account_id, clock.iso())
        firm = FirmContact(
            name=account.firm_name,
            contact_email=settings.contact_email or None,
            contact_phone=settings.contact_phone or None,
            address=settings.address or None,
            website=settings.website or None,
        )
        reader = _reader(grant, settings)
        return OpenedAccount(**account.model_dump(), **reader.model_dump(), firm=firm)

    def messages(
        self, user: PortalUser, account_id: str, cursor: str | None, limit: int = PAGE
    ) -> MessagePage:
        """The account's synced mail exchanged with the user's own address, newest
        first; other accounts a message is also shown on are not named."""
        grant = self._grant(user, account_id)
        account = grant.account
        found = self.mail.exchanged_with(
            account.firm_id, account_id, [grant.address], cursor, limit
        )
        this = [AccountRef(account_id=account_id, name=account.name)]
        return MessagePage(
            items=[m.model_copy(update={"accounts": this}) for m in found.items],
            next_cursor=found.next_cursor,
        )

    def message(self, user: PortalUser, account_id: str, message_id: str) -> PortalMessage:
        """One message of the account exchanged with the user's own address, in full;
        any other (another account's, someone else's, none) is the same 404."""
        grant = self._grant(user, account_id)
        account = grant.account
        stored = store.message(account.firm_id, message_id)
        mine = grant.address.strip().casefold()
        if (
            stored is None
            or not any(a.account_id == account_id for a in stored.accounts)
            or mine not in {p.address.casefold() for p in stored.from_ + stored.to + stored.cc}
        ):
            raise NotFound(NO_MESSAGE, code="message_not_found")
        text, html = stored.text, stored.html
        if stored.body_key is not None:  # too large for its item: the body is in S3
            body = json.loads(self.files.get_bytes(stored.body_key))
            text, html = str(body.get("text", "")), str(body.get("html", ""))
        return PortalMessage.model_validate(
            {
                **stored.model_dump(exclude={"body_key"}),
                "text": text,
                "html": html,
                "accounts": [AccountRef(account_id=account_id, name=account.name)],
            }
        )

    def documents(
        self, user: PortalUser, account_id: str, cursor: str | None, limit: int = PAGE
    ) -> DocumentPage:
        """The account's documents, newest first, without those saved from mail the user
        did not take part in (one batch read of those messages' addresses per round)."""
        grant = self._grant(user, account_id)
        firm_id = grant.account.firm_id
        shown: list[Document] = []
        for _ in range(DOCUMENT_ROUNDS):
            found = documents.list_documents(firm_id, account_id, cursor, limit - len(shown))
            shown += _theirs(self.mail, firm_id, grant.address, found.items)
            cursor = found.next_cursor
            if cursor is None or len(shown) == limit:
                break
        return DocumentPage(items=shown, next_cursor=cursor)

    def download_link(self, user: PortalUser, account_id: str, document_id: str) -> DownloadLink:
        grant = self._grant(user, account_id)
        firm_id = grant.account.firm_id
        document = documents.get(firm_id, document_id)
        if document.account_id != account_id or not _theirs(
            self.mail, firm_id, grant.address, [document]
        ):
            raise NotFound(NO_DOCUMENT, words="error-no-document")
        expires_at = clock.iso(clock.now() + timedelta(seconds=DOWNLOAD_SECONDS))
        url = self.files.download_link(
            document.s3_key, document.name, document.content_type, DOWNLOAD_SECONDS
        )
        return DownloadLink(url=url, expires_at=expires_at)

    def choose(self, user: PortalUser, account_id: str) -> PortalAccount:
        """Remember the account the user picked, for the picker at the next login."""
        account = self._grant(user, account_id).account
        store.remember(user.sub, account_id)
        return account

    def _new_documents(self, grant: Grant, since: str | None) -> int:
        """The documents saved since `since` that this user may read."""
        account = grant.account
        sources = store.new_documents(account.firm_id, account.account_id, since)
        wanted = {m for m in sources if m}
        people = self.mail.participants(account.firm_id, wanted) if wanted else {}
        mine = grant.address.strip().casefold()
        return sum(1 for m in sources if not m or mine in people.get(m, set()))

    def _grant(self, user: PortalUser, account_id: str) -> Grant:
        grant = store.granted(user.sub, account_id)
        if grant is None:
            raise NotFound(NO_ACCESS, code="no_access")
        if grant.refuses(user.signed_in_at):  # "this was not me" ended this session
            raise Unauthorized(SESSION_ENDED, code="session_ended")
        return grant


def portal_user(claims: Mapping[str, object]) -> PortalUser:
    """Who a portal request comes from: the ID token's `sub`. The email claim is not
    read at all: it names an attribute, not the user."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or claims.get("token_use") != "id":
        raise Unauthorized(
            "This token does not belong to a portal user.", words="error-portal-token"
        )
    began = str(claims.get("auth_time") or claims.get("iat") or "")
    return PortalUser(sub=sub, signed_in_at=int(began) if began.isdigit() else None)


def _theirs[D: Document](mail: AccountMail, firm_id: str, address: str, found: list[D]) -> list[D]:
    """The documents the user may see: those that came from no message, and those
    from a message exchanged with `address`."""
    wanted = {d.message_id for d in found if d.message_id}
    people = mail.participants(firm_id, wanted) if wanted else {}
    mine = address.strip().casefold()
    return [d for d in found if not d.message_id or mine in people.get(d.message_id, set())]


def _reader(grant: Grant, settings: FirmSettings | None = None) -> ReaderLanguage:
    """The language of the contact whose address the access hangs on, else the firm's;
    the firm's form of address and time zone (a read of the access row and the contact,
    and of the firm's settings unless given)."""
    account = grant.account
    settings = settings or firms.get_settings(account.firm_id)
    try:
        contact_id = access.get(account.firm_id, account.account_id, grant.email_id).contact_id
    except NotFound:  # LOGIN went off a moment ago: the next request answers 404
        contact_id = ""
    own = (
        directory.contact_languages(account.firm_id, [contact_id]).get(contact_id)
        if contact_id
        else None
    )
    return ReaderLanguage(
        language=supported(own) or settings.language,  # type: ignore[arg-type]
        form_of_address=settings.form_of_address,
        time_zone=settings.time_zone,
    )


def _still_open(last: str | None, accounts: list[PortalAccount]) -> str | None:
    return last if any(a.account_id == last for a in accounts) else None
