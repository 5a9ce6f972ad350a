"""Invitations end to end: the invite function's email, the public /activate page and
invitation routes, accepting, and every unusable token alike (API.md, "Invitations and
the client portal")."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest

from crm import clock
from crm.settings import get_settings
from tests.unit.conftest import (
    PASSWORD,
    REGION,
    Api,
    Staff,
    html_of,
    invitation_items,
    link_in,
    mail_to,
    sent_mail,
    table_items,
    text_of,
    token_in,
)

INVITEE = "ann@firm.example"


@pytest.fixture
def staff_token(owner: Staff) -> str:
    """A staff invitation, sent: the token the invitee received."""
    assert owner.invite_staff(INVITEE, role="employee", manage_accounts=True).status == 201
    owner.api.deliver_requested(owner.firm_id)
    return token_in(mail_to(INVITEE)[-1])


def activate_page(api: Api, token: str):
    return api.call("invitations_api", "ActivatePage", query={"token": token})


def staff_status(owner: Staff, email: str) -> str:
    staff = owner.call("firms_api", "ListStaff").body["items"]
    return str(next(s["status"] for s in staff if s["email"] == email))


def tampered(token: str) -> str:
    """The token with one character of its secret changed."""
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


# ------------------------------------------------------------------------ sending


def test_a_staff_invitation_sends_one_email_with_the_activation_link(owner: Staff) -> None:
    owner.invite_staff(INVITEE)

    owner.api.deliver_requested(owner.firm_id)

    assert len(sent_mail()) == 2  # the owner's confirmation link, then the invitation
    [message] = mail_to(INVITEE)
    [to] = message["To"].addresses
    assert to.addr_spec == INVITEE
    link = link_in(message)
    assert link.startswith(f"{os.environ['PORTAL_URL']}/activate?token=")
    assert os.environ["PORTAL_URL"] == "http://127.0.0.1:3000"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert link in text_of(message)
    assert link.replace("&", "&amp;") in html_of(message)


def test_the_invitation_email_comes_from_the_firm_by_name(owner: Staff) -> None:
    owner.invite_staff(INVITEE)

    owner.api.deliver_requested(owner.firm_id)

    [message] = mail_to(INVITEE)
    [sender] = message["From"].addresses
    assert sender.display_name == "Ledger & Co"
    assert sender.addr_spec == os.environ["MAIL_FROM_ADDRESS"]


def test_a_redelivered_event_sends_no_second_email(owner: Staff) -> None:
    owner.invite_staff(INVITEE)
    [invitation] = invitation_items(owner.firm_id)

    outcomes = [owner.api.deliver(owner.firm_id, invitation["invitation_id"]) for _ in range(3)]

    assert len(mail_to(INVITEE)) == 1
    assert outcomes[0] == {"outcome": "sent"}
    assert outcomes[1] == outcomes[2] == outcomes[0]


def test_an_event_for_an_unknown_invitation_sends_nothing(owner: Staff) -> None:
    before = len(sent_mail())  # the owner's confirmation link

    outcome = owner.api.deliver(owner.firm_id, "inv_0123456789abcdef0123456789abcdef")

    assert outcome["outcome"] != "sent"
    assert len(sent_mail()) == before


def test_a_client_invitation_names_the_accounts(owner: Staff) -> None:
    account_id = owner.account("Smith family")
    contact = owner.contact("ann@home.example")
    owner.link(account_id, contact["contact_id"])

    token = owner.send_invitation(account_id, contact["emails"][0]["email_id"])

    [message] = mail_to("ann@home.example")
    assert "Smith family" in text_of(message)
    answer = owner.api.read_invitation(token)
    assert answer.body["account_names"] == ["Smith family"]
    assert answer.body["firm_name"] == "Ledger & Co"
    assert answer.body["existing_user"] is False


def test_an_invitation_that_cannot_be_written_fails_for_good_instead_of_retrying(
    owner: Staff,
) -> None:
    """A firm name stored with a line break before names refused them (written here
    behind the product's back, as such old data is) makes every email from it fail to
    compose: the invitation ends `failed`, nothing goes out, a redelivery does nothing."""
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{owner.firm_id}"}, "sk": {"S": "FIRM"}},
        UpdateExpression="SET #n = :name",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":name": {"S": "Ledger\r\nBcc: everyone@example.com"}},
    )
    owner.invite_staff(INVITEE)
    [invitation] = invitation_items(owner.firm_id)

    outcomes = [owner.api.deliver(owner.firm_id, invitation["invitation_id"]) for _ in range(2)]

    assert outcomes == [{"outcome": "failed"}] * 2
    assert mail_to(INVITEE) == []
    assert [i["status"] for i in invitation_items(owner.firm_id)] == ["failed"]


# ------------------------------------------------------------------------ reading


def test_reading_an_invitation_answers_who_and_changes_nothing(owner: Staff, staff_token) -> None:
    before = table_items()

    answer = owner.api.read_invitation(staff_token)

    assert answer.status == 200, answer.body
    assert answer.body["email"] == INVITEE
    assert answer.body["firm_name"] == "Ledger & Co"
    assert answer.body["existing_user"] is False
    assert table_items() == before
    assert owner.api.read_invitation(staff_token).body == answer.body


def test_the_activate_page_is_html_and_changes_nothing(owner: Staff, staff_token) -> None:
    before = table_items()

    answer = activate_page(owner.api, staff_token)

    assert answer.status == 200, answer.body
    assert answer.headers["Content-Type"].startswith("text/html")
    assert isinstance(answer.body, str) and "<form" in answer.body
    assert INVITEE in answer.body and "Ledger &amp; Co" in answer.body
    assert table_items() == before
    assert staff_status(owner, INVITEE) == "invited"
    assert owner.api.accept(staff_token).status == 200  # the page used nothing up


# ---------------------------------------------------------------------- accepting


def test_accepting_a_staff_invitation_makes_an_active_staff_member(
    owner: Staff, staff_token
) -> None:
    answer = owner.api.accept(staff_token, PASSWORD)

    assert answer.status == 200, answer.body
    assert answer.body["accounts"] == []
    member = owner.api.login(INVITEE, PASSWORD)
    assert member.firm_id == owner.firm_id
    assert member.claims["custom:role"] == "employee"
    assert member.claims["custom:manage_accounts"] == "true"
    assert staff_status(owner, INVITEE) == "active"


def test_a_used_token_is_404(owner: Staff, staff_token) -> None:
    assert owner.api.accept(staff_token).status == 200

    again = owner.api.accept(staff_token, "another long password")
    read = owner.api.read_invitation(staff_token)

    assert again.status == 404, again.body
    assert read.status == 404, read.body
    owner.api.login(INVITEE, PASSWORD)  # the first password still holds


def test_a_too_short_password_is_422_and_the_invitation_stays_usable(
    owner: Staff, staff_token
) -> None:
    answer = owner.api.accept(staff_token, "short")

    assert answer.status == 422, answer.body
    assert answer.body["error"]["fields"]
    assert owner.api.read_invitation(staff_token).status == 200
    assert staff_status(owner, INVITEE) == "invited"
    assert owner.api.accept(staff_token, PASSWORD).status == 200
    owner.api.login(INVITEE, PASSWORD)


def test_a_client_accepts_and_gets_the_account(owner: Staff) -> None:
    account_id = owner.account("Smith family")
    contact = owner.contact("ann@home.example")
    owner.link(account_id, contact["contact_id"])
    token = owner.send_invitation(account_id, contact["emails"][0]["email_id"])

    answer = owner.api.accept(token)

    assert answer.status == 200, answer.body
    assert answer.body["accounts"] == [{"account_id": account_id, "name": "Smith family"}]


def test_an_existing_portal_user_accepts_with_their_current_password(owner: Staff) -> None:
    contact = owner.contact("ann@home.example")
    email_id = contact["emails"][0]["email_id"]
    first, second = owner.account("First"), owner.account("Second")
    owner.link(first, contact["contact_id"])
    owner.link(second, contact["contact_id"])
    owner.activate(first, email_id)
    token = owner.send_invitation(second, email_id)

    read = owner.api.read_invitation(token)
    wrong = owner.api.accept(token, "not the password at all")
    right = owner.api.accept(token, PASSWORD)

    assert read.body["existing_user"] is True
    assert wrong.status == 401, wrong.body
    assert wrong.body["error"]["code"] == "invalid_credentials"
    assert right.status == 200, right.body
    assert {a["account_id"] for a in right.body["accounts"]} == {first, second}
    assert owner.row(second, email_id)["login_status"] == "active"


def test_a_portal_user_signs_in_whatever_the_case_of_the_address(owner: Staff) -> None:
    """Addresses are compared case-insensitively (API.md): the address is stored as
    given, and its owner may type it in any case."""
    account_id = owner.account("Smith family")
    contact = owner.contact("Ann.Smith@Home.Example")
    owner.link(account_id, contact["contact_id"])
    owner.activate(account_id, contact["emails"][0]["email_id"])

    exact = owner.api.call(
        "portal_api", "PortalLogin", body={"email": "Ann.Smith@Home.Example", "password": PASSWORD}
    )
    lower = owner.api.call(
        "portal_api", "PortalLogin", body={"email": "ann.smith@home.example", "password": PASSWORD}
    )

    assert exact.status == 200, exact.body
    assert lower.status == 200, lower.body


# ---------------------------------------------------------------- unusable tokens


def unusable_tokens(token: str) -> dict[str, str]:
    firm_id, invitation_id, secret = token.split(".")
    return {
        "unknown": f"{firm_id}.inv_0123456789abcdef0123456789abcdef.{secret}",
        "other firm": f"frm_0123456789abcdef0123456789abcdef.{invitation_id}.{secret}",
        "malformed": "not-a-token",
        "truncated": token[:-10],
        "tampered": tampered(token),
    }


def test_every_unusable_token_is_the_same_404(owner: Staff, staff_token) -> None:
    tokens = unusable_tokens(staff_token)
    before = table_items()

    reads = {name: owner.api.read_invitation(t) for name, t in tokens.items()}
    accepts = {name: owner.api.accept(t) for name, t in tokens.items()}

    for name in tokens:
        assert reads[name].status == 404, (name, reads[name].body)
        assert accepts[name].status == 404, (name, accepts[name].body)
    bodies = [a.body for a in [*reads.values(), *accepts.values()]]
    assert all(body == bodies[0] for body in bodies), bodies
    assert table_items() == before
    assert owner.api.read_invitation(staff_token).status == 200


def test_an_expired_token_is_the_same_404(owner: Staff, staff_token) -> None:
    unknown = owner.api.read_invitation("not-a-token").body
    clock.advance(8 * 24 * 3600)

    read = owner.api.read_invitation(staff_token)
    accepted = owner.api.accept(staff_token)

    assert read.status == accepted.status == 404
    assert read.body == accepted.body == unknown
    assert staff_status(owner, INVITEE) == "invited"


def test_a_token_still_works_just_before_it_expires(owner: Staff, staff_token) -> None:
    clock.advance(7 * 24 * 3600 - 120)

    assert owner.api.read_invitation(staff_token).status == 200
    assert owner.api.accept(staff_token).status == 200


def test_a_used_token_answers_like_an_unknown_one(owner: Staff, staff_token) -> None:
    unknown: Any = owner.api.read_invitation("not-a-token").body
    owner.api.accept(staff_token)

    assert owner.api.read_invitation(staff_token).body == unknown
    assert owner.api.accept(staff_token).body == unknown
