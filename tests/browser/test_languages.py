"""Both web apps in the reader's language (issue 13): a Dutch and a British browser, the
language switch, the signed-in person's own language, the firm's "u" or "je", the API's
error messages, and the pseudo-locale that catches any text outside the catalogs and any
layout that breaks on longer words.

The portal's cases come first; the workspace's follow at the end of the file."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from local import Stack
from local.testing import ApiSession
from tests.browser.conftest import PseudoLocale
from tests.browser.data import PASSWORD, Firm
from tests.browser.test_portal import client_with_two_accounts
from tests.browser.test_portal_account import synced_mail
from tests.dovecot import Dovecot

WRONG_PASSWORD = "not-the-password"


def one_account_client(firm: Firm, address: str, *, language: str | None = None) -> str:
    """A client with LOGIN on one account (Smith Family), activated; `language`: the
    contact's own (PATCH /v1/contacts/{id}), else the firm's. Answers the account's id."""
    account = firm.account("Smith Family")
    contact = firm.contact("Jane", "Smith", address)
    if language:
        firm.call(
            "PATCH", f"/v1/contacts/{contact['contact_id']}", 200, json={"language": language}
        )
    firm.link(account, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    firm.toggle(account, email_id, send_invitation=True, login=True)
    firm.accept(address)
    return account


def sign_in_as(page: Page, address: str, password: str = PASSWORD) -> None:
    """The sign-in form by its fields, whatever the language of their labels."""
    page.locator("#login-email").fill(address)
    page.locator("#login-password").fill(password)
    page.locator("#login-form button[type=submit]").click()


def language_switch(page: Page) -> Locator:
    return page.locator("select.language-switch")


# --------------------------------------------------------------------------- portal


def test_a_dutch_browser_gets_the_portal_in_dutch_with_dutch_counts_and_dates(
    firm: Firm, stack: Stack, dovecot: Dovecot, new_page, shots
) -> None:
    firm.settings(language="nl", time_zone="Europe/Amsterdam")
    address, family, _ = client_with_two_accounts(firm, "jane@smith-nl.example")
    synced_mail(firm, stack, dovecot.add_user(), address, family)
    page = new_page(locale="nl-NL")
    page.goto("/portal")

    expect(page.locator("html")).to_have_attribute("lang", "nl-NL")
    expect(page.get_by_role("heading", name="Inloggen op uw klantportaal")).to_be_visible()
    expect(page.get_by_label("E-mailadres", exact=True)).to_be_focused()
    expect(page.get_by_role("combobox", name="Taal")).to_have_value("nl")
    expect(page).to_have_title("Inloggen · Klantportaal")
    shots(page, "portal-login-nl")

    page.get_by_label("E-mailadres", exact=True).fill(address)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_have_text("Vul uw wachtwoord in.")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    picker = page.get_by_role("dialog", name="Kies een account")
    # plurals by count, joined as Dutch joins them
    expect(picker.get_by_role("radio", name="Smith Family")).to_have_accessible_description(
        "1 nieuw document en 2 nieuwe e-mails"
    )
    expect(picker.get_by_role("radio", name="Smith Design Ltd")).to_have_accessible_description(
        "Niets nieuws"
    )
    picker.get_by_role("radio", name="Smith Family").check()
    picker.get_by_role("button", name="Account openen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Family")
    notice = page.get_by_role("region", name="Huidig account")
    expect(notice.get_by_role("paragraph")).to_have_text("U bekijkt Smith Family.")
    expect(page.get_by_text("Uw klantportaal bij Ledger & Co")).to_be_visible()
    emails = page.get_by_role("list", name="E-mails")
    expect(emails.get_by_role("listitem")).to_have_count(2)
    expect(emails).to_contain_text("Van ")
    documents = page.get_by_role("list", name="Documenten")
    expect(documents.get_by_role("button", name="Tax return 2025.pdf downloaden")).to_be_visible()
    # "2 dec 2026": a Dutch month, the size with a decimal comma and the unit as Dutch writes it
    expect(emails.locator("time").first).to_have_text(re.compile(r"^\d{1,2} [a-z]{3}\.? \d{4}$"))
    expect(documents).to_contain_text(re.compile(r"\d+(,\d)? kB"))
    expect(page).to_have_title("Smith Family · Klantportaal")
    shots(page, "portal-account-nl")

    # Times in the firm's zone: 23:30 UTC on 8 December is 00:30 on the 9th in Amsterdam.
    shown = page.evaluate(
        "async () => (await import('/assets/i18n.js')).formatDateTime('2026-12-08T23:30:00Z')"
    )
    assert shown == "9 december 2026 om 00:30"

    emails.get_by_role("button", name="Documents for my return").click()
    reader = page.get_by_role("dialog", name="Documents for my return")
    expect(reader).to_contain_text("Tax return 2025.pdf (in Documenten)")
    expect(reader.get_by_role("term").first).to_have_text("Van")
    reader.get_by_role("button", name="Sluiten").click()


def test_a_british_browser_gets_the_portal_in_english(firm: Firm, new_page, shots) -> None:
    address = "jane@smith-en.example"
    one_account_client(firm, address)
    page = new_page(locale="en-GB")
    page.goto("/portal")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", name="Sign in to your client portal")).to_be_visible()
    expect(page.get_by_role("combobox", name="Language")).to_have_value("en")
    shots(page, "portal-login-en")

    sign_in_as(page, address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Family")
    expect(page.get_by_text("Your client portal with Ledger & Co")).to_be_visible()
    expect(page.get_by_text("No documents to show yet")).to_be_visible()
    expect(page.get_by_role("navigation", name="Portal").get_by_role("link")).to_have_text(
        ["Overview", "Emails", "Documents", "Contact"]
    )
    shots(page, "portal-account-en")


def test_the_switch_changes_the_language_in_place_and_keeps_it_over_the_persons_own(
    firm: Firm, new_page
) -> None:
    address = "jane@smith-switch.example"
    one_account_client(firm, address)  # the firm writes English; the contact has no language
    page = new_page(locale="en-GB")
    page.goto("/portal")
    page.evaluate("window.notReloaded = true")

    # by keyboard: from the email field (focused on arrival) back to the switch, then
    # choose with the arrows
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("combobox", name="Language")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("heading", name="Inloggen op uw klantportaal")).to_be_visible()
    expect(page.get_by_role("combobox", name="Taal")).to_be_focused()  # the same select
    expect(page.locator("html")).to_have_attribute("lang", "nl-NL")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_attached()
    assert page.evaluate("window.notReloaded") is True

    page.reload()
    expect(page.get_by_role("heading", name="Inloggen op uw klantportaal")).to_be_visible()

    # The person's language is English (the firm's): the reader's own choice stays.
    sign_in_as(page, address)
    expect(page.get_by_text("Uw klantportaal bij Ledger & Co")).to_be_visible()

    # Back to English inside the portal: drawn again in place, the same account open.
    page.get_by_role("combobox", name="Taal").select_option("en")
    expect(page.get_by_text("Your client portal with Ledger & Co")).to_be_visible()
    expect(page.get_by_role("heading", name="Emails", level=2)).to_be_visible()
    expect(page).to_have_title("Smith Family · Client portal")


def test_a_contact_whose_language_is_dutch_reads_dutch_after_signing_in_at_an_english_firm(
    firm: Firm, new_page
) -> None:
    address = "jane@smith-contact-nl.example"
    one_account_client(firm, address, language="nl")
    page = new_page(locale="en-GB")
    page.goto("/portal")
    expect(page.get_by_role("heading", name="Sign in to your client portal")).to_be_visible()

    sign_in_as(page, address)
    expect(page.get_by_text("Uw klantportaal bij Ledger & Co")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl-NL")
    expect(page.get_by_role("combobox", name="Taal")).to_have_value("nl")
    expect(page.get_by_text("Nog geen documenten")).to_be_visible()

    # A reload keeps it (the session remembers what the API said).
    page.reload()
    expect(page.get_by_text("Uw klantportaal bij Ledger & Co")).to_be_visible()

    # Signed out, the sign-in screen stays in the language just read.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen op uw klantportaal")).to_be_visible()


def test_a_firm_that_says_je_gets_je_in_the_portal(firm: Firm, new_page) -> None:
    firm.settings(language="nl", form_of_address="informal")
    address = "jane@smith-je.example"
    one_account_client(firm, address)
    page = new_page(locale="nl-NL")
    page.goto("/portal")
    sign_in_as(page, address)
    expect(page.get_by_text("Je klantportaal bij Ledger & Co")).to_be_visible()
    expect(
        page.get_by_text("Hier verschijnen de documenten die je kantoor met je deelt.")
    ).to_be_visible()
    expect(page.get_by_text("Uw klantportaal")).to_have_count(0)

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("button", name="Inloggen").click()
    # still the firm's form after signing out of it: "je"
    expect(page.get_by_role("alert")).to_have_text("Vul je e-mailadres in.")


def test_api_errors_come_back_in_the_language_of_the_page(
    firm: Firm, api: ApiSession, new_page
) -> None:
    address = "jane@smith-errors.example"
    one_account_client(firm, address)
    page = new_page(locale="nl-NL")
    page.goto("/portal")

    with page.expect_request("**/v1/portal/login") as sent:
        sign_in_as(page, address, WRONG_PASSWORD)
    assert sent.value.headers["accept-language"] == "nl-NL"
    body = {"email": address, "password": WRONG_PASSWORD}
    dutch = api.post("/v1/portal/login", json=body, headers={"Accept-Language": "nl-NL"})
    english = api.post("/v1/portal/login", json=body, headers={"Accept-Language": "en-GB"})
    message = dutch.json()["error"]["message"]
    assert message != english.json()["error"]["message"]
    expect(page.get_by_role("alert")).to_have_text(message)

    # The page's own words too, when the API cannot answer at all.
    page.route("**/v1/portal/login", lambda route: route.abort())
    sign_in_as(page, address)
    expect(page.get_by_role("alert")).to_have_text(
        "De verbinding is mislukt. Controleer uw netwerk en probeer het opnieuw."
    )


def test_the_portal_in_the_pseudo_locale_has_no_text_outside_the_catalogs_and_fits_375_px(
    firm: Firm, new_page, pseudo_locale: PseudoLocale
) -> None:
    address, _, _ = client_with_two_accounts(firm, "jane@smith-pseudo.example")
    page = new_page(locale="en-GB")
    pseudo_locale.install(page)
    page.goto("/portal")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(language_switch(page)).to_have_value(pseudo_locale.language)
    expect(page.locator("#login-title")).to_contain_text("[")
    pseudo_locale.assert_localized(page)
    pseudo_locale.assert_fits(page)

    sign_in_as(page, address, WRONG_PASSWORD)
    expect(page.locator("#login-error")).not_to_be_empty()
    page.locator("#login-password").fill("")
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#login-error")).to_contain_text("[")
    pseudo_locale.assert_localized(page)

    sign_in_as(page, address)
    picker = page.locator("#picker")
    expect(picker).to_be_visible()
    names = ["Smith Family", "Smith Design Ltd", "Ledger & Co", address]
    pseudo_locale.assert_localized(page, allowed=names)
    pseudo_locale.assert_fits(page)

    picker.locator("#picker-open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith Design Ltd")
    expect(page.locator("#sections .empty strong").first).to_be_visible()
    pseudo_locale.assert_localized(page, allowed=names)
    pseudo_locale.assert_fits(page)

    page.locator("#notice-close").click()
    page.locator(".sidebar-links a[data-section=contact]").click()
    expect(page.locator("#section-contact")).to_be_visible()
    pseudo_locale.assert_localized(page, allowed=names)
    pseudo_locale.assert_fits(page)


# ------------------------------------------------------------------------ workspace


DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def invited_row(firm: Firm, address: str) -> tuple[str, str, str]:
    """Smith Family with Jane Smith linked and invited (LOGIN on, not yet accepted):
    (account_id, email_id, the invitation's expiry as the API answers it)."""
    account = firm.account("Smith Family")
    contact = firm.contact("Jane", "Smith", address)
    firm.link(account, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    row = firm.toggle(account, email_id, login=True, notify=True, send_invitation=True)
    return account, email_id, row["invitation_expires_at"]


def dutch_date_in_amsterdam(iso: str) -> str:
    """The expiry as the Dutch page writes it, "9 december 2026": the day in Amsterdam, the month as Dutch writes it."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(
        ZoneInfo("Europe/Amsterdam")
    )
    return f"{moment.day} {DUTCH_MONTHS[moment.month - 1]} {moment.year}"


def test_a_dutch_browser_gets_the_workspace_in_dutch_with_taxdomes_terms_and_firm_dates(
    firm: Firm, new_page, shots
) -> None:
    firm.settings(time_zone="Europe/Amsterdam")
    address = "jane@smith-ws-nl.example"
    _, _, expires_at = invited_row(firm, address)
    page = new_page(locale="nl-NL")
    page.goto("/app")

    expect(page.locator("html")).to_have_attribute("lang", "nl-NL")
    expect(page.get_by_role("heading", name="Inloggen voor medewerkers")).to_be_visible()
    expect(page.get_by_role("combobox", name="Taal")).to_have_value("nl")
    expect(page).to_have_title("Inloggen voor medewerkers · Practice CRM")
    sign_in_as(page, firm.owner_email)

    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Werkomgeving")
    expect(nav.get_by_role("link")).to_have_text(
        ["Accounts", "Contacten", "Inbox+", "Portaaltoegang", "Instellingen"]
    )
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.get_by_role("button", name="Nieuw account")).to_be_visible()
    expect(page.get_by_role("link", name="Smith Family")).to_contain_text("Familie")
    shots(page, "app-accounts-nl")

    page.get_by_role("link", name="Smith Family").click()
    tabs = page.get_by_role("navigation", name="Onderdelen van het account")
    expect(tabs.get_by_role("link")).to_have_text(
        ["Info", "E-mails", "Docs", "Meldingen", "Activiteit"]
    )
    expect(page.get_by_role("heading", name="Contacten", level=2)).to_be_visible()
    row = page.get_by_role("group", name=address)
    expect(row.get_by_role("switch", name=f"LOGIN voor {address}")).to_be_checked()
    expect(row.get_by_role("switch", name=f"Verwittigen voor {address}")).to_be_checked()
    expect(row.get_by_role("switch", name=f"e-mail SYNC voor {address}")).not_to_be_checked()
    # The example: Dutch words around a Dutch date, the day in the firm's zone.
    expect(row.locator(".chip-invited")).to_have_text(
        f"Uitgenodigd tot {dutch_date_in_amsterdam(expires_at)}"
    )
    expect(
        row.get_by_role("button", name=f"Uitnodiging opnieuw versturen naar {address}")
    ).to_be_visible()
    expect(page).to_have_title("Smith Family · Practice CRM")
    shots(page, "app-account-nl")

    page.get_by_role("button", name=f"Meer voor {address}").click()
    page.get_by_role("menuitem", name="Meldingsvoorkeuren").click()
    dialog = page.get_by_role("dialog", name="Meldingsvoorkeuren")
    expect(dialog.get_by_role("switch", name="Facturen en betalingen")).to_be_visible()
    dialog.get_by_role("button", name="Annuleren").click()

    nav.get_by_role("link", name="Inbox+").click()
    expect(page.get_by_role("heading", name="Inbox+", level=1)).to_be_visible()
    expect(page.get_by_text("Nog geen e-mails")).to_be_visible()
    shots(page, "app-inbox-nl")

    nav.get_by_role("link", name="Instellingen").click()
    expect(page.get_by_role("heading", name="Kantoorinstellingen")).to_be_visible()
    expect(page.locator("#main").get_by_label("Tijdzone")).to_have_value("Europe/Amsterdam")
    expect(page.get_by_role("radio", name="Formeel: u")).to_be_checked()
    expect(page).to_have_title("Kantoor · Instellingen · Practice CRM")
    shots(page, "app-settings-nl")


def test_a_british_browser_gets_the_workspace_in_english(firm: Firm, new_page, shots) -> None:
    address = "jane@smith-ws-en.example"
    invited_row(firm, address)
    page = new_page(locale="en-GB")
    page.goto("/app")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
    expect(page.get_by_role("combobox", name="Language")).to_have_value("en")
    sign_in_as(page, firm.owner_email)
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    shots(page, "app-accounts-en")

    page.get_by_role("link", name="Smith Family").click()
    row = page.get_by_role("group", name=address)
    expect(row.get_by_role("switch", name=f"EMAIL SYNC for {address}")).not_to_be_checked()
    # "Invited until 9 December 2026": English words, an English date, in UTC (the default)
    expect(row.locator(".chip-invited")).to_have_text(
        re.compile(r"^Invited until \d{1,2} [A-Z][a-z]+ \d{4}$")
    )
    shots(page, "app-account-en")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Inbox+").click()
    expect(page.get_by_text("No emails yet")).to_be_visible()
    shots(page, "app-inbox-en")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Firm settings")).to_be_visible()
    expect(page.locator("#main").get_by_label("Time zone")).to_have_value("UTC")
    shots(page, "app-settings-en")


def test_the_workspace_switch_is_saved_to_the_staff_record_and_follows_to_another_browser(
    firm: Firm, new_page
) -> None:
    employee = firm.staff_member("employee", manage_accounts=False)
    page = new_page(locale="en-GB")
    page.goto("/app")
    sign_in_as(page, employee)
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    page.evaluate("window.notReloaded = true")

    # An employee without admin rights may still choose their own language.
    with page.expect_response("**/v1/staff/*") as saved:
        page.get_by_role("combobox", name="Language").select_option("nl")
    assert saved.value.request.method == "PATCH" and saved.value.status == 200
    expect(page.get_by_role("button", name="Nieuw account")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl-NL")
    assert page.evaluate("window.notReloaded") is True  # drawn again in place
    members = firm.call("GET", "/v1/staff", 200)["items"]
    assert next(m for m in members if m["email"] == employee)["language"] == "nl"

    # Another browser (no choice kept there, an English one): the record's language wins.
    other = new_page(locale="en-GB")
    other.goto("/app")
    expect(other.get_by_role("heading", name="Staff sign in")).to_be_visible()
    sign_in_as(other, employee)
    expect(other.get_by_role("button", name="Nieuw account")).to_be_visible()
    expect(other.get_by_role("combobox", name="Taal")).to_have_value("nl")


def test_the_firms_language_time_zone_and_form_of_address_are_saved_from_settings(
    firm: Firm, new_page
) -> None:
    page = new_page(locale="en-GB")
    page.goto("/app#/settings/firm")
    sign_in_as(page, firm.owner_email)
    main = page.locator("#main")
    expect(main.get_by_label("Language of emails to clients")).to_have_value("en")
    main.get_by_label("Language of emails to clients").select_option("nl")
    main.get_by_label("Time zone").select_option("Europe/Amsterdam")
    page.get_by_role("radio", name="Informal: je").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Settings saved")).to_be_visible()

    saved = firm.call("GET", "/v1/firm/settings", 200)
    assert (saved["language"], saved["time_zone"], saved["form_of_address"]) == (
        "nl",
        "Europe/Amsterdam",
        "informal",
    )
    # The pages of this browser write times in the new zone at once.
    shown = page.evaluate(
        "async () => (await import('/assets/i18n.js')).formatDateTime('2026-12-08T23:30:00Z')"
    )
    assert shown == "9 December 2026 at 00:30"

    # Read back after a reload, and nothing to save when nothing changed.
    page.reload()
    expect(main.get_by_label("Time zone")).to_have_value("Europe/Amsterdam")
    expect(page.get_by_role("radio", name="Informal: je")).to_be_checked()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Nothing to save")).to_be_visible()


def test_a_contacts_language_is_chosen_as_firm_default_english_or_nederlands(
    firm: Firm, new_page
) -> None:
    contact = firm.contact("Jane", "Smith", "jane@smith-ws-lang.example")
    page = new_page(locale="nl-NL")
    page.goto(f"/app#/contacts/{contact['contact_id']}")
    sign_in_as(page, firm.owner_email)
    language = page.locator("#main").get_by_label("Taal van e-mails")
    expect(language.locator("option")).to_have_text(
        ["Standaard van het kantoor", "English", "Nederlands"]
    )
    expect(language).to_have_value("")
    language.select_option("nl")
    page.get_by_role("button", name="Gegevens opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Gegevens opgeslagen.")).to_be_attached()
    assert firm.call("GET", f"/v1/contacts/{contact['contact_id']}", 200)["language"] == "nl"


def test_the_workspace_in_the_pseudo_locale_has_no_text_outside_the_catalogs_and_fits_375_px(
    firm: Firm, new_page, pseudo_locale: PseudoLocale
) -> None:
    address = "jane@smith-ws-pseudo.example"
    account, _, _ = invited_row(firm, address)
    page = new_page(locale="en-GB")
    pseudo_locale.install(page)
    page.goto("/app")
    expect(language_switch(page)).to_have_value(pseudo_locale.language)
    expect(page.locator("#login-title")).to_contain_text("[")
    pseudo_locale.assert_localized(page)
    pseudo_locale.assert_fits(page)

    sign_in_as(page, firm.owner_email)
    contact_id = firm.call("GET", "/v1/contacts", 200)["items"][0]["contact_id"]
    data = ["Smith Family", "Jane Smith", "Ledger & Co", address, firm.owner_email]
    data.append("first_name,last_name,email")  # the CSV's header row, as the API reads it
    screens = [
        ("#/accounts", "#accounts-results li"),
        (f"#/accounts/{account}", ".row[data-email-id] .chip"),
        (f"#/accounts/{account}/activity", ".activity-list li"),
        ("#/inbox", ".empty"),
        (f"#/accounts/{account}/emails", ".empty"),
        (f"#/accounts/{account}/docs", ".empty"),
        (f"#/accounts/{account}/notifications", ".delivery-list li"),
        ("#/contacts", ".contact-list li"),
        (f"#/contacts/{contact_id}", ".address-item"),
        ("#/contacts/import", ".csv-sample"),
        ("#/settings/firm", ".settings-form"),
        ("#/settings/staff", ".staff-list li"),
        ("#/settings/mailbox", "#mailbox-status"),
        ("#/settings/suppressions", ".empty"),
    ]
    for route, drawn in screens:
        page.goto(f"/app{route}")
        expect(page.locator(drawn).first).to_be_visible()
        expect(page.locator("[aria-busy=true]")).to_have_count(0)
        # the activity's summaries are the API's (its Accept-Language), not the page's
        allowed = page.locator(".activity-what").all_inner_texts() + data
        pseudo_locale.assert_localized(page, allowed=allowed)
        pseudo_locale.assert_fits(page)

    page.goto(f"/app#/accounts/{account}")
    page.locator(".row-menu .menu-button").first.click()
    page.locator(".row-menu [role=menuitem]").first.click()
    expect(page.locator("#prefs-dialog")).to_be_visible()
    pseudo_locale.assert_localized(page, allowed=data)


def test_inbox_and_the_reader_in_dutch_and_in_the_pseudo_locale(
    firm: Firm, stack: Stack, dovecot: Dovecot, new_page, shots, pseudo_locale: PseudoLocale
) -> None:
    firm.settings(time_zone="Europe/Amsterdam")
    address = "jane@smith-ws-reader.example"
    account, _, _ = invited_row(firm, address)
    synced_mail(firm, stack, dovecot.add_user(), address, account)
    page = new_page(locale="nl-NL")
    page.goto("/app#/inbox")
    sign_in_as(page, firm.owner_email)

    emails = page.get_by_role("list", name="E-mails")
    expect(emails.get_by_role("listitem")).to_have_count(2)
    expect(emails).to_contain_text("Aan jane@smith-ws-reader.example")
    expect(emails.get_by_text("Bijlagen")).to_be_visible()
    expect(emails.locator("time").first).to_have_text(
        re.compile(r"^\d{1,2} [a-z]{3}\.? \d{4}( om)?,? \d{2}:\d{2}$")
    )
    shots(page, "app-inbox-mail-nl")

    emails.get_by_role("link", name="Documents for my return").click()
    expect(page.get_by_role("heading", name="Documents for my return", level=1)).to_be_visible()
    expect(page.get_by_role("term")).to_have_text(["Van", "Aan", "Datum", "Account"])
    expect(page.get_by_role("button", name="Tax return 2025.pdf downloaden")).to_be_visible()
    expect(page.get_by_text("opgeslagen in Docs")).to_be_visible()
    expect(page.get_by_role("heading", name="Beantwoorden")).to_be_visible()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("alert")).to_have_text("Schrijf eerst uw antwoord.")
    expect(page.get_by_role("heading", name="Gesprek")).to_be_visible()
    shots(page, "app-reader-nl")

    # The same reader in the pseudo-locale: nothing outside the catalogs, nothing too wide.
    reader = page.url.split("/app", 1)[1]
    other = new_page(locale="en-GB")
    pseudo_locale.install(other)
    other.goto(f"/app{reader}")
    sign_in_as(other, firm.owner_email)
    expect(other.locator(".message-headers")).to_be_visible()
    expect(other.locator("#thread-list li, .thread-list li").first).to_be_visible()
    expect(other.locator("[aria-busy=true]")).to_have_count(0)
    data = ["Documents for my return", "Here they are.", "Tax return 2025.pdf", "Smith Family"]
    data.append(address)
    data += other.locator(".message-headers dd").all_inner_texts()
    pseudo_locale.assert_localized(other, allowed=data)
    pseudo_locale.assert_fits(other)
