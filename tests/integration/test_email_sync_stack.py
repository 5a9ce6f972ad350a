"""EMAIL SYNC through the local stack, over HTTP, against Dovecot: the toggle's event
reaches the sync function through the bus, the schedule runs on demand, attachments
download from the (moto) S3 link, and the reply leaves through SES.

The stack is this module's own (started and stopped here); this file's name sorts
before the other integration modules, whose stack starts after this one has stopped.
"""

from __future__ import annotations

import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest
import requests

from local import Stack
from local.testing import ApiSession
from tests.dovecot import Dovecot
from tests.integration.flows import verify_owner

pytestmark = pytest.mark.integration

CLIENT = "ann.smith@client.example"
PASSWORD = "local-test-password-1"


@pytest.fixture
def sync_stack(stack: Stack) -> Stack:
    """The package's stack: the sync needs nothing of its own (a second stack in the same
    process would share moto's state and find the template's tables already there)."""
    return stack


def mail(sender: str, to: str, subject: str, attachment: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="client.example")
    # written a minute ago: a reply sent from the product in the same second would tie
    # with it (times are to the second) and the thread's order would be a coin toss
    message["Date"] = formatdate(time.time() - 60, usegmt=True)
    message.set_content(f"{subject}: the text")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename="Tax return.pdf")  # fmt: skip
    return message.as_bytes()


def test_email_sync_end_to_end_over_http(sync_stack: Stack, dovecot: Dovecot) -> None:
    user = dovecot.add_user()
    pdf = b"%PDF-1.7 " + bytes(range(256)) * 64
    user.append(mail(CLIENT, user.name, "History", attachment=pdf))
    user.append(mail("someone@else.example", user.name, "Not for us"))
    api = ApiSession(sync_stack.api_url)
    created = api.post("/v1/firms", json={"firm_name": "Ledger & Co",
                                          "owner_email": "owner@sync-stack.example",
                                          "owner_password": PASSWORD})  # fmt: skip
    assert created.status_code == 201, created.text
    verify_owner(api, "owner@sync-stack.example")  # the emailed link: the firm may email
    login = api.post("/v1/staff/login",
                     json={"email": "owner@sync-stack.example", "password": PASSWORD})  # fmt: skip
    api.headers["Authorization"] = f"Bearer {login.json()['token']}"
    account = api.post("/v1/accounts", json={"name": "Smith family", "type": "family"}).json()
    contact = api.post("/v1/contacts", json={"first_name": "Ann", "last_name": "Smith",
                                             "emails": [{"address": CLIENT}]}).json()  # fmt: skip
    api.post(f"/v1/accounts/{account['account_id']}/contacts",
             json={"contact_id": contact["contact_id"]}).raise_for_status()  # fmt: skip
    api.patch("/v1/firm/settings", json={"auto_save_attachments": True}).raise_for_status()

    connected = api.put("/v1/firm/mailbox", json={
        "imap_host": "127.0.0.1", "imap_port": dovecot.port, "username": user.name,
        "password": user.password, "security": "none"})  # fmt: skip
    assert connected.status_code == 200, connected.text
    assert "password" not in connected.json()

    # EMAIL SYNC on: the event goes over the bus to the sync function (history)
    toggled = api.patch(
        f"/v1/accounts/{account['account_id']}/emails/{contact['emails'][0]['email_id']}",
        json={"email_sync": True},
    )
    assert toggled.status_code == 200, toggled.text
    sync_stack.wait_idle()
    assert [i["subject"] for i in api.get("/v1/inbox").json()["items"]] == ["History"]

    # new mail, then the schedule on demand
    user.append(mail(CLIENT, user.name, "New question"))
    assert "sync" in api.get("/_local/stack").json()["schedules"]
    ran = api.post("/_local/schedules/sync")
    assert ran.status_code == 200, ran.text
    tab = api.get(f"/v1/accounts/{account['account_id']}/messages").json()["items"]
    assert sorted(i["subject"] for i in tab) == ["History", "New question"]
    health = api.get("/v1/firm/mailbox").json()
    assert (
        health["status"] == "ok"
        and health["last_sync_at"]
        and health["history"][0]["status"] == "done"
    )

    # the attachment downloads with the same bytes
    (document,) = api.get(f"/v1/accounts/{account['account_id']}/documents").json()["items"]
    link = api.get(f"/v1/documents/{document['document_id']}/download", allow_redirects=False)
    assert link.status_code == 302, link.text
    assert requests.get(link.headers["Location"], timeout=30).content == pdf

    # a reply, with its threading headers, in the sent mail
    question = next(i for i in tab if i["subject"] == "New question")
    original = api.get(f"/v1/messages/{question['message_id']}").json()
    replied = api.post(f"/v1/messages/{question['message_id']}/reply", json={"text": "Thanks!"})
    assert replied.status_code == 202, replied.text
    sent = [m for m in api.get("/_local/mail").json()["items"] if CLIENT in m["to"]]
    assert sent[-1]["subject"] == "Re: New question"
    assert sent[-1]["headers"]["In-Reply-To"] == replied.json()["in_reply_to"]
    assert replied.json()["in_reply_to"] and replied.json()["thread_id"] == original["thread_id"]
    thread = api.get(f"/v1/threads/{original['thread_id']}").json()["items"]
    assert [i["subject"] for i in thread] == ["New question", "Re: New question"]

    # the client sees the same emails and documents in the portal, until LOGIN goes off
    row = f"/v1/accounts/{account['account_id']}/emails/{contact['emails'][0]['email_id']}"
    api.patch(row, json={"login": True, "send_invitation": True}).raise_for_status()
    invitation = next(m for m in api.get("/_local/mail").json()["items"]
                      if CLIENT in m["to"] and "/activate?token=" in m["text"])  # fmt: skip
    token = invitation["text"].split("/activate?token=")[1].split()[0]
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    portal = ApiSession(sync_stack.api_url)
    signed_in = portal.post("/v1/portal/login", json={"email": CLIENT, "password": PASSWORD})
    portal.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
    base = f"/v1/portal/accounts/{account['account_id']}"
    seen = portal.get(f"{base}/messages").json()["items"]
    assert {i["message_id"] for i in seen} == {
        i["message_id"]
        for i in api.get(f"/v1/accounts/{account['account_id']}/messages").json()["items"]
    }
    (shared,) = portal.get(f"{base}/documents").json()["items"]
    fetched = portal.get(f"{base}/documents/{shared['document_id']}/download",
                         allow_redirects=False)  # fmt: skip
    assert fetched.status_code == 302
    assert requests.get(fetched.headers["Location"], timeout=30).content == pdf
    api.patch(row, json={"login": False}).raise_for_status()
    assert portal.get(f"{base}/messages").status_code == 404
    assert portal.get(f"{base}/documents").status_code == 404


def signed_in_firm(api: ApiSession, stack: Stack, owner: str, name: str) -> None:
    """A new firm, its owner's address confirmed, whose owner's token `api` now carries."""
    created = api.post("/v1/firms", json={"firm_name": name, "owner_email": owner,
                                          "owner_password": PASSWORD})  # fmt: skip
    assert created.status_code == 201, created.text
    stack.wait_idle()
    verify_owner(api, owner)
    login = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD})
    api.headers["Authorization"] = f"Bearer {login.json()['token']}"


def test_two_people_on_one_family_account_each_read_only_their_own_mail(
    sync_stack: Stack, dovecot: Dovecot
) -> None:
    """Issue 9, section 4: the firm's correspondence with Bob is not Ann's to read in
    the portal (messages and the documents saved from them), and the other way round."""
    ann, bob = "ann@family.example", "bob@family.example"
    user = dovecot.add_user()
    user.append(mail(ann, user.name, "From Ann"))
    user.append(mail(bob, user.name, "From Bob", attachment=b"%PDF-1.7 Bob's payslip"))
    to_bob = EmailMessage()
    to_bob["From"], to_bob["To"], to_bob["Cc"] = user.name, bob, ann.upper()
    to_bob["Subject"], to_bob["Message-ID"] = "To Bob, Ann in copy", make_msgid()
    to_bob.set_content("For you both")
    user.append(to_bob.as_bytes(), folder="Sent")
    api = ApiSession(sync_stack.api_url)
    signed_in_firm(api, sync_stack, "owner@family-privacy.example", "Privacy & Co")
    account = api.post("/v1/accounts", json={"name": "Smith family", "type": "family"}).json()
    base = f"/v1/accounts/{account['account_id']}"
    rows = {}
    for first, address in (("Ann", ann), ("Bob", bob)):
        contact = api.post("/v1/contacts", json={"first_name": first, "last_name": "Smith",
                                                 "emails": [{"address": address}]}).json()  # fmt: skip
        api.post(f"{base}/contacts", json={"contact_id": contact["contact_id"]}).raise_for_status()
        rows[address] = f"{base}/emails/{contact['emails'][0]['email_id']}"
    api.patch("/v1/firm/settings", json={"auto_save_attachments": True}).raise_for_status()
    connected = api.put("/v1/firm/mailbox", json={
        "imap_host": "127.0.0.1", "imap_port": dovecot.port, "username": user.name,
        "password": user.password, "security": "none"})  # fmt: skip
    assert connected.status_code == 200, connected.text
    for row in rows.values():
        api.patch(row, json={"email_sync": True}).raise_for_status()
    sync_stack.wait_idle()
    assert len(api.get(f"{base}/messages").json()["items"]) == 3  # the firm reads all three

    seen: dict[str, tuple[set[str], set[str]]] = {}
    for address, row in rows.items():
        api.patch(row, json={"login": True, "send_invitation": True}).raise_for_status()
        sync_stack.wait_idle()
        invitation = next(m for m in reversed(api.get("/_local/mail").json()["items"])
                          if address in m["to"] and "/activate?token=" in m["text"])  # fmt: skip
        token = invitation["text"].split("/activate?token=")[1].split()[0]
        accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
        assert accepted.status_code == 200, accepted.text
        portal = ApiSession(sync_stack.api_url)
        signed_in = portal.post("/v1/portal/login", json={"email": address, "password": PASSWORD})
        portal.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
        own = f"/v1/portal/accounts/{account['account_id']}"
        messages = portal.get(f"{own}/messages")
        documents = portal.get(f"{own}/documents")
        assert messages.status_code == documents.status_code == 200, messages.text
        seen[address] = (
            {m["subject"] for m in messages.json()["items"]},
            {d["name"] for d in documents.json()["items"]},
        )

    assert seen[ann] == ({"From Ann", "To Bob, Ann in copy"}, set())
    assert seen[bob] == ({"From Bob", "To Bob, Ann in copy"}, {"Tax return.pdf"})
