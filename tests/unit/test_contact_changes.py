"""Changing a contact's names and language (API.md: `PATCH /v1/contacts/{contact_id}`,
any of `first_name`, `last_name`, `language`: `en`, `nl`, or null for the firm's)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.conftest import Staff, table_items


def change(staff: Staff, contact_id: str, **body: Any):
    return staff.call("directory_api", "ChangeContact", path={"contact_id": contact_id}, body=body)


def test_a_new_contact_follows_the_firms_language(owner: Staff) -> None:
    contact = owner.contact("ann@home.example")

    got = owner.call("directory_api", "GetContact", path={"contact_id": contact["contact_id"]})

    assert got.body["language"] is None


def test_names_and_language_change_and_the_rest_stays(owner: Staff) -> None:
    contact = owner.contact("ann@home.example", first="Anne", last="Smith")
    contact_id = contact["contact_id"]

    answer = change(owner, contact_id, first_name="Ann", language="nl")

    assert answer.status == 200, answer.body
    assert answer.body["first_name"] == "Ann"
    assert answer.body["last_name"] == "Smith"
    assert answer.body["language"] == "nl"
    assert answer.body["emails"] == contact["emails"]
    again = owner.call("directory_api", "GetContact", path={"contact_id": contact_id}).body
    assert again == answer.body


def test_a_null_language_goes_back_to_the_firms(owner: Staff) -> None:
    contact_id = owner.contact("ann@home.example")["contact_id"]
    change(owner, contact_id, language="nl")

    answer = change(owner, contact_id, language=None)

    assert answer.status == 200, answer.body
    assert answer.body["language"] is None


def test_the_contacts_section_shows_the_new_names(owner: Staff) -> None:
    account_id = owner.account()
    contact_id = owner.contact("ann@home.example", first="Anne")["contact_id"]
    owner.link(account_id, contact_id)

    change(owner, contact_id, first_name="Ann", last_name="Jones")

    (listed,) = owner.section(account_id)["contacts"]
    assert (listed["first_name"], listed["last_name"]) == ("Ann", "Jones")


def test_a_change_is_audited_on_each_linked_account_in_words(owner: Staff) -> None:
    account_id = owner.account()
    contact_id = owner.contact("ann@home.example", first="Anne")["contact_id"]
    owner.link(account_id, contact_id)

    change(owner, contact_id, first_name="Ann", language="nl")

    trail = owner.call("access_api", "Audit", query={"account_id": account_id}).body["items"]
    entry = next(e for e in trail if e["action"] == "contact_changed")
    assert entry["target"] == contact_id
    assert entry["details"]["first_name"] == {"from": "Anne", "to": "Ann"}
    assert entry["details"]["language"] == {"from": None, "to": "nl"}
    assert entry["summary"] == (
        "Ann Smith's first name changed from 'Anne' to 'Ann', language set to Dutch."
    )


def test_the_same_values_again_change_nothing(owner: Staff) -> None:
    contact_id = owner.contact("ann@home.example")["contact_id"]
    before = table_items()

    answer = change(owner, contact_id, first_name="Ann", last_name="Smith")

    assert answer.status == 200, answer.body
    assert table_items() == before


@pytest.mark.parametrize(
    "body",
    [
        {"first_name": None},
        {"first_name": ""},
        {"first_name": "Ann\nSmith"},
        {"last_name": None},
        {"language": "de"},
        {"language": 1},
        {"first_name": "x" * 201},
        {"emails": []},
    ],
)
def test_a_bad_change_is_422_and_changes_nothing(owner: Staff, body: dict[str, Any]) -> None:
    contact_id = owner.contact("ann@home.example")["contact_id"]
    before = table_items()

    answer = change(owner, contact_id, **body)

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == list(body)
    assert table_items() == before


def test_a_body_that_is_not_an_object_is_400(owner: Staff) -> None:
    contact_id = owner.contact("ann@home.example")["contact_id"]

    answer = owner.call(
        "directory_api", "ChangeContact", path={"contact_id": contact_id}, raw_body="[1]"
    )

    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"]


def test_an_employee_without_manage_accounts_may_not_change_a_contact(owner: Staff) -> None:
    contact_id = owner.contact("ann@home.example")["contact_id"]
    reader = owner.add_staff("emp@firm.example", manage_accounts=False)
    before = table_items()

    answer = change(reader, contact_id, first_name="Bob")

    assert answer.status == 403, answer.body
    assert table_items() == before


def test_an_unknown_or_other_firms_contact_is_404(api, owner: Staff) -> None:
    other = api.new_firm("owner@other.example", "Other")
    theirs = other.contact("bob@other.example", first="Bob")["contact_id"]

    unknown = change(owner, "con_0123456789abcdef0123456789abcdef", first_name="X")
    elsewhere = change(owner, theirs, first_name="X")

    assert unknown.status == 404 and elsewhere.status == 404
    assert unknown.body["error"]["code"] == "not_found"
