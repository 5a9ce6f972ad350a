""" "Forgot your password?" in Chromium: the link under the portal's sign-in form asks for
an email, the email's link opens the reset page, which takes the new password twice and
sends the person back to sign in; in English, in Dutch, and in the pseudo-locale at
375 px."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import PseudoLocale
from tests.browser.data import Firm, stable_key

RESET = re.compile(r"https?://\S+(/reset\?token=[A-Za-z0-9_.-]+)")
NEW_PASSWORD = "a brand new pass phrase"


def portal_client(firm: Firm, key: str) -> str:
    """A client with portal access (activated through the API); returns the address."""
    address = f"ann-{stable_key(key)}@client.example"
    contact = firm.contact("Ann", "Smith", address)
    account_id = firm.account("Smith family")
    firm.link(account_id, contact["contact_id"])
    firm.toggle(account_id, contact["emails"][0]["email_id"], login=True, send_invitation=True)
    firm.accept(address)
    return address


def reset_links(firm: Firm, address: str) -> list[str]:
    return [link for m in firm.mail.to(address) for link in RESET.findall(m["text"])]


def ask_for_link(page: Page, address: str, *, forgot: str, send: str, sent: str) -> None:
    page.goto("/portal")
    page.get_by_role("button", name=forgot).click()
    field = page.locator("#forgot-email")
    expect(field).to_be_focused()
    field.fill(address)
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("status").filter(has_text=sent)).to_be_visible()


def test_a_client_asks_for_a_link_and_chooses_a_new_password(
    firm: Firm, new_page: Callable[..., Page], shots: Callable[[Page, str], None]
) -> None:
    address = portal_client(firm, "reset en")
    page = new_page()

    ask_for_link(
        page,
        address,
        forgot="Forgot your password?",
        send="Send the link",
        sent="If an account exists for this address, we sent a link to it.",
    )
    shots(page, "password-reset-asked")
    [link] = reset_links(firm, address)

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_focused()
    expect(page.get_by_text("Use at least 12 characters.")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill("something else entirely")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("alert")).to_have_text("The two passwords are not the same.")
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    shots(page, "password-reset-form")
    page.get_by_role("button", name="Save the new password").click()

    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_focused()
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/portal$"))
    time.sleep(1.05)  # a session of the next second: the cut-off is the reset's second
    page.locator("#login-email").fill(address)
    page.locator("#login-password").fill(NEW_PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#login-view")).to_be_hidden()

    page.goto(link)  # once only
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.get_by_text("This link has been used already.")).to_be_visible()


def test_the_reset_pages_speak_dutch_to_a_dutch_client(
    firm: Firm, new_page: Callable[..., Page]
) -> None:
    firm.settings(language="nl")
    address = portal_client(firm, "reset nl")
    page = new_page(locale="nl-NL")

    ask_for_link(
        page,
        address,
        forgot="Wachtwoord vergeten?",
        send="Link versturen",
        sent="Als er een account met dit adres bestaat, hebben we er een link naartoe gestuurd.",
    )
    [link] = reset_links(firm, address)
    english = new_page(locale="en-GB")  # the page follows the email, not the browser
    english.goto(link)

    expect(english.locator("html")).to_have_attribute("lang", "nl-NL")
    expect(english.get_by_role("heading", name="Kies een nieuw wachtwoord")).to_be_visible()
    english.get_by_label("Nieuw wachtwoord", exact=True).fill("te kort")
    english.get_by_label("Nieuw wachtwoord herhalen").fill("te kort")
    english.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    expect(english.get_by_role("alert")).to_have_text(
        "Het wachtwoord moet minstens 12 tekens hebben."
    )


def test_a_broken_link_says_so(new_page: Callable[..., Page]) -> None:
    page = new_page()

    page.goto("/reset?token=not-a-token")

    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_focused()
    expect(page.get_by_text("This link is not valid.")).to_be_visible()


def test_the_reset_pages_in_the_pseudo_locale_are_localized_and_fit_375_px(
    firm: Firm, new_page: Callable[..., Page], pseudo_locale: PseudoLocale
) -> None:
    address = portal_client(firm, "reset pseudo")
    page = new_page()
    pseudo_locale.install(page)
    page.goto("/portal")
    page.locator("#forgot-open").click()
    page.locator("#forgot-email").fill(address)
    page.locator("#forgot-form button[type=submit]").click()
    expect(page.locator("#forgot-status")).to_contain_text("[")
    pseudo_locale.assert_localized(page)
    pseudo_locale.assert_fits(page)
    [link] = reset_links(firm, address)

    page.goto(link)
    expect(page.locator("#reset-rule")).to_contain_text("[")
    pseudo_locale.assert_localized(page)
    pseudo_locale.assert_fits(page)
