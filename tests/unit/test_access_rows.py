"""What a row of the Contacts section says beyond its switches (issue 12): when the last
invitation went out, and which categories the client turned off themselves."""

from __future__ import annotations

from crm import clock
from crm.notifications import links
from tests.unit.conftest import Api, Staff


def one_row(owner: Staff) -> tuple[str, str]:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")
    owner.link(account_id, contact["contact_id"])
    return account_id, contact["emails"][0]["email_id"]


def unsubscribe(api: Api, owner: Staff, account_id: str, email_id: str, category: str) -> None:
    secret = api.module("notifications_api").api.service().link_secret()
    target = {"f": owner.firm_id, "a": account_id, "e": email_id, "c": category}
    token = links.sign(secret, links.UNSUBSCRIBE, target)
    answer = api.call(
        "notifications_api",
        "Unsubscribe",
        query={"token": token},
        raw_body="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status == 200, answer.body


def test_a_row_never_invited_says_so(owner: Staff) -> None:
    account_id, email_id = one_row(owner)

    row = owner.row(account_id, email_id)

    assert row["last_invited_at"] is None
    assert row["access_restored_at"] is None
    assert row["unsubscribed_categories"] == []


def test_each_invitation_moves_last_invited_at(owner: Staff) -> None:
    account_id, email_id = one_row(owner)
    first = owner.toggle(account_id, email_id, login=True, send_invitation=True).body
    clock.advance(60)

    again = owner.call(
        "access_api", "SendInvitation", path={"account_id": account_id, "email_id": email_id}
    )

    assert again.status == 202, again.body
    assert first["last_invited_at"] is not None
    assert again.body["last_invited_at"] > first["last_invited_at"]
    assert owner.row(account_id, email_id)["last_invited_at"] == again.body["last_invited_at"]


def test_a_category_the_client_turned_off_is_named_until_staff_turn_it_on(
    api: Api, owner: Staff
) -> None:
    account_id, email_id = one_row(owner)
    owner.toggle(account_id, email_id, notify=True)

    unsubscribe(api, owner, account_id, email_id, "proposals")

    row = owner.row(account_id, email_id)
    assert row["unsubscribed_categories"] == ["proposals"]
    assert row["notification_preferences"]["proposals"] is False
    owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"proposals": True},
    )
    assert owner.row(account_id, email_id)["unsubscribed_categories"] == []


def test_a_category_staff_turned_off_is_not_the_clients(owner: Staff) -> None:
    account_id, email_id = one_row(owner)

    owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"proposals": False},
    )

    assert owner.row(account_id, email_id)["unsubscribed_categories"] == []
