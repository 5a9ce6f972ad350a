"""The notification schedule of an address, set from its row's menu in the Contacts
section: a daily summary for a category at a chosen hour, quiet hours, the time zone they
are read in; in English and in Dutch, at phone and desktop widths."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.data import Firm
from tests.browser.test_contacts_panel import open_account

ADDRESS = "tom@okafor.example"


def okafor(firm: Firm) -> tuple[str, str]:
    account = firm.account("Okafor Family")
    tom = firm.contact("Tom", "Okafor", ADDRESS)
    email_id = tom["emails"][0]["email_id"]
    firm.link(account, tom["contact_id"])
    firm.toggle(account, email_id, notify=True)
    return account, email_id


def test_a_daily_summary_and_quiet_hours_set_in_the_dialog_reach_the_api(
    firm: Firm, new_page, shots
) -> None:
    account, email_id = okafor(firm)
    firm.call("PATCH", "/v1/firm/settings", 200, json={"time_zone": "Europe/Amsterdam"})

    page = new_page()
    open_account(page, firm.owner_email, "Okafor Family")
    menu_button = page.get_by_role("button", name=f"More for {ADDRESS}")
    menu_button.click()
    page.get_by_role("menuitem", name="Notification schedule").click()

    dialog = page.get_by_role("dialog", name="Notification schedule")
    expect(dialog.get_by_role("heading", name="Notification schedule")).to_be_focused()
    expect(dialog).to_contain_text("The times above are read in Europe/Amsterdam.")
    uploads = dialog.get_by_label("Documents, uploads")
    expect(uploads).to_have_value("immediate")
    expect(dialog.get_by_role("button", name="Save")).to_be_enabled()
    uploads.select_option(label="Daily summary")
    dialog.get_by_label("Proposals").select_option(label="Hourly summary")
    dialog.get_by_label("Daily summary at").select_option("7")
    dialog.get_by_role("switch", name="Hold emails during quiet hours").check()
    dialog.get_by_label("From").fill("21:30")
    dialog.get_by_label("Until").fill("06:45")
    shots(page, "app-notification-schedule")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(menu_button).to_be_focused()

    saved = firm.call("GET", f"/v1/accounts/{account}/emails/{email_id}/notification-schedule", 200)
    assert saved["frequency"]["documents_uploads"] == "daily"
    assert saved["frequency"]["proposals"] == "hourly"
    assert saved["frequency"]["organizers"] == "immediate"
    assert saved["daily_hour"] == 7
    assert saved["quiet_hours"] == {"start": "21:30", "end": "06:45"}
    assert saved["time_zone"] is None and saved["effective_time_zone"] == "Europe/Amsterdam"

    # opened again, it shows what was saved; a wrong time zone is the API's 422, in words
    menu_button.click()
    page.get_by_role("menuitem", name="Notification schedule").click()
    expect(dialog.get_by_label("Documents, uploads")).to_have_value("daily")
    expect(dialog.get_by_label("From")).to_have_value("21:30")
    dialog.get_by_label("Time zone of this address").fill("Mars/Olympus")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Not a time zone")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()

    # a new document now waits for the daily summary, and the log says so in words
    firm.publish(account, "DocumentUploaded", "doc-schedule-1", "Tax return 2025")
    page.get_by_role("link", name="Notifications").click()
    log = page.get_by_role("list", name="Notification deliveries")
    held = log.get_by_role("listitem").filter(has_text="New document")
    expect(held).to_contain_text("Waiting")
    expect(held).to_contain_text("Held for the daily summary of")
    shots(page, "app-notifications-held")


def test_the_dialog_in_dutch_on_a_phone(firm: Firm, new_page, shots) -> None:
    okafor(firm)
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    open_account(page, firm.owner_email, "Okafor Family")
    page.get_by_role("combobox", name="Language").select_option("nl")
    page.get_by_role("button", name=f"Meer voor {ADDRESS}").click()
    page.get_by_role("menuitem", name="Meldingsschema").click()

    dialog = page.get_by_role("dialog", name="Meldingsschema")
    expect(
        dialog.get_by_role("switch", name="E-mails tijdens stille uren vasthouden")
    ).to_be_visible()
    expect(dialog).to_contain_text("Betalingsbevestigingen gaan altijd direct.")
    dialog.get_by_label("Vragenlijsten").select_option(label="Dagelijkse samenvatting")
    shots(page, "app-notification-schedule-nl")
    dialog.get_by_role("button", name="Opslaan").click()
    expect(dialog).to_be_hidden()
