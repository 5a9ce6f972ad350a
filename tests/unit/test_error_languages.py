"""The `message` of every API error follows `Accept-Language` (API.md, Errors; issue 13):
the `code` stays English and stable, the shape stays the contract's, the answer names
its language in `Content-Language`, and no English is left inside a Dutch answer."""

from __future__ import annotations

from typing import Any

import pytest

from crm.i18n import localizer
from tests.support import Answer
from tests.unit.conftest import PASSWORD, Api, Staff

DUTCH = {"accept-language": "nl-NL,nl;q=0.9,en;q=0.5"}
ENGLISH = {"accept-language": "en-GB,en;q=0.8"}
NL = localizer("nl")
EN = localizer("en")


def error_of(answer: Answer, status: int) -> dict[str, Any]:
    """The error body, checked against the contract's shape."""
    assert answer.status == status, answer.body
    assert set(answer.body) == {"error"}
    error: dict[str, Any] = answer.body["error"]
    assert set(error) - {"fields"} == {"code", "message"}
    for field in error.get("fields", []):
        assert set(field) == {"name", "message"}
    return error


def language_of(answer: Answer) -> str:
    headers = {name.lower(): value for name, value in answer.headers.items()}
    return headers["content-language"]


# ----------------------------------------------------------- status by status


def test_400_a_body_that_is_no_object(api: Api) -> None:
    dutch = api.call("firms_api", "CreateFirm", raw_body="[1]", headers=DUTCH)
    english = api.call("firms_api", "CreateFirm", raw_body="[1]", headers=ENGLISH)

    assert error_of(dutch, 400) == {"code": "bad_request", "message": NL("error-not-an-object")}
    assert error_of(english, 400)["message"] == "The request body must be a JSON object."
    assert (language_of(dutch), language_of(english)) == ("nl", "en")


def test_401_wrong_credentials(api: Api, owner: Staff) -> None:
    body = {"email": "owner@firm.example", "password": "not the password"}

    dutch = api.call("firms_api", "StaffLogin", body=body, headers=DUTCH)
    english = api.call("firms_api", "StaffLogin", body=body, headers=ENGLISH)

    assert error_of(dutch, 401) == {
        "code": "invalid_credentials",
        "message": "Het e-mailadres of het wachtwoord is niet juist.",
    }
    assert error_of(english, 401) == {
        "code": "invalid_credentials",
        "message": "The email address or password is not correct.",
    }
    assert language_of(dutch) == "nl"


def test_403_an_employee_changing_the_settings(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example")
    body = {"language": "nl"}

    dutch = employee.call("firms_api", "UpdateSettings", body=body, headers=DUTCH)
    english = employee.call("firms_api", "UpdateSettings", body=body, headers=ENGLISH)

    assert error_of(dutch, 403) == {
        "code": "forbidden",
        "message": "Hiervoor hebt u geen rechten.",
    }
    assert error_of(english, 403)["code"] == "forbidden"
    assert "owner" in error_of(english, 403)["message"]  # as written where it was raised
    assert language_of(dutch) == "nl"


def test_404_an_unknown_staff_member_with_its_own_sentence(owner: Staff) -> None:
    path = {"staff_id": "stf_00000000000000000000000000000000"}
    body = {"language": "nl"}

    dutch = owner.call("firms_api", "ChangeStaff", path=path, body=body, headers=DUTCH)
    english = owner.call("firms_api", "ChangeStaff", path=path, body=body, headers=ENGLISH)

    assert error_of(dutch, 404) == {
        "code": "not_found",
        "message": "Deze medewerker bestaat niet.",
    }
    assert error_of(english, 404) == {
        "code": "not_found",
        "message": "This staff member does not exist.",
    }


def test_404_an_unusable_invitation_reads_the_sentence_of_its_code(api: Api) -> None:
    path = {"token": "inv.nothing.here"}

    dutch = api.call("invitations_api", "GetInvitation", path=path, headers=DUTCH)

    assert error_of(dutch, 404) == {
        "code": "invitation_not_found",
        "message": "Deze uitnodigingslink kan niet worden gebruikt.",
    }
    assert language_of(dutch) == "nl"


def test_404_a_path_parameter_too_long_to_name_anything(owner: Staff) -> None:
    path = {"staff_id": "x" * 600}

    dutch = owner.call("firms_api", "ChangeStaff", path=path, body={}, headers=DUTCH)

    assert error_of(dutch, 404) == {
        "code": "not_found",
        "message": "Op dit adres is niets te vinden.",
    }
    assert language_of(dutch) == "nl"


def test_409_the_owners_role(owner: Staff) -> None:
    path = {"staff_id": owner.claims["custom:staff_id"]}
    body = {"role": "employee"}

    dutch = owner.call("firms_api", "ChangeStaff", path=path, body=body, headers=DUTCH)
    english = owner.call("firms_api", "ChangeStaff", path=path, body=body, headers=ENGLISH)

    assert error_of(dutch, 409) == {
        "code": "owner_role_fixed",
        "message": "De rol van de eigenaar kan niet worden gewijzigd: "
        "een kantoor heeft altijd een eigenaar.",
    }
    assert error_of(english, 409)["code"] == "owner_role_fixed"
    assert language_of(english) == "en"


def test_415_a_form_on_a_json_route(api: Api) -> None:
    form = "firm_name=Acme&owner_email=a%40b.example&owner_password=x"
    kind = "application/x-www-form-urlencoded"

    dutch = api.call("firms_api", "CreateFirm", raw_body=form, content_type=kind, headers=DUTCH)
    english = api.call("firms_api", "CreateFirm", raw_body=form, content_type=kind, headers=ENGLISH)

    assert error_of(dutch, 415) == {
        "code": "unsupported_media_type",
        "message": "Deze route verwacht een JSON-body: stuur die met Content-Type: application/json.",
    }
    assert error_of(english, 415)["message"].startswith("This route reads a JSON body")


def test_422_every_field_message_in_dutch(owner: Staff) -> None:
    body = {
        "language": "de",
        "time_zone": "Mars/Olympus",
        "auto_save_attachments": "yes",
        "copy_client_emails_to": ["not an address"],
        "website": "ftp://x",  # a check of its own, without a sentence: the generic one
        "colour": "blue",
    }

    answer = owner.call("firms_api", "UpdateSettings", body=body, headers=DUTCH)

    error = error_of(answer, 422)
    assert (error["code"], error["message"]) == (
        "validation_failed",
        "Sommige velden zijn ongeldig.",
    )
    assert {f["name"]: f["message"] for f in error["fields"]} == {
        "language": "Moet en of nl zijn.",
        "time_zone": "Dit is geen tijdzone. Gebruik een IANA-naam, zoals Europe/Amsterdam.",
        "auto_save_attachments": "Moet true of false zijn.",
        "copy_client_emails_to.0": "Dit is geen geldig e-mailadres.",
        "website": "Dit is geen websiteadres: schrijf het als https://example.com.",
        "colour": "Dit veld is onbekend.",
    }
    assert language_of(answer) == "nl"


def test_422_the_same_fields_in_english(owner: Staff) -> None:
    body = {"language": "de", "auto_save_attachments": "yes", "website": "ftp://x"}

    answer = owner.call("firms_api", "UpdateSettings", body=body, headers=ENGLISH)

    messages = {f["name"]: f["message"] for f in error_of(answer, 422)["fields"]}
    assert messages == {
        "language": "Must be en or nl.",
        "auto_save_attachments": "Must be true or false.",
        "website": "Not a website address: write it as https://example.com.",
    }


def test_422_limits_are_named_placeholders_in_the_readers_plural(api: Api) -> None:
    body = {"firm_name": "x" * 201, "owner_email": "a@b.example", "owner_password": "short"}

    dutch = api.call("firms_api", "CreateFirm", body=body, headers=DUTCH)
    english = api.call("firms_api", "CreateFirm", body=body, headers=ENGLISH)

    assert {f["name"]: f["message"] for f in error_of(dutch, 422)["fields"]} == {
        "firm_name": "Maximaal 200 tekens.",
        "owner_password": "Minimaal 12 tekens.",
    }
    assert {f["name"]: f["message"] for f in error_of(english, 422)["fields"]} == {
        "firm_name": "200 characters at most.",
        "owner_password": "At least 12 characters.",
    }


def test_422_a_missing_field(api: Api) -> None:
    answer = api.call("firms_api", "StaffLogin", body={"email": "a@b.example"}, headers=DUTCH)

    fields = error_of(answer, 422)["fields"]
    assert fields == [{"name": "password", "message": "Dit veld is verplicht."}]


def test_429_a_confirmation_asked_for_again_too_soon(api: Api) -> None:
    owner = api.new_firm(verified=False)

    dutch = owner.call("firms_api", "RequestVerification", headers=DUTCH)

    error = error_of(dutch, 429)
    assert error == {
        "code": "verification_recently_sent",
        "message": "Er is een paar minuten geleden een bevestigingsmail verstuurd. "
        "Kijk in uw inbox (ook in de spammap) of probeer het later opnieuw.",
    }
    assert "retry-after" in {name.lower() for name in dutch.headers}
    english = owner.call("firms_api", "RequestVerification", headers=ENGLISH)
    assert error_of(english, 429)["message"].startswith("A confirmation email was sent")


# ------------------------------------------------------------- the language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-FR, nl;q=0.5, en;q=0.4", "nl"),
        ("nl-BE", "nl"),
        ("en-US,nl;q=0.9", "en"),
        ("de-DE", "en"),
        ("", "en"),
        ("nl;q=abc, ;;;", "en"),
    ],
)
def test_the_answer_is_in_the_best_language_the_reader_accepts(
    api: Api, header: str, language: str
) -> None:
    answer = api.call(
        "firms_api",
        "StaffLogin",
        body={"email": "nobody@firm.example", "password": PASSWORD},
        headers={"accept-language": header},
    )

    assert answer.status == 401, answer.body
    assert answer.body["error"]["code"] == "invalid_credentials"
    assert language_of(answer) == language


def test_without_accept_language_the_answer_is_english(api: Api) -> None:
    answer = api.call("firms_api", "CreateFirm", raw_body="[1]")

    assert language_of(answer) == "en"
    assert answer.body["error"]["message"] == "The request body must be a JSON object."


def test_every_error_code_of_the_product_has_its_dutch_sentence() -> None:
    """What a Dutch reader gets for an error raised without a sentence of its own."""
    from tests.unit.test_catalogs import error_codes

    for code in error_codes():
        assert NL(f"error-{code}") != EN(f"error-{code}"), code


def test_422_our_own_rules_have_sentences_in_each_language(owner: Staff) -> None:
    body = {
        "never_sync": ["@not a domain", "bank.example", "nobody"],
        "contact_phone": "call me",
        "address": "Main St\x07 1",
    }

    dutch = error_of(owner.call("firms_api", "UpdateSettings", body=body, headers=DUTCH), 422)
    english = error_of(owner.call("firms_api", "UpdateSettings", body=body, headers=ENGLISH), 422)

    assert {f["name"]: f["message"] for f in dutch["fields"]} == {
        "never_sync.0": "Dit is geen domein. Schrijf een adres als naam@bank.example en een "
        "domein als @bank.example.",
        "never_sync.1": "Een domein staat met @ ervoor: @bank.example.",
        "never_sync.2": "Dit is geen e-mailadres en geen domein. Schrijf een adres als "
        "naam@bank.example en een domein als @bank.example.",
        "contact_phone": "Dit is geen telefoonnummer: alleen cijfers, spaties en + ( ) . / -.",
        "address": "Een adres bestaat alleen uit tekst en regeleinden, zonder andere stuurtekens.",
    }
    assert {f["name"]: f["message"] for f in english["fields"]}["never_sync.1"] == (
        "A domain is written with its @: @bank.example."
    )
