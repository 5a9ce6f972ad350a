"""No layout jump while loading: with the API slowed down, the placeholders the pages draw
first have the size of what replaces them. Measured as the browser does (Layout Instability
API, the Cumulative Layout Shift of Core Web Vitals), shifts right after input excluded."""

from __future__ import annotations

import time

from playwright.sync_api import Page, Route, expect

from tests.browser.data import Firm
from tests.browser.test_portal import sign_in

# Layout shifts since the page loaded (buffered), those caused by input left out.
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({ type: 'layout-shift', buffered: true });
"""
# Half of what Core Web Vitals calls good (0.1): the Info tab drawn without its placeholder
# rows measures about 0.1, with them about 0.02 (the contacts take less room than 3 rows).
MAX_SHIFT = 0.05
API_DELAY_SECONDS = 0.7  # longer than the 500 ms after input that shifts are forgiven


def slow_api(page: Page) -> None:
    def delayed(route: Route) -> None:
        time.sleep(API_DELAY_SECONDS)
        route.continue_()

    page.route("**/v1/**", delayed)


def layout_shift(page: Page) -> float:
    page.wait_for_timeout(300)  # late shifts, if any
    return float(page.evaluate("window.__shifts.reduce((sum, value) => sum + value, 0)"))


def test_the_pages_keep_their_layout_while_the_api_answers(firm: Firm, new_page) -> None:
    address = "kim@park.example"
    account = firm.account("Kim Family")
    kim = firm.contact("Kim", "Park", address, "kim@park-studio.example")
    lee = firm.contact("Lee", "Park", "lee@park.example")
    for contact in (kim, lee):
        firm.link(account, contact["contact_id"])
    firm.toggle(account, kim["emails"][0]["email_id"], login=True, send_invitation=True)
    firm.accept(address)

    staff = new_page()
    staff.add_init_script(OBSERVE_SHIFTS)
    staff.goto("/app")
    sign_in(staff, firm.owner_email)
    expect(staff.get_by_role("link", name="Kim Family")).to_be_visible()
    slow_api(staff)
    staff.reload()  # the accounts list, drawn from placeholders
    expect(staff.get_by_role("link", name="Kim Family")).to_be_visible()
    assert layout_shift(staff) < MAX_SHIFT
    staff.goto(f"/app#/accounts/{account}")
    staff.reload()  # the account's Info tab, from placeholders
    expect(staff.get_by_role("group", name=address)).to_be_visible()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Kim Family")
    assert layout_shift(staff) < MAX_SHIFT

    client = new_page()
    client.add_init_script(OBSERVE_SHIFTS)
    client.goto("/portal")
    sign_in(client, address)
    expect(client.get_by_role("heading", level=1)).to_have_text("Kim Family")
    slow_api(client)
    client.reload()  # the account, from placeholders
    expect(client.get_by_role("heading", level=1)).to_have_text("Kim Family")
    assert layout_shift(client) < MAX_SHIFT
