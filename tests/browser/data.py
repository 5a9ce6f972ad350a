"""Test data for the browser tests, set up through the public API over HTTP (requests),
as a firm's staff and its clients would: a firm and its owner, accounts, contacts,
toggles, and the invitation links read from the mail the stack sent."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from local.testing import ApiSession, Mailbox
from tests.dovecot import ImapUser

PASSWORD = "a-long-test-password"
ACTIVATION_LINK = re.compile(r"https?://[^\s\"'<>]+/activate\?token=[A-Za-z0-9._~-]+")
VERIFY_LINK = re.compile(r"https?://[^\s\"'<>]+/verify\?token=([A-Za-z0-9._~-]+)")


def stable_key(text: str) -> str:
    """A short key that is the same on every run: screenshots do not change for nothing."""
    return hashlib.sha256(text.encode()).hexdigest()[:6]


@dataclass
class Firm:
    """A firm created through the API, with its owner signed in."""

    api: ApiSession
    name: str
    owner_email: str
    token: str
    mail: Mailbox = field(init=False)

    def __post_init__(self) -> None:
        self.mail = Mailbox(self.api)

    def call(self, method: str, path: str, expected: int, **kwargs: Any) -> Any:
        answer = self.api.request(
            method, path, headers={"Authorization": f"Bearer {self.token}"}, **kwargs
        )
        assert answer.status_code == expected, (
            f"{method} {path}: {answer.status_code} {answer.text}"
        )
        return answer.json() if answer.content else None

    def account(self, name: str, kind: str = "family") -> str:
        return str(
            self.call("POST", "/v1/accounts", 201, json={"name": name, "type": kind})["account_id"]
        )

    def contact(self, first: str, last: str, *addresses: str) -> dict[str, Any]:
        body = {
            "first_name": first,
            "last_name": last,
            "emails": [{"address": a} for a in addresses],
        }
        return dict(self.call("POST", "/v1/contacts", 201, json=body))

    def link(self, account_id: str, contact_id: str) -> None:
        self.call(
            "POST", f"/v1/accounts/{account_id}/contacts", 201, json={"contact_id": contact_id}
        )

    def toggle(self, account_id: str, email_id: str, **changes: bool) -> dict[str, Any]:
        return dict(
            self.call("PATCH", f"/v1/accounts/{account_id}/emails/{email_id}", 200, json=changes)
        )

    def row(self, account_id: str, email_id: str) -> dict[str, Any]:
        section = self.call("GET", f"/v1/accounts/{account_id}/contacts", 200)
        rows = [r for c in section["contacts"] for r in c["emails"]] + section["unlinked_emails"]
        return next(r for r in rows if r["email_id"] == email_id)

    def preferences(self, account_id: str, email_id: str) -> dict[str, bool]:
        """The category switches (the answer's `required` and `locked_categories` left out)."""
        path = f"/v1/accounts/{account_id}/emails/{email_id}/notification-preferences"
        answer = self.call("GET", path, 200)
        return {name: on for name, on in answer.items() if isinstance(on, bool)}

    def activation_links(self, address: str) -> list[str]:
        """Every activation link mailed to ``address``, oldest first."""
        return [
            link
            for message in self.mail.to(address)
            for link in ACTIVATION_LINK.findall(message["text"] or "")
        ]

    def accept(self, address: str, password: str = PASSWORD) -> None:
        """The newest invitation to ``address`` accepted through the API."""
        token = self.activation_links(address)[-1].rsplit("token=", 1)[1]
        answer = self.api.post(f"/v1/invitations/{token}/accept", json={"password": password})
        assert answer.status_code == 200, answer.text

    @property
    def firm_id(self) -> str:
        """From the owner's token (read, not verified: the API verified it)."""
        part = self.token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        return str(claims["custom:firm_id"])

    def connect_mailbox(self, user: ImapUser) -> None:
        body = {
            "imap_host": "127.0.0.1",
            "imap_port": user.server.port,
            "username": user.name,
            "password": user.password,
            "security": "none",
        }
        self.call("PUT", "/v1/firm/mailbox", 200, json=body)

    def settings(self, **changes: Any) -> dict[str, Any]:
        return dict(self.call("PATCH", "/v1/firm/settings", 200, json=changes))

    def publish(self, account_id: str, detail_type: str, event_id: str, title: str) -> None:
        """An event of another service on the bus (the local stack's route)."""
        detail = {
            "firm_id": self.firm_id,
            "account_id": account_id,
            "event_id": event_id,
            "title": title,
        }
        body = {"detail_type": detail_type, "detail": detail, "source": "platform.test"}
        answer = self.api.post("/_local/events", json=body)
        assert answer.status_code == 200 and not answer.json()["failed_entry_count"], answer.text

    def staff_member(self, role: str, manage_accounts: bool) -> str:
        """A staff member invited and activated; answers their address (password PASSWORD)."""
        address = self.owner_email.replace("owner-", f"{role}-")
        body = {"email": address, "role": role, "manage_accounts": manage_accounts}
        self.call("POST", "/v1/staff", 201, json=body)
        self.accept(address)
        return address


def new_firm(api: ApiSession, key: str, name: str = "Ledger & Co") -> Firm:
    """A firm whose owner is owner-<key>@ledger.example: one key per test (addresses of
    staff, and of clients who activate, are unique across the stack)."""
    owner = f"owner-{key}@ledger.example"
    body = {"firm_name": name, "owner_email": owner, "owner_password": PASSWORD}
    created = api.post("/v1/firms", json=body)
    assert created.status_code == 201, created.text
    # the owner confirms the address with the emailed link, as a person would
    tokens = [
        token
        for message in Mailbox(api).to(owner)
        for token in VERIFY_LINK.findall(message["text"] or "")
    ]
    verified = api.post("/v1/firms/verify", json={"token": tokens[-1]})
    assert verified.status_code == 200, verified.text
    login = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return Firm(api, name, owner, login.json()["token"])


def email(
    sender: str,
    to: str,
    subject: str,
    text: str,
    *,
    html: str | None = None,
    attachment: tuple[str, bytes] | None = None,
    minutes_ago: int = 60,
) -> bytes:
    """A message as a client's mail program writes it, dated `minutes_ago` (times are to
    the second: a reply sent from the product must not tie with it)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="client.example")
    message["Date"] = formatdate(time.time() - minutes_ago * 60, usegmt=True)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        name, content = attachment
        message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes()
