"""The settings that decide the reader's language (issue 13): the firm's time zone and
form of address, a staff member's own language, and what the staff and portal sign-ins
tell the pages so they speak that language from the first screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Answer
from tests.unit.conftest import PASSWORD, Api, Staff, claims_of, table_items

ADDRESS = "ann@home.example"


def settings(staff: Staff, **body: Any) -> Answer:
    if body:
        return staff.call("firms_api", "UpdateSettings", body=body)
    return staff.call("firms_api", "GetSettings")


def change_staff(staff: Staff, staff_id: str, **body: Any) -> Answer:
    return staff.call("firms_api", "ChangeStaff", path={"staff_id": staff_id}, body=body)


def staff_login(api: Api, email: str) -> dict[str, Any]:
    answer = api.call("firms_api", "StaffLogin", body={"email": email, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return dict(answer.body)


def portal_login(api: Api) -> dict[str, Any]:
    answer = api.call("portal_api", "PortalLogin", body={"email": ADDRESS, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return dict(answer.body)


# ------------------------------------------------------------------ the firm


def test_a_new_firm_writes_utc_and_formally(owner: Staff) -> None:
    body = settings(owner).body

    assert (body["time_zone"], body["form_of_address"]) == ("UTC", "formal")


def test_the_owner_sets_a_time_zone_and_je_and_they_stay(owner: Staff) -> None:
    answer = settings(owner, time_zone="Europe/Amsterdam", form_of_address="informal")

    assert answer.status == 200, answer.body
    body = settings(owner).body
    assert (body["time_zone"], body["form_of_address"]) == ("Europe/Amsterdam", "informal")
    trail = owner.call("access_api", "Audit", query={}).body["items"]
    entry = next(e for e in trail if e["action"] == "settings_changed")
    assert entry["details"]["time_zone"] == {"from": "UTC", "to": "Europe/Amsterdam"}


@pytest.mark.parametrize("value", ["Europe/Amsterdm", "CET+99", "../etc/passwd", "", None, 1])
def test_a_time_zone_no_one_knows_is_422_naming_the_field(owner: Staff, value: Any) -> None:
    before = table_items()

    answer = settings(owner, time_zone=value)

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == ["time_zone"]
    assert table_items() == before


@pytest.mark.parametrize("value", ["je", "u", "FORMAL", None])
def test_a_form_of_address_other_than_formal_or_informal_is_422(owner: Staff, value: Any) -> None:
    answer = settings(owner, form_of_address=value)

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == ["form_of_address"]


def test_an_employee_may_not_change_the_time_zone(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)

    assert settings(employee, time_zone="Europe/Amsterdam").status == 403
    assert settings(owner).body["time_zone"] == "UTC"


# ------------------------------------------------------------ staff members


def test_an_employee_changes_their_own_language_without_admin_rights(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example")
    staff_id = employee.claims["custom:staff_id"]

    answer = change_staff(employee, staff_id, language="nl")

    assert answer.status == 200, answer.body
    assert answer.body["language"] == "nl"
    listed = owner.call("firms_api", "ListStaff").body["items"]
    assert next(m for m in listed if m["staff_id"] == staff_id)["language"] == "nl"


def test_null_gives_a_member_the_firms_language_again(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example")
    staff_id = employee.claims["custom:staff_id"]
    assert change_staff(employee, staff_id, language="nl").status == 200

    answer = change_staff(employee, staff_id, language=None)

    assert answer.status == 200, answer.body
    assert answer.body["language"] is None


def test_an_employee_may_not_change_anothers_language(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example")
    before = table_items()

    answer = change_staff(employee, owner.claims["custom:staff_id"], language="nl")

    assert answer.status == 403, answer.body
    assert table_items() == before


def test_an_employee_may_not_slip_a_right_in_with_their_language(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example")
    staff_id = employee.claims["custom:staff_id"]

    answer = change_staff(employee, staff_id, language="nl", manage_accounts=True)

    assert answer.status == 403, answer.body
    listed = owner.call("firms_api", "ListStaff").body["items"]
    member = next(m for m in listed if m["staff_id"] == staff_id)
    assert (member["language"], member["manage_accounts"]) == (None, False)


def test_a_null_role_is_still_422(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example")

    answer = change_staff(owner, employee.claims["custom:staff_id"], role=None)

    assert answer.status == 422, answer.body


def test_a_language_change_leaves_the_sign_in_rights_alone(owner: Staff, api: Api) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)
    assert change_staff(employee, employee.claims["custom:staff_id"], language="nl").status == 200

    claims = claims_of(staff_login(api, "emp@firm.example")["token"])

    assert (claims["custom:role"], claims["custom:manage_accounts"]) == ("employee", "true")


# ---------------------------------------------------------------- sign-ins


def test_the_staff_login_tells_the_member_and_firm_language(owner: Staff, api: Api) -> None:
    settings(owner, language="nl", time_zone="Europe/Amsterdam", form_of_address="informal")
    change_staff(owner, owner.claims["custom:staff_id"], language="en")

    body = staff_login(api, "owner@firm.example")

    assert body["language"] == "en"
    assert body["firm_language"] == "nl"
    assert body["time_zone"] == "Europe/Amsterdam"
    assert body["form_of_address"] == "informal"


def test_a_member_without_a_language_signs_in_with_none(owner: Staff, api: Api) -> None:
    body = staff_login(api, "owner@firm.example")

    assert (body["language"], body["firm_language"]) == (None, "en")


@pytest.fixture
def client(owner: Staff) -> tuple[str, str]:
    """An active portal user (Ann) on one account: (account_id, contact_id)."""
    account_id = owner.account()
    contact = owner.contact(ADDRESS)
    owner.link(account_id, contact["contact_id"])
    owner.activate(account_id, contact["emails"][0]["email_id"])
    return account_id, contact["contact_id"]


def open_account(api: Api, account_id: str) -> dict[str, Any]:
    claims = claims_of(portal_login(api)["token"])
    answer = api.call("portal_api", "PortalAccount", claims=claims, path={"account_id": account_id})
    assert answer.status == 200, answer.body
    return dict(answer.body)


def test_the_portal_speaks_the_firms_language_when_the_contact_has_none(
    owner: Staff, api: Api, client: tuple[str, str]
) -> None:
    settings(owner, language="nl", time_zone="Europe/Amsterdam")

    login = portal_login(api)
    opened = open_account(api, client[0])

    for body in (login, opened):
        assert (body["language"], body["form_of_address"], body["time_zone"]) == (
            "nl",
            "formal",
            "Europe/Amsterdam",
        )


def test_the_portal_speaks_the_contacts_own_language(
    owner: Staff, api: Api, client: tuple[str, str]
) -> None:
    settings(owner, language="nl", form_of_address="informal")
    changed = owner.call(
        "directory_api", "ChangeContact", path={"contact_id": client[1]}, body={"language": "en"}
    )
    assert changed.status == 200, changed.body

    assert portal_login(api)["language"] == "en"
    opened = open_account(api, client[0])
    assert (opened["language"], opened["form_of_address"]) == ("en", "informal")
