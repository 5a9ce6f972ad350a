"""LOGIN through HTTP on the local stack, reading the emails it really sent."""

from __future__ import annotations

from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import (
    PASSWORD,
    invitation_links,
    invite_and_activate,
    new_firm,
    portal_login,
    unique,
)


def invited(api: ApiSession, mail: Mailbox, accounts: int = 1) -> tuple:
    firm = new_firm(api)
    address = f"{unique('ann')}@client.example"
    contact = firm.contact(address)
    email_id = contact["emails"][0]["email_id"]
    ids = [firm.account(f"Account {i}") for i in range(accounts)]
    for account_id in ids:
        firm.link(account_id, contact["contact_id"])
    return firm, address, email_id, ids


def test_login_on_with_send_sends_one_email_with_the_configured_link(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)

    answer = firm.toggle(account_id, email_id, login=True, send_invitation=True)

    assert answer.status_code == 200, answer.text
    assert answer.json()["login_status"] == "invited"
    assert answer.json()["invitation_expires_at"]
    messages = mail.to(address)
    assert len(messages) == 1
    assert f"{stack.api_url}/activate?token=" in messages[0]["text"]
    assert f"{stack.api_url}/activate?token=" in messages[0]["html"]
    assert "Ledger & Co" in messages[0]["from"]
    assert "List-Unsubscribe" not in messages[0]["headers"]


def test_a_spoofed_host_header_does_not_change_the_emailed_link(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)

    firm.patch(
        f"/v1/accounts/{account_id}/emails/{email_id}",
        json={"login": True, "send_invitation": True},
        headers={**firm.auth, "Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )

    (message,) = mail.to(address)
    assert "evil.example" not in message["raw"]
    assert f"{stack.api_url}/activate?token=" in message["text"]


def test_accepting_creates_the_user_who_then_sees_the_account(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    (token,) = invitation_links(mail, address)

    page = api.get(f"/activate?token={token}")
    read = api.get(f"/v1/invitations/{token}")
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})

    assert page.status_code == 200 and "Accept your invitation" in page.text
    assert read.json()["email"] == address and read.json()["existing_user"] is False
    assert accepted.status_code == 200, accepted.text
    assert [a["account_id"] for a in accepted.json()["accounts"]] == [account_id]
    assert firm.row(account_id, email_id)["login_status"] == "active"
    login = portal_login(api, address)
    assert login.status_code == 200
    assert [a["account_id"] for a in login.json()["accounts"]] == [account_id]


def test_opening_the_link_changes_nothing(api: ApiSession, mail: Mailbox) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    (token,) = invitation_links(mail, address)

    for _ in range(3):
        assert api.get(f"/activate?token={token}").status_code == 200
        assert api.get(f"/v1/invitations/{token}").status_code == 200

    assert firm.row(account_id, email_id)["login_status"] == "invited"
    assert api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD}).ok


def test_every_unusable_token_gets_the_same_404(api: ApiSession, mail: Mailbox) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    (used,) = invitation_links(mail, address)
    assert api.post(f"/v1/invitations/{used}/accept", json={"password": PASSWORD}).ok
    firm_id, invitation_id, secret = used.split(".")
    tampered = f"{firm_id}.{invitation_id}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    unusable = {
        "used": used,
        "tampered": tampered,
        "unknown": f"{firm_id}.inv_{'0' * 32}.{secret}",
        "malformed": "not-a-token",
    }

    answers = {name: api.get(f"/v1/invitations/{t}") for name, t in unusable.items()}
    accepts = {
        name: api.post(f"/v1/invitations/{t}/accept", json={"password": PASSWORD})
        for name, t in unusable.items()
    }

    bodies = {a.text for a in [*answers.values(), *accepts.values()]}
    assert {a.status_code for a in [*answers.values(), *accepts.values()]} == {404}
    assert len(bodies) == 1, bodies


def test_resend_kills_the_old_link(api: ApiSession, mail: Mailbox, stack: Stack) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    # the first link must have gone out: an invitation superseded before its event is
    # delivered is, rightly, never sent
    stack.wait_idle()

    again = firm.post(f"/v1/accounts/{account_id}/emails/{email_id}/invitation")

    assert again.status_code == 202, again.text
    first, second = invitation_links(mail, address)
    assert api.get(f"/v1/invitations/{first}").status_code == 404
    assert api.get(f"/v1/invitations/{second}").status_code == 200


def test_changing_the_address_before_acceptance_kills_the_link_and_invites_the_new_one(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    (old,) = invitation_links(mail, address)
    contact_id = firm.get(f"/v1/accounts/{account_id}/contacts").json()["contacts"][0]["contact_id"]
    new_address = f"{unique('ann-new')}@client.example"

    changed = firm.patch(
        f"/v1/contacts/{contact_id}/emails/{email_id}", json={"address": new_address}
    )

    assert changed.status_code == 200, changed.text
    assert api.get(f"/v1/invitations/{old}").status_code == 404
    (new,) = invitation_links(mail, new_address)
    assert api.get(f"/v1/invitations/{new}").json()["email"] == new_address
    assert firm.row(account_id, email_id)["login_status"] == "invited"


def test_login_off_cuts_access_on_the_next_request_with_the_same_token(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    portal = invite_and_activate(api, mail, firm, account_id, email_id, address)
    assert api.get(f"/v1/portal/accounts/{account_id}", headers=portal).status_code == 200

    assert firm.toggle(account_id, email_id, login=False).json()["login_status"] == "off"

    assert api.get(f"/v1/portal/accounts/{account_id}", headers=portal).status_code == 404
    assert api.get("/v1/portal/accounts", headers=portal).json()["items"] == []
    assert firm.get(f"/v1/accounts/{account_id}").status_code == 200  # the account stays


def test_two_accounts_are_listed_after_login_and_the_last_choice_is_remembered(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, address, email_id, (first, second) = invited(api, mail, accounts=2)
    firm.toggle(first, email_id, login=True)
    firm.toggle(second, email_id, login=True, send_invitation=True)
    (token,) = invitation_links(mail, address)

    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})

    assert {a["account_id"] for a in accepted.json()["accounts"]} == {first, second}
    login = portal_login(api, address).json()
    assert {a["account_id"] for a in login["accounts"]} == {first, second}
    assert login["last_account_id"] is None
    portal = {"Authorization": f"Bearer {login['token']}"}
    assert (
        api.put("/v1/portal/last-account", json={"account_id": second}, headers=portal).status_code
        == 200
    )
    assert portal_login(api, address).json()["last_account_id"] == second


def test_an_existing_user_gains_a_second_account_with_their_current_password(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, address, email_id, (first, second) = invited(api, mail, accounts=2)
    firm.toggle(first, email_id, login=True, send_invitation=True)
    (token,) = invitation_links(mail, address)
    api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
    firm.toggle(second, email_id, login=True, send_invitation=True)
    _, token2 = invitation_links(mail, address)

    assert api.get(f"/v1/invitations/{token2}").json()["existing_user"] is True
    wrong = api.post(f"/v1/invitations/{token2}/accept", json={"password": "not my password"})
    right = api.post(f"/v1/invitations/{token2}/accept", json={"password": PASSWORD})

    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    assert right.status_code == 200, right.text
    login = portal_login(api, address).json()
    assert {a["account_id"] for a in login["accounts"]} == {first, second}


def test_wrong_passwords_lock_the_invitation(api: ApiSession, mail: Mailbox) -> None:
    firm, address, email_id, (first, second) = invited(api, mail, accounts=2)
    firm.toggle(first, email_id, login=True, send_invitation=True)
    (token,) = invitation_links(mail, address)
    api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
    firm.toggle(second, email_id, login=True, send_invitation=True)
    _, token2 = invitation_links(mail, address)

    statuses = [
        api.post(f"/v1/invitations/{token2}/accept", json={"password": f"guess {i}"}).status_code
        for i in range(6)
    ]

    assert statuses == [401] * 5 + [429]
    assert (
        api.post(f"/v1/invitations/{token2}/accept", json={"password": PASSWORD}).status_code == 429
    )


def test_an_active_user_whose_address_changes_keeps_access_through_unlinked_emails(
    api: ApiSession, mail: Mailbox
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    portal = invite_and_activate(api, mail, firm, account_id, email_id, address)
    contact_id = firm.get(f"/v1/accounts/{account_id}/contacts").json()["contacts"][0]["contact_id"]

    firm.patch(
        f"/v1/contacts/{contact_id}/emails/{email_id}",
        json={"address": f"{unique('new')}@client.example"},
    )

    section = firm.get(f"/v1/accounts/{account_id}/contacts").json()
    (unlinked,) = section["unlinked_emails"]
    assert unlinked["address"] == address and unlinked["login"] is True
    assert unlinked["login_status"] == "active"
    assert section["contacts"][0]["emails"][0]["login"] is False
    assert api.get(f"/v1/portal/accounts/{account_id}", headers=portal).status_code == 200
    firm.toggle(account_id, unlinked["email_id"], login=False)
    assert firm.get(f"/v1/accounts/{account_id}/contacts").json()["unlinked_emails"] == []
    assert api.get(f"/v1/portal/accounts/{account_id}", headers=portal).status_code == 404


def test_the_same_invitation_event_three_times_sends_one_email(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True)
    firm.post(f"/v1/accounts/{account_id}/emails/{email_id}/invitation")
    assert len(mail.to(address)) == 1
    invitation_id = invitation_links(mail, address)[0].split(".")[1]

    for _ in range(3):
        delivered = api.post(
            "/_local/events",
            json={
                "detail_type": "InvitationRequested",
                "source": "crm.access",
                "detail": {"firm_id": firm.firm_id, "invitation_id": invitation_id},
            },
        )
        assert delivered.status_code == 200, delivered.text

    assert len(mail.to(address)) == 1


def test_staff_join_through_the_same_invitation_machinery(api: ApiSession, mail: Mailbox) -> None:
    firm = new_firm(api)
    address = f"{unique('staff')}@firm.example"

    invited_staff = firm.post("/v1/staff", json={"email": address, "role": "employee"})
    (token,) = invitation_links(mail, address)
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})

    assert invited_staff.status_code == 201 and accepted.status_code == 200
    login = api.post("/v1/staff/login", json={"email": address, "password": PASSWORD})
    assert login.status_code == 200
    staff = {s["email"]: s["status"] for s in firm.get("/v1/staff").json()["items"]}
    assert staff[address] == "active"


def test_expired_invitations_are_unusable(api: ApiSession, mail: Mailbox) -> None:
    firm, address, email_id, (account_id,) = invited(api, mail)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    (token,) = invitation_links(mail, address)

    api.post("/_local/clock", json={"advance_seconds": 8 * 24 * 3600})

    assert api.get(f"/v1/invitations/{token}").status_code == 404
    assert (
        api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD}).status_code == 404
    )
