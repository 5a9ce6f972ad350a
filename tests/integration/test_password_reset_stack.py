""" "Forgot your password?" over HTTP on the local stack: the same answer for a stranger's
address, one email with a link on the portal's URL, the page of the link served like the
portal's, the new password set once, the old session refused and the new password
signing in."""

from __future__ import annotations

import re
import time

from local.testing import ApiSession, Mailbox
from tests.integration.flows import PASSWORD, invitation_links, new_firm, unique

RESET = re.compile(r"(https?://\S+)/reset\?token=([A-Za-z0-9_.-]+)")
NEW_PASSWORD = "a brand new pass phrase"


def sign_in(api: ApiSession, address: str, password: str) -> str:
    answer = api.post("/v1/portal/login", json={"email": address, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def test_a_client_resets_a_forgotten_password_once(api: ApiSession, mail: Mailbox) -> None:
    firm = new_firm(api)
    address = f"{unique('ann')}@client.example"
    contact = firm.contact(address)
    email_id = contact["emails"][0]["email_id"]
    account_id = firm.account("Smith family")
    firm.link(account_id, contact["contact_id"])
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    token = invitation_links(mail, address)[-1]
    assert api.post(f"/v1/invitations/{token}/accept", json={"password": PASSWORD}).ok
    session = {"Authorization": f"Bearer {sign_in(api, address, PASSWORD)}"}

    stranger = api.post("/v1/portal/password-reset", json={"email": unique("x") + "@no.example"})
    asked = api.post("/v1/portal/password-reset", json={"email": address})

    assert stranger.status_code == asked.status_code == 202
    assert stranger.json() == asked.json()
    resets = [m for m in mail.to(address) if RESET.search(m["text"])]
    assert len(resets) == 1
    (email,) = resets
    assert "List-Unsubscribe" not in email["headers"]
    found = RESET.search(email["text"])
    assert found is not None
    base, secret = found.group(1), found.group(2)
    assert base == api.base_url.rstrip("/")  # locally PORTAL_URL is the stack's own URL

    page = api.get(f"/reset?token={secret}")
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assert "/assets/reset.js" in page.text
    assert api.get(f"/v1/portal/password-reset/{secret}").json()["valid"] is True

    done = api.post(f"/v1/portal/password-reset/{secret}", json={"password": NEW_PASSWORD})
    assert done.status_code == 200, done.text

    again = api.post(f"/v1/portal/password-reset/{secret}", json={"password": NEW_PASSWORD})
    assert (again.status_code, again.json()["error"]["code"]) == (410, "link_used")
    refused = api.get("/v1/portal/accounts", headers=session)
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "session_ended")
    old = api.post("/v1/portal/login", json={"email": address, "password": PASSWORD})
    assert old.status_code == 401
    time.sleep(1.05)  # the cut-off is the reset's second
    fresh = {"Authorization": f"Bearer {sign_in(api, address, NEW_PASSWORD)}"}
    assert api.get("/v1/portal/accounts", headers=fresh).status_code == 200
