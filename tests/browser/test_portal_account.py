"""The client portal with something in it (issue 12): synced mail from a real Dovecot
mailbox, the picker saying what is new on each account, the account's emails (one read
in a sandboxed frame), its documents (downloaded with the same bytes), the firm's contact
details, and the account's name shown once, at 1280 and 375 px."""

from __future__ import annotations

import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from playwright.sync_api import Page, expect

from local import Stack
from tests.browser.data import Firm
from tests.browser.test_portal import client_with_two_accounts, sign_in
from tests.dovecot import Dovecot, ImapUser

PDF = b"%PDF-1.7 " + bytes(range(256)) * 16


def mail(
    sender: str,
    to: str,
    subject: str,
    text: str,
    *,
    html: str | None = None,
    attachment: bytes | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="client.example")
    message["Date"] = formatdate(time.time() - 600, usegmt=True)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="Tax return 2025.pdf"
        )
    return message.as_bytes()


def synced_mail(firm: Firm, stack: Stack, user: ImapUser, address: str, account: str) -> None:
    """The firm's mailbox holds mail with the client (and other mail); EMAIL SYNC goes on
    for the client's address on `account`, and the history sync runs."""
    user.append(
        mail(address, user.name, "Documents for my return", "Here they are.", attachment=PDF)
    )
    user.append(
        mail(
            user.name,
            address,
            "Your return is ready",
            "Your return is ready. Please check the figures.",
            html="<p>Your return is <strong>ready</strong>. Please check the figures.</p>",
        ),
        folder="Sent",
    )
    user.append(mail("someone@else.example", user.name, "Not about you", "Other business."))
    firm.call("PATCH", "/v1/firm/settings", 200, json={"auto_save_attachments": True})
    mailbox = {
        "imap_host": "127.0.0.1",
        "imap_port": user.server.port,
        "username": user.name,
        "password": user.password,
        "security": "none",
    }
    firm.call("PUT", "/v1/firm/mailbox", 200, json=mailbox)
    contacts = firm.call("GET", f"/v1/accounts/{account}/contacts", 200)["contacts"]
    email_id = next(e["email_id"] for c in contacts for e in c["emails"] if e["address"] == address)
    firm.toggle(account, email_id, email_sync=True)
    stack.wait_idle()


def visible_copies(page: Page, text: str) -> list[str]:
    """The elements holding `text` that a person can see: rendered, and not clipped to a
    pixel as visually-hidden text is (each named by its tag, id and class)."""
    return list(
        page.evaluate(
            """(text) => {
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              const seen = [];
              while (walker.nextNode()) {
                const node = walker.currentNode;
                if (!node.textContent.includes(text)) continue;
                let element = node.parentElement;
                let shown = element.checkVisibility({visibilityProperty: true});
                for (; shown && element; element = element.parentElement) {
                  const box = element.getBoundingClientRect();
                  if (box.width <= 2 || box.height <= 2) shown = false;
                }
                const parent = node.parentElement;
                if (shown) seen.push(`${parent.tagName}#${parent.id}.${parent.className}`);
              }
              return seen;
            }""",
            text,
        )
    )


def page_width(page: Page) -> int:
    """How wide the page is laid out: more than the viewport means scrolling sideways."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_a_client_sees_what_is_new_reads_an_email_downloads_a_document_and_finds_the_firm(
    firm: Firm, stack: Stack, dovecot: Dovecot, new_page, shots
) -> None:
    address, family, _ = client_with_two_accounts(firm, "jane@smith-family.example")
    firm.call(
        "PATCH",
        "/v1/firm/settings",
        200,
        json={
            "contact_email": "desk@ledger.example",
            "contact_phone": "+31 20 123 4567",
            "address": "Keizersgracht 1\n1015 AA Amsterdam",
            "website": "https://ledger.example",
        },
    )
    synced_mail(firm, stack, dovecot.add_user(), address, family)

    page = new_page()
    page.goto("/portal")
    sign_in(page, address)
    picker = page.get_by_role("dialog", name="Choose an account")
    family_option = picker.get_by_role("radio", name="Smith Family")
    expect(family_option).to_have_accessible_description("1 new document, 2 new messages")
    expect(picker.get_by_role("radio", name="Smith Design Ltd")).to_have_accessible_description(
        "Nothing new"
    )
    expect(picker).to_contain_text("1 new document, 2 new messages")
    shots(page, "portal-picker")

    family_option.check()
    picker.get_by_role("button", name="Open account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Family")
    emails = page.get_by_role("list", name="Emails")
    expect(emails.get_by_role("listitem")).to_have_count(2)
    expect(emails).not_to_contain_text("Not about you")
    documents = page.get_by_role("list", name="Documents")
    expect(documents).to_contain_text("Tax return 2025.pdf")
    contact = page.get_by_role("region", name="Contact Ledger & Co")
    expect(contact.get_by_role("link", name="desk@ledger.example")).to_have_attribute(
        "href", "mailto:desk@ledger.example"
    )
    expect(contact.get_by_role("link", name="+31 20 123 4567")).to_have_attribute(
        "href", "tel:+31201234567"
    )
    expect(contact).to_contain_text("Keizersgracht 1")
    expect(contact.get_by_role("link", name="ledger.example", exact=True)).to_have_attribute(
        "href", "https://ledger.example"
    )
    shots(page, "portal-account")
    # the account's name once, on a phone as on a desk, and nothing wider than the screen
    for width, height in ((375, 812), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert len(visible_copies(page, "Smith Family")) == 1, visible_copies(page, "Smith Family")
        assert len(visible_copies(page, "Switch account")) == 1
        assert page_width(page) == width

    # an email, in a sandboxed frame that may load and run nothing
    emails.get_by_role("button", name="Your return is ready").click()
    reader = page.get_by_role("dialog", name="Your return is ready")
    expect(reader).to_be_visible()
    expect(reader.locator("iframe")).to_have_attribute("sandbox", "")
    frame = reader.frame_locator("iframe")
    expect(frame.locator("strong")).to_have_text("ready")
    expect(reader).to_contain_text(address)
    shots(page, "portal-message")
    reader.get_by_role("button", name="Close").click()
    expect(reader).to_be_hidden()
    expect(emails.get_by_role("button", name="Your return is ready")).to_be_focused()

    emails.get_by_role("button", name="Documents for my return").click()
    plain = page.get_by_role("dialog", name="Documents for my return")
    expect(plain.locator("pre")).to_have_text("Here they are.")
    expect(plain).to_contain_text("Tax return 2025.pdf (in Documents)")
    plain.get_by_role("button", name="Close").click()

    # the document downloads with the bytes that came in the email
    with page.expect_download() as started:
        documents.get_by_role("button", name="Download Tax return 2025.pdf").click()
    download = started.value
    assert download.suggested_filename == "Tax return 2025.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # opened: nothing is new on this account any more
    page.get_by_role("region", name="Current account").get_by_role(
        "button", name="Switch account"
    ).click()
    expect(picker.get_by_role("radio", name="Smith Family")).to_have_accessible_description(
        "Nothing new"
    )
    page.keyboard.press("Escape")

    # the lists page: a section of its own shows them all
    sidebar = page.get_by_role("navigation", name="Portal")
    sidebar.get_by_role("link", name="Emails").click()
    expect(page.get_by_role("heading", name="Emails", level=2)).to_be_visible()
    expect(page.get_by_role("list", name="Emails").get_by_role("listitem")).to_have_count(2)
    expect(sidebar.get_by_role("link", name="Emails")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Documents", level=2)).to_have_count(0)
    shots(page, "portal-emails")

    sidebar.get_by_role("link", name="Documents").click()
    expect(page.get_by_role("heading", name="Documents", level=2)).to_be_visible()
    expect(page.get_by_role("list", name="Documents")).to_contain_text("Tax return 2025.pdf")
    expect(page.get_by_role("heading", name="Emails", level=2)).to_have_count(0)
    shots(page, "portal-documents")

    sidebar.get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", name="Contact Ledger & Co", level=2)).to_be_visible()
    expect(page.get_by_role("list", name="Documents")).to_have_count(0)
    for width, height in ((375, 812), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert page_width(page) == width
