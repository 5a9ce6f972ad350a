"""The audit trail of an account (API.md: "GET /v1/audit?account_id=... lists who changed
what and when: toggles, preferences, invitations sent, accepted, revoked, addresses
changed, links made or removed")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from crm import clock
from tests.unit.conftest import Staff

PAGE = 50


def audit(staff: Staff, account_id: str | None, cursor: str | None = None):
    query = {}
    if account_id is not None:
        query["account_id"] = account_id
    if cursor is not None:
        query["cursor"] = cursor
    return staff.call("access_api", "Audit", query=query)


def entries(staff: Staff, account_id: str) -> list[dict[str, Any]]:
    answer = audit(staff, account_id)
    assert answer.status == 200, answer.body
    return list(answer.body["items"])


def at(entry: dict[str, Any]) -> datetime:
    return datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@pytest.fixture
def row(owner: Staff) -> dict[str, str]:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")
    owner.link(account_id, contact["contact_id"])
    return {
        "account_id": account_id,
        "contact_id": contact["contact_id"],
        "email_id": contact["emails"][0]["email_id"],
    }


def test_each_kind_of_change_leaves_its_entry_newest_first(owner: Staff, row) -> None:
    account_id, email_id, contact_id = row["account_id"], row["email_id"], row["contact_id"]
    staff_actor = f"staff:{owner.claims['custom:staff_id']}"
    extra = owner.contact("bob@home.example", first="Bob")
    token: dict[str, str] = {}

    def send_then_remember() -> None:
        token["value"] = owner.send_invitation(account_id, email_id)

    steps: list[tuple[str, Callable[[], Any], str, str | None]] = [
        # (what, do it, the target the entry names, who did it: None = the staff member)
        ("toggle", lambda: owner.toggle(account_id, email_id, notify=True), email_id, None),
        (
            "preferences",
            lambda: owner.call(
                "access_api",
                "PutPreferences",
                path={"account_id": account_id, "email_id": email_id},
                body={"proposals": False},
            ),
            email_id,
            None,
        ),
        ("invitation sent", send_then_remember, email_id, None),
        (
            "invitation sent again",
            lambda: owner.call(
                "access_api",
                "SendInvitation",
                path={"account_id": account_id, "email_id": email_id},
            ),
            email_id,
            None,
        ),
        (
            "invitation revoked",
            lambda: owner.toggle(account_id, email_id, login=False),
            email_id,
            None,
        ),
        (
            "link made",
            lambda: owner.link(account_id, extra["contact_id"]),
            extra["contact_id"],
            None,
        ),
        (
            "link removed",
            lambda: owner.call(
                "directory_api",
                "UnlinkContact",
                path={"account_id": account_id, "contact_id": extra["contact_id"]},
            ),
            extra["contact_id"],
            None,
        ),
        (
            "address changed",
            lambda: owner.call(
                "directory_api",
                "ChangeEmail",
                path={"contact_id": contact_id, "email_id": email_id},
                body={"address": "ann@new.example"},
            ),
            email_id,
            None,
        ),
        ("invitation sent to the new address", send_then_remember, email_id, None),
        (
            "invitation accepted",
            lambda: owner.api.accept(token["value"]),
            email_id,
            "client:ann@new.example",
        ),
    ]
    seen: dict[str, list[dict[str, Any]]] = {}
    for what, do, target, actor in steps:
        before = entries(owner, account_id)
        start = clock.now().replace(microsecond=0)

        do()

        after = entries(owner, account_id)
        new = after[: len(after) - len(before)]
        assert after[len(new) :] == before, what  # new entries come first, old ones stay
        assert new, f"no audit entry for: {what}"
        mine = [e for e in new if e["target"] == target]
        assert mine, (what, new)
        for entry in mine:
            assert entry["account_id"] == account_id
            assert entry["actor_id"] == (actor or staff_actor), (what, entry)
            assert start <= at(entry) <= clock.now(), (what, entry)
        seen[what] = mine

    actions = {what: {e["action"] for e in found} for what, found in seen.items()}
    assert actions["link made"].isdisjoint(actions["link removed"])
    assert actions["invitation accepted"].isdisjoint(actions["toggle"] | actions["preferences"])
    assert "ann@home.example" in str(seen["address changed"])
    assert "ann@new.example" in str(seen["address changed"])


def test_the_trail_is_newest_first(owner: Staff, row) -> None:
    for n in range(3):
        owner.toggle(row["account_id"], row["email_id"], notify=n % 2 == 0)
        clock.advance(60)

    found = entries(owner, row["account_id"])

    times = [at(e) for e in found]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) >= 3


def test_another_firms_account_is_404(api, owner: Staff, row) -> None:
    other = api.new_firm("owner@other.example", "Other firm")

    answer = audit(other, row["account_id"])

    assert answer.status == 404, answer.body
    assert "ann@home.example" not in str(answer.body)


def test_an_unknown_account_is_404(owner: Staff) -> None:
    answer = audit(owner, "acc_0123456789abcdef0123456789abcdef")

    assert answer.status == 404, answer.body


def test_the_trail_pages_with_a_cursor(owner: Staff, row) -> None:
    for n in range(PAGE + 5):
        assert owner.toggle(row["account_id"], row["email_id"], notify=n % 2 == 0).status == 200
    everything: list[dict[str, Any]] = []

    first = audit(owner, row["account_id"])
    everything += first.body["items"]
    cursor = first.body.get("next_cursor")
    pages = 1
    while cursor:
        page = audit(owner, row["account_id"], cursor)
        assert page.status == 200, page.body
        everything += page.body["items"]
        cursor = page.body.get("next_cursor")
        pages += 1
        assert pages < 10

    assert len(first.body["items"]) == PAGE
    assert first.body["next_cursor"]
    ids = [e["audit_id"] for e in everything]
    assert len(ids) == len(set(ids))  # no entry twice
    toggles = [e for e in everything if e["target"] == row["email_id"]]
    assert len(toggles) == PAGE + 5  # and none missing
    times = [at(e) for e in everything]
    assert times == sorted(times, reverse=True)


def test_a_cursor_of_another_partition_is_422(owner: Staff, row) -> None:
    other_account = owner.account("Other account")
    for n in range(PAGE + 1):
        owner.toggle(row["account_id"], row["email_id"], notify=n % 2 == 0)
    cursor = audit(owner, row["account_id"]).body["next_cursor"]
    assert cursor

    elsewhere = audit(owner, other_account, cursor)
    firm_wide = audit(owner, None, cursor)
    garbage = audit(owner, row["account_id"], "not-a-cursor")

    for answer in (elsewhere, firm_wide, garbage):
        assert answer.status == 422, answer.body
        assert "cursor" in {f["name"] for f in answer.body["error"]["fields"]}


def test_each_entry_says_who_and_what_in_words(owner: Staff, row) -> None:
    account_id, email_id = row["account_id"], row["email_id"]
    owner.toggle(account_id, email_id, login=True)
    owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"proposals": False},
    )

    found = entries(owner, account_id)

    assert all({"at", "actor", "action", "summary"} <= set(e) for e in found)
    toggled = next(e for e in found if e["action"] == "access_changed")
    assert toggled["actor"] == "owner@firm.example"
    assert toggled["summary"] == "Ann Smith's LOGIN turned on for ann@home.example."
    preferences = next(e for e in found if e["action"] == "preferences_changed")
    assert preferences["summary"] == (
        "Ann Smith's emails about proposals turned off for ann@home.example."
    )
    linked = next(e for e in found if e["action"] == "contact_linked")
    assert linked["summary"] == "Ann Smith linked to the account."
    created = next(e for e in found if e["action"] == "account_created")
    assert created["summary"] == "Account Smith family created."


def test_a_clients_own_act_is_by_client(owner: Staff, row) -> None:
    address = owner.activate(row["account_id"], row["email_id"])

    accepted = next(
        e for e in entries(owner, row["account_id"]) if e["action"] == "invitation_accepted"
    )

    assert accepted["actor"] == "client"
    assert accepted["summary"] == f"{address} accepted the invitation and can open the portal."


def test_the_summaries_are_in_the_readers_language(owner: Staff, row) -> None:
    account_id, email_id = row["account_id"], row["email_id"]
    owner.toggle(account_id, email_id, login=True)
    owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"proposals": False},
    )

    answer = owner.call(
        "access_api",
        "Audit",
        query={"account_id": account_id},
        headers={"accept-language": "nl-NL,nl;q=0.9,en;q=0.5"},
    )

    assert answer.status == 200, answer.body
    found = {e["action"]: e["summary"] for e in answer.body["items"]}
    assert found["access_changed"] == "LOGIN aangezet voor ann@home.example (Ann Smith)."
    assert found["contact_linked"] == "Ann Smith gekoppeld aan het account."
    assert found["account_created"] == "Account Smith family aangemaakt."
    assert "voorstellen" in found["preferences_changed"]
