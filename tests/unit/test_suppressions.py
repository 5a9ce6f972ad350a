"""Clearing a suppressed address (`DELETE /v1/suppressions/{address}`): the address is a
path segment, so clients send it percent-encoded (`ann%40home.example`)."""

from __future__ import annotations

from crm.notifications import store as notifications_store
from tests.unit.conftest import Staff, table_items


def suppressed(staff: Staff) -> list[str]:
    answer = staff.call("notifications_api", "ListSuppressions", query={})
    assert answer.status == 200, answer.body
    return [item["address"] for item in answer.body["items"]]


def clear(staff: Staff, segment: str):
    return staff.call("notifications_api", "ClearSuppression", path={"address": segment})


def test_an_encoded_address_is_cleared(owner: Staff) -> None:
    notifications_store.suppress(owner.firm_id, ["ann@home.example", "bob@home.example"])

    answer = clear(owner, "ann%40home.example")

    assert answer.status == 204, answer.body
    assert suppressed(owner) == ["bob@home.example"]


def test_an_encoded_address_in_another_case_is_the_same_address(owner: Staff) -> None:
    notifications_store.suppress(owner.firm_id, ["ann@home.example"])

    answer = clear(owner, "Ann%40Home.Example")

    assert answer.status == 204, answer.body
    assert suppressed(owner) == []


def test_an_address_sent_unencoded_is_cleared_too(owner: Staff) -> None:
    notifications_store.suppress(owner.firm_id, ["ann@home.example"])

    assert clear(owner, "ann@home.example").status == 204
    assert suppressed(owner) == []


def test_an_address_that_is_not_suppressed_is_404_and_changes_nothing(owner: Staff) -> None:
    notifications_store.suppress(owner.firm_id, ["ann@home.example"])
    before = table_items()

    answer = clear(owner, "bob%40home.example")

    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found"
    assert table_items() == before


def test_an_employee_without_manage_accounts_may_not_clear_one(owner: Staff) -> None:
    notifications_store.suppress(owner.firm_id, ["ann@home.example"])
    reader = owner.add_staff("emp@firm.example", manage_accounts=False)

    answer = clear(reader, "ann%40home.example")

    assert answer.status == 403, answer.body
    assert suppressed(owner) == ["ann@home.example"]
