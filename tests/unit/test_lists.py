"""Every staff list pages alike (issue 12, "Paging works the same on every list"):
`limit` 1 to 100 (default 50; anything else a 422 naming `limit`), `next_cursor` while
more may follow, a forged cursor a 422 naming `cursor`; and the searches and sorts the
workspace pages use: accounts by name or creation, contacts by name or address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from crm import clock
from crm.notifications import store as notifications_store
from tests.support import Context
from tests.unit.conftest import Api, Staff
from tests.unit.test_email_sync import CLIENT, Firm, firm, mail  # noqa: F401 - a fixture
from tests.unit.test_hostile_input import notify_event


@dataclass
class Route:
    function: str
    name: str
    path: dict[str, str]


Seed = Callable[[Staff], dict[str, str]]


def _account_with_contact(owner: Staff) -> dict[str, str]:
    account_id = owner.account("Smith family")
    contact = owner.contact("ann@client.example")
    owner.link(account_id, contact["contact_id"])
    return {"account_id": account_id, "email_id": contact["emails"][0]["email_id"]}


def seed_accounts(owner: Staff) -> dict[str, str]:
    for name in ("Alpha", "Beta", "Gamma"):
        owner.account(name)
    return {}


def seed_staff(owner: Staff) -> dict[str, str]:
    owner.invite_staff("ann@firm.example")
    owner.invite_staff("bob@firm.example")
    return {}


def seed_fields(owner: Staff) -> dict[str, str]:
    for label in ("Work", "Home"):
        answer = owner.call("directory_api", "CreateEmailField", body={"label": label})
        assert answer.status == 201, answer.body
    return {}


def seed_suppressions(owner: Staff) -> dict[str, str]:
    notifications_store.suppress(owner.firm_id, ["a@x.example", "b@x.example", "c@x.example"])
    return {}


def seed_audit(owner: Staff) -> dict[str, str]:
    row = _account_with_contact(owner)
    for notify in (True, False, True):
        assert owner.toggle(row["account_id"], row["email_id"], notify=notify).status == 200
    return {"account_id": row["account_id"]}


def seed_deliveries(owner: Staff) -> dict[str, str]:
    row = _account_with_contact(owner)
    owner.toggle(row["account_id"], row["email_id"], notify=True)
    notify = owner.api.module("notify")
    for n in range(3):
        detail = {
            "firm_id": owner.firm_id,
            "account_id": row["account_id"],
            "event_id": f"evt-{n}",
            "title": f"Document {n}",
        }
        assert notify.lambda_handler(notify_event(detail), Context())["sent"] == 1
    return {"account_id": row["account_id"]}


def seed_contacts(owner: Staff) -> dict[str, str]:
    owner.contact("c@x.example", first="Cleo", last="Adams")
    owner.contact("d@x.example", first="Dan", last="Brown")
    owner.contact("e@x.example", first="Eve", last="Clark")
    return {}


STAFF_LISTS: list[tuple[str, str, Seed]] = [
    ("directory_api", "ListAccounts", seed_accounts),
    ("directory_api", "ListContacts", seed_contacts),
    ("directory_api", "ListEmailFields", seed_fields),
    ("firms_api", "ListStaff", seed_staff),
    ("notifications_api", "ListSuppressions", seed_suppressions),
    ("access_api", "Audit", seed_audit),
    ("notifications_api", "Deliveries", seed_deliveries),
]


def pages(staff: Staff, function: str, name: str, path: dict[str, str], query: dict[str, str]):
    """Every page at `limit`=1, following next_cursor to the end."""
    found: list[Any] = []
    cursor: str | None = None
    for _ in range(50):
        wanted = {**query, "limit": "1", **({"cursor": cursor} if cursor else {})}
        answer = staff.call(function, name, path=path, query=wanted)
        assert answer.status == 200, answer.body
        assert len(answer.body["items"]) <= 1
        found += answer.body["items"]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            return found
    raise AssertionError("the pages never end")


def check_paging(staff: Staff, function: str, name: str, path: dict[str, str]) -> None:
    whole = staff.call(function, name, path=path, query={})
    assert whole.status == 200, whole.body
    assert len(whole.body["items"]) >= 2, whole.body  # the seed gives more than a page of 1
    assert whole.body["next_cursor"] is None

    first = staff.call(function, name, path=path, query={"limit": "1"})
    assert first.status == 200, first.body
    assert len(first.body["items"]) == 1 and first.body["next_cursor"]
    assert pages(staff, function, name, path, {}) == whole.body["items"]

    for bad in ("0", "101", "abc", "-1", "1.5"):
        before = staff.call(function, name, path=path, query={})
        refused = staff.call(function, name, path=path, query={"limit": bad})
        assert refused.status == 422, (bad, refused.body)
        assert refused.body["error"]["code"] == "validation_failed"
        assert [f["name"] for f in refused.body["error"]["fields"]] == ["limit"]
        assert staff.call(function, name, path=path, query={}).body == before.body
    forged = staff.call(function, name, path=path, query={"cursor": "bm90LWEtY3Vyc29y"})
    assert forged.status == 422, forged.body
    assert [f["name"] for f in forged.body["error"]["fields"]] == ["cursor"]


@pytest.mark.parametrize(
    ("function", "name", "seed"), STAFF_LISTS, ids=[n for _, n, _ in STAFF_LISTS]
)
def test_every_staff_list_pages_alike(owner: Staff, function: str, name: str, seed: Seed) -> None:
    path = seed(owner)

    check_paging(owner, function, name, path)


@pytest.mark.parametrize("name", ["Inbox", "AccountMessages", "GetThread", "AccountDocuments"])
def test_the_synced_mail_lists_page_alike(firm: Firm, name: str) -> None:  # noqa: F811
    firm.connect()
    firm.enable()
    firm.settings(auto_save_attachments=True)
    first = mail(CLIENT, firm.user.name, "Q1", attachments=[("a.pdf", b"%PDF-1 a")])
    message_id = "<thread-1@client.example>"
    firm.user.append_many(
        [
            mail(
                CLIENT,
                firm.user.name,
                "Q1",
                message_id=message_id,
                attachments=[("a.pdf", b"%PDF-1 a"), ("b.pdf", b"%PDF-1 b")],
            ),
            mail(CLIENT, firm.user.name, "Re: Q1", in_reply_to=message_id, references=message_id),
            first,
        ]
    )
    firm.sync()
    thread_id = next(i for i in firm.inbox() if i["subject"] == "Re: Q1")["thread_id"]
    path = {
        "Inbox": {},
        "AccountMessages": {"account_id": firm.account_id},
        "GetThread": {"thread_id": thread_id},
        "AccountDocuments": {"account_id": firm.account_id},
    }[name]

    check_paging(firm.owner, "sync_api", name, path)


# --------------------------------------------------------------- accounts: q and sort


def names(answer) -> list[str]:
    assert answer.status == 200, answer.body
    return [a["name"] for a in answer.body["items"]]


def test_accounts_are_searched_by_part_of_the_name_in_any_case(owner: Staff) -> None:
    for name in ("Smith family", "Jones BV", "Blacksmith Ltd", "Adams"):
        owner.account(name)

    found = owner.call("directory_api", "ListAccounts", query={"q": "SMITH"})
    none = owner.call("directory_api", "ListAccounts", query={"q": "nobody"})

    assert names(found) == ["Blacksmith Ltd", "Smith family"]
    assert names(none) == [] and none.body["next_cursor"] is None


def test_accounts_sort_by_name_or_creation_either_way(owner: Staff) -> None:
    for name in ("beta", "Alpha", "Gamma"):
        owner.account(name)
        clock.advance(60)

    def listed(sort: str | None) -> list[str]:
        query = {"sort": sort} if sort else {}
        return names(owner.call("directory_api", "ListAccounts", query=query))

    assert listed(None) == ["Alpha", "beta", "Gamma"]
    assert listed("name") == ["Alpha", "beta", "Gamma"]
    assert listed("-name") == ["Gamma", "beta", "Alpha"]
    assert listed("created_at") == ["beta", "Alpha", "Gamma"]
    assert listed("-created_at") == ["Gamma", "Alpha", "beta"]
    item = owner.call("directory_api", "ListAccounts").body["items"][0]
    assert set(item) >= {"account_id", "name", "type", "created_at"}


@pytest.mark.parametrize("sort", ["-name", "created_at", "-created_at"])
def test_paging_through_a_filtered_sorted_list_gives_each_match_once(
    owner: Staff, sort: str
) -> None:
    for n in range(7):
        owner.account(f"{'Smith' if n % 2 else 'Other'} {n}")
        clock.advance(1)
    whole = names(owner.call("directory_api", "ListAccounts", query={"q": "smith", "sort": sort}))

    paged = pages(owner, "directory_api", "ListAccounts", {}, {"q": "smith", "sort": sort})

    assert [a["name"] for a in paged] == whole and len(whole) == 3


@pytest.mark.parametrize(("name", "value"), [("sort", "size"), ("sort", "NAME"), ("q", "x" * 101)])
def test_a_bad_sort_or_a_too_long_search_is_422(owner: Staff, name: str, value: str) -> None:
    answer = owner.call("directory_api", "ListAccounts", query={name: value})

    assert answer.status == 422, answer.body
    assert [f["name"] for f in answer.body["error"]["fields"]] == [name]


# ------------------------------------------------------------------------ contacts


def test_contacts_list_by_last_then_first_name_with_addresses_and_accounts(
    owner: Staff,
) -> None:
    zed = owner.contact("zed@x.example", "zed@work.example", first="Zed", last="Adams")
    ann = owner.contact("ann@x.example", first="Ann", last="Brown")
    owner.contact("amy@x.example", first="Amy", last="Adams")
    smith = owner.account("Smith family")
    brown = owner.account("Brown BV")
    owner.link(smith, zed["contact_id"])
    owner.link(brown, zed["contact_id"])

    answer = owner.call("directory_api", "ListContacts")

    assert answer.status == 200, answer.body
    items = answer.body["items"]
    assert [(c["first_name"], c["last_name"]) for c in items] == [
        ("Amy", "Adams"),
        ("Zed", "Adams"),
        ("Ann", "Brown"),
    ]
    listed_zed = items[1]
    assert listed_zed["contact_id"] == zed["contact_id"]
    assert listed_zed["language"] is None
    assert [e["address"] for e in listed_zed["emails"]] == ["zed@x.example", "zed@work.example"]
    assert set(listed_zed["emails"][0]) == {"email_id", "address", "field_id", "label"}
    assert listed_zed["accounts"] == [
        {"account_id": brown, "name": "Brown BV"},
        {"account_id": smith, "name": "Smith family"},
    ]
    assert items[2]["contact_id"] == ann["contact_id"] and items[2]["accounts"] == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [("ADAMS", ["Amy", "Zed"]), ("zed@WORK", ["Zed"]), ("ann", ["Ann"]), ("amy adams", ["Amy"])],
)
def test_contacts_are_searched_by_name_or_address(
    owner: Staff, q: str, expected: list[str]
) -> None:
    owner.contact("zed@x.example", "zed@work.example", first="Zed", last="Adams")
    owner.contact("ann@x.example", first="Ann", last="Brown")
    owner.contact("amy@x.example", first="Amy", last="Adams")

    answer = owner.call("directory_api", "ListContacts", query={"q": q})

    assert answer.status == 200, answer.body
    assert [c["first_name"] for c in answer.body["items"]] == expected


def test_one_contact_names_its_accounts(owner: Staff) -> None:
    contact = owner.contact("ann@x.example")
    account_id = owner.account("Smith family")
    owner.link(account_id, contact["contact_id"])

    answer = owner.call("directory_api", "GetContact", path={"contact_id": contact["contact_id"]})

    assert answer.status == 200, answer.body
    assert answer.body["accounts"] == [{"account_id": account_id, "name": "Smith family"}]
    assert answer.body["account_ids"] == [account_id]


def test_the_contacts_list_costs_two_queries_whatever_the_number_of_contacts(
    owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    account_id = owner.account("Smith family")
    for n in range(30):
        contact = owner.contact(f"c{n}@x.example", first=f"C{n}", last="Doe")
        if n % 3 == 0:
            owner.link(account_id, contact["contact_id"])
    calls = count_dynamodb_calls(monkeypatch)

    answer = owner.call("directory_api", "ListContacts", query={"limit": "5"})

    assert answer.status == 200, answer.body
    assert len(answer.body["items"]) == 5
    assert calls == {"Query": 2}


def count_dynamodb_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the DynamoDB operations PynamoDB sends from now on, by name."""
    from pynamodb.connection.base import Connection

    calls: dict[str, int] = {}
    original = Connection.dispatch

    def dispatch(self: Connection, operation_name: str, operation_kwargs: Any) -> Any:
        calls[operation_name] = calls.get(operation_name, 0) + 1
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "dispatch", dispatch)
    return calls


def test_a_contact_of_another_firm_is_not_listed(api: Api, owner: Staff) -> None:
    owner.contact("ann@x.example")
    other = api.new_firm("owner@other.example", "Other firm")

    answer = other.call("directory_api", "ListContacts", query={"q": "ann"})

    assert answer.status == 200 and answer.body["items"] == []
