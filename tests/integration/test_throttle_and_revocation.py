"""Over HTTP on the local stack (issue 9, section 3): a pending invitation ends with its
address on the account; wrong passwords and repeated invitations meet a 429 with
Retry-After, and the product's clock moving past the window lets the right person in.

(The mailbox's refusal of private hosts is tested in tests/unit/test_mailbox_hosts.py,
where no packet can leave: nothing here may send one outside the loopback range.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from local.testing import ApiSession, Mailbox
from tests.integration.flows import (
    PASSWORD,
    Firm,
    invitation_links,
    invite_and_activate,
    new_firm,
    portal_login,
    unique,
)

pytestmark = pytest.mark.integration

LOGIN_WINDOW = 15 * 60
SEND_WINDOW = 10 * 60


def start_of_window(api: ApiSession, seconds: int) -> None:
    """Move the product's clock to the start of a window, so a test's steps share one."""
    now = api.get("/_local/clock").json()["now"]
    epoch = int(datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp())
    moved = api.post("/_local/clock", json={"advance_seconds": seconds - epoch % seconds})
    assert moved.status_code == 200, moved.text


def pass_window(api: ApiSession, seconds: int) -> None:
    assert api.post("/_local/clock", json={"advance_seconds": seconds}).status_code == 200


def assert_throttled(answer: Any, within: int) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(answer.headers["Retry-After"]) <= within


def client_row(firm: Firm) -> tuple[str, str, str, str]:
    """An account with one linked contact: (account_id, contact_id, email_id, address)."""
    account_id = firm.account("Smith family")
    address = f"{unique('ann')}@client.example"
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    return account_id, contact["contact_id"], contact["emails"][0]["email_id"], address


# -------------------------------------------- a pending invitation ends with its row


@pytest.mark.parametrize("how", ["delete the address", "unlink the contact"])
def test_a_pending_invitation_ends_when_its_address_leaves_the_account(
    api: ApiSession, mail: Mailbox, how: str
) -> None:
    firm = new_firm(api)
    account_id, contact_id, email_id, address = client_row(firm)
    answer = firm.toggle(account_id, email_id, login=True, send_invitation=True)
    assert answer.status_code == 200, answer.text
    (token,) = invitation_links(mail, address)
    assert api.get(f"/v1/invitations/{token}").status_code == 200

    if how == "delete the address":
        gone = firm.delete(f"/v1/contacts/{contact_id}/emails/{email_id}")
    else:
        gone = firm.delete(f"/v1/accounts/{account_id}/contacts/{contact_id}")

    assert gone.status_code == 204, gone.text
    read = api.get(f"/v1/invitations/{token}")
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD})
    unknown = api.get(f"/v1/invitations/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}")
    assert read.status_code == accepted.status_code == 404
    assert read.json() == accepted.json() == unknown.json()  # like every unusable token
    audit = firm.get("/v1/audit", params={"account_id": account_id}).json()["items"]
    revoked = [e for e in audit if e["action"] == "invitation_revoked"]
    assert len(revoked) == 1 and revoked[0]["target"] == email_id
    assert revoked[0]["details"]["address"] == address


# ------------------------------------------------------------------- wrong passwords


def test_the_sixth_wrong_staff_login_is_429_until_the_window_passes(api: ApiSession) -> None:
    owner = f"{unique('owner')}@firm.example"
    new_firm(api, owner=owner)
    start_of_window(api, LOGIN_WINDOW)

    wrong = [
        api.post("/v1/staff/login", json={"email": owner, "password": "wrong password"})
        for _ in range(6)
    ]
    right = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD})

    assert [a.status_code for a in wrong[:5]] == [401] * 5
    assert_throttled(wrong[5], LOGIN_WINDOW)
    assert_throttled(right, LOGIN_WINDOW)
    pass_window(api, LOGIN_WINDOW)
    again = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD})
    assert again.status_code == 200, again.text


def test_the_sixth_wrong_portal_login_is_429_until_the_window_passes(
    api: ApiSession, mail: Mailbox
) -> None:
    firm = new_firm(api)
    account_id, _, email_id, address = client_row(firm)
    invite_and_activate(api, mail, firm, account_id, email_id, address)
    start_of_window(api, LOGIN_WINDOW)

    wrong = [portal_login(api, address, "wrong password") for _ in range(6)]
    right = portal_login(api, address)

    assert [a.status_code for a in wrong[:5]] == [401] * 5
    assert_throttled(wrong[5], LOGIN_WINDOW)
    assert_throttled(right, LOGIN_WINDOW)
    pass_window(api, LOGIN_WINDOW)
    assert portal_login(api, address).status_code == 200


# ---------------------------------------------------------- invitations sent again


def test_five_staff_invitations_to_one_address_in_ten_seconds_meet_a_429(
    api: ApiSession,
) -> None:
    """The address is staff at another firm: every invitation answers alike (201), and
    past three in ten minutes, 429."""
    elsewhere = f"{unique('clerk')}@firm.example"
    new_firm(api, "Elsewhere & Co", owner=elsewhere)
    firm = new_firm(api)
    start_of_window(api, SEND_WINDOW)
    body = {"email": elsewhere, "role": "employee", "manage_accounts": False}

    answers = [firm.post("/v1/staff", json=body) for _ in range(5)]

    assert [a.status_code for a in answers[:3]] == [201] * 3
    assert_throttled(answers[3], SEND_WINDOW)
    assert_throttled(answers[4], SEND_WINDOW)


def test_a_client_invitation_sent_again_and_again_meets_a_429(api: ApiSession) -> None:
    firm = new_firm(api)
    account_id, _, email_id, _ = client_row(firm)
    start_of_window(api, SEND_WINDOW)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)

    again = [firm.post(f"/v1/accounts/{account_id}/emails/{email_id}/invitation") for _ in range(4)]

    assert [a.status_code for a in again[:2]] == [202, 202]
    assert_throttled(again[2], SEND_WINDOW)
    assert_throttled(again[3], SEND_WINDOW)
    assert firm.row(account_id, email_id)["login_status"] == "invited"
    pass_window(api, SEND_WINDOW)
    assert firm.post(f"/v1/accounts/{account_id}/emails/{email_id}/invitation").status_code == 202
