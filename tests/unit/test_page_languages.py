"""The pages the API serves itself (/activate, /verify, unsubscribe, activation request)
speak their reader's language (issue 13): the invitee's or the contact's when the link
names them, else the browser's; `<html lang>` and `Content-Language` say which; Dutch
says "u" unless the firm chose "je"; dates are in the firm's time zone."""

from __future__ import annotations

from crm import clock
from crm.i18n import localizer
from crm.notifications import links
from tests.support import Answer
from tests.unit.conftest import Api, Staff, mail_to, token_in, verification_token_in

ADDRESS = "ann@home.example"
DUTCH_BROWSER = {"accept-language": "nl-NL,nl;q=0.9"}
ENGLISH_BROWSER = {"accept-language": "en-GB,en;q=0.9"}


def client(owner: Staff) -> tuple[str, str, str]:
    """Ann's contact on the Smith family account: (account_id, contact_id, email_id)."""
    account_id = owner.account("Smith family")
    contact = owner.contact(ADDRESS)
    owner.link(account_id, contact["contact_id"])
    return account_id, contact["contact_id"], contact["emails"][0]["email_id"]


def in_language(answer: Answer, language: str) -> str:
    """The page's HTML, once its status, `<html lang>` and Content-Language agree."""
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in answer.body
    return str(answer.body)


# ------------------------------------------------------------------ /activate


def activate_page(api: Api, token: str, headers: dict[str, str] | None = None) -> Answer:
    return api.call("invitations_api", "ActivatePage", query={"token": token}, headers=headers)


def test_activate_speaks_the_firms_dutch_with_u_whatever_the_browser(owner: Staff) -> None:
    owner.settings(language="nl")
    account_id, _, email_id = client(owner)
    token = owner.send_invitation(account_id, email_id)

    answer = activate_page(owner.api, token, ENGLISH_BROWSER)

    assert answer.status == 200
    page = in_language(answer, "nl")
    assert "Accepteer uw uitnodiging" in page
    assert "Ledger &amp; Co nodigt u uit voor het klantportaal van Smith family." in page
    assert f"U logt in met <strong>{ADDRESS}</strong>." in page
    assert "Kies een wachtwoord" in page
    assert '"enterPassword": "Vul uw wachtwoord in."' in page  # the script's words too
    assert "Accept your invitation" not in page


def test_activate_says_je_when_the_firm_chose_it(owner: Staff) -> None:
    owner.settings(language="nl", form_of_address="informal")
    account_id, _, email_id = client(owner)
    token = owner.send_invitation(account_id, email_id)

    page = in_language(activate_page(owner.api, token), "nl")

    assert "Accepteer je uitnodiging" in page
    assert "nodigt je uit" in page
    assert " uw " not in page


def test_activate_follows_the_contacts_own_language_over_the_firms(owner: Staff) -> None:
    owner.settings(language="nl")
    account_id, contact_id, email_id = client(owner)
    owner.contact_language(contact_id, "en")
    token = owner.send_invitation(account_id, email_id)

    page = in_language(activate_page(owner.api, token, DUTCH_BROWSER), "en")

    assert "Ledger &amp; Co invites you to the client portal for Smith family." in page


def test_activate_writes_the_expiry_in_the_firms_time_zone(owner: Staff) -> None:
    owner.settings(language="nl", time_zone="Europe/Amsterdam")
    account_id, _, email_id = client(owner)
    token = owner.send_invitation(account_id, email_id)
    expires = clock.parse(owner.api.read_invitation(token).body["expires_at"])
    amsterdam = localizer("nl", time_zone_name="Europe/Amsterdam").date_time(expires)
    utc = localizer("nl").date_time(expires)
    assert amsterdam != utc  # an hour apart: the test can tell the zones apart

    page = in_language(activate_page(owner.api, token), "nl")

    assert f"Deze uitnodiging is geldig tot {amsterdam}." in page
    assert utc not in page


def test_the_invitation_tells_the_app_its_language(owner: Staff) -> None:
    owner.settings(language="nl", form_of_address="informal", time_zone="Europe/Amsterdam")
    account_id, _, email_id = client(owner)
    token = owner.send_invitation(account_id, email_id)

    body = owner.api.read_invitation(token).body

    assert (body["language"], body["form_of_address"], body["time_zone"]) == (
        "nl",
        "informal",
        "Europe/Amsterdam",
    )


def test_a_staff_invitation_page_is_in_the_members_firms_language(owner: Staff) -> None:
    owner.settings(language="nl")
    invited = owner.invite_staff("emp@firm.example")
    assert invited.status == 201, invited.body
    owner.api.deliver_requested(owner.firm_id)
    token = token_in(mail_to("emp@firm.example")[-1])

    page = in_language(activate_page(owner.api, token, ENGLISH_BROWSER), "nl")

    assert "Ledger &amp; Co nodigt u uit voor het team." in page
    assert "Naar uw werkomgeving" in page


def test_an_unusable_activation_link_follows_the_browser(api: Api) -> None:
    dutch = activate_page(api, "inv.nothing.here", DUTCH_BROWSER)
    english = activate_page(api, "inv.nothing.here", ENGLISH_BROWSER)

    assert (dutch.status, english.status) == (404, 404)
    assert "Deze link kan niet worden gebruikt" in in_language(dutch, "nl")
    assert "This link cannot be used" in in_language(english, "en")


# -------------------------------------------------------------------- /verify


def test_verify_follows_the_browser_until_the_owner_chose_a_language(api: Api) -> None:
    owner = api.new_firm(verified=False)
    assert api.deliver_verification(owner.firm_id) == {"outcome": "sent"}
    token = verification_token_in(mail_to("owner@firm.example")[-1])

    dutch = api.call("firms_api", "VerifyPage", query={"token": token}, headers=DUTCH_BROWSER)
    page = in_language(dutch, "nl")
    assert "Bevestig uw e-mailadres" in page
    assert "Zolang u dat niet doet, kan Ledger &amp; Co alleen e-mails naar u sturen." in page

    staff_id = owner.claims["custom:staff_id"]
    changed = owner.call(
        "firms_api", "ChangeStaff", path={"staff_id": staff_id}, body={"language": "en"}
    )
    assert changed.status == 200, changed.body
    english = api.call("firms_api", "VerifyPage", query={"token": token}, headers=DUTCH_BROWSER)
    assert "Confirm your address" in in_language(english, "en")


def test_an_unusable_verify_link_follows_the_browser(api: Api) -> None:
    page = api.call("firms_api", "VerifyPage", query={"token": "x"}, headers=DUTCH_BROWSER)

    assert page.status == 404
    assert "Bevestigingslink ongeldig" in in_language(page, "nl")


# -------------------------------------------- unsubscribe and activation request


def signed(api: Api, owner: Staff, purpose: str, account_id: str, email_id: str) -> str:
    secret = api.module("notifications_api").api.service().link_secret()
    target = {"f": owner.firm_id, "a": account_id, "e": email_id}
    if purpose == links.UNSUBSCRIBE:
        target["c"] = "invoices_and_payments"
    return links.sign(secret, purpose, target)


def test_the_unsubscribe_pages_speak_the_contacts_language(owner: Staff, api: Api) -> None:
    owner.settings(language="nl")
    account_id, _, email_id = client(owner)
    token = signed(api, owner, links.UNSUBSCRIBE, account_id, email_id)

    shown = api.call(
        "notifications_api", "UnsubscribePage", query={"token": token}, headers=ENGLISH_BROWSER
    )
    done = api.call(
        "notifications_api",
        "Unsubscribe",
        query={"token": token},
        raw_body="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert "Wilt u geen e-mails meer ontvangen over <strong>facturen en betalingen</strong>" in (
        in_language(shown, "nl")
    )
    assert (
        f"{ADDRESS} ontvangt geen e-mails meer over facturen en betalingen voor Smith family."
        in in_language(done, "nl")
    )


def test_the_activation_request_pages_speak_the_contacts_language(owner: Staff, api: Api) -> None:
    owner.settings(language="nl", form_of_address="informal")
    account_id, contact_id, email_id = client(owner)
    owner.contact_language(contact_id, "en")
    owner.toggle(account_id, email_id, login=True)
    token = signed(api, owner, links.ACTIVATE, account_id, email_id)
    query = {"token": token}

    shown = api.call("notifications_api", "ActivationPage", query=query, headers=DUTCH_BROWSER)
    done = api.call("notifications_api", "ActivationRequest", query=query, headers=DUTCH_BROWSER)

    assert "Activate your client portal account" in in_language(shown, "en")
    assert f"We sent a new invitation to {ADDRESS}." in in_language(done, "en")


def test_a_dutch_contact_reads_je_on_the_activation_result(owner: Staff, api: Api) -> None:
    owner.settings(language="nl", form_of_address="informal")
    account_id, _, email_id = client(owner)
    token = signed(api, owner, links.ACTIVATE, account_id, email_id)  # LOGIN is off

    done = api.call("notifications_api", "ActivationRequest", query={"token": token})

    assert "Neem contact op met je kantoor." in in_language(done, "nl")


def test_a_link_that_names_nobody_follows_the_browser(api: Api) -> None:
    for route in ("UnsubscribePage", "ActivationPage"):
        answer = api.call(
            "notifications_api", route, query={"token": "nonsense"}, headers=DUTCH_BROWSER
        )
        assert answer.status == 404
        assert "Deze link is ongeldig" in in_language(answer, "nl")
