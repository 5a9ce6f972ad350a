"""The "this was not me" page of the new-device notice, in Chromium: what happened, a
button that ends every session, and the answer; in English and in Dutch."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.data import PASSWORD, Firm, stable_key

SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
NOT_ME = re.compile(r"https?://\S+(/v1/portal/not-me\?token=[A-Za-z0-9_.%-]+)")


def notice_link(firm: Firm, key: str) -> tuple[str, str]:
    """A client activated (through the API), then signed in from an iPhone: the path of
    the notice's link and the token of the session opened before."""
    address = f"ann-{stable_key(key)}@client.example"
    contact = firm.contact("Ann", "Smith", address)
    account_id = firm.account("Smith family")
    firm.link(account_id, contact["contact_id"])
    firm.toggle(account_id, contact["emails"][0]["email_id"], login=True, send_invitation=True)
    firm.accept(address)
    body = {"email": address, "password": PASSWORD}
    before = firm.api.post("/v1/portal/login", json=body)
    assert before.status_code == 200, before.text
    assert firm.api.post("/v1/portal/login", json=body, headers={"User-Agent": SAFARI}).ok
    links = [m for message in firm.mail.to(address) for m in NOT_ME.findall(message["text"])]
    assert len(links) == 1
    return links[0], before.json()["token"]


def test_the_page_asks_then_ends_every_session(
    firm: Firm, new_page: Callable[..., Page], shots: Callable[[Page, str], None]
) -> None:
    link, session = notice_link(firm, "not me en")
    page = new_page()

    page.goto(link)
    expect(page.get_by_role("heading", name="Was this sign-in not you?")).to_be_visible()
    expect(page.get_by_text("Safari on iOS")).to_be_visible()
    shots(page, "not-me-question")
    page.get_by_role("button", name="End every session").click()

    expect(page.get_by_role("heading", name="Everyone has been signed out")).to_be_visible()
    expect(page.get_by_text("Contact Ledger & Co")).to_be_visible()
    shots(page, "not-me-done")
    old = firm.api.get("/v1/portal/accounts", headers={"Authorization": f"Bearer {session}"})
    assert old.status_code == 401


def test_the_page_speaks_dutch_to_a_dutch_firms_client(
    firm: Firm, new_page: Callable[..., Page]
) -> None:
    firm.settings(language="nl")
    link, _ = notice_link(firm, "not me nl")
    page = new_page(locale="nl-NL")

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Hebt u niet zelf ingelogd?")).to_be_visible()
    expect(page.get_by_text("Safari op iOS")).to_be_visible()
    page.get_by_role("button", name="Alle sessies beëindigen").click()

    expect(page.get_by_role("heading", name="Iedereen is uitgelogd")).to_be_visible()


def test_a_broken_link_shows_a_clear_page(new_page: Callable[..., Page]) -> None:
    page = new_page()

    answer = page.goto("/v1/portal/not-me?token=not-a-token")

    assert answer is not None and answer.status == 400
    expect(page.get_by_role("heading", name="This link is not valid")).to_be_visible()
