"""The invitation history of an address, opened from its row's menu in the Contacts
section and from Portal access: each invitation sent, replaced by a newer one, accepted,
newest first, with who sent it; in English and in Dutch."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.data import Firm
from tests.browser.test_contacts_panel import open_account
from tests.browser.test_languages import sign_in_as

ADDRESS = "tom-history@okafor.example"


def invited_twice_and_accepted(firm: Firm, address: str) -> tuple[str, str]:
    account = firm.account("Okafor Family")
    tom = firm.contact("Tom", "Okafor", address)
    email_id = tom["emails"][0]["email_id"]
    firm.link(account, tom["contact_id"])
    firm.toggle(account, email_id, login=True, send_invitation=True)
    assert len(firm.activation_links(address)) == 1  # waits for the invite function
    firm.call("POST", f"/v1/accounts/{account}/emails/{email_id}/invitation", 202)
    assert len(firm.activation_links(address)) == 2
    firm.accept(address)
    return account, email_id


def test_the_rows_menu_shows_every_invitation_newest_first(firm: Firm, new_page, shots) -> None:
    account, email_id = invited_twice_and_accepted(firm, ADDRESS)
    answer = firm.call("GET", f"/v1/accounts/{account}/emails/{email_id}/invitations", 200)
    whats = [line["what"] for line in answer["items"]]

    page = new_page()
    open_account(page, firm.owner_email, "Okafor Family")
    menu_button = page.get_by_role("button", name=f"More for {ADDRESS}")
    menu_button.click()
    page.get_by_role("menuitem", name="Invitation history").click()

    dialog = page.get_by_role("dialog", name="Invitation history")
    expect(dialog.get_by_role("heading", name="Invitation history")).to_be_focused()
    lines = dialog.locator("li.history-line")
    expect(lines).to_have_count(len(whats))
    assert [lines.nth(n).get_attribute("data-what") for n in range(len(whats))] == whats
    expect(lines.first).to_contain_text("Accepted")
    expect(lines.first).to_contain_text(f"by {ADDRESS}")
    sent = dialog.locator('li[data-what="sent"]')
    expect(sent).to_have_count(2)
    expect(sent.first).to_contain_text(f"by {firm.owner_email}")
    expect(dialog.locator('li[data-what="superseded"]')).to_contain_text(
        "Replaced by a newer invitation"
    )
    shots(page, "app-invitation-history")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(menu_button).to_be_focused()


def test_portal_access_opens_the_history_in_dutch(firm: Firm, new_page) -> None:
    address = "tom-history-nl@okafor.example"  # mail outlives a test: its own address
    invited_twice_and_accepted(firm, address)

    page = new_page(locale="nl-NL")
    page.goto("/app#/portal-access")
    sign_in_as(page, firm.owner_email)
    page.get_by_role("button", name=f"Uitnodigingsgeschiedenis van {address}").click()
    dialog = page.get_by_role("dialog", name="Uitnodigingsgeschiedenis")
    expect(dialog.locator("li.history-line").first).to_contain_text("Geaccepteerd")
    expect(dialog.locator('li[data-what="sent"]').first).to_contain_text("Verstuurd")
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_visible()
