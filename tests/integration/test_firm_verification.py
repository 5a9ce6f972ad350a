"""A new firm proves its owner's address, over HTTP on the local stack, reading the mail
it really sent (API.md, "A new firm proves its owner's address"; issue 9, section 2)."""

from __future__ import annotations

from typing import Any

from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import (
    PASSWORD,
    Firm,
    invitation_links,
    new_firm,
    unique,
    verification_links,
)


def unverified_firm(api: ApiSession) -> tuple[Firm, str]:
    owner = f"{unique('owner')}@firm.example"
    return new_firm(api, verified=False, owner=owner), owner


def client_row(firm: Firm, address: str) -> tuple[str, str]:
    account_id = firm.account("Smith family")
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    return account_id, contact["emails"][0]["email_id"]


def refused(answer: Any, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code


def test_the_owner_verifies_the_firm_with_the_emailed_link(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    firm, owner = unverified_firm(api)
    (message,) = mail.to(owner)
    assert f"{stack.api_url}/verify?token=" in message["text"]
    (token,) = verification_links(mail, owner)
    assert firm.get("/v1/firm/settings").json()["verified"] is False

    page = api.get(f"/verify?token={token}")
    script = api.get("/assets/verify.js")
    verified = api.post("/v1/firms/verify", json={"token": token})
    again = api.post("/v1/firms/verify", json={"token": token})

    assert page.status_code == 200 and "Confirm your address" in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert script.status_code == 200 and "/v1/firms/verify" in script.text
    assert verified.status_code == 200, verified.text
    assert verified.json() == {"verified": True, "firm_name": "Ledger & Co"}
    refused(again, 404, "verification_not_found")
    assert firm.get("/v1/firm/settings").json()["verified"] is True


def test_a_spoofed_host_header_does_not_change_the_emailed_link(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    owner = f"{unique('owner')}@firm.example"

    api.post(
        "/v1/firms",
        json={"firm_name": "Ledger & Co", "owner_email": owner, "owner_password": PASSWORD},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )

    (message,) = mail.to(owner)
    assert "evil.example" not in message["raw"]
    assert f"{stack.api_url}/verify?token=" in message["text"]


def test_until_verified_the_firm_emails_nobody_but_its_owner(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, owner = unverified_firm(api)
    client = f"{unique('ann')}@client.example"
    account_id, email_id = client_row(firm, client)
    row = f"/v1/accounts/{account_id}/emails/{email_id}"

    staff = firm.post("/v1/staff", json={"email": f"{unique('s')}@firm.example", "role": "admin"})
    invited = firm.patch(row, json={"login": True, "send_invitation": True})
    login_on = firm.patch(row, json={"login": True, "notify": True})  # everything else works
    resend = firm.post(f"{row}/invitation")
    event = api.post(
        "/_local/events",
        json={
            "detail_type": "InvoiceIssued",
            "detail": {
                "firm_id": firm.firm_id,
                "account_id": account_id,
                "event_id": unique("inv"),
                "title": "Invoice #1",
            },
        },
    )

    refused(staff, 403, "firm_not_verified")
    refused(invited, 403, "firm_not_verified")
    assert login_on.status_code == 200 and login_on.json()["login_status"] == "not_invited"
    refused(resend, 403, "firm_not_verified")
    assert event.status_code < 300, event.text
    assert mail.to(client) == []
    assert [m["subject"] for m in mail.all() if owner not in m["to"] and client in m["to"]] == []
    deliveries = firm.get(f"/v1/accounts/{account_id}/notifications").json()["items"]
    assert [(d["address"], d["status"], d["reason"]) for d in deliveries] == [
        (client, "skipped", "firm_not_verified")
    ]
    staff_list = firm.get("/v1/staff").json()["items"]
    assert [s["email"] for s in staff_list] == [owner]


def test_the_owner_asks_for_the_link_again_and_only_the_newest_works(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, owner = unverified_firm(api)
    (old,) = verification_links(mail, owner)

    too_soon = firm.post("/v1/firm/verification")
    api.post("/_local/clock", json={"advance_seconds": 301}).raise_for_status()
    again = firm.post("/v1/firm/verification")

    refused(too_soon, 429, "verification_recently_sent")
    assert again.status_code == 202, again.text
    assert again.json()["sent_to"] == owner
    old_token, new = verification_links(mail, owner)
    assert old_token == old
    refused(api.post("/v1/firms/verify", json={"token": old}), 404, "verification_not_found")
    assert api.post("/v1/firms/verify", json={"token": new}).status_code == 200
    refused(firm.post("/v1/firm/verification"), 409, "already_verified")


def test_once_verified_the_firm_invites_its_client(api: ApiSession, mail: Mailbox) -> None:
    firm, owner = unverified_firm(api)
    client = f"{unique('ann')}@client.example"
    account_id, email_id = client_row(firm, client)
    (token,) = verification_links(mail, owner)
    assert api.post("/v1/firms/verify", json={"token": token}).status_code == 200

    answer = firm.toggle(account_id, email_id, login=True, send_invitation=True)

    assert answer.status_code == 200, answer.text
    assert len(invitation_links(mail, client)) == 1


# ------------------------------------------ answers that tell nothing of staff


def test_signing_up_with_a_staff_address_answers_201_and_tells_that_address_only(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, owner = unverified_firm(api)
    body = {"firm_name": "Copycat", "owner_email": owner.upper(), "owner_password": PASSWORD}
    before = len(mail.to(owner))

    answer = api.post("/v1/firms", json=body)
    second = api.post("/v1/firms", json=body)

    assert answer.status_code == second.status_code == 201, answer.text
    assert set(answer.json()) == {"firm_id", "staff_id"}
    assert answer.json()["firm_id"] != firm.firm_id
    notices = mail.to(owner)[before:]
    assert len(notices) == 1  # at most one an hour per address
    assert "tried to create a firm" in notices[0]["subject"]
    assert "/verify?token=" not in notices[0]["text"]
    login = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD})
    assert login.json()["firm_id"] == firm.firm_id


def test_inviting_an_address_that_is_staff_elsewhere_looks_like_any_invitation(
    api: ApiSession, mail: Mailbox
) -> None:
    first, taken = unverified_firm(api)
    other = new_firm(api, "Other firm")
    fresh = f"{unique('fresh')}@firm.example"

    answer = other.post("/v1/staff", json={"email": taken, "role": "employee"})
    normal = other.post("/v1/staff", json={"email": fresh, "role": "employee"})

    assert answer.status_code == normal.status_code == 201, answer.text
    assert set(answer.json()) == set(normal.json())
    assert answer.json()["status"] == normal.json()["status"] == "invited"
    notice = [m for m in mail.to(taken) if "Other firm" in m["subject"]]
    assert len(notice) == 1
    assert "already has a staff login" in notice[0]["text"]
    assert invitation_links(mail, taken) == []
    assert len(invitation_links(mail, fresh)) == 1
    staff = {s["email"]: s["status"] for s in other.get("/v1/staff").json()["items"]}
    assert staff[taken] == staff[fresh] == "invited"
    login = api.post("/v1/staff/login", json={"email": taken, "password": PASSWORD})
    assert login.json()["firm_id"] == first.firm_id
