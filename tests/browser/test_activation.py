"""Activation on the /activate page (issue 12): the password rule is stated before the
field; a new client lands signed in, in the portal; an existing portal user is asked for
their current password and lands there too; a new staff member lands signed in, in the
staff workspace (/app)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.data import PASSWORD, Firm


def invite_client(firm: Firm, address: str, account: str) -> str:
    """LOGIN on for `address` on `account`, the invitation sent: its link."""
    contact = firm.contact("Ann", "Rivera", address)
    firm.link(account, contact["contact_id"])
    firm.toggle(account, contact["emails"][0]["email_id"], login=True, send_invitation=True)
    return firm.activation_links(address)[-1]


def invite_again(firm: Firm, address: str, account: str) -> str:
    """The same person (their contact exists) invited to another account: its link."""
    contacts = firm.call("GET", "/v1/contacts", 200, params={"q": address})["items"]
    contact = next(c for c in contacts if any(e["address"] == address for e in c["emails"]))
    firm.link(account, contact["contact_id"])
    email_id = next(e["email_id"] for e in contact["emails"] if e["address"] == address)
    firm.toggle(account, email_id, login=True, send_invitation=True)
    return firm.activation_links(address)[-1]


def above(page: Page, first: str, second: str) -> bool:
    top = page.locator(first).bounding_box()
    bottom = page.locator(second).bounding_box()
    assert top is not None and bottom is not None
    return top["y"] + top["height"] <= bottom["y"]


def test_a_new_client_reads_the_rule_first_and_lands_signed_in_in_the_portal(
    firm: Firm, new_page, shots
) -> None:
    address = "ann@rivera-new.example"
    link = invite_client(firm, address, firm.account("Rivera Family"))
    page = new_page()
    page.goto(link)

    expect(page.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    rule = page.get_by_text("Your password needs at least 12 characters")
    expect(rule).to_be_visible()
    assert above(page, "#password-rule", "#password")  # read before typing
    expect(page.get_by_label("Choose a password")).to_have_accessible_description(
        re.compile("at least 12 characters")
    )
    shots(page, "activate")

    page.get_by_label("Choose a password").fill("too short")
    page.get_by_label("Repeat the password").fill("too short")
    page.get_by_role("button", name="Accept and continue").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The password is too short: use at least 12 characters."
    )
    expect(page.get_by_label("Choose a password")).to_be_focused()

    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Accept and continue").click()
    expect(page).to_have_url(re.compile(r"/portal$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rivera Family")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(address)


def test_an_existing_client_is_asked_for_their_current_password_and_lands_in_the_portal(
    firm: Firm, new_page, shots
) -> None:
    address = "ann@rivera-existing.example"
    invite_client(firm, address, firm.account("Rivera Family"))
    firm.accept(address)
    link = invite_again(firm, address, firm.account("Rivera Design", "business"))
    page = new_page()
    page.goto(link)

    expect(page.get_by_text("use your current password")).to_be_visible()
    expect(page.get_by_label("Your current password")).to_be_visible()
    expect(page.get_by_label("Repeat the password")).to_have_count(0)
    shots(page, "activate-existing")

    page.get_by_label("Your current password").fill("not the password at all")
    page.get_by_role("button", name="Accept and continue").click()
    expect(page.get_by_role("alert")).not_to_be_empty()
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Accept and continue").click()

    expect(page).to_have_url(re.compile(r"/portal$"))
    picker = page.get_by_role("dialog", name="Choose an account")
    expect(picker.get_by_role("radio")).to_have_count(2)
    picker.get_by_role("radio", name="Rivera Design").check()
    picker.get_by_role("button", name="Open account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rivera Design")


def test_a_staff_invitation_lands_signed_in_in_the_staff_workspace(
    firm: Firm, new_page, shots
) -> None:
    address = firm.owner_email.replace("owner-", "new-colleague-")
    body = {"email": address, "role": "employee", "manage_accounts": False}
    firm.call("POST", "/v1/staff", 201, json=body)
    page = new_page()
    page.goto(firm.activation_links(address)[-1])

    expect(page.get_by_text("invites you to join their team")).to_be_visible()
    expect(page.get_by_text("Your password needs at least 12 characters")).to_be_visible()
    shots(page, "activate-staff")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Accept and continue").click()

    # the workspace, on its first page: the shell adds #/accounts once it has loaded
    expect(page).to_have_url(re.compile(r"/app(#/accounts)?$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_hidden()


def test_a_used_invitation_link_says_so_and_what_to_do(firm: Firm, new_page, shots) -> None:
    address = "ann@rivera-used.example"
    link = invite_client(firm, address, firm.account("Rivera Family"))
    firm.accept(address)
    page = new_page()

    page.goto(link)

    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    expect(page.get_by_text("Ask the firm to send you a new invitation")).to_be_visible()
    expect(page.get_by_role("button")).to_have_count(0)
    shots(page, "activate-unusable")
