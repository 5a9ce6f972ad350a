"""The no-NOTIFY warning (issue 14): an account where no address has NOTIFY on would send
its invoices to nobody. The account's item counts its rows with NOTIFY on, changed in
the transaction of every change of NOTIFY, so the accounts list says it and filters by it
without reading a row."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from crm import runtime
from crm.access.models import ToggleChange
from crm.access.service import AccessService
from crm.core.caller import Staff as Caller
from crm.errors import Conflict
from crm.settings import get_settings
from tests.unit.conftest import REGION, Staff, table_items
from tests.unit.test_concurrency import atomic_requests  # noqa: F401 (a fixture)


def counted(owner: Staff, account_id: str) -> int | None:
    """The count as stored on the account's item (None: not counted)."""
    [item] = [
        i
        for i in table_items()
        if i["pk"]["S"] == f"FIRM#{owner.firm_id}" and i["sk"]["S"] == f"ACCOUNT#{account_id}"
    ]
    return int(item["notified"]["N"]) if "notified" in item else None


def account_with(owner: Staff, *addresses: str, name: str = "Smith family") -> tuple[str, Any]:
    account_id = owner.account(name)
    contact = owner.contact(*addresses)
    owner.link(account_id, contact["contact_id"])
    return account_id, contact


def listed(owner: Staff, **query: Any) -> dict[str, bool]:
    answer = owner.call("directory_api", "ListAccounts", query=query)
    assert answer.status == 200, answer.body
    return {a["name"]: a["nobody_notified"] for a in answer.body["items"]}


def test_a_new_account_notifies_nobody(owner: Staff) -> None:
    account_id = owner.account()

    assert counted(owner, account_id) == 0
    answer = owner.call("directory_api", "GetAccount", path={"account_id": account_id})
    assert answer.body["nobody_notified"] is True
    assert owner.section(account_id)["nobody_notified"] is True


def test_notify_on_and_off_moves_the_count(owner: Staff) -> None:
    account_id, contact = account_with(owner, "ann@home.example", "ann@work.example")
    home, work = (e["email_id"] for e in contact["emails"])

    owner.toggle(account_id, home, notify=True)
    owner.toggle(account_id, work, notify=True)
    owner.toggle(account_id, work, notify=True)  # no change: counted once
    assert counted(owner, account_id) == 2
    assert owner.section(account_id)["nobody_notified"] is False

    owner.toggle(account_id, home, notify=False)
    owner.toggle(account_id, work, notify=False, login=True)
    assert counted(owner, account_id) == 0
    assert owner.section(account_id)["nobody_notified"] is True


def test_unlinking_removing_and_changing_addresses_keep_it_right(owner: Staff) -> None:
    account_id, ann = account_with(owner, "ann@home.example", "ann@work.example")
    bob = owner.contact("bob@home.example", first="Bob")
    owner.link(account_id, bob["contact_id"])
    for email in [*ann["emails"], *bob["emails"]]:
        owner.toggle(account_id, email["email_id"], notify=True)
    assert counted(owner, account_id) == 3

    removed = owner.call(
        "directory_api",
        "RemoveEmail",
        path={"contact_id": ann["contact_id"], "email_id": ann["emails"][1]["email_id"]},
    )
    assert removed.status == 204, removed.body
    assert counted(owner, account_id) == 2

    changed = owner.call(
        "directory_api",
        "ChangeEmail",
        path={"contact_id": ann["contact_id"], "email_id": ann["emails"][0]["email_id"]},
        body={"address": "ann@new.example"},
    )
    assert changed.status == 200, changed.body
    assert counted(owner, account_id) == 2  # the row keeps NOTIFY with its new address

    unlinked = owner.call(
        "directory_api",
        "UnlinkContact",
        path={"account_id": account_id, "contact_id": bob["contact_id"]},
    )
    assert unlinked.status == 204, unlinked.body
    assert counted(owner, account_id) == 1

    owner.link(account_id, bob["contact_id"])  # linked again: a fresh row, NOTIFY off
    assert counted(owner, account_id) == 1
    owner.toggle(account_id, ann["emails"][0]["email_id"], notify=False)
    assert counted(owner, account_id) == 0
    assert listed(owner) == {"Smith family": True}


def test_an_active_users_row_kept_unlinked_keeps_counting_until_login_off(owner: Staff) -> None:
    account_id, ann = account_with(owner, "ann@home.example")
    email_id = ann["emails"][0]["email_id"]
    owner.toggle(account_id, email_id, notify=True)
    owner.activate(account_id, email_id)

    owner.call(
        "directory_api",
        "UnlinkContact",
        path={"account_id": account_id, "contact_id": ann["contact_id"]},
    )
    assert owner.section(account_id)["unlinked_emails"][0]["notify"] is True
    assert counted(owner, account_id) == 1  # the fan-out still emails that row

    assert owner.toggle(account_id, email_id, login=False).status == 200  # the row goes
    assert counted(owner, account_id) == 0


def test_the_list_filters_by_it_and_each_item_says_it(owner: Staff) -> None:
    reached, _ = account_with(owner, "ann@home.example", name="Reached")
    account_with(owner, "bob@home.example", name="Silent")
    owner.account("Empty")
    row = owner.section(reached)["contacts"][0]["emails"][0]["email_id"]
    owner.toggle(reached, row, notify=True)

    assert listed(owner) == {"Empty": True, "Reached": False, "Silent": True}
    assert listed(owner, nobody_notified="true") == {"Empty": True, "Silent": True}
    assert listed(owner, nobody_notified="false") == {"Reached": False}
    assert listed(owner, nobody_notified="true", q="sil") == {"Silent": True}
    bad = owner.call("directory_api", "ListAccounts", query={"nobody_notified": "maybe"})
    assert bad.status == 422, bad.body


def test_the_list_reads_no_access_row(owner: Staff, monkeypatch: Any) -> None:
    for name in ("One", "Two", "Three"):
        account_with(owner, f"{name.lower()}@home.example", name=name)
    from crm.storage import items

    queried: list[str] = []
    real_query = items.Item.query.__func__  # type: ignore[attr-defined]

    def query(cls: Any, hash_key: str, *args: Any, **kwargs: Any) -> Any:
        queried.append(hash_key)
        return real_query(cls, hash_key, *args, **kwargs)

    monkeypatch.setattr(items.Item, "query", classmethod(query))

    assert len(listed(owner, nobody_notified="true")) == 3

    assert queried == [f"FIRM#{owner.firm_id}"]  # the firm's accounts, no account partition


def test_an_account_older_than_the_count_is_counted_from_its_rows(owner: Staff) -> None:
    account_id, contact = account_with(owner, "ann@home.example", "ann@work.example")
    home, work = (e["email_id"] for e in contact["emails"])
    owner.toggle(account_id, home, notify=True)
    forget_count(owner, account_id)  # as an account written before the count existed

    owner.toggle(account_id, work, notify=True)  # fails on the count, seeds it, writes

    assert counted(owner, account_id) == 2
    forget_count(owner, account_id)
    assert listed(owner) == {"Smith family": False}  # a read seeds it too
    assert counted(owner, account_id) == 2


def forget_count(owner: Staff, account_id: str) -> None:
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{owner.firm_id}"}, "sk": {"S": f"ACCOUNT#{account_id}"}},
        UpdateExpression="REMOVE notified",
    )


def test_concurrent_toggles_on_one_account_count_exactly(
    owner: Staff,
    atomic_requests: None,  # noqa: F811
) -> None:
    addresses = [f"person{i}@home.example" for i in range(8)]
    account_id, contact = account_with(owner, *addresses)
    email_ids = [e["email_id"] for e in contact["emails"]]
    for email_id in email_ids[:4]:
        owner.toggle(account_id, email_id, notify=True)
    runtime.start()
    service = AccessService(invitation_ttl_days=7)
    caller = Caller(
        firm_id=owner.firm_id,
        staff_id=owner.claims["custom:staff_id"],
        role="owner",
        manage_accounts=True,
    )
    # the four that are on go off, the four that are off go on, each asked twice at once
    writers = [(e, i >= 4) for i, e in enumerate(email_ids)] * 2
    start = threading.Barrier(len(writers))

    def write(writer: tuple[str, bool]) -> str:
        email_id, on = writer
        start.wait()
        try:
            service.change(caller, account_id, email_id, ToggleChange(notify=on))
        except Conflict:
            return "conflict"
        return "ok"

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        outcomes = list(pool.map(write, writers))

    assert "ok" in outcomes
    rows = [r for c in owner.section(account_id)["contacts"] for r in c["emails"]]
    assert counted(owner, account_id) == sum(r["notify"] for r in rows)
