"""Firms, staff, staff login and firm settings (API.md, "Firms and staff")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.conftest import PASSWORD, Api, Staff, claims_of, mail_to


def create_firm(api: Api, **body: Any):
    fields: dict[str, Any] = {
        "firm_name": "Ledger & Co",
        "owner_email": "owner@firm.example",
        "owner_password": PASSWORD,
    }
    fields.update(body)
    return api.call(
        "firms_api", "CreateFirm", body={k: v for k, v in fields.items() if v is not ...}
    )


def field_names(answer) -> set[str]:
    return {f["name"] for f in answer.body["error"]["fields"]}


# ----------------------------------------------------------------- creating a firm


def test_creating_a_firm_answers_201_with_firm_and_owner_ids(api: Api) -> None:
    answer = create_firm(api)

    assert answer.status == 201, answer.body
    assert set(answer.body) >= {"firm_id", "staff_id"}
    assert answer.body["firm_id"] and answer.body["staff_id"]
    owner = api.login("owner@firm.example")
    assert owner.firm_id == answer.body["firm_id"]
    assert owner.claims["custom:staff_id"] == answer.body["staff_id"]
    assert owner.claims["custom:role"] == "owner"


def test_the_same_owner_address_twice_answers_like_a_success_and_creates_nothing(
    api: Api,
) -> None:
    """Whether an address is staff somewhere is told only to that address, by email
    (API.md, issue 9): the answer is a success's, with ids that exist nowhere."""
    first = create_firm(api)
    assert first.status == 201

    again = create_firm(api, firm_name="Other firm")

    assert again.status == 201, again.body
    assert set(again.body) == set(first.body)
    assert again.body["firm_id"] != first.body["firm_id"]
    owner = api.login("owner@firm.example")
    assert owner.firm_id == first.body["firm_id"]  # the first firm's login, untouched
    assert owner.call("firms_api", "GetSettings").status == 200


def test_the_same_owner_address_in_other_case_answers_201_and_the_first_owner_keeps_their_login(
    api: Api,
) -> None:
    """Addresses are compared case-insensitively (API.md)."""
    first = create_firm(api)

    again = create_firm(api, firm_name="Other firm", owner_email="OWNER@FIRM.EXAMPLE")

    assert again.status == 201, again.body
    assert api.login("owner@firm.example").firm_id == first.body["firm_id"]


@pytest.mark.parametrize("missing", ["firm_name", "owner_email", "owner_password"])
def test_a_missing_field_is_422_naming_it(api: Api, missing: str) -> None:
    answer = create_firm(api, **{missing: ...})

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"]
    assert missing in field_names(answer)


def test_a_too_short_password_is_422_naming_owner_password(api: Api) -> None:
    answer = create_firm(api, owner_password="short")

    assert answer.status == 422, answer.body
    assert field_names(answer) == {"owner_password"}
    assert all(f["message"] for f in answer.body["error"]["fields"])


@pytest.mark.parametrize(
    "address",
    ["not-an-address", "owner@", "@firm.example", "owner@@firm.example", "a b@firm.example"],
)
def test_a_bad_owner_address_is_422(api: Api, address: str) -> None:
    answer = create_firm(api, owner_email=address)

    assert answer.status == 422, answer.body
    assert field_names(answer) == {"owner_email"}


def test_an_unknown_field_is_422(api: Api) -> None:
    answer = create_firm(api, plan="gold")

    assert answer.status == 422, answer.body
    assert "plan" in field_names(answer)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("firm_name", 42),
        ("owner_email", ["owner@firm.example"]),
        ("owner_password", 123456789012345),
    ],
)
def test_a_wrong_type_is_422(api: Api, name: str, value: Any) -> None:
    answer = create_firm(api, **{name: value})

    assert answer.status == 422, answer.body
    assert name in field_names(answer)


@pytest.mark.parametrize("raw", ["{not json", "", "firm_name=x"])
def test_a_body_that_is_not_json_is_400(api: Api, raw: str) -> None:
    answer = api.call("firms_api", "CreateFirm", raw_body=raw)

    assert answer.status == 400, answer.body
    assert set(answer.body["error"]) >= {"code", "message"}


@pytest.mark.parametrize("body", [[], [{"firm_name": "x"}], "a string", 42, None, True])
def test_a_body_that_is_json_but_not_an_object_is_400(api: Api, body: Any) -> None:
    answer = api.call("firms_api", "CreateFirm", body=body)

    assert answer.status == 400, answer.body
    assert set(answer.body["error"]) >= {"code", "message"}


def test_a_json_array_holding_a_valid_firm_is_400_and_creates_nothing(api: Api) -> None:
    valid = {
        "firm_name": "Ledger & Co",
        "owner_email": "owner@firm.example",
        "owner_password": PASSWORD,
    }

    answer = api.call("firms_api", "CreateFirm", body=[valid])

    assert answer.status == 400, answer.body
    login = api.call(
        "firms_api", "StaffLogin", body={"email": "owner@firm.example", "password": PASSWORD}
    )
    assert login.status == 401


def test_a_refused_firm_leaves_no_login_behind(api: Api) -> None:
    """A request that fails changes nothing: the owner of a refused firm cannot log in."""
    assert create_firm(api, firm_name="").status == 422

    answer = api.call(
        "firms_api", "StaffLogin", body={"email": "owner@firm.example", "password": PASSWORD}
    )

    assert answer.status == 401


# ------------------------------------------------------------------------- login


def test_staff_login_answers_a_token_and_its_lifetime(api: Api) -> None:
    created = create_firm(api)

    answer = api.call(
        "firms_api", "StaffLogin", body={"email": "owner@firm.example", "password": PASSWORD}
    )

    assert answer.status == 200, answer.body
    assert isinstance(answer.body["expires_in"], int) and answer.body["expires_in"] > 0
    claims = claims_of(answer.body["token"])
    assert claims["custom:firm_id"] == created.body["firm_id"]
    assert claims["email"] == "owner@firm.example"


def test_a_wrong_password_and_an_unknown_address_answer_the_same_401(api: Api) -> None:
    assert create_firm(api).status == 201

    wrong_password = api.call(
        "firms_api",
        "StaffLogin",
        body={"email": "owner@firm.example", "password": "not the password"},
    )
    unknown_address = api.call(
        "firms_api",
        "StaffLogin",
        body={"email": "nobody@firm.example", "password": "not the password"},
    )

    assert wrong_password.status == unknown_address.status == 401
    assert wrong_password.body["error"]["code"] == "invalid_credentials"
    assert wrong_password.body == unknown_address.body


def test_staff_login_ignores_the_case_of_the_address(api: Api) -> None:
    """Addresses are compared case-insensitively (API.md)."""
    assert create_firm(api).status == 201

    answer = api.call(
        "firms_api", "StaffLogin", body={"email": "Owner@Firm.Example", "password": PASSWORD}
    )

    assert answer.status == 200, answer.body
    assert claims_of(answer.body["token"])["email"] == "owner@firm.example"


# ------------------------------------------------------------------------- staff


def test_the_owner_invites_a_staff_member(owner: Staff) -> None:
    answer = owner.invite_staff("ann@firm.example", role="admin", manage_accounts=True)

    assert answer.status == 201, answer.body
    assert answer.body["status"] == "invited"
    assert answer.body["staff_id"]
    assert answer.body["email"] == "ann@firm.example"
    assert answer.body["role"] == "admin"


def test_an_invited_staff_member_gets_an_invitation_email(owner: Staff) -> None:
    owner.invite_staff("ann@firm.example")

    owner.api.deliver_requested(owner.firm_id)

    assert len(mail_to("ann@firm.example")) == 1


def test_an_employee_may_not_invite_staff(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)

    answer = employee.invite_staff("ann@firm.example")

    assert answer.status == 403, answer.body
    staff = owner.call("firms_api", "ListStaff").body["items"]
    assert "ann@firm.example" not in {s["email"] for s in staff}


def test_an_admin_may_invite_staff(owner: Staff) -> None:
    admin = owner.add_staff("adm@firm.example", role="admin")

    answer = admin.invite_staff("ann@firm.example")

    assert answer.status == 201, answer.body


@pytest.mark.parametrize("again", ["ann@firm.example", "Ann@Firm.Example"])
def test_a_staff_address_already_invited_is_409(owner: Staff, again: str) -> None:
    assert owner.invite_staff("ann@firm.example").status == 201

    answer = owner.invite_staff(again)

    assert answer.status == 409, answer.body


def test_the_owner_address_cannot_be_invited_as_staff(owner: Staff) -> None:
    answer = owner.invite_staff("owner@firm.example")

    assert answer.status == 409, answer.body


def test_inviting_staff_validates_role_and_address(owner: Staff) -> None:
    bad_role = owner.invite_staff("ann@firm.example", role="owner")
    bad_address = owner.invite_staff("ann@", role="employee")

    assert bad_role.status == 422 and field_names(bad_role) == {"role"}
    assert bad_address.status == 422 and field_names(bad_address) == {"email"}


def test_the_staff_list_holds_the_owner_and_the_invited(owner: Staff) -> None:
    invited = owner.invite_staff("ann@firm.example").body

    answer = owner.call("firms_api", "ListStaff")

    assert answer.status == 200, answer.body
    by_email = {s["email"]: s for s in answer.body["items"]}
    assert set(by_email) == {"owner@firm.example", "ann@firm.example"}
    assert by_email["owner@firm.example"]["role"] == "owner"
    assert by_email["owner@firm.example"]["status"] == "active"
    assert by_email["ann@firm.example"]["status"] == "invited"
    assert by_email["ann@firm.example"]["staff_id"] == invited["staff_id"]


# ---------------------------------------------------------------------- settings

DEFAULTS = {
    "copy_client_emails_to": [],
    "auto_save_attachments": False,
    "notify_staff_on_synced_email": False,
}


def settings_of(staff: Staff):
    return staff.call("firms_api", "GetSettings")


def contract(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings API.md names (the product may add more)."""
    return {name: settings[name] for name in DEFAULTS}


def change_settings(staff: Staff, **body: Any):
    return staff.call("firms_api", "UpdateSettings", body=body)


def test_a_new_firm_has_the_default_settings(owner: Staff) -> None:
    answer = settings_of(owner)

    assert answer.status == 200, answer.body
    assert contract(answer.body) == DEFAULTS
    assert answer.body["never_sync"] == []  # an addition: nothing is kept out of the sync


def test_the_owner_changes_the_settings(owner: Staff) -> None:
    answer = change_settings(
        owner, copy_client_emails_to=["copies@firm.example"], auto_save_attachments=True
    )

    assert answer.status == 200, answer.body
    expected = {
        **DEFAULTS,
        "copy_client_emails_to": ["copies@firm.example"],
        "auto_save_attachments": True,
    }
    assert contract(answer.body) == expected
    assert contract(settings_of(owner).body) == expected


def test_a_partial_change_keeps_the_other_settings(owner: Staff) -> None:
    change_settings(owner, copy_client_emails_to=["copies@firm.example"])

    answer = change_settings(owner, notify_staff_on_synced_email=True)

    assert contract(answer.body) == {
        "copy_client_emails_to": ["copies@firm.example"],
        "auto_save_attachments": False,
        "notify_staff_on_synced_email": True,
    }


def test_an_admin_changes_the_settings(owner: Staff) -> None:
    admin = owner.add_staff("adm@firm.example", role="admin")

    answer = change_settings(admin, notify_staff_on_synced_email=True)

    assert answer.status == 200, answer.body
    assert settings_of(owner).body["notify_staff_on_synced_email"] is True


def test_an_employee_reads_but_may_not_change_the_settings(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)

    read = settings_of(employee)
    change = change_settings(employee, auto_save_attachments=True)

    assert read.status == 200 and contract(read.body) == DEFAULTS
    assert change.status == 403, change.body
    assert change.body["error"]["code"]
    assert contract(settings_of(owner).body) == DEFAULTS


def test_a_bad_address_in_the_copy_list_is_422_and_changes_nothing(owner: Staff) -> None:
    answer = change_settings(
        owner,
        copy_client_emails_to=["copies@firm.example", "not-an-address"],
        auto_save_attachments=True,
    )

    assert answer.status == 422, answer.body
    assert any(name.startswith("copy_client_emails_to") for name in field_names(answer))
    assert contract(settings_of(owner).body) == DEFAULTS


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("auto_save_attachments", "yes"),
        ("notify_staff_on_synced_email", 1),
        ("copy_client_emails_to", "copies@firm.example"),
        ("never_sync", "@bank.example"),
    ],
)
def test_a_setting_of_the_wrong_type_is_422(owner: Staff, name: str, value: Any) -> None:
    answer = change_settings(owner, **{name: value})

    assert answer.status == 422, answer.body
    assert name in {n.split(".")[0] for n in field_names(answer)}
    assert contract(settings_of(owner).body) == DEFAULTS


def test_an_unknown_setting_is_422(owner: Staff) -> None:
    answer = change_settings(owner, dark_mode=True)

    assert answer.status == 422, answer.body
    assert "dark_mode" in field_names(answer)
