"""The workspace's Contacts screens (/app#/contacts...): create a contact with two
addresses (a duplicate shown on its address), add an address in a new custom email field,
edit the names and the language, change and remove an address, link to an account and
unlink, import a CSV with a bad row, and the read-only view of an employee without the
manage accounts right. Each change is read back through the API."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.data import PASSWORD, Firm
from tests.browser.test_portal import sign_in


def open_app(page: Page, email: str, hash_route: str, password: str = PASSWORD) -> None:
    page.goto(f"/app{hash_route}")
    sign_in(page, email, password)


def contact_by_name(firm: Firm, last_name: str) -> dict[str, Any]:
    items = firm.call("GET", f"/v1/contacts?q={last_name}", 200)["items"]
    (contact,) = [c for c in items if c["last_name"] == last_name]
    return dict(firm.call("GET", f"/v1/contacts/{contact['contact_id']}", 200))


def test_create_edit_custom_field_link_and_unlink_a_contact(firm: Firm, new_page, shots) -> None:
    family = firm.account("Rivera Family")
    ann = firm.contact("Ann", "Smith", "ann@smith.example")
    firm.link(firm.account("Smith Family"), ann["contact_id"])
    page = new_page()
    open_app(page, firm.owner_email, "#/contacts")
    expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Ann Smith")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Ann Smith")).to_contain_text(
        "Smith Family"
    )

    # New contact: two addresses, the second the same as the first (409 on that address)
    page.get_by_role("button", name="New contact").click()
    dialog = page.get_by_role("dialog", name="New contact")
    dialog.get_by_label("First name").fill("Maria")
    dialog.get_by_label("Last name").fill("Rivera")
    dialog.get_by_label("Address 1", exact=True).fill("maria@home.example")
    dialog.get_by_role("button", name="Add another address").click()
    second = dialog.get_by_label("Address 2", exact=True)
    expect(second).to_be_focused()
    second.fill("Maria@Home.example")
    shots(page, "app-contact-new")
    dialog.get_by_role("button", name="Create contact").click()
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator("#" + second.get_attribute("id") + "-error")).to_contain_text(
        "already above"
    )
    assert firm.call("GET", "/v1/contacts?q=rivera", 200)["items"] == []
    second.fill("maria@work.example")
    dialog.get_by_role("button", name="Create contact").click()

    expect(page.get_by_role("heading", name="Maria Rivera", level=1)).to_be_visible()
    maria = contact_by_name(firm, "Rivera")
    assert sorted(e["address"] for e in maria["emails"]) == [
        "maria@home.example",
        "maria@work.example",
    ]

    # An address in a new custom email field, created on the spot
    page.locator("#main").get_by_label("Address", exact=True).fill("m.rivera@studio.example")
    page.locator("#main").get_by_label("Email field", exact=True).select_option(
        label="New email field…"
    )
    page.locator("#main").get_by_label("Name of the new email field").fill("Work email")
    page.get_by_role("button", name="Add address").click()
    row = page.locator(".address-item", has_text="m.rivera@studio.example")
    expect(row).to_contain_text("Work email")
    labels = [f["label"] for f in firm.call("GET", "/v1/email-fields", 200)["items"]]
    assert "Work email" in labels
    added = next(
        e
        for e in contact_by_name(firm, "Rivera")["emails"]
        if e["address"] == "m.rivera@studio.example"
    )
    assert added["label"] == "Work email"

    # Change an address: the dialog says what that does to invitations and active users
    page.get_by_role("button", name="Change maria@work.example").click()
    change = page.get_by_role("dialog", name="Change maria@work.example")
    expect(change).to_contain_text("stops working at once")
    expect(change).to_contain_text("keep their access")
    change.get_by_label("Address", exact=True).fill("maria@rivera-design.example")
    change.get_by_role("button", name="Save address").click()
    expect(change).to_be_hidden()
    expect(page.locator(".address-item", has_text="maria@rivera-design.example")).to_be_visible()
    addresses = {e["address"] for e in contact_by_name(firm, "Rivera")["emails"]}
    assert "maria@rivera-design.example" in addresses and "maria@work.example" not in addresses

    # Remove one, confirmed
    page.get_by_role("button", name="Remove maria@home.example").click()
    confirm = page.get_by_role("dialog", name="Remove maria@home.example?")
    confirm.get_by_role("button", name="Remove address").click()
    expect(confirm).to_be_hidden()
    expect(page.locator(".address-item", has_text="maria@home.example")).to_have_count(0)
    addresses = {e["address"] for e in contact_by_name(firm, "Rivera")["emails"]}
    assert addresses == {"maria@rivera-design.example", "m.rivera@studio.example"}

    # Link to an account found by name, then unlink
    page.locator("#main").get_by_label("Find the account").fill("rivera")
    page.get_by_role("button", name="Link to Rivera Family").click()
    accounts = page.locator("section", has=page.get_by_role("heading", name="Accounts", level=2))
    expect(accounts.get_by_role("link", name="Rivera Family")).to_have_attribute(
        "href", f"#/accounts/{family}"
    )
    assert [a["account_id"] for a in contact_by_name(firm, "Rivera")["accounts"]] == [family]
    section = firm.call("GET", f"/v1/accounts/{family}/contacts", 200)
    assert [c["last_name"] for c in section["contacts"]] == ["Rivera"]
    page.locator("#main").get_by_label("Find the account").fill("")
    shots(page, "app-contact")

    page.get_by_role("button", name="Unlink from Rivera Family").click()
    unlink = page.get_by_role("dialog", name="Unlink from Rivera Family?")
    expect(unlink).to_contain_text("pending invitation stops working")
    unlink.get_by_role("button", name="Unlink").click()
    expect(unlink).to_be_hidden()
    expect(accounts).to_contain_text("Not linked to any account")
    assert contact_by_name(firm, "Rivera")["accounts"] == []

    # The list finds her by an address
    page.goto("/app#/contacts")
    page.get_by_role("searchbox", name="Search").fill("studio")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"1 contact found"))
    expect(page.get_by_role("link", name="Maria Rivera")).to_be_visible()
    expect(page.get_by_role("link", name="Ann Smith")).to_have_count(0)
    page.get_by_role("searchbox", name="Search").fill("")
    expect(page.get_by_role("link", name="Ann Smith")).to_be_visible()
    shots(page, "app-contacts")


def test_import_a_csv_with_a_bad_row(firm: Firm, new_page, shots) -> None:
    firm.call("POST", "/v1/email-fields", 201, json={"label": "Work email"})
    page = new_page()
    open_app(page, firm.owner_email, "#/contacts/import")
    expect(page.get_by_role("heading", name="Import contacts", level=1)).to_be_visible()
    expect(page.locator(".csv-sample")).to_have_text("first_name,last_name,email,Work email")

    csv = (
        "first_name,last_name,email,Work email\n"
        "Ann,Smith,ann@smith.example,ann@smith-design.example\n"
        "Bob,Jones,not-an-address,\n"
        "Cleo,Baker,cleo@baker.example,\n"
    )
    page.locator("#main").get_by_label("Or paste the rows").fill(csv)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="2 contacts created, 1 row rejected.")).to_be_visible()
    rejected = page.locator("#import-errors tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("td").first).to_have_text("3")
    expect(rejected.locator("td").nth(1)).not_to_be_empty()
    names = sorted(c["last_name"] for c in firm.call("GET", "/v1/contacts", 200)["items"])
    assert names == ["Baker", "Smith"]
    smith = contact_by_name(firm, "Smith")
    assert {e["label"] for e in smith["emails"]} == {"Email", "Work email"}
    shots(page, "app-contacts-import")

    # A file works the same way
    page.locator("#main").get_by_label("Or paste the rows").fill("")
    page.locator("#main").get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "more.csv",
                "mimeType": "text/csv",
                "buffer": b"first_name,last_name,email\nDan,Evans,dan@evans.example\n",
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="1 contact created.")).to_be_visible()
    assert contact_by_name(firm, "Evans")["emails"][0]["address"] == "dan@evans.example"


def test_edit_a_contacts_names_and_language(firm: Firm, new_page) -> None:
    maria = firm.contact("Maria", "Rivera", "maria@home.example")
    page = new_page()
    open_app(page, firm.owner_email, f"#/contacts/{maria['contact_id']}")
    expect(page.get_by_role("heading", name="Maria Rivera", level=1)).to_be_visible()
    page.locator("#main").get_by_label("Last name").fill("Rivera Lopez")
    page.locator("#main").get_by_label("Language of emails").select_option("nl")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("heading", name="Maria Rivera Lopez", level=1)).to_be_visible()
    saved = firm.call("GET", f"/v1/contacts/{maria['contact_id']}", 200)
    assert (saved["last_name"], saved["language"]) == ("Rivera Lopez", "nl")

    # back to the language of the firm (null)
    page.locator("#main").get_by_label("Language of emails").select_option("")
    # the status still says "Details saved." from the first save: wait for this one's answer
    with page.expect_response(
        lambda r: r.request.method == "PATCH" and "/v1/contacts/" in r.url
    ) as saving:
        page.get_by_role("button", name="Save details").click()
    assert saving.value.ok
    assert firm.call("GET", f"/v1/contacts/{maria['contact_id']}", 200)["language"] is None


def test_an_employee_without_manage_accounts_reads_contacts_only(firm: Firm, new_page) -> None:
    family = firm.account("Rivera Family")
    maria = firm.contact("Maria", "Rivera", "maria@home.example")
    firm.link(family, maria["contact_id"])
    employee = firm.staff_member("employee", manage_accounts=False)
    page = new_page()
    open_app(page, employee, "#/contacts")
    expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
    expect(
        page.get_by_text("your role is employee without the manage accounts right")
    ).to_be_visible()
    expect(page.get_by_role("button", name="New contact")).to_be_disabled()
    expect(page.get_by_role("link", name="Import CSV")).to_have_count(0)

    page.get_by_role("link", name="Maria Rivera").click()
    expect(page.get_by_role("heading", name="Maria Rivera", level=1)).to_be_visible()
    expect(page.locator("#main").get_by_label("First name")).to_be_disabled()
    expect(page.get_by_role("button", name="Save details")).to_have_count(0)
    expect(page.get_by_role("button", name="Change maria@home.example")).to_have_count(0)
    expect(page.get_by_role("button", name="Unlink from Rivera Family")).to_have_count(0)
    expect(page.get_by_role("link", name="Rivera Family")).to_be_visible()
    expect(page.locator("#main").get_by_label("Find the account")).to_have_count(0)
