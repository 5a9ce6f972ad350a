"""The staff workspace (/app): the top navigation and its routes, the accounts (search,
sort, "Show more", create), an account's tabs with synced mail from a real Dovecot
mailbox (Emails, Docs with the download, Notifications, Activity), the reader and Reply,
Inbox+, and the Contacts section's links, confirmations and what the row says."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from local import Stack
from tests.browser.data import Firm, email
from tests.browser.test_portal import sign_in
from tests.dovecot import Dovecot

CLIENT = "ann.smith@client.example"
PDF = b"%PDF-1.7 " + bytes(range(256)) * 16


def signed_in(page: Page, firm: Firm, path: str = "/app") -> None:
    page.goto(path)
    sign_in(page, firm.owner_email)
    expect(page.get_by_role("navigation", name="Workspace")).to_be_visible()


def accounts_shown(page: Page) -> list[str]:
    return page.get_by_role("list", name="Accounts").locator(".name").all_inner_texts()


# ------------------------------------------------------------------------ the shell


def test_the_navigation_routes_every_section_and_works_on_a_phone(firm: Firm, new_page) -> None:
    page = new_page()
    signed_in(page, firm)
    nav = page.get_by_role("navigation", name="Workspace")
    expect(nav.get_by_role("link", name="Accounts")).to_have_attribute("aria-current", "page")
    expect(page).to_have_title("Accounts · Practice CRM")
    expect(page.get_by_text(f"{firm.owner_email} · Owner")).to_be_visible()

    nav.get_by_role("link", name="Inbox+").click()
    expect(page).to_have_url(re.compile(r"#/inbox$"))
    expect(page.get_by_role("heading", name="Inbox+", level=1)).to_be_focused()
    expect(nav.get_by_role("link", name="Inbox+")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Accounts")).not_to_have_attribute("aria-current", "page")
    expect(page).to_have_title("Inbox+ · Practice CRM")

    # A section whose module cannot be loaded says so, without a script error.
    page.route("**/assets/workspace/settings.js", lambda route: route.fulfill(status=404))
    nav.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    expect(page.get_by_text("Not available yet")).to_be_visible()

    # On a phone every section is still one tap away, side by side on a line of its own.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/app#/accounts")
    for name in ("Accounts", "Contacts", "Inbox+", "Settings"):
        box = nav.get_by_role("link", name=name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, name
        assert box["height"] >= 44, f"{name} is too small to tap: {box}"
    nav.get_by_role("link", name="Inbox+").click()
    expect(page.get_by_role("heading", name="Inbox+", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Signing out leaves the sign-in form; an ended session brings it back with the reason.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
    expect(nav).to_be_hidden()
    sign_in(page, firm.owner_email)
    expect(nav).to_be_visible()
    page.evaluate(
        "sessionStorage.setItem('crm.staff.session', JSON.stringify({token: 'x.e30.x', expires_at: Date.now() + 60000}))"
    )
    nav.get_by_role("link", name="Accounts").click()
    expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()


# ---------------------------------------------------------------------- accounts


def test_accounts_search_sort_show_more_and_create(firm: Firm, new_page, shots) -> None:
    for name, kind in (
        ("Smith Family", "family"),
        ("Smith Design", "business"),
        ("Okafor", "individual"),
    ):
        firm.account(name, kind)
    for number in range(1, 25):
        firm.account(f"Client {number:02}", "individual")

    page = new_page()
    signed_in(page, firm)
    listed = page.get_by_role("list", name="Accounts")
    expect(listed.get_by_role("listitem")).to_have_count(25)
    assert accounts_shown(page)[:3] == ["Client 01", "Client 02", "Client 03"]
    more = page.get_by_role("button", name="Show more accounts")
    shots(page, "app-accounts")
    more.click()
    expect(listed.get_by_role("listitem")).to_have_count(27)
    expect(more).to_be_hidden()

    # Search: part of the name, any case; the count is announced; the address keeps it.
    page.get_by_label("Search accounts").fill("smi")
    expect(page.get_by_role("status")).to_have_text("2 accounts found for “smi”.")
    assert accounts_shown(page) == ["Smith Design", "Smith Family"]
    expect(page).to_have_url(re.compile(r"#/accounts\?q=smi$"))
    page.get_by_label("Sort").select_option(label="Name, Z to A")
    expect(listed.locator(".name").first).to_have_text("Smith Family")
    assert accounts_shown(page) == ["Smith Family", "Smith Design"]
    page.reload()
    expect(page.get_by_label("Search accounts")).to_have_value("smi")
    expect(page.get_by_label("Sort")).to_have_value("-name")
    expect(listed.locator(".name").first).to_have_text("Smith Family")

    page.get_by_label("Search accounts").fill("nobody here")
    expect(page.get_by_text("No account matches “nobody here”")).to_be_visible()

    # Create: the fields are checked here first, then by the API, each error by its field.
    page.get_by_role("button", name="New account").click()
    dialog = page.get_by_role("dialog", name="New account")
    expect(dialog.get_by_label("Name")).to_be_focused()
    dialog.get_by_role("button", name="Create account").click()
    expect(dialog.get_by_text("Enter the name of the account.")).to_be_visible()
    expect(dialog.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    shots(page, "app-account-create")
    dialog.get_by_label("Name").fill("x" * 201)
    dialog.get_by_role("button", name="Create account").click()
    expect(dialog.get_by_role("alert")).to_have_text("Check the fields above.")
    expect(dialog.locator("#account-name-error")).not_to_be_empty()
    dialog.get_by_label("Name").fill("Rivera Holdings")
    dialog.get_by_label("Business").check()
    dialog.get_by_role("button", name="Create account").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rivera Holdings")
    expect(page.get_by_text("Business account")).to_be_visible()
    created = firm.call("GET", "/v1/accounts?q=rivera", 200)["items"]
    assert [(a["name"], a["type"]) for a in created] == [("Rivera Holdings", "business")]


# ------------------------------------------------------- synced mail, tabs, reader


def synced_account(firm: Firm, stack: Stack, dovecot: Dovecot) -> tuple[str, str]:
    """Smith Family, Ann Smith linked with EMAIL SYNC and NOTIFY on, three of her emails
    synced from a real mailbox (one in HTML with a PDF attached), one delivery logged."""
    user = dovecot.add_user()
    user.append(
        email(
            CLIENT,
            user.name,
            "Tax return 2025",
            "Here is the signed return.",
            html=(
                "<p>Here is the <strong>signed</strong> return.</p>"
                "<script>document.title='hacked'</script>"
                '<img src="http://127.0.0.1:9/track.png" alt="">'
            ),
            attachment=("Tax return.pdf", PDF),
            minutes_ago=90,
        )
    )
    user.append(
        email(CLIENT, user.name, "Question about invoices", "Which invoice is due?", minutes_ago=60)
    )
    user.append(email("someone@else.example", user.name, "Not for us", "Spam.", minutes_ago=30))
    account = firm.account("Smith Family")
    ann = firm.contact("Ann", "Smith", CLIENT)
    email_id = ann["emails"][0]["email_id"]
    firm.link(account, ann["contact_id"])
    firm.settings(auto_save_attachments=True)
    firm.connect_mailbox(user)
    firm.toggle(account, email_id, email_sync=True, notify=True)
    stack.wait_idle()
    firm.api.post("/_local/schedules/sync").raise_for_status()
    stack.wait_idle()
    firm.publish(account, "InvoiceIssued", "evt-invoice-1001", "Invoice #1001")
    path = f"/v1/accounts/{account}/emails/{email_id}/notification-preferences"
    firm.call("PUT", path, 200, json={"proposals": False})
    firm.publish(account, "ProposalSent", "evt-proposal-7", "Proposal for 2026")
    stack.wait_idle()
    return account, email_id


def test_account_tabs_reader_reply_download_and_inbox(
    firm: Firm, stack: Stack, dovecot: Dovecot, new_page, shots, tmp_path: Path
) -> None:
    account, _ = synced_account(firm, stack, dovecot)
    page = new_page()
    signed_in(page, firm, f"/app#/accounts/{account}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Family")
    tabs = page.get_by_role("navigation", name="Account sections")
    expect(tabs.get_by_role("link", name="Info")).to_have_attribute("aria-current", "page")
    expect(page).to_have_title("Smith Family · Practice CRM")

    # Emails: newest first, each opens the reader.
    tabs.get_by_role("link", name="Emails").click()
    expect(tabs.get_by_role("link", name="Emails")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_role("link", name="Emails")).to_be_focused()
    emails = page.get_by_role("list", name="Emails of this account")
    expect(emails.locator(".message-subject")).to_have_text(
        ["Question about invoices", "Tax return 2025"]
    )
    expect(emails.get_by_role("listitem").nth(1)).to_contain_text("Attachments")
    expect(page).to_have_title("Emails · Smith Family · Practice CRM")
    shots(page, "app-account-emails")

    # Docs: the saved attachment, from an email (linked), downloaded with its own bytes.
    tabs.get_by_role("link", name="Docs").click()
    docs = page.get_by_role("list", name="Documents of this account")
    expect(docs.get_by_role("listitem")).to_have_count(1)
    expect(docs).to_contain_text("Tax return.pdf")
    expect(docs.get_by_role("link", name="From an email")).to_be_visible()
    shots(page, "app-account-docs")
    with page.expect_download() as downloading:
        docs.get_by_role("button", name="Download Tax return.pdf").click()
    saved = tmp_path / "download.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert downloading.value.suggested_filename == "Tax return.pdf"

    # Notifications: sent, and skipped with the reason in words.
    tabs.get_by_role("link", name="Notifications").click()
    log = page.get_by_role("list", name="Notification deliveries")
    invoice = log.get_by_role("listitem").filter(has_text="New invoice")
    expect(invoice).to_contain_text("Sent")
    expect(invoice).to_contain_text(f"To {CLIENT}")
    proposal = log.get_by_role("listitem").filter(has_text="New proposal")
    expect(proposal).to_contain_text("Skipped")
    expect(proposal).to_contain_text(
        "Proposals is off in this address\u2019s notification preferences."
    )
    shots(page, "app-account-notifications")

    # Activity: who changed what.
    tabs.get_by_role("link", name="Activity").click()
    activity = page.get_by_role("list", name="Activity on this account")
    expect(activity).to_contain_text(firm.owner_email)
    expect(activity).to_contain_text(f"NOTIFY turned on, EMAIL SYNC turned on for {CLIENT}.")
    expect(activity).to_contain_text("Ann Smith linked to the account.")
    shots(page, "app-account-activity")

    # The reader: the HTML in a frame that runs nothing and loads nothing.
    tabs.get_by_role("link", name="Emails").click()
    page.get_by_role("link", name="Tax return 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tax return 2025")
    frame_element = page.locator("iframe.message-frame")
    expect(frame_element).to_have_attribute("sandbox", "")
    srcdoc = frame_element.get_attribute("srcdoc") or ""
    assert "default-src 'none'; img-src data:; style-src 'unsafe-inline'" in srcdoc
    expect(page.frame_locator("iframe.message-frame").get_by_text("signed")).to_be_visible()
    assert page.title() == "Tax return 2025 · Practice CRM"  # the frame's script did not run
    expect(page.get_by_role("link", name="Smith Family")).to_be_visible()
    expect(page.get_by_role("button", name="Download Tax return.pdf")).to_be_visible()
    shots(page, "app-reader")

    # Reply: sent with the threading headers, confirmed on the page, in the thread.
    page.get_by_label("Your reply").fill("Thank you, Ann: we will file it this week.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status").filter(has_text="Reply sent to")).to_contain_text(CLIENT)
    thread = page.get_by_role("list", name="Emails in this thread")
    expect(thread.get_by_role("listitem")).to_have_count(2)
    expect(thread).to_contain_text("Re: Tax return 2025")
    sent = [m for m in firm.mail.to(CLIENT) if m["subject"] == "Re: Tax return 2025"]
    assert len(sent) == 1 and sent[0]["headers"].get("In-Reply-To")
    assert "we will file it this week" in sent[0]["text"]

    # Inbox+: the firm's mail across accounts, each with its account; open one.
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Inbox+").click()
    inbox = page.get_by_role("list", name="Emails")
    expect(inbox.locator(".message-subject").first).to_have_text("Re: Tax return 2025")
    question = inbox.get_by_role("listitem").filter(has_text="Question about invoices")
    expect(question.get_by_role("link", name="Smith Family")).to_have_attribute(
        "href", f"#/accounts/{account}"
    )
    expect(inbox).not_to_contain_text("Not for us")
    shots(page, "app-inbox")
    question.get_by_role("link", name="Question about invoices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question about invoices")
    expect(page.locator("pre.message-text")).to_have_text("Which invoice is due?\n")


def test_reply_errors_are_shown_in_words(
    firm: Firm, stack: Stack, dovecot: Dovecot, new_page
) -> None:
    account, _ = synced_account(firm, stack, dovecot)
    items = firm.call("GET", f"/v1/accounts/{account}/messages", 200)["items"]
    message_id = items[0]["message_id"]
    page = new_page()
    signed_in(page, firm, f"/app#/messages/{message_id}")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert").filter(has_text="Write the reply first.")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_be_focused()
    page.route(
        f"**/v1/messages/{message_id}/reply",
        lambda route: route.fulfill(
            status=403,
            content_type="application/json",
            body='{"error": {"code": "firm_not_verified", "message": "Not verified."}}',
        ),
    )
    page.get_by_label("Your reply").fill("Hello")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert").filter(has_text="not confirmed yet")).to_be_visible()


def test_empty_tabs_and_inbox_say_what_to_do(firm: Firm, new_page, shots) -> None:
    account = firm.account("Lee Holdings", "business")
    page = new_page()
    signed_in(page, firm, f"/app#/accounts/{account}/emails")
    expect(page.get_by_text("No emails yet")).to_be_visible()
    expect(page.get_by_role("link", name="Settings", exact=True).last).to_have_attribute(
        "href", "#/settings/mailbox"
    )
    page.get_by_role("link", name="Docs").click()
    expect(page.get_by_text("No documents yet")).to_be_visible()
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("No notifications yet")).to_be_visible()
    page.get_by_role("link", name="Activity").click()
    expect(page.get_by_role("list", name="Activity on this account")).to_contain_text(
        "Account Lee Holdings created."
    )
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Inbox+").click()
    expect(page.get_by_text("No emails yet")).to_be_visible()
    expect(page.get_by_text("turn EMAIL SYNC on for a client\u2019s address")).to_be_visible()
    shots(page, "app-inbox-empty")
