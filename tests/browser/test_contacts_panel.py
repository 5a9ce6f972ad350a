"""The staff Contacts panel, and the client on the other side: LOGIN on with the "send
now?" dialog, the invitation mailed, activation on /activate, the portal, LOGIN off seen by
the client's open page; notification preferences; controls a role may not use."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.data import PASSWORD, Firm
from tests.browser.test_portal import sign_in

CATEGORIES = [
    "Documents, uploads",
    "Documents, signature requests",
    "Documents, approvals",
    "Chats and client tasks",
    "Proposals",
    "Organizers",
    "Invoices and payments",
]


def re_start(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text))


def open_account(page: Page, email: str, account_name: str) -> None:
    page.goto("/app")
    sign_in(page, email)
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    page.get_by_role("link", name=account_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(account_name)


def test_login_on_invitation_activation_portal_and_login_off_seen_by_the_open_page(
    firm: Firm, new_page, shots
) -> None:
    home = "maria@home.example"
    work = "maria@rivera-design.example"
    family = firm.account("Rivera Family")
    business = firm.account("Rivera Design", "business")
    maria = firm.contact("Maria", "Rivera", home, work)
    home_id = maria["emails"][0]["email_id"]
    for account in (family, business):
        firm.link(account, maria["contact_id"])
    firm.toggle(business, home_id, login=True)  # on, not invited: activation opens it too

    staff = new_page()
    staff.goto("/app")
    expect(staff.get_by_role("heading", name="Staff sign in")).to_be_visible()
    shots(staff, "app-login")
    sign_in(staff, firm.owner_email)
    expect(staff.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    expect(staff.get_by_role("link", name="Rivera Family")).to_be_visible()
    shots(staff, "app-accounts")
    staff.get_by_role("link", name="Rivera Family").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Rivera Family")
    tabs = staff.get_by_role("navigation", name="Account sections")
    expect(tabs.get_by_role("link", name="Info")).to_have_attribute("aria-current", "page")

    row = staff.get_by_role("group", name=home)
    login = row.get_by_role("switch", name=f"LOGIN for {home}")
    expect(login).not_to_be_checked()
    expect(row).to_contain_text("No portal login")
    expect(staff.get_by_role("heading", name="Unlinked emails")).to_be_visible()

    # LOGIN on asks whether to send the invitation now. From the keyboard: Space asks,
    # Escape cancels (nothing changes) and gives focus back to the switch.
    dialog = staff.get_by_role("dialog", name="Send the invitation now?")
    login.focus()
    staff.keyboard.press("Space")
    expect(dialog).to_be_visible()
    staff.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(login).not_to_be_checked()
    expect(login).to_be_focused()

    # Send sends it.
    login.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"LOGIN will be on for {home} on Rivera Family")
    expect(dialog.get_by_role("button", name="Send", exact=True)).to_be_focused()
    expect(login).not_to_be_checked()  # nothing changes before the answer
    shots(staff, "app-send-dialog")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(login).to_be_checked()
    expect(login).to_be_focused()
    expect(row).to_contain_text("Invited until")
    expect(row.get_by_role("button", name=f"Resend invitation to {home}")).to_be_visible()

    # Later turns LOGIN on without mail; the row then offers to send it.
    work_row = staff.get_by_role("group", name=work)
    work_row.get_by_role("switch", name=f"LOGIN for {work}").click()
    dialog.get_by_role("button", name="Later").click()
    expect(work_row).to_contain_text("Not invited")
    assert firm.activation_links(work) == []
    work_row.get_by_role("button", name=f"Send invitation to {work}").click()
    expect(work_row).to_contain_text("Invited until")
    assert len(firm.activation_links(work)) == 1

    # The invitation arrives; the client activates on the /activate page.
    (link,) = firm.activation_links(home)
    client = new_page()
    client.goto(link)
    expect(client.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    client.get_by_label("Choose a password").fill(PASSWORD)
    client.get_by_label("Repeat the password").fill(PASSWORD)
    client.get_by_role("button", name="Accept and continue").click()

    # She lands signed in, in the portal, where both accounts are open to her.
    expect(client).to_have_url(f"{firm.api.base_url}/portal")
    picker = client.get_by_role("dialog", name="Choose an account")
    expect(picker.get_by_role("radio")).to_have_count(2)
    picker.get_by_role("radio", name="Rivera Family").check()
    picker.get_by_role("button", name="Open account").click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Rivera Family")
    staff.reload()
    expect(row).to_contain_text("Active")
    expect(work_row).to_contain_text("Invited until")
    shots(staff, "app-account")

    # Staff turn LOGIN off, once they confirm what she loses; the client's open page
    # shows it on her next click.
    login.click()
    confirm = staff.get_by_role("dialog", name="Turn LOGIN off?")
    expect(confirm).to_contain_text(
        f"Maria ({home}) can no longer open Rivera Family in the portal."
    )
    expect(login).to_be_checked()  # nothing changes before the answer
    confirm.get_by_role("button", name="Turn LOGIN off").click()
    expect(confirm).to_be_hidden()
    expect(login).not_to_be_checked()
    expect(row).to_contain_text("No portal login")
    client.get_by_role("navigation", name="Portal").get_by_role("link", name="Documents").click()
    expect(picker).to_be_visible()
    lost = (
        "You no longer have access to Rivera Family. "
        "Your firm has turned off your portal login for this account."
    )
    expect(picker.get_by_text(lost)).to_be_visible()
    expect(picker).to_have_accessible_description(re_start(lost))
    expect(picker.get_by_role("radio")).to_have_count(1)
    expect(picker.get_by_role("radio", name="Rivera Design")).to_be_checked()
    shots(client, "portal-no-access")
    picker.get_by_role("button", name="Open account").click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Rivera Design")


def test_notification_preferences_saved_in_the_dialog_show_in_the_api(
    firm: Firm, new_page, shots
) -> None:
    address = "tom@okafor.example"
    account = firm.account("Okafor Family")
    tom = firm.contact("Tom", "Okafor", address)
    email_id = tom["emails"][0]["email_id"]
    firm.link(account, tom["contact_id"])
    firm.toggle(account, email_id, notify=True)

    page = new_page()
    open_account(page, firm.owner_email, "Okafor Family")
    menu_button = page.get_by_role("button", name=f"More for {address}")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    menu_button.focus()
    page.keyboard.press("Enter")  # the menu opens on its first item
    item = page.get_by_role("menuitem", name="Notification preferences")
    expect(item).to_be_focused()
    page.keyboard.press("Escape")
    expect(item).to_be_hidden()
    expect(menu_button).to_be_focused()
    menu_button.click()
    item.click()

    dialog = page.get_by_role("dialog", name="Notification preferences")
    expect(dialog).to_be_visible()
    for name in CATEGORIES:
        expect(dialog.get_by_role("switch", name=name)).to_be_checked()
        expect(dialog.get_by_role("switch", name=name)).to_be_enabled()
    dialog.get_by_role("switch", name="Proposals").uncheck()
    dialog.get_by_role("switch", name="Organizers").uncheck()
    shots(page, "app-preferences")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(menu_button).to_be_focused()

    saved = firm.preferences(account, email_id)
    assert saved == {
        "documents_uploads": True,
        "documents_signatures": True,
        "documents_approvals": True,
        "chats_and_tasks": True,
        "proposals": False,
        "organizers": False,
        "invoices_and_payments": True,
    }

    # Opened again, the dialog shows what the API holds; Cancel changes nothing.
    menu_button.click()
    item.click()
    expect(dialog.get_by_role("switch", name="Proposals")).not_to_be_checked()
    dialog.get_by_role("switch", name="Documents, uploads").uncheck()
    dialog.get_by_role("button", name="Cancel").click()
    assert firm.preferences(account, email_id) == saved


def test_an_employee_without_manage_accounts_reads_but_every_control_says_why_it_is_off(
    firm: Firm, new_page
) -> None:
    address = "sam@lee-holdings.example"
    account = firm.account("Lee Holdings", "business")
    lee = firm.contact("Sam", "Lee", address)
    firm.link(account, lee["contact_id"])
    firm.toggle(account, lee["emails"][0]["email_id"], login=True)
    employee = firm.staff_member("employee", manage_accounts=False)

    page = new_page()
    open_account(page, employee, "Lee Holdings")
    expect(page.get_by_text(f"{employee} · Employee (read only)")).to_be_visible()
    reason = page.get_by_text("You can read these settings but not change them")
    expect(reason).to_be_visible()
    row = page.get_by_role("group", name=address)
    for label in ("LOGIN", "NOTIFY", "EMAIL SYNC"):
        switch = row.get_by_role("switch", name=f"{label} for {address}")
        expect(switch).to_be_disabled()
        expect(switch).to_have_accessible_description(reason.inner_text())
    expect(row.get_by_role("switch", name=f"LOGIN for {address}")).to_be_checked()
    expect(row.get_by_role("button", name=f"Send invitation to {address}")).to_be_disabled()

    # Reading the preferences is allowed; saving them is not, and the dialog says why.
    row.get_by_role("button", name=f"More for {address}").click()
    page.get_by_role("menuitem", name="Notification preferences").click()
    dialog = page.get_by_role("dialog", name="Notification preferences")
    expect(dialog.get_by_role("switch", name="Proposals")).to_be_checked()
    expect(dialog.get_by_role("switch", name="Proposals")).to_be_disabled()
    expect(dialog.get_by_role("button", name="Save")).to_be_disabled()
    expect(dialog).to_contain_text("You can read these settings but not change them")


def test_an_address_replaced_after_activation_shows_as_unlinked_until_login_is_off(
    firm: Firm, new_page
) -> None:
    old = "ana@old.example"
    new = "ana@new.example"
    account = firm.account("Silva Family")
    ana = firm.contact("Ana", "Silva", old)
    old_id = ana["emails"][0]["email_id"]
    firm.link(account, ana["contact_id"])
    firm.toggle(account, old_id, login=True, send_invitation=True)
    firm.accept(old)
    path = f"/v1/contacts/{ana['contact_id']}/emails/{old_id}"
    firm.call("PATCH", path, 200, json={"address": new})

    page = new_page()
    open_account(page, firm.owner_email, "Silva Family")
    unlinked = page.get_by_role("region", name="Unlinked emails")
    row = unlinked.get_by_role("group", name=old)
    expect(row).to_contain_text("Active")
    expect(
        page.get_by_role("group", name="Ana Silva").get_by_role("group", name=new)
    ).to_contain_text("No portal login")
    row.get_by_role("switch", name=f"LOGIN for {old}").click()
    page.get_by_role("dialog", name="Turn LOGIN off?").get_by_role(
        "button", name="Turn LOGIN off"
    ).click()
    expect(row).to_be_hidden()
    expect(unlinked).to_contain_text(
        "None: every address with LOGIN on belongs to a linked contact."
    )
    expect(page.get_by_role("heading", name="Unlinked emails")).to_be_focused()
    section = firm.call("GET", f"/v1/accounts/{account}/contacts", 200)
    assert section["unlinked_emails"] == []
