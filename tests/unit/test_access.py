"""The Contacts section of an account, its toggles, invitations sent from a row,
notification preferences, and changing an address (API.md, "The Contacts section of an
account, and its toggles" and "Changing an address")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm import clock
from tests.unit.conftest import Staff, mail_to, token_in

ROW_KEYS = {
    "email_id",
    "address",
    "label",
    "login",
    "notify",
    "email_sync",
    "login_status",
    "invitation_expires_at",
    "notification_preferences",
    "email_sync_state",
}
CATEGORIES = {
    "documents_uploads",
    "documents_signatures",
    "documents_approvals",
    "chats_and_tasks",
    "proposals",
    "organizers",
    "invoices_and_payments",
}
ALL_ON = dict.fromkeys(CATEGORIES, True)


def switches(body: dict[str, Any]) -> dict[str, Any]:
    """The category switches of a preferences answer (without `required` and
    `locked_categories`, tested in test_required_and_locks.py)."""
    return {name: value for name, value in body.items() if name in CATEGORIES}


@pytest.fixture
def linked(owner: Staff) -> dict[str, Any]:
    """An account with one linked contact holding one address."""
    account_id = owner.account()
    contact = owner.contact("ann@home.example")
    owner.link(account_id, contact["contact_id"])
    return {
        "account_id": account_id,
        "contact_id": contact["contact_id"],
        "email_id": contact["emails"][0]["email_id"],
        "address": "ann@home.example",
    }


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def send_again(staff: Staff, account_id: str, email_id: str):
    return staff.call(
        "access_api", "SendInvitation", path={"account_id": account_id, "email_id": email_id}
    )


def preferences(staff: Staff, account_id: str, email_id: str):
    return staff.call(
        "access_api", "GetPreferences", path={"account_id": account_id, "email_id": email_id}
    )


def put_preferences(staff: Staff, account_id: str, email_id: str, body: Any):
    return staff.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body=body,
    )


def change_address(staff: Staff, contact_id: str, email_id: str, address: str):
    answer = staff.call(
        "directory_api",
        "ChangeEmail",
        path={"contact_id": contact_id, "email_id": email_id},
        body={"address": address},
    )
    assert answer.status == 200, answer.body
    return answer


# ------------------------------------------------------------------------ section


def test_the_contacts_section_has_the_contract_shape(owner: Staff) -> None:
    account_id = owner.account()
    ann = owner.contact("ann@home.example", "ann@work.example", first="Ann", last="Smith")
    owner.link(account_id, ann["contact_id"])

    answer = owner.call("access_api", "ContactsSection", path={"account_id": account_id})

    assert answer.status == 200, answer.body
    assert set(answer.body) == {"contacts", "unlinked_emails", "nobody_notified"}
    assert answer.body["unlinked_emails"] == []
    [contact] = answer.body["contacts"]
    assert set(contact) >= {"contact_id", "first_name", "last_name", "emails"}
    assert (contact["contact_id"], contact["first_name"], contact["last_name"]) == (
        ann["contact_id"],
        "Ann",
        "Smith",
    )
    for row, email in zip(contact["emails"], ann["emails"], strict=True):
        assert set(row) >= ROW_KEYS
        assert row["email_id"] == email["email_id"]
        assert row["address"] == email["address"] and row["label"] == email["label"]
        assert (row["login"], row["notify"], row["email_sync"]) == (False, False, False)
        assert row["login_status"] == "off"
        assert row["email_sync_state"] == "off"
        assert row["invitation_expires_at"] is None
        assert row["notification_preferences"] == ALL_ON


def test_the_section_of_an_unknown_account_is_404(owner: Staff) -> None:
    answer = owner.call(
        "access_api",
        "ContactsSection",
        path={"account_id": "acc_0123456789abcdef0123456789abcdef"},
    )

    assert answer.status == 404, answer.body


# ------------------------------------------------------------------------ toggles


@pytest.mark.parametrize("toggle", ["notify", "email_sync"])
def test_notify_and_email_sync_switch_on_and_off_alone(owner: Staff, linked, toggle: str) -> None:
    account_id, email_id = linked["account_id"], linked["email_id"]

    on = owner.toggle(account_id, email_id, **{toggle: True})

    assert on.status == 200, on.body
    assert set(on.body) >= ROW_KEYS
    others = {"login", "notify", "email_sync"} - {toggle}
    assert on.body[toggle] is True
    assert all(on.body[name] is False for name in others)
    assert on.body["login_status"] == "off"
    # EMAIL SYNC on without a connected mailbox is allowed, and the row says so
    assert on.body["email_sync_state"] == ("no_mailbox" if toggle == "email_sync" else "off")
    assert owner.row(account_id, email_id) == on.body

    off = owner.toggle(account_id, email_id, **{toggle: False})

    assert off.status == 200 and off.body[toggle] is False
    assert off.body["email_sync_state"] == "off"
    assert owner.row(account_id, email_id)[toggle] is False


def test_login_on_makes_the_row_not_invited(owner: Staff, linked) -> None:
    answer = owner.toggle(linked["account_id"], linked["email_id"], login=True)

    assert answer.status == 200, answer.body
    assert answer.body["login"] is True
    assert answer.body["notify"] is False and answer.body["email_sync"] is False
    assert answer.body["login_status"] == "not_invited"
    assert answer.body["invitation_expires_at"] is None
    assert owner.row(linked["account_id"], linked["email_id"]) == answer.body
    owner.api.deliver_requested(owner.firm_id)
    assert mail_to(linked["address"]) == []  # nothing is sent without send_invitation


def test_toggles_on_one_account_leave_the_same_address_on_another_alone(owner: Staff) -> None:
    first, second = owner.account("First"), owner.account("Second")
    contact = owner.contact("ann@home.example")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]

    owner.toggle(first, email_id, login=True, notify=True, email_sync=True)

    assert owner.row(second, email_id)["login"] is False
    assert owner.row(second, email_id)["notify"] is False
    assert owner.row(second, email_id)["email_sync"] is False


def test_login_off_after_on_is_off(owner: Staff, linked) -> None:
    owner.toggle(linked["account_id"], linked["email_id"], login=True)

    answer = owner.toggle(linked["account_id"], linked["email_id"], login=False)

    assert answer.status == 200, answer.body
    assert answer.body["login"] is False and answer.body["login_status"] == "off"


def test_login_with_send_invitation_invites_for_seven_days(owner: Staff, linked) -> None:
    before = clock.now().replace(microsecond=0)

    answer = owner.toggle(
        linked["account_id"], linked["email_id"], login=True, notify=True, send_invitation=True
    )

    after = clock.now()
    assert answer.status == 200, answer.body
    assert answer.body["login"] is True and answer.body["notify"] is True
    assert answer.body["login_status"] == "invited"
    expires = parse_time(answer.body["invitation_expires_at"])
    assert before + timedelta(days=7) <= expires <= after + timedelta(days=7)
    assert owner.row(linked["account_id"], linked["email_id"]) == answer.body


def test_send_invitation_invites_the_row_address_by_email(owner: Staff, linked) -> None:
    token = owner.send_invitation(linked["account_id"], linked["email_id"])

    [message] = mail_to(linked["address"])
    assert token_in(message) == token
    invitation = owner.api.read_invitation(token)
    assert invitation.status == 200, invitation.body
    assert invitation.body["email"] == linked["address"]
    assert invitation.body["account_names"] == ["Smith family"]


@pytest.mark.parametrize(
    "body",
    [
        {"send_invitation": True},
        {"send_invitation": True, "login": False},
        {"send_invitation": True, "notify": True},
    ],
)
def test_send_invitation_without_login_on_is_422(owner: Staff, linked, body) -> None:
    answer = owner.toggle(linked["account_id"], linked["email_id"], **body)

    assert answer.status == 422, answer.body
    assert "send_invitation" in {f["name"] for f in answer.body["error"]["fields"]}
    row = owner.row(linked["account_id"], linked["email_id"])
    assert (row["login"], row["notify"], row["login_status"]) == (False, False, "off")


def test_an_unknown_toggle_is_422(owner: Staff, linked) -> None:
    answer = owner.toggle(linked["account_id"], linked["email_id"], login=True, sms=True)

    assert answer.status == 422, answer.body
    assert "sms" in {f["name"] for f in answer.body["error"]["fields"]}
    assert owner.row(linked["account_id"], linked["email_id"])["login"] is False


@pytest.mark.parametrize(
    ("name", "value"),
    [("login", "true"), ("notify", 1), ("email_sync", None), ("send_invitation", "yes")],
)
def test_a_toggle_that_is_not_a_bool_is_422(owner: Staff, linked, name: str, value: Any) -> None:
    body = {name: value}
    if name == "send_invitation":
        body["login"] = True
    answer = owner.toggle(linked["account_id"], linked["email_id"], **body)

    assert answer.status == 422, answer.body
    assert name in {f["name"] for f in answer.body["error"]["fields"]}
    row = owner.row(linked["account_id"], linked["email_id"])
    assert (row["login"], row["notify"], row["email_sync"]) == (False, False, False)


def test_a_toggle_on_an_address_not_on_the_account_is_404(owner: Staff, linked) -> None:
    elsewhere = owner.contact("bob@home.example", first="Bob")

    answer = owner.toggle(linked["account_id"], elsewhere["emails"][0]["email_id"], notify=True)

    assert answer.status == 404, answer.body


# -------------------------------------------------------------------- invitation


def test_the_invitation_is_sent_from_a_row_with_login_on(owner: Staff, linked) -> None:
    owner.toggle(linked["account_id"], linked["email_id"], login=True)

    answer = send_again(owner, linked["account_id"], linked["email_id"])

    assert answer.status == 202, answer.body
    assert set(answer.body) >= ROW_KEYS
    assert answer.body["login_status"] == "invited"
    assert answer.body["invitation_expires_at"]
    owner.api.deliver_requested(owner.firm_id)
    assert len(mail_to(linked["address"])) == 1


def test_the_invitation_of_a_row_with_login_off_is_409(owner: Staff, linked) -> None:
    answer = send_again(owner, linked["account_id"], linked["email_id"])

    assert answer.status == 409, answer.body
    assert owner.row(linked["account_id"], linked["email_id"])["login_status"] == "off"
    owner.api.deliver_requested(owner.firm_id)
    assert mail_to(linked["address"]) == []


def test_the_invitation_of_an_active_user_is_409(owner: Staff, linked) -> None:
    owner.activate(linked["account_id"], linked["email_id"])

    answer = send_again(owner, linked["account_id"], linked["email_id"])

    assert answer.status == 409, answer.body
    assert owner.row(linked["account_id"], linked["email_id"])["login_status"] == "active"


def test_a_resent_invitation_makes_the_first_link_unusable(owner: Staff, linked) -> None:
    first = owner.send_invitation(linked["account_id"], linked["email_id"])

    again = send_again(owner, linked["account_id"], linked["email_id"])
    owner.api.deliver_requested(owner.firm_id)

    assert again.status == 202, again.body
    _, second_mail = mail_to(linked["address"])
    second = token_in(second_mail)
    assert second != first
    assert owner.api.read_invitation(first).status == 404
    assert owner.api.read_invitation(second).status == 200
    assert owner.api.accept(first).status == 404
    assert owner.api.accept(second).status == 200


def test_login_off_revokes_a_pending_invitation(owner: Staff, linked) -> None:
    token = owner.send_invitation(linked["account_id"], linked["email_id"])

    owner.toggle(linked["account_id"], linked["email_id"], login=False)

    assert owner.api.read_invitation(token).status == 404
    assert owner.api.accept(token).status == 404


def test_accepting_makes_the_row_active(owner: Staff, linked) -> None:
    token = owner.send_invitation(linked["account_id"], linked["email_id"])

    answer = owner.api.accept(token)

    assert answer.status == 200, answer.body
    assert answer.body["accounts"] == [{"account_id": linked["account_id"], "name": "Smith family"}]
    row = owner.row(linked["account_id"], linked["email_id"])
    assert row["login"] is True and row["login_status"] == "active"
    assert row["invitation_expires_at"] is None


# -------------------------------------------------------------------- preferences


def test_every_category_is_on_by_default(owner: Staff, linked) -> None:
    answer = preferences(owner, linked["account_id"], linked["email_id"])

    assert answer.status == 200, answer.body
    assert switches(answer.body) == ALL_ON


def test_putting_a_subset_of_preferences_merges_it(owner: Staff, linked) -> None:
    account_id, email_id = linked["account_id"], linked["email_id"]

    first = put_preferences(owner, account_id, email_id, {"proposals": False})
    second = put_preferences(
        owner, account_id, email_id, {"organizers": False, "documents_uploads": True}
    )

    assert first.status == 200, first.body
    assert switches(first.body) == {**ALL_ON, "proposals": False}
    assert second.status == 200, second.body
    assert switches(second.body) == {**ALL_ON, "proposals": False, "organizers": False}
    assert preferences(owner, account_id, email_id).body == second.body
    assert owner.row(account_id, email_id)["notification_preferences"] == switches(second.body)


def test_preferences_are_per_account(owner: Staff) -> None:
    first, second = owner.account("First"), owner.account("Second")
    contact = owner.contact("ann@home.example")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]

    put_preferences(owner, first, email_id, {"invoices_and_payments": False})

    assert switches(preferences(owner, second, email_id).body) == ALL_ON


def test_an_unknown_category_is_422(owner: Staff, linked) -> None:
    answer = put_preferences(
        owner, linked["account_id"], linked["email_id"], {"proposals": False, "newsletters": False}
    )

    assert answer.status == 422, answer.body
    assert "newsletters" in {f["name"] for f in answer.body["error"]["fields"]}
    assert switches(preferences(owner, linked["account_id"], linked["email_id"]).body) == ALL_ON


@pytest.mark.parametrize("value", ["false", 0, None, []])
def test_a_preference_that_is_not_a_bool_is_422(owner: Staff, linked, value: Any) -> None:
    answer = put_preferences(owner, linked["account_id"], linked["email_id"], {"proposals": value})

    assert answer.status == 422, answer.body
    assert "proposals" in {f["name"] for f in answer.body["error"]["fields"]}
    assert switches(preferences(owner, linked["account_id"], linked["email_id"]).body) == ALL_ON


def test_preferences_of_an_address_not_on_the_account_are_404(owner: Staff, linked) -> None:
    unknown = "eml_0123456789abcdef0123456789abcdef"

    read = preferences(owner, linked["account_id"], unknown)
    written = put_preferences(owner, linked["account_id"], unknown, {"proposals": False})

    assert read.status == 404 and written.status == 404


# ------------------------------------------------------------ changing an address


def test_changing_an_address_with_a_pending_invitation_kills_the_old_link(
    owner: Staff, linked
) -> None:
    old_token = owner.send_invitation(linked["account_id"], linked["email_id"])

    change_address(owner, linked["contact_id"], linked["email_id"], "ann@new.example")

    assert owner.api.read_invitation(old_token).status == 404
    assert owner.api.accept(old_token).status == 404


def test_changing_an_address_with_a_pending_invitation_invites_the_new_address(
    owner: Staff, linked
) -> None:
    owner.send_invitation(linked["account_id"], linked["email_id"])

    change_address(owner, linked["contact_id"], linked["email_id"], "ann@new.example")
    owner.api.deliver_requested(owner.firm_id)

    row = owner.row(linked["account_id"], linked["email_id"])
    assert row["address"] == "ann@new.example"
    assert row["login"] is True
    assert row["login_status"] == "invited"
    new_mail = mail_to("ann@new.example")
    assert len(new_mail) == 1
    invitation = owner.api.read_invitation(token_in(new_mail[0]))
    assert invitation.status == 200, invitation.body
    assert invitation.body["email"] == "ann@new.example"


def test_changing_the_address_of_an_active_user_keeps_their_access(owner: Staff, linked) -> None:
    account_id, email_id = linked["account_id"], linked["email_id"]
    owner.activate(account_id, email_id)
    owner.toggle(account_id, email_id, notify=True)

    change_address(owner, linked["contact_id"], email_id, "ann@new.example")

    section = owner.section(account_id)
    [contact] = section["contacts"]
    [new_row] = contact["emails"]
    assert new_row["address"] == "ann@new.example"
    assert new_row["login"] is False and new_row["login_status"] == "off"
    [old_row] = section["unlinked_emails"]
    assert set(old_row) >= ROW_KEYS
    assert old_row["address"] == "ann@home.example"
    assert old_row["login"] is True and old_row["login_status"] == "active"
    assert old_row["email_id"] != new_row["email_id"]


def test_login_off_on_an_unlinked_address_removes_it(owner: Staff, linked) -> None:
    account_id, email_id = linked["account_id"], linked["email_id"]
    owner.activate(account_id, email_id)
    change_address(owner, linked["contact_id"], email_id, "ann@new.example")
    [old_row] = owner.section(account_id)["unlinked_emails"]

    answer = owner.toggle(account_id, old_row["email_id"], login=False)

    assert answer.status == 200, answer.body
    assert answer.body["login"] is False
    section = owner.section(account_id)
    assert section["unlinked_emails"] == []
    assert [r["address"] for r in section["contacts"][0]["emails"]] == ["ann@new.example"]


def test_the_new_address_of_an_active_user_can_be_invited(owner: Staff, linked) -> None:
    account_id, email_id = linked["account_id"], linked["email_id"]
    owner.activate(account_id, email_id)
    change_address(owner, linked["contact_id"], email_id, "ann@new.example")

    token = owner.send_invitation(account_id, email_id)

    assert owner.api.read_invitation(token).body["email"] == "ann@new.example"
    assert owner.row(account_id, email_id)["login_status"] == "invited"


def test_unlinking_the_contact_of_an_active_user_keeps_the_address_unlinked(
    owner: Staff, linked
) -> None:
    account_id = linked["account_id"]
    owner.activate(account_id, linked["email_id"])

    answer = owner.call(
        "directory_api",
        "UnlinkContact",
        path={"account_id": account_id, "contact_id": linked["contact_id"]},
    )

    assert answer.status == 204, answer.body
    section = owner.section(account_id)
    assert section["contacts"] == []
    assert [(r["address"], r["login"]) for r in section["unlinked_emails"]] == [
        ("ann@home.example", True)
    ]


def test_changing_only_the_case_of_an_address_changes_no_access(owner: Staff, linked) -> None:
    account_id, email_id = linked["account_id"], linked["email_id"]
    owner.activate(account_id, email_id)

    change_address(owner, linked["contact_id"], email_id, "Ann@Home.Example")

    section = owner.section(account_id)
    assert section["unlinked_emails"] == []
    [row] = section["contacts"][0]["emails"]
    assert row["address"] == "Ann@Home.Example"
    assert row["login"] is True and row["login_status"] == "active"
