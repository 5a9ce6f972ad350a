"""A pending invitation ends with its address on the account (API.md: "Removing the
address from its contact, or unlinking the contact from the account, ends a pending
invitation for it like a resend does: its token answers 404"), while an active user keeps
access (docs/decisions.md, section 6)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.conftest import Staff, invitation_items

ADDRESS = "ann@home.example"


@pytest.fixture
def linked(owner: Staff) -> dict[str, Any]:
    account_id = owner.account()
    contact = owner.contact(ADDRESS)
    owner.link(account_id, contact["contact_id"])
    return {
        "account_id": account_id,
        "contact_id": contact["contact_id"],
        "email_id": contact["emails"][0]["email_id"],
    }


def remove_address(owner: Staff, contact_id: str, email_id: str) -> None:
    answer = owner.call(
        "directory_api", "RemoveEmail", path={"contact_id": contact_id, "email_id": email_id}
    )
    assert answer.status == 204, answer.body


def unlink(owner: Staff, account_id: str, contact_id: str) -> None:
    answer = owner.call(
        "directory_api", "UnlinkContact", path={"account_id": account_id, "contact_id": contact_id}
    )
    assert answer.status == 204, answer.body


def audit_actions(owner: Staff, account_id: str) -> list[tuple[str, dict[str, Any]]]:
    answer = owner.call("access_api", "Audit", query={"account_id": account_id})
    assert answer.status == 200, answer.body
    return [(e["action"], e.get("details") or {}) for e in answer.body["items"]]


def assert_unusable(owner: Staff, token: str) -> None:
    read, accepted = owner.api.read_invitation(token), owner.api.accept(token)
    assert read.status == accepted.status == 404
    assert read.body["error"]["code"] == accepted.body["error"]["code"] == "invitation_not_found"


def statuses(owner: Staff) -> list[str]:
    return [i["status"] for i in invitation_items(owner.firm_id)]


def test_removing_the_address_ends_its_pending_invitation(owner: Staff, linked) -> None:
    token = owner.send_invitation(linked["account_id"], linked["email_id"])

    remove_address(owner, linked["contact_id"], linked["email_id"])

    assert_unusable(owner, token)
    assert statuses(owner) == ["revoked"]
    actions = audit_actions(owner, linked["account_id"])
    assert actions[0][0] in ("email_removed", "invitation_revoked")
    revoked = [d for a, d in actions if a == "invitation_revoked"]
    assert revoked == [
        {
            "address": ADDRESS,
            "invitation_id": invitation_items(owner.firm_id)[0]["invitation_id"],
            "reason": "email_removed",
        }
    ]


def test_unlinking_the_contact_ends_its_pending_invitation(owner: Staff, linked) -> None:
    token = owner.send_invitation(linked["account_id"], linked["email_id"])

    unlink(owner, linked["account_id"], linked["contact_id"])

    assert_unusable(owner, token)
    assert statuses(owner) == ["revoked"]
    revoked = [
        d for a, d in audit_actions(owner, linked["account_id"]) if a == "invitation_revoked"
    ]
    assert [d["reason"] for d in revoked] == ["contact_unlinked"]


def test_an_invitation_not_yet_sent_ends_too_and_is_never_sent(owner: Staff, linked) -> None:
    answer = owner.toggle(
        linked["account_id"], linked["email_id"], login=True, send_invitation=True
    )
    assert answer.status == 200, answer.body
    (waiting,) = invitation_items(owner.firm_id)

    unlink(owner, linked["account_id"], linked["contact_id"])

    assert statuses(owner) == ["revoked"]
    assert owner.api.deliver(owner.firm_id, waiting["invitation_id"]) != {"outcome": "sent"}


def test_removing_the_address_ends_the_invitations_of_every_account_it_was_on(
    owner: Staff, linked
) -> None:
    second = owner.account("Smith business", "business")
    owner.link(second, linked["contact_id"])
    first_token = owner.send_invitation(linked["account_id"], linked["email_id"])
    second_token = owner.send_invitation(second, linked["email_id"])

    remove_address(owner, linked["contact_id"], linked["email_id"])

    assert_unusable(owner, first_token)
    assert_unusable(owner, second_token)
    assert set(statuses(owner)) == {"revoked"}
    for account_id in (linked["account_id"], second):
        assert "invitation_revoked" in [a for a, _ in audit_actions(owner, account_id)]


def test_unlinking_one_account_ends_only_that_accounts_invitation(owner: Staff, linked) -> None:
    second = owner.account("Smith business", "business")
    owner.link(second, linked["contact_id"])
    first_token = owner.send_invitation(linked["account_id"], linked["email_id"])
    second_token = owner.send_invitation(second, linked["email_id"])

    unlink(owner, linked["account_id"], linked["contact_id"])

    assert_unusable(owner, first_token)
    accepted = owner.api.accept(second_token)
    assert accepted.status == 200, accepted.body
    assert [a["account_id"] for a in accepted.body["accounts"]] == [second]


@pytest.mark.parametrize("how", ["remove the address", "unlink the contact"])
def test_an_active_user_keeps_access_and_nothing_is_revoked(owner: Staff, linked, how) -> None:
    owner.activate(linked["account_id"], linked["email_id"])

    if how == "remove the address":
        remove_address(owner, linked["contact_id"], linked["email_id"])
    else:
        unlink(owner, linked["account_id"], linked["contact_id"])

    section = owner.section(linked["account_id"])
    assert [(r["address"], r["login_status"]) for r in section["unlinked_emails"]] == [
        (ADDRESS, "active")
    ]
    assert statuses(owner) == ["accepted"]
    assert "invitation_revoked" not in [a for a, _ in audit_actions(owner, linked["account_id"])]


def test_an_address_without_an_invitation_goes_as_before(owner: Staff, linked) -> None:
    remove_address(owner, linked["contact_id"], linked["email_id"])

    assert invitation_items(owner.firm_id) == []
    assert owner.section(linked["account_id"])["contacts"][0]["emails"] == []
