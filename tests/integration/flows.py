"""Set-up steps the HTTP tests share: a firm with a signed-in owner, accounts, contacts,
invitation links read from the mail the stack really sent."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from local.testing import ApiSession, Mailbox

PASSWORD = "correct horse battery staple"
LINK = re.compile(r"https?://\S+/activate\?token=([A-Za-z0-9._-]+)")
VERIFY_LINK = re.compile(r"https?://\S+/verify\?token=([A-Za-z0-9._-]+)")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Firm:
    api: ApiSession
    token: str
    firm_id: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.api.get(path, headers={**self.auth, **kw.pop("headers", {})}, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.api.post(path, headers={**self.auth, **kw.pop("headers", {})}, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.api.patch(path, headers={**self.auth, **kw.pop("headers", {})}, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.api.put(path, headers={**self.auth, **kw.pop("headers", {})}, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.api.delete(path, headers={**self.auth, **kw.pop("headers", {})}, **kw)

    def account(self, name: str) -> str:
        answer = self.post("/v1/accounts", json={"name": name, "type": "family"})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["account_id"])

    def contact(self, *addresses: str, first: str = "Ann") -> dict[str, Any]:
        answer = self.post(
            "/v1/contacts",
            json={
                "first_name": first,
                "last_name": "Smith",
                "emails": [{"address": a} for a in addresses],
            },
        )
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    def link(self, account_id: str, contact_id: str) -> None:
        answer = self.post(f"/v1/accounts/{account_id}/contacts", json={"contact_id": contact_id})
        assert answer.status_code == 201, answer.text

    def toggle(self, account_id: str, email_id: str, **changes: Any) -> Any:
        return self.patch(f"/v1/accounts/{account_id}/emails/{email_id}", json=changes)

    def row(self, account_id: str, email_id: str) -> dict[str, Any]:
        section = self.get(f"/v1/accounts/{account_id}/contacts").json()
        rows = [r for c in section["contacts"] for r in c["emails"]] + section["unlinked_emails"]
        return next(r for r in rows if r["email_id"] == email_id)


def new_firm(
    api: ApiSession, name: str = "Ledger & Co", *, verified: bool = True, owner: str = ""
) -> Firm:
    """A firm and its signed-in owner. `verified` (the default): the owner confirms the
    address as a person would, with the link of the email the stack sent."""
    owner = owner or f"{unique('owner')}@firm.example"
    created = api.post(
        "/v1/firms", json={"firm_name": name, "owner_email": owner, "owner_password": PASSWORD}
    )
    assert created.status_code == 201, created.text
    if verified:
        verify_owner(api, owner)
    login = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return Firm(api, login.json()["token"], created.json()["firm_id"])


def verification_links(mail: Mailbox, address: str) -> list[str]:
    """Every confirmation token mailed to `address`, oldest first."""
    found = []
    for message in mail.to(address):
        match = VERIFY_LINK.search(message["text"] or "")
        if match:
            found.append(match.group(1))
    return found


def verify_owner(api: ApiSession, owner: str) -> None:
    """Post the token of the newest confirmation email to `owner`."""
    token = verification_links(Mailbox(api), owner)[-1]
    answer = api.post("/v1/firms/verify", json={"token": token})
    assert answer.status_code == 200, answer.text


def invitation_links(mail: Mailbox, address: str) -> list[str]:
    """Every activation token mailed to `address`, oldest first."""
    found = []
    for message in mail.to(address):
        match = LINK.search(message["text"] or "")
        if match:
            found.append(match.group(1))
    return found


def portal_login(api: ApiSession, address: str, password: str = PASSWORD) -> Any:
    return api.post("/v1/portal/login", json={"email": address, "password": password})


def invite_and_activate(
    api: ApiSession, mail: Mailbox, firm: Firm, account_id: str, email_id: str, address: str
) -> dict[str, str]:
    """LOGIN on with the invitation, accepted with PASSWORD; the portal's auth header."""
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    token = invitation_links(mail, address)[-1]
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    return {"Authorization": f"Bearer {portal_login(api, address).json()['token']}"}
