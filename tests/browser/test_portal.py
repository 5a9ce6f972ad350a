"""The client portal: sign-in, the account picker, the notice naming the account, switching."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.data import PASSWORD, Firm


def sign_in(page: Page, address: str, password: str = PASSWORD) -> None:
    page.get_by_label("Email", exact=True).fill(address)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def client_with_two_accounts(
    firm: Firm, address: str = "jane@smith.example", *, accept: bool = True
) -> tuple[str, str, str]:
    """A client whose one address has LOGIN on two accounts, invited and (unless
    `accept` is false) activated: (address, a, b). An address activates once per stack:
    each test uses its own."""
    family = firm.account("Smith Family")
    business = firm.account("Smith Design Ltd", "business")
    contact = firm.contact("Jane", "Smith", address)
    email_id = contact["emails"][0]["email_id"]
    for account in (family, business):
        firm.link(account, contact["contact_id"])
        firm.toggle(account, email_id, login=True, notify=True)
    firm.toggle(family, email_id, send_invitation=True, login=True)
    if accept:
        firm.accept(address)  # accepting links every account where LOGIN is on
    return address, family, business


def test_a_client_with_two_accounts_picks_one_sees_the_notice_closes_it_and_switches(
    firm: Firm, new_page, shots
) -> None:
    address, _, _ = client_with_two_accounts(firm)
    page = new_page()
    page.goto("/portal")
    expect(page.get_by_role("heading", name="Sign in to your client portal")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    shots(page, "portal-login")

    page.get_by_label("Email", exact=True).fill(address)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The email address or password is not correct.")

    sign_in(page, address)
    picker = page.get_by_role("dialog", name="Choose an account")
    expect(picker).to_be_visible()
    expect(picker.get_by_role("radio")).to_have_count(2)
    # By name; nothing picked before: the first is selected, and focused.
    expect(picker.get_by_role("radio").first).to_have_accessible_name("Smith Design Ltd")
    expect(picker.get_by_role("radio", name="Smith Design Ltd")).to_be_checked()
    expect(picker.get_by_role("radio", name="Smith Design Ltd")).to_be_focused()
    # nothing synced yet: nothing is new (test_portal_account.py shows the counts)
    expect(picker.get_by_role("radio", name="Smith Family")).to_have_accessible_description(
        "Nothing new"
    )

    page.keyboard.press("ArrowDown")  # radios: arrows move the choice
    expect(picker.get_by_role("radio", name="Smith Family")).to_be_checked()
    page.keyboard.press("ArrowUp")
    picker.get_by_role("button", name="Open account").click()
    expect(picker).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Design Ltd")
    notice = page.get_by_role("region", name="Current account")
    expect(notice.get_by_role("paragraph")).to_have_text("You are in Smith Design Ltd.")
    expect(notice.get_by_role("button", name="Switch account")).to_be_visible()
    sidebar = page.get_by_role("navigation", name="Portal")
    # once on the screen: in the notice while it shows, in the sidebar once it is closed
    expect(sidebar.get_by_role("button", name="Switch account")).to_be_hidden()
    expect(page.get_by_role("heading", name="Emails")).to_be_visible()
    expect(page.get_by_text("No documents to show yet")).to_be_visible()

    notice.get_by_role("button", name="Close this notice").click()
    expect(notice).to_be_hidden()
    expect(sidebar.get_by_role("button", name="Switch account")).to_be_focused()

    # The notice stays closed until the next login, through a reload too.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Design Ltd")
    expect(notice).to_be_hidden()

    sidebar.get_by_role("button", name="Switch account").click()
    expect(picker).to_be_visible()
    expect(picker.get_by_role("radio", name="Smith Design Ltd")).to_be_checked()
    picker.get_by_role("radio", name="Smith Family").check()
    picker.get_by_role("button", name="Open account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Family")
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()  # the notice is closed
    expect(notice).to_be_hidden()

    # A new login shows the notice again and offers the account picked last.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, address)
    expect(picker.get_by_role("radio", name="Smith Family")).to_be_checked()
    picker.get_by_role("button", name="Open account").click()
    expect(notice).to_contain_text("You are in Smith Family.")

    # The switch link beside the notice reopens the picker too; Escape keeps the account.
    notice.get_by_role("button", name="Switch account").click()
    expect(picker).to_be_visible()
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    expect(notice.get_by_role("button", name="Switch account")).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Family")
