"""Staff roles changed from the workspace, and the firm's contact details the portal
shows its clients (issue 12, Settings)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.conftest import Staff, table_items

# -------------------------------------------------------------------- staff roles


def change(staff: Staff, staff_id: str, **body: Any):
    return staff.call("firms_api", "ChangeStaff", path={"staff_id": staff_id}, body=body)


def member(staff: Staff, email: str) -> dict[str, Any]:
    listed = staff.call("firms_api", "ListStaff").body["items"]
    return next(m for m in listed if m["email"] == email)


def test_the_staff_list_says_role_rights_status_and_when_invited(owner: Staff) -> None:
    owner.invite_staff("ann@firm.example", role="admin", manage_accounts=True)

    listed = owner.call("firms_api", "ListStaff").body["items"]

    assert [m["email"] for m in listed] == ["owner@firm.example", "ann@firm.example"]
    first, second = listed
    assert {"staff_id", "email", "role", "manage_accounts", "status"} <= set(first)
    assert first["invited_at"] is None and first["status"] == "active"
    assert second["status"] == "invited" and second["invited_at"] == second["created_at"]


def test_the_owner_makes_an_employee_an_admin_and_it_applies_from_the_next_sign_in(
    owner: Staff,
) -> None:
    employee = owner.add_staff("emp@firm.example")
    staff_id = employee.claims["custom:staff_id"]

    answer = change(owner, staff_id, role="admin", manage_accounts=True)

    assert answer.status == 200, answer.body
    assert answer.body["role"] == "admin" and answer.body["manage_accounts"] is True
    assert member(owner, "emp@firm.example")["role"] == "admin"
    # the token in hand keeps its rights; the next sign-in carries the new ones
    assert change(employee, owner.claims["custom:staff_id"], manage_accounts=False).status == 403
    again = owner.api.login("emp@firm.example")
    assert claims_of_staff(again) == ("admin", "true")
    assert change(again, staff_id, manage_accounts=False).status == 200


def claims_of_staff(staff: Staff) -> tuple[str, str]:
    return staff.claims["custom:role"], staff.claims["custom:manage_accounts"]


def test_an_invited_members_new_role_is_the_one_they_accept_with(owner: Staff) -> None:
    invited = owner.invite_staff("ann@firm.example").body

    answer = change(owner, invited["staff_id"], role="admin")

    assert answer.status == 200, answer.body
    from tests.unit.conftest import mail_to, token_in

    owner.api.deliver_requested(owner.firm_id)
    assert owner.api.accept(token_in(mail_to("ann@firm.example")[-1])).status == 200
    assert claims_of_staff(owner.api.login("ann@firm.example"))[0] == "admin"


def test_the_owners_role_cannot_be_changed(owner: Staff) -> None:
    admin = owner.add_staff("adm@firm.example", role="admin")
    owner_id = owner.claims["custom:staff_id"]

    by_admin = change(admin, owner_id, role="employee")
    by_owner = change(owner, owner_id, role="admin")

    for answer in (by_admin, by_owner):
        assert answer.status == 409, answer.body
        assert answer.body["error"]["code"] == "owner_role_fixed"
        assert "owner" in answer.body["error"]["message"]
    assert member(owner, "owner@firm.example")["role"] == "owner"


def test_an_employee_may_not_change_roles(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)
    before = table_items()

    answer = change(employee, employee.claims["custom:staff_id"], role="admin")

    assert answer.status == 403, answer.body
    assert table_items() == before


@pytest.mark.parametrize(
    "body",
    [{"role": "owner"}, {"role": None}, {"manage_accounts": "yes"}, {"email": "x@y.example"}],
)
def test_a_bad_change_is_422(owner: Staff, body: dict[str, Any]) -> None:
    invited = owner.invite_staff("ann@firm.example").body

    answer = change(owner, invited["staff_id"], **body)

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == list(body)


def test_an_unknown_or_other_firms_member_is_404(api, owner: Staff) -> None:
    other = api.new_firm("owner@other.example", "Other")

    unknown = change(owner, "stf_0123456789abcdef0123456789abcdef", role="admin")
    elsewhere = change(owner, other.claims["custom:staff_id"], role="admin")

    assert unknown.status == 404 and elsewhere.status == 404


def test_a_role_change_is_audited(owner: Staff) -> None:
    invited = owner.invite_staff("ann@firm.example").body

    change(owner, invited["staff_id"], role="admin")

    trail = owner.call("access_api", "Audit", query={}).body["items"]
    entry = next(e for e in trail if e["action"] == "staff_changed")
    assert entry["target"] == invited["staff_id"]
    assert entry["details"]["role"] == {"from": "employee", "to": "admin"}
    assert entry["actor"] == "owner@firm.example"
    assert "ann@firm.example" in entry["summary"] and "admin" in entry["summary"]


# ------------------------------------------------------------ firm contact details

DETAILS = ("contact_email", "contact_phone", "address", "website")


def settings(staff: Staff, **body: Any):
    if body:
        return staff.call("firms_api", "UpdateSettings", body=body)
    return staff.call("firms_api", "GetSettings")


def test_contact_details_are_null_until_set(owner: Staff) -> None:
    answer = settings(owner)

    assert answer.status == 200, answer.body
    assert {name: answer.body[name] for name in DETAILS} == dict.fromkeys(DETAILS)


def test_the_owner_sets_and_clears_the_contact_details(owner: Staff) -> None:
    wanted = {
        "contact_email": "hello@ledger.example",
        "contact_phone": "+31 (0)20 123 45 67",
        "address": "Keizersgracht 1\r\n1015 CJ Amsterdam\nNetherlands",
        "website": "https://ledger.example/contact",
    }

    answer = settings(owner, **wanted)

    assert answer.status == 200, answer.body
    expected = {**wanted, "address": "Keizersgracht 1\n1015 CJ Amsterdam\nNetherlands"}
    assert {name: answer.body[name] for name in DETAILS} == expected
    assert {name: settings(owner).body[name] for name in DETAILS} == expected
    cleared = settings(owner, website="", contact_phone="")
    assert cleared.body["website"] is None and cleared.body["contact_phone"] is None
    assert cleared.body["contact_email"] == "hello@ledger.example"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("contact_email", "not an address"),
        ("contact_email", "a@b.example\nBcc: x@y.example"),
        ("contact_phone", "call us"),
        ("contact_phone", "123\t456"),
        ("address", "x" * 501),
        ("address", "Street 1\x00"),
        ("address", "Street 1\tBox 2"),
        ("website", "http://ledger.example"),
        ("website", "javascript:alert(1)"),
        ("website", "https://"),
        ("website", "https://ledger.example/\u202e"),
        ("website", None),
    ],
)
def test_a_bad_contact_detail_is_422_and_changes_nothing(
    owner: Staff, name: str, value: Any
) -> None:
    before = settings(owner).body

    answer = settings(owner, **{name: value})

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == [name]
    assert settings(owner).body == before


def test_an_employee_may_not_change_the_contact_details(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)

    answer = settings(employee, contact_phone="+31 20 123")

    assert answer.status == 403, answer.body
    assert settings(owner).body["contact_phone"] is None
