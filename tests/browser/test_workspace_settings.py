"""The workspace's Settings (/app#/settings/...): the firm's settings saved (a bad field
shown under it) and read back through the API; staff invited and a role changed, and the
invitation of a firm whose owner has not confirmed the address refused in words; the
mailbox tested with a wrong password against a real Dovecot, connected, and its health
after a sync; a suppressed address cleared; what an employee may not change."""

from __future__ import annotations

import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from playwright.sync_api import Page, expect

from local.testing import ApiSession, Mailbox
from tests.browser.data import PASSWORD, Firm
from tests.browser.test_portal import sign_in
from tests.dovecot import ImapUser


def open_app(page: Page, email: str, hash_route: str) -> None:
    page.goto(f"/app{hash_route}")
    sign_in(page, email)


def test_firm_settings_saved_and_read_back(firm: Firm, new_page, shots) -> None:
    page = new_page()
    open_app(page, firm.owner_email, "#/settings/firm")
    expect(page.get_by_role("heading", name="Firm settings", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Firm", exact=True)).to_have_attribute(
        "aria-current", "page"
    )

    page.locator("#main").get_by_label("Email for clients").fill("hello@ledger.example")
    page.locator("#main").get_by_label("Phone").fill("+31 20 123 4567")
    page.locator("#main").get_by_label("Website").fill(
        "ledger.example"
    )  # no https://: refused under it
    page.locator("#main").get_by_label("Postal address").fill("Keizersgracht 1\n1015 CJ Amsterdam")
    page.locator("#main").get_by_label("Send a copy of every email to clients to").fill(
        "archive@ledger.example\nnot an address"
    )
    page.locator("#main").get_by_label("Never sync mail from or to").fill("@bank.example")
    page.get_by_role("switch", name="Save attachments of synced emails").check()
    page.get_by_role("switch", name="Proposals").uncheck()
    page.get_by_role("button", name="Save settings").click()

    website = page.locator("#main").get_by_label("Website")
    expect(website).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{website.get_attribute('id')}-error")).to_contain_text("https://")
    copies = page.locator("#main").get_by_label("Send a copy of every email to clients to")
    expect(page.locator(f"#{copies.get_attribute('id')}-error")).to_contain_text("Line 2")
    expect(page.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    assert firm.call("GET", "/v1/firm/settings", 200)["contact_email"] in (None, "")

    website.fill("https://ledger.example")
    copies.fill("archive@ledger.example\n partner@ledger.example ")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Settings saved")).to_be_visible()
    expect(website).not_to_have_attribute("aria-invalid", "true")

    saved = firm.call("GET", "/v1/firm/settings", 200)
    assert saved["contact_email"] == "hello@ledger.example"
    assert saved["contact_phone"] == "+31 20 123 4567"
    assert saved["website"] == "https://ledger.example"
    assert saved["address"] == "Keizersgracht 1\n1015 CJ Amsterdam"
    assert saved["copy_client_emails_to"] == ["archive@ledger.example", "partner@ledger.example"]
    assert saved["never_sync"] == ["@bank.example"]
    assert saved["auto_save_attachments"] is True
    assert saved["notify_staff_on_synced_email"] is False
    prefs = saved["default_notification_preferences"]
    assert prefs["proposals"] is False and prefs["organizers"] is True

    # the page drawn again reads the same
    page.reload()
    expect(page.locator("#main").get_by_label("Email for clients")).to_have_value(
        "hello@ledger.example"
    )
    expect(page.get_by_role("switch", name="Proposals")).not_to_be_checked()
    shots(page, "app-settings-firm")


def test_invite_staff_and_change_a_role(firm: Firm, new_page, shots) -> None:
    page = new_page()
    open_app(page, firm.owner_email, "#/settings/staff")
    expect(page.get_by_role("heading", name="Staff", level=1)).to_be_visible()
    expect(page.locator(".staff-row", has_text=firm.owner_email)).to_contain_text("Owner")
    expect(page.get_by_role("button", name=f"Change the role of {firm.owner_email}")).to_have_count(
        0
    )

    address = firm.owner_email.replace("owner-", "clerk-")
    page.locator("#main").get_by_label("Email", exact=True).fill(address)
    page.locator("#main").get_by_label("Employee").check()
    page.locator("#main").get_by_label("May manage accounts").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(
        page.get_by_role("status").filter(has_text=f"Invitation sent to {address}.")
    ).to_be_visible()
    row = page.locator(".staff-row", has_text=address)
    expect(row).to_contain_text("Invited")
    expect(row).to_contain_text("manages accounts")
    assert firm.mail.to(address), "the invitation email went out"
    (member,) = [m for m in firm.call("GET", "/v1/staff", 200)["items"] if m["email"] == address]
    assert (member["role"], member["manage_accounts"], member["status"]) == (
        "employee",
        True,
        "invited",
    )

    row.get_by_role("button", name=f"Change the role of {address}").click()
    dialog = page.get_by_role("dialog", name="Change role")
    expect(dialog).to_contain_text("next sign-in")
    dialog.get_by_label("Admin").check()
    dialog.get_by_role("button", name="Save role").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".staff-row", has_text=address)).to_contain_text("Admin")
    (member,) = [m for m in firm.call("GET", "/v1/staff", 200)["items"] if m["email"] == address]
    assert member["role"] == "admin"
    shots(page, "app-settings-staff")


def test_an_unverified_firm_cannot_invite_and_says_why(api: ApiSession, new_page) -> None:
    owner = "owner-unverified@ledger.example"
    created = api.post(
        "/v1/firms",
        json={"firm_name": "New & Co", "owner_email": owner, "owner_password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    page = new_page()
    open_app(page, owner, "#/settings/staff")
    page.locator("#main").get_by_label("Email", exact=True).fill("clerk-unverified@ledger.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert").filter(has_text="not confirmed yet")).to_be_visible()
    token = api.post("/v1/staff/login", json={"email": owner, "password": PASSWORD}).json()["token"]
    staff = api.get("/v1/staff", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    assert [m["email"] for m in staff] == [owner]

    # the firm's settings say why, and the owner may ask for the link again
    page.goto("/app#/settings/firm")
    note = page.locator("#firm-unverified")
    expect(note).to_contain_text("not confirmed yet")
    before = len(Mailbox(api).to(owner))
    note.get_by_role("button", name="Send the link again").click()
    # the link went out moments ago, with the firm: the API's answer is shown in words
    expect(note.get_by_role("status")).to_contain_text("sent a few minutes ago")
    assert len(Mailbox(api).to(owner)) == before


def mail(sender: str, to: str, subject: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="client.example")
    message["Date"] = formatdate(time.time() - 60, usegmt=True)
    message.set_content(f"{subject}: the text")
    return message.as_bytes()


def test_mailbox_test_connect_and_health_after_a_sync(
    firm: Firm, api: ApiSession, imap_user: ImapUser, new_page, shots
) -> None:
    client = "ann@smith-mailbox.example"
    imap_user.append(mail(client, imap_user.name, "Last year's return"))
    account = firm.account("Smith Family")
    ann = firm.contact("Ann", "Smith", client)
    firm.link(account, ann["contact_id"])

    page = new_page()
    open_app(page, firm.owner_email, "#/settings/mailbox")
    expect(page.get_by_role("heading", name="Mailbox", level=1)).to_be_visible()
    expect(page.locator("#mailbox-status")).to_contain_text("No mailbox connected")
    expect(page.get_by_role("button", name="Check now")).to_be_disabled()

    page.locator("#main").get_by_label("IMAP server").fill("127.0.0.1")
    page.locator("#main").get_by_label("Port").fill(str(imap_user.server.port))
    page.locator("#main").get_by_label("Username").fill(imap_user.name)
    page.locator("#main").get_by_label("Password").fill("a-wrong-password")
    page.locator("#main").get_by_label("Security").select_option("none")
    page.get_by_role("button", name="Test").click()
    error = page.get_by_role("alert").filter(has_text="The test failed.")
    expect(error).to_be_visible()
    expect(page.get_by_role("form", name="Connect the mailbox")).to_contain_text("refused")
    assert firm.call("GET", "/v1/firm/mailbox", 200)["status"] == "not_connected"

    page.locator("#main").get_by_label("Password").fill(imap_user.password)
    page.get_by_role("button", name="Test").click()
    expect(page.locator("#mailbox-result")).to_contain_text("The test worked")
    expect(error).to_be_hidden()
    assert firm.call("GET", "/v1/firm/mailbox", 200)["status"] == "not_connected"

    page.get_by_role("button", name="Connect").click()
    expect(page.locator("#mailbox-result")).to_contain_text("Mailbox connected")
    expect(page.locator("#main").get_by_label("Password")).to_have_value("")
    state = firm.call("GET", "/v1/firm/mailbox", 200)
    assert (state["imap_host"], state["username"]) == ("127.0.0.1", imap_user.name)
    assert "password" not in state

    # EMAIL SYNC on brings the past mail in (back-fill); then a scheduled run
    firm.toggle(account, ann["emails"][0]["email_id"], email_sync=True)
    ran = api.post("/_local/schedules/sync")
    assert ran.status_code == 200, ran.text
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#mailbox-status")).to_contain_text("Syncing")
    health = page.locator("#mailbox-health")
    expect(health).to_contain_text("Last run")
    expect(health).to_contain_text("Next run")
    history = health.locator(".history-row", has_text=client)
    # stored by the back-fill or by the scheduled run, whichever read it first: once
    expect(history).to_contain_text("Done: 1 of 1 emails read")
    inbox = firm.call("GET", "/v1/inbox", 200)["items"]
    assert [m["subject"] for m in inbox] == ["Last year's return"]
    expect(history.get_by_role("progressbar")).to_have_attribute("value", "100")

    page.get_by_role("button", name="Check now").click()
    expect(page.get_by_role("status").filter(has_text="Check started")).to_be_visible()
    shots(page, "app-settings-mailbox")


def test_clear_a_suppressed_address(firm: Firm, api: ApiSession, new_page, shots) -> None:
    login = api.post("/v1/staff/login", json={"email": firm.owner_email, "password": PASSWORD})
    firm_id = login.json()["firm_id"]
    bounced, kept = "gone@client.example", "full@client.example"
    for address in (bounced, kept):
        bounce = {
            "eventType": "Bounce",
            "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": address}]},
            "mail": {"destination": [address], "tags": {"firm_id": [firm_id]}},
        }
        answer = api.post(
            "/_local/events",
            json={
                "detail_type": "Email Bounced",
                "detail": bounce,
                "source": "aws.ses",
                "event_bus": "default",
            },
        )
        assert answer.status_code == 200, answer.text
    assert {"address": bounced} in firm.call("GET", "/v1/suppressions", 200)["items"]

    page = new_page()
    open_app(page, firm.owner_email, "#/settings/suppressions")
    expect(page.get_by_role("heading", name="Suppressed addresses", level=1)).to_be_visible()
    expect(page.locator(".suppression-row")).to_have_count(2)
    shots(page, "app-settings-suppressions")

    page.get_by_role("button", name=f"Clear {bounced}").click()
    dialog = page.get_by_role("dialog", name=f"Clear {bounced}?")
    expect(dialog).to_contain_text("go out again")
    dialog.get_by_role("button", name="Clear address").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text=f"{bounced} cleared")).to_be_visible()
    expect(page.locator(".suppression-row")).to_have_count(1)
    assert firm.call("GET", "/v1/suppressions", 200)["items"] == [{"address": kept}]


def test_an_employee_reads_settings_but_cannot_change_them(firm: Firm, new_page) -> None:
    employee = firm.staff_member("employee", manage_accounts=True)
    page = new_page()
    open_app(page, employee, "#/settings/firm")
    expect(page.get_by_role("heading", name="Firm settings", level=1)).to_be_visible()
    expect(page.get_by_text("only the firm owner or an admin may")).to_be_visible()
    expect(page.locator("#main").get_by_label("Email for clients")).to_be_disabled()
    expect(page.get_by_role("button", name="Save settings")).to_be_disabled()

    page.goto("/app#/settings/staff")
    expect(page.get_by_role("heading", name="Staff", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Send invitation")).to_have_count(0)
    expect(page.get_by_role("button", name=f"Change the role of {employee}")).to_have_count(0)

    page.goto("/app#/settings/mailbox")
    expect(page.locator("#main").get_by_label("Password")).to_be_disabled()
    expect(page.get_by_role("button", name="Connect")).to_be_disabled()
