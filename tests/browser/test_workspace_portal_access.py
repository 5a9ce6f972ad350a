"""The portal access screen (#/portal-access): the firm-wide list of addresses with LOGIN
on, filtered by status, rows selected and invited at once with a personal note, the
per-address results shown; in English and in Dutch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.data import Firm
from tests.browser.test_contacts_panel import open_account
from tests.browser.test_languages import sign_in_as

WORDS = {
    "en": {
        "title": "Portal access",
        "status": "Status",
        "waiting": "Waiting to be invited",
        "selectAll": "Select all on this page",
        "note": "Personal note (optional)",
        "invite": "Invite 2 selected",
        "results": "Invitations sent",
        "queued": "Queued",
        "summary": "2 queued, 0 skipped.",
        "invited": "Invited",
    },
    "nl": {
        "title": "Portaaltoegang",
        "status": "Status",
        "waiting": "Wacht op uitnodiging",
        "selectAll": "Alles op deze pagina selecteren",
        "note": "Persoonlijk bericht (optioneel)",
        "invite": "2 geselecteerde uitnodigen",
        "results": "Uitnodigingen verstuurd",
        "queued": "In de wachtrij",
        "summary": "2 in de wachtrij, 0 overgeslagen.",
        "invited": "Uitgenodigd",
    },
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_filter_select_and_invite_with_a_note(firm: Firm, new_page, shots, language: str) -> None:
    words = WORDS[language]
    account = firm.account("Okafor Family")
    addresses = [f"{name}-{language}@okafor.example" for name in ("tom", "ada", "bo")]
    ids = []
    for n, address in enumerate(addresses):
        person = firm.contact(f"P{n}", "Okafor", address)
        firm.link(account, person["contact_id"])
        email_id = person["emails"][0]["email_id"]
        firm.toggle(account, email_id, login=True)
        ids.append(email_id)
    firm.call(  # one of them invited already: the filter leaves it out
        "POST",
        "/v1/portal-access/invitations",
        202,
        json={"items": [{"account_id": account, "email_id": ids[2]}]},
    )

    page = new_page(locale="nl-NL" if language == "nl" else "en-GB")
    page.goto("/app#/portal-access")
    sign_in_as(page, firm.owner_email)
    expect(page.get_by_role("heading", name=words["title"], level=1)).to_be_visible()
    rows = page.locator("table.portal-access-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("tr.waiting")).to_have_count(2)

    page.get_by_label(words["status"], exact=True).select_option("not_invited")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(words["waiting"])
    page.get_by_label(words["selectAll"]).check()
    note = "Welcome aboard!\n<b>See you</b>"
    page.get_by_label(words["note"]).fill(note)
    expect(page.locator("#pa-note-count")).to_contain_text(str(len(note)))
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 812 if width == 375 else 800})
        shots(page, f"app-portal-access-{language}-{width}")
    page.get_by_role("button", name=words["invite"]).click()

    results = page.get_by_role("region", name=words["results"])
    expect(results).to_contain_text(words["summary"])
    expect(results.get_by_role("listitem")).to_have_count(2)
    expect(results.get_by_role("listitem").first).to_contain_text(words["queued"])
    expect(page.locator("table.portal-access-table tbody tr.waiting")).to_have_count(0)

    page.get_by_label(words["status"], exact=True).select_option("invited")
    expect(rows).to_have_count(3)
    for address in addresses[:2]:  # /_local/mail waits for the invite function
        (message,) = firm.mail.to(address)
        assert "Welcome aboard!\n<b>See you</b>" in message["text"]
        assert "&lt;b&gt;See you&lt;/b&gt;" in message["html"]


def test_a_single_invitation_from_the_contacts_section_carries_a_note(firm: Firm, new_page) -> None:
    account = firm.account("Okafor Family")
    address = "ada-single@okafor.example"
    person = firm.contact("Ada", "Okafor", address)
    firm.link(account, person["contact_id"])
    firm.toggle(account, person["emails"][0]["email_id"], login=True)  # invite later

    page = new_page()
    open_account(page, firm.owner_email, "Okafor Family")
    page.get_by_text("Personal note (optional)").first.click()  # the <details> summary
    page.get_by_role("textbox", name="Personal note (optional)").fill("See you <Friday> & bye")
    page.get_by_role("button", name=f"Send invitation to {address}").click()
    expect(page.locator('[data-role="row-done"]')).to_contain_text(f"Invitation sent to {address}")

    (message,) = firm.mail.to(address)
    assert "See you <Friday> & bye" in message["text"]
    assert "See you &lt;Friday&gt; &amp; bye" in message["html"]
