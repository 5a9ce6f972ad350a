"""Sign-in from a new device over HTTP on the local stack: two sign-ins with different
browsers, one security notice in the mail, its "this was not me" link followed, and the
old session refused afterwards."""

from __future__ import annotations

import re

from local.testing import ApiSession, Mailbox
from tests.integration.flows import (
    PASSWORD,
    invitation_links,
    new_firm,
    unique,
)

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
NOT_ME = re.compile(r"(https?://\S+)(/v1/portal/not-me\?token=[A-Za-z0-9_.%-]+)")


def sign_in(api: ApiSession, address: str, agent: str) -> str:
    answer = api.post(
        "/v1/portal/login",
        json={"email": address, "password": PASSWORD},
        headers={"User-Agent": agent},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def test_a_new_device_is_announced_once_and_not_me_ends_the_old_session(
    api: ApiSession, mail: Mailbox
) -> None:
    firm = new_firm(api)
    address = f"{unique('ann')}@client.example"
    contact = firm.contact(address)
    email_id = contact["emails"][0]["email_id"]
    account_id = firm.account("Smith family")
    firm.link(account_id, contact["contact_id"])
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    token = invitation_links(mail, address)[-1]
    accepted = api.post(
        f"/v1/invitations/{token}/accept",
        json={"password": PASSWORD},
        headers={"User-Agent": FIREFOX},
    )
    assert accepted.status_code == 200, accepted.text

    mine = sign_in(api, address, FIREFOX)  # the device she activated on: nothing
    sign_in(api, address, SAFARI)  # a new one: one notice
    sign_in(api, address, SAFARI)  # known from now on

    notices = [m for m in mail.to(address) if "new device" in m["subject"]]
    assert len(notices) == 1
    (notice,) = notices
    assert "Safari on iOS" in notice["text"]
    assert "List-Unsubscribe" not in notice["headers"]
    found = NOT_ME.search(notice["text"])
    assert found, notice["text"]
    link = found.group(2)
    mine_auth = {"Authorization": f"Bearer {mine}"}
    assert api.get("/v1/portal/accounts", headers=mine_auth).status_code == 200

    page = api.get(link)
    assert page.status_code == 200
    assert "End every session" in page.text
    assert (
        api.get("/v1/portal/accounts", headers=mine_auth).status_code == 200
    )  # GET changed nothing

    done = api.post(link)
    assert done.status_code == 200
    assert "Everyone has been signed out" in done.text

    refused = api.get("/v1/portal/accounts", headers=mine_auth)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "session_ended"
    opened = api.get(f"/v1/portal/accounts/{account_id}", headers=mine_auth)
    assert opened.status_code == 401
    assert api.post(link).status_code == 200  # twice is harmless
