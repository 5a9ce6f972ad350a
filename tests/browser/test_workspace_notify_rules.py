"""The rules of notifications in the workspace (issue 14): the firm's locked categories in
its settings, the kinds that are always sent in an address's preferences, and the
warning where nobody would receive an account's notifications, in the Contacts section
and the accounts list; in English and in Dutch."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.data import PASSWORD, Firm
from tests.browser.test_contacts_panel import open_account
from tests.browser.test_portal import sign_in


def sign_in_nl(page: Page, address: str) -> None:
    page.get_by_label("E-mailadres", exact=True).fill(address)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_locked_categories_saved_in_the_firm_settings(firm: Firm, new_page, shots) -> None:
    page = new_page()
    page.goto("/app#/settings/firm")
    sign_in(page, firm.owner_email)
    group = page.get_by_role("region", name="Locked categories")
    expect(group).to_contain_text("Clients cannot turn a locked category off")
    expect(group).to_contain_text("payment confirmations are always sent")
    expect(group.get_by_role("checkbox")).to_have_count(7)

    group.get_by_role("checkbox", name="Invoices and payments").check()
    group.get_by_role("checkbox", name="Proposals").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Settings saved")).to_be_visible()
    assert firm.call("GET", "/v1/firm/settings", 200)["locked_categories"] == [
        "proposals",
        "invoices_and_payments",
    ]
    group.scroll_into_view_if_needed()
    shots(page, "app-settings-locked")

    page.reload()
    group = page.get_by_role("region", name="Locked categories")
    expect(group.get_by_role("checkbox", name="Proposals")).to_be_checked()
    group.get_by_role("checkbox", name="Proposals").uncheck()
    group.get_by_role("checkbox", name="Invoices and payments").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Settings saved")).to_be_visible()
    assert firm.call("GET", "/v1/firm/settings", 200)["locked_categories"] == []


def test_the_preferences_show_what_is_always_sent_and_what_the_firm_locked(
    firm: Firm, new_page
) -> None:
    account = firm.account("Bakker Family")
    person = firm.contact("Eva", "Bakker", "eva@bakker.example")
    firm.link(account, person["contact_id"])
    firm.toggle(account, person["emails"][0]["email_id"], notify=True)
    firm.settings(locked_categories=["proposals"])

    page = new_page()
    open_account(page, firm.owner_email, "Bakker Family")
    page.get_by_role("button", name="More for eva@bakker.example").click()
    page.get_by_role("menuitem", name="Notification preferences").click()
    dialog = page.get_by_role("dialog", name="Notification preferences")

    always = dialog.get_by_role("group", name="Always sent")
    expect(always).to_contain_text("without an unsubscribe link")
    paid = always.get_by_role("switch", name="Payment confirmations")
    expect(paid).to_be_checked()
    expect(paid).to_be_disabled()
    expect(always).to_contain_text("Even with Invoices and payments off.")
    expect(always.get_by_role("switch", name="Invitations to the client portal")).to_be_disabled()
    locked = dialog.get_by_text("Locked by the firm: the client cannot change it")
    expect(locked.locator("visible=true")).to_have_count(1)
    expect(dialog.locator("#pref-locked-proposals")).to_be_visible()
    proposals = dialog.get_by_role("switch", name="Proposals")
    expect(proposals).to_be_enabled()  # staff still change a locked category
    proposals.uncheck()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    assert firm.preferences(account, person["emails"][0]["email_id"])["proposals"] is False


BANNER = """import('/assets/workspace/notify-warning.js')
  .then((module) => module.nobodyNotifiedBanner())
  .then((node) => node && { text: node.textContent, href: node.querySelector('a').getAttribute('href') })"""


def test_the_warning_where_nobody_is_notified(firm: Firm, new_page, shots) -> None:
    silent = firm.account("Visser Holding", "business")
    reached = firm.account("Jansen Family")
    person = firm.contact("Piet", "Visser", "piet@visser.example")
    firm.link(silent, person["contact_id"])
    other = firm.contact("Anna", "Jansen", "anna@jansen.example")
    firm.link(reached, other["contact_id"])
    firm.toggle(reached, other["emails"][0]["email_id"], notify=True)

    page = new_page()
    page.goto("/app")
    sign_in(page, firm.owner_email)
    listed = page.get_by_role("link", name="Visser Holding")
    expect(listed).to_contain_text("Nobody notified")
    # the banner helper A's firm-wide screen shows: one account, linked to the filter
    firm_wide = page.evaluate(BANNER)
    assert firm_wide == {
        "text": "1 account notifies nobody. No address on them has NOTIFY on, so their "
        "notifications, invoices included, reach no one. Show that account",
        "href": "#/accounts?nobody_notified=true",
    }
    expect(page.get_by_role("link", name="Jansen Family")).not_to_contain_text("Nobody notified")

    page.get_by_role("checkbox", name="Only accounts nobody is notified for").check()
    expect(page.get_by_role("link", name="Jansen Family")).to_be_hidden()
    expect(listed).to_be_visible()
    assert page.url.endswith("#/accounts?nobody_notified=true")
    shots(page, "app-accounts-nobody-notified")

    listed.click()
    banner = page.locator("#nobody-notified")
    expect(banner).to_contain_text("Nobody is notified for this account.")
    expect(banner).to_contain_text("Turn NOTIFY on for at least one address below.")
    shots(page, "app-contacts-nobody-notified")
    row = page.get_by_role("group", name="piet@visser.example", exact=True)
    row.get_by_role("switch", name="NOTIFY").check()
    expect(banner).to_be_hidden()
    assert firm.call("GET", f"/v1/accounts/{silent}", 200)["nobody_notified"] is False
    assert page.evaluate(BANNER) is None  # every account reaches someone now


def test_the_rules_in_dutch(firm: Firm, new_page, shots) -> None:
    silent = firm.account("De Vries Holding", "business")
    firm.settings(locked_categories=["organizers"])

    page = new_page(locale="nl-NL")
    page.goto("/app")
    sign_in_nl(page, firm.owner_email)
    listed = page.get_by_role("link", name="De Vries Holding")
    expect(listed).to_contain_text("Geen Verwittigen")
    listed.click()
    expect(page.locator("#nobody-notified")).to_contain_text(
        "Niemand ontvangt de meldingen van dit account."
    )
    assert firm.call("GET", f"/v1/accounts/{silent}", 200)["nobody_notified"] is True

    page.goto("/app#/settings/firm")
    group = page.get_by_role("region", name="Vergrendelde categorieën")
    expect(group).to_contain_text("Klanten kunnen een vergrendelde categorie niet uitzetten")
    expect(group.get_by_role("checkbox", name="Vragenlijsten")).to_be_checked()
    shots(page, "app-settings-locked-nl")
