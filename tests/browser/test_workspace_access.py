"""The Contacts section of an account's Info tab, beyond its switches: linking a contact
(search, pick) and unlinking one, LOGIN off only once confirmed (saying what the person
loses), resending with a visible confirmation and the time of the last invitation, LOGIN
back on for a portal user (access restored without a new password), EMAIL SYNC without a
mailbox, and a category the client turned off through an unsubscribe link."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from local import Stack
from tests.browser.data import Firm
from tests.browser.test_contacts_panel import open_account

JANE = "jane@doe.example"
UNSUBSCRIBE = re.compile(r"<(https?://[^>]+/v1/unsubscribe\?token=[^>]+)>")


def linked_jane(firm: Firm) -> tuple[str, str, str]:
    """Smith Family with Jane Doe linked: (account_id, contact_id, email_id)."""
    account = firm.account("Smith Family")
    jane = firm.contact("Jane", "Doe", JANE)
    firm.link(account, jane["contact_id"])
    return account, jane["contact_id"], jane["emails"][0]["email_id"]


def row_of(page: Page, address: str) -> Locator:
    return page.get_by_role("group", name=address, exact=True)


def test_link_a_contact_found_by_search_then_unlink_it_once_confirmed(
    firm: Firm, new_page, shots
) -> None:
    account = firm.account("Smith Family")
    ann = firm.contact("Ann", "Smith", "ann@smith.example")
    firm.link(account, ann["contact_id"])
    jane = firm.contact("Jane", "Doe", JANE, "jane@work.example")
    firm.contact("John", "Roe", "john@roe.example")

    page = new_page()
    open_account(page, firm.owner_email, "Smith Family")
    page.get_by_role("button", name="Link a contact").click()
    dialog = page.get_by_role("dialog", name="Link a contact")
    expect(dialog.get_by_label("Search contacts")).to_be_focused()
    expect(dialog.get_by_role("radio")).to_have_count(3)
    expect(dialog.get_by_role("radio", name=re.compile("^Ann Smith"))).to_be_disabled()
    expect(dialog).to_contain_text("already linked")
    dialog.get_by_label("Search contacts").fill("jane")
    expect(dialog.get_by_role("radio")).to_have_count(1)
    expect(dialog.get_by_role("status")).to_have_text("1 contact found.")
    dialog.get_by_role("button", name="Link").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose the contact to link.")
    dialog.get_by_role("radio", name=re.compile("^Jane Doe")).check()
    shots(page, "app-link-dialog")
    dialog.get_by_role("button", name="Link").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("group", name="Jane Doe")).to_be_visible()
    expect(row_of(page, "jane@work.example")).to_contain_text("No portal login")
    section = firm.call("GET", f"/v1/accounts/{account}/contacts", 200)
    assert {c["contact_id"] for c in section["contacts"]} == {
        ann["contact_id"],
        jane["contact_id"],
    }

    # Unlinking asks first; Cancel changes nothing; Unlink removes the contact.
    page.get_by_role("button", name="Unlink Jane Doe").click()
    confirm = page.get_by_role("dialog", name="Unlink Jane Doe?")
    expect(confirm).to_contain_text(
        "Jane Doe will no longer be a contact of Smith Family: notifications and email sync "
        "stop for their addresses here."
    )
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    shots(page, "app-unlink-dialog")
    confirm.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("group", name="Jane Doe")).to_be_visible()
    page.get_by_role("button", name="Unlink Jane Doe").click()
    confirm.get_by_role("button", name="Unlink").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_role("group", name="Jane Doe")).to_be_hidden()
    expect(page.get_by_role("group", name="Ann Smith")).to_be_visible()
    section = firm.call("GET", f"/v1/accounts/{account}/contacts", 200)
    assert [c["first_name"] for c in section["contacts"]] == ["Ann"]


def test_login_off_says_what_jane_loses_and_resending_is_confirmed_in_the_row(
    firm: Firm, stack: Stack, new_page, shots
) -> None:
    account, _, email_id = linked_jane(firm)
    firm.toggle(account, email_id, login=True, send_invitation=True)
    stack.wait_idle()  # the invitation is mailed by the outbox, after the answer
    mailed = len(firm.activation_links(JANE))  # the stack's mail, other tests' included

    page = new_page()
    open_account(page, firm.owner_email, "Smith Family")
    row = row_of(page, JANE)
    expect(row).to_contain_text("Invited until")
    expect(row).to_contain_text("Last invitation sent")

    # Resending: a status line in the row, the newest link only.
    row.get_by_role("button", name=f"Resend invitation to {JANE}").click()
    done = row.get_by_role("status")
    expect(done).to_have_text(f"Invitation sent again to {JANE}. Only the newest link works.")
    expect(row.get_by_role("button", name=f"Resend invitation to {JANE}")).to_be_focused()
    stack.wait_idle()
    assert len(firm.activation_links(JANE)) == mailed + 1
    shots(page, "app-account-resent")

    # LOGIN off asks first, and says what she loses; Cancel keeps everything.
    login = row.get_by_role("switch", name=f"LOGIN for {JANE}")
    login.click()
    confirm = page.get_by_role("dialog", name="Turn LOGIN off?")
    expect(confirm).to_have_accessible_description(
        f"Jane ({JANE}) can no longer open Smith Family in the portal; "
        "a pending invitation stops working."
    )
    expect(login).to_be_checked()
    shots(page, "app-login-off-dialog")
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(login).to_be_checked()
    expect(login).to_be_focused()
    assert firm.row(account, email_id)["login"] is True

    login.click()
    confirm.get_by_role("button", name="Turn LOGIN off").click()
    expect(confirm).to_be_hidden()
    expect(login).not_to_be_checked()
    expect(login).to_be_focused()
    expect(row).to_contain_text("No portal login")
    assert firm.row(account, email_id)["login_status"] == "off"
    token = firm.activation_links(JANE)[-1].rsplit("token=", 1)[1]
    assert firm.api.get(f"/v1/invitations/{token}").status_code == 404


def test_login_back_on_for_a_portal_user_restores_access_without_a_new_password(
    firm: Firm, stack: Stack, new_page
) -> None:
    account, _, email_id = linked_jane(firm)
    firm.toggle(account, email_id, login=True, send_invitation=True)
    stack.wait_idle()  # the invitation is mailed by the outbox, after the answer
    firm.accept(JANE)
    stack.wait_idle()  # the row turns active once the acceptance is handled
    assert firm.row(account, email_id)["login_status"] == "active"
    firm.toggle(account, email_id, login=False)

    page = new_page()
    open_account(page, firm.owner_email, "Smith Family")
    row = row_of(page, JANE)
    expect(row).to_contain_text("No portal login")
    row.get_by_role("switch", name=f"LOGIN for {JANE}").click()
    page.get_by_role("dialog", name="Send the invitation now?").get_by_role(
        "button", name="Later"
    ).click()
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("without a new password")
    expect(row.get_by_role("status")).to_have_text(
        f"LOGIN is on for {JANE}: access restored without a new password."
    )
    saved = firm.row(account, email_id)
    assert saved["login_status"] == "active" and saved["access_restored_at"]


def test_email_sync_without_a_mailbox_and_a_category_the_client_turned_off(
    firm: Firm, stack: Stack, new_page, shots
) -> None:
    account, _, email_id = linked_jane(firm)
    firm.toggle(account, email_id, notify=True)
    firm.publish(account, "ProposalSent", "evt-proposal-1", "Proposal for 2026")
    stack.wait_idle()
    (message,) = [m for m in firm.mail.to(JANE) if "List-Unsubscribe" in m["headers"]]
    found = UNSUBSCRIBE.search(message["headers"]["List-Unsubscribe"])
    assert found is not None
    unsubscribed = firm.api.post(
        "/v1/" + found.group(1).split("/v1/", 1)[1],
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert unsubscribed.status_code == 200, unsubscribed.text

    page = new_page()
    open_account(page, firm.owner_email, "Smith Family")
    row = row_of(page, JANE)
    expect(row).to_contain_text("Turned off by the client: Proposals.")

    # EMAIL SYNC on without a mailbox: the row says nothing is synced, and where to connect.
    row.get_by_role("switch", name=f"EMAIL SYNC for {JANE}").click()
    expect(row).to_contain_text("No mailbox connected: nothing is synced until one is.")
    expect(row.get_by_role("link", name="Connect the mailbox in Settings")).to_have_attribute(
        "href", "#/settings/mailbox"
    )
    shots(page, "app-account-notes")

    row.get_by_role("button", name=f"More for {JANE}").click()
    page.get_by_role("menuitem", name="Notification preferences").click()
    dialog = page.get_by_role("dialog", name="Notification preferences")
    proposals = dialog.get_by_role("switch", name="Proposals")
    expect(proposals).not_to_be_checked()
    expect(proposals).to_have_accessible_description(re.compile("Turned off by the client"))
    expect(dialog.locator(".by-client:visible")).to_have_text(["Turned off by the client"])
    shots(page, "app-preferences-client")
