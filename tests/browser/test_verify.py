"""The /verify page of a new firm's confirmation link, in Chromium: its script is a file of
the pages' origin (no inline script), and pressing its button verifies the firm."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from local.testing import ApiSession, Mailbox
from tests.browser.data import PASSWORD, VERIFY_LINK, stable_key


def test_the_owner_confirms_the_address_on_the_page(
    api: ApiSession, new_page: Callable[[], Page], shots: Callable[[Page, str], None]
) -> None:
    owner = f"owner-{stable_key('verify page')}@ledger.example"
    body = {"firm_name": "Ledger & Co", "owner_email": owner, "owner_password": PASSWORD}
    assert api.post("/v1/firms", json=body).status_code == 201
    [token] = [t for m in Mailbox(api).to(owner) for t in VERIFY_LINK.findall(m["text"] or "")]
    page = new_page()

    page.goto(f"/verify?token={token}")
    expect(page.get_by_role("heading", name="Confirm your address")).to_be_visible()
    shots(page, "verify-page")
    page.get_by_role("button", name="Confirm my address").click()

    expect(page.get_by_role("heading", name="Address confirmed")).to_be_focused()
    shots(page, "verify-done")
    login = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD}).json()
    settings = api.get("/v1/firm/settings", headers={"Authorization": f"Bearer {login['token']}"})
    assert settings.json()["verified"] is True


def test_a_used_link_shows_that_it_cannot_be_used(
    api: ApiSession, new_page: Callable[[], Page]
) -> None:
    page = new_page()

    page.goto("/verify?token=not-a-token")

    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
