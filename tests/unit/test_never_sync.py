"""What is never synced (issue 11): the firm's never-sync list of addresses and domains,
mail among the firm's own staff, and what the Contacts section says of EMAIL SYNC
(`email_sync_state`) when no mailbox is connected, while history comes in, and after.
The sync runs against the real Dovecot of tests/dovecot.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import boto3
import pytest
from pynamodb.connection.base import Connection

from crm import runtime
from crm.core.directory import AccountRef
from crm.integrations import imap
from crm.settings import get_settings
from crm.sync.matching import Matcher
from crm.sync.models import SyncedRow
from tests.dovecot import ImapUser
from tests.unit.conftest import Api, Staff, table_items
from tests.unit.test_email_sync import CLIENT, Firm, mail, subjects

BANK = "advisor@bank.example"
DOCS_FUNCTION = "api_docs"  # the function that serves the OpenAPI document


@pytest.fixture
def firm(api: Api, owner: Staff, imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> Firm:
    """A firm (owner@firm.example) with one account whose contact is CLIENT; its mailbox
    on Dovecot is not connected yet."""
    monkeypatch.setenv("MAILBOX_ALLOW_LOOPBACK", "true")  # Dovecot is on loopback
    get_settings.cache_clear()
    runtime.start()
    account_id = owner.account("Smith family")
    contact = owner.contact(CLIENT)
    owner.link(account_id, contact["contact_id"])
    return Firm(api, owner, imap_user, account_id, contact["emails"][0]["email_id"])


def stored(firm: Firm) -> list[str]:
    """The subjects of every message stored for the firm (listed anywhere or not)."""
    partition = f"FIRM#{firm.owner.firm_id}#MAIL"
    return sorted(
        i["subject"]["S"]
        for i in table_items()
        if i["pk"]["S"] == partition and i["sk"]["S"].startswith("MESSAGE#")
    )


def change_settings(staff: Staff, **body: Any) -> Any:
    return staff.call("firms_api", "UpdateSettings", body=body)


def field_names(answer: Any) -> set[str]:
    return {f["name"] for f in answer.body["error"]["fields"]}


def row_state(firm: Firm, email_id: str | None = None) -> str:
    return str(firm.owner.row(firm.account_id, email_id or firm.email_id)["email_sync_state"])


@contextmanager
def dynamodb_calls() -> Iterator[list[str]]:
    """The DynamoDB operations PynamoDB makes inside the block (every item kind goes
    through it)."""
    calls: list[str] = []
    original = Connection._make_api_call

    def counted(self: Connection, operation: str, kwargs: dict[str, Any]) -> Any:
        calls.append(operation)
        return original(self, operation, kwargs)

    with mock.patch.object(Connection, "_make_api_call", counted):
        yield calls


# ------------------------------------------------------------- the rule itself


def matcher(**options: Any) -> Matcher:
    rows = [
        SyncedRow(account_id="a1", account_name="Smith", email_id="e1", address=CLIENT),
        SyncedRow(account_id="a2", account_name="Owner", email_id="e2", address="owner@f.example"),
    ]
    return Matcher(rows, **options)


def ids(accounts: list[AccountRef]) -> list[str]:
    return [a.account_id for a in accounts]


def test_a_listed_address_or_domain_anywhere_on_a_message_keeps_it_from_every_account() -> None:
    rule = matcher(never_sync=["@bank.example", "solicitor@law.example"])

    assert ids(rule.accounts([CLIENT, "office@f.example"])) == ["a1"]
    assert rule.accounts([BANK, CLIENT]) == []  # the sender
    assert rule.accounts([CLIENT, "office@f.example", "Desk@BANK.example"]) == []  # a Cc
    assert rule.accounts([CLIENT, "x@mail.bank.example"]) == []  # a subdomain
    assert rule.accounts([CLIENT, "solicitor@law.example"]) == []
    assert ids(rule.accounts([CLIENT, "partner@law.example"])) == ["a1"]  # not the address
    assert ids(rule.accounts([CLIENT, "x@bank.example.org"])) == ["a1"]  # not a subdomain
    assert ids(rule.accounts([CLIENT, "x@piggybank.example"])) == ["a1"]


def test_the_mailbox_own_address_is_never_taken_for_a_listed_one() -> None:
    rule = matcher(never_sync=["@f.example"], own="office@F.example")

    assert ids(rule.accounts([CLIENT, "office@f.example"])) == ["a1"]
    assert rule.accounts([CLIENT, "office@f.example", "clerk@f.example"]) == []


def test_mail_among_staff_and_the_mailbox_is_no_accounts_and_staff_are_read_once() -> None:
    reads: list[int] = []

    def staff() -> list[str]:
        reads.append(1)
        return ["Owner@f.example", "clerk@f.example"]

    rule = matcher(staff=staff, own="office@f.example")

    assert rule.accounts(["clerk@f.example", "owner@f.example"]) == []
    assert rule.accounts(["owner@f.example", "office@f.example"]) == []
    assert rule.accounts(["owner@f.example"]) == []  # no recipient but staff
    assert ids(rule.accounts(["clerk@f.example", "owner@f.example", CLIENT])) == ["a2", "a1"]
    assert ids(rule.accounts([CLIENT, "owner@f.example"])) == ["a1", "a2"]
    assert reads == [1]
    assert matcher(staff=staff).accounts(["bob@elsewhere.example"]) == []
    assert reads == [1]  # nothing matched: the staff were not needed


# ------------------------------------------------------------- the settings


def test_the_never_sync_list_is_saved_lower_case_once_each_and_audited(owner: Staff) -> None:
    assert owner.call("firms_api", "GetSettings").body["never_sync"] == []

    answer = change_settings(
        owner, never_sync=[" @Bank.Example", "Solicitor@Law.example", "@bank.example"]
    )

    assert answer.status == 200, answer.body
    assert answer.body["never_sync"] == ["@bank.example", "solicitor@law.example"]
    assert owner.call("firms_api", "GetSettings").body["never_sync"] == answer.body["never_sync"]
    audit = owner.call("access_api", "Audit", query={})
    assert audit.status == 200, audit.body
    trail = audit.body["items"]
    entry = next(e for e in trail if e["action"] == "settings_changed")
    assert entry["details"]["never_sync"] == {
        "from": [],
        "to": ["@bank.example", "solicitor@law.example"],
    }
    emptied = change_settings(owner, never_sync=[])
    assert emptied.status == 200 and emptied.body["never_sync"] == []


@pytest.mark.parametrize(
    "entries",
    [
        ["bank.example"],  # a domain is written @bank.example
        ["@bank"],  # no top-level domain
        ["@-bank.example"],
        ["not an address"],
        [""],
        ["a@b@bank.example"],
        ["@bank.example", 7],
        "@bank.example",  # a list, not a string
        [f"@bank{n}.example" for n in range(101)],  # at most 100
    ],
)
def test_a_bad_never_sync_list_is_422_and_changes_nothing(owner: Staff, entries: Any) -> None:
    change_settings(owner, never_sync=["@keep.example"])
    before = table_items()

    answer = change_settings(owner, never_sync=entries, auto_save_attachments=True)

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"]
    assert {n.split(".")[0] for n in field_names(answer)} == {"never_sync"}
    assert table_items() == before
    assert owner.call("firms_api", "GetSettings").body["never_sync"] == ["@keep.example"]


def test_an_employee_may_not_change_the_never_sync_list(owner: Staff) -> None:
    employee = owner.add_staff("emp@firm.example", manage_accounts=True)

    answer = change_settings(employee, never_sync=["@bank.example"])

    assert answer.status == 403, answer.body
    assert employee.call("firms_api", "GetSettings").body["never_sync"] == []


# ------------------------------------------------------------- the sync


def test_mail_with_a_never_sync_domain_is_not_stored_even_with_a_synced_client(
    firm: Firm,
) -> None:
    office = firm.user.name
    firm.settings(never_sync=["@Bank.example"])
    firm.user.append_many(
        [
            mail(CLIENT, office, "Old question"),
            mail(BANK, office, "Old news from the bank", cc=CLIENT),
        ]
    )
    assert firm.connect().status == 200
    firm.enable()  # the history: the bank's message stays out
    firm.user.append_many(
        [
            mail(CLIENT, office, "New question"),
            mail(CLIENT, office, "The bank in Cc", cc="desk@bank.example"),
            mail(CLIENT, f"{office}, x@mail.bank.example", "A subdomain in To"),
            mail(CLIENT, office, "Another bank", cc="desk@trust.example"),
        ]
    )
    firm.user.append(mail(office, CLIENT, "Our answer, Cc the bank", cc=BANK), folder="Sent")

    report = firm.sync()

    expected = ["Another bank", "New question", "Old question"]
    assert report.outcome == "ok"
    assert subjects(firm.inbox()) == subjects(firm.tab()) == expected
    assert stored(firm) == expected


def test_removing_an_entry_lets_later_mail_in(firm: Firm) -> None:
    office = firm.user.name
    firm.settings(never_sync=[BANK])
    firm.connect()
    firm.enable()
    firm.user.append(mail(BANK, office, "While listed", cc=CLIENT))
    firm.sync()
    assert stored(firm) == []

    firm.settings(never_sync=[])
    firm.user.append(mail(BANK, office, "After the removal", cc=CLIENT))
    firm.sync()

    assert subjects(firm.tab()) == ["After the removal"]  # earlier mail is not fetched again
    assert stored(firm) == ["After the removal"]


def test_mail_among_the_firms_staff_is_not_brought_into_an_account(firm: Firm) -> None:
    """The owner is also a client of the firm (an account of their own, EMAIL SYNC on):
    the firm's internal mail stays out of that account; their mail with clients does not."""
    office, own = firm.user.name, "owner@firm.example"
    firm.owner.add_staff("clerk@firm.example")
    mine = firm.owner.account("The owner's own return", "individual")
    me = firm.owner.contact(own.upper(), first="Olivia", last="Owner")
    firm.owner.link(mine, me["contact_id"])
    firm.connect()
    firm.enable()
    firm.enable(mine, me["emails"][0]["email_id"])
    firm.user.append_many(
        [
            mail("clerk@firm.example", f"{own}, {office}", "Staff meeting"),
            mail(own, office, "A note to the office"),
            mail("Clerk@Firm.example", own, "Internal, client in Cc", cc=CLIENT),
            mail(CLIENT, own, "From a client to the owner"),
        ]
    )
    firm.user.append(mail(office, own, "The office to the owner"), folder="Sent")

    firm.sync()

    assert subjects(firm.tab(mine)) == ["From a client to the owner", "Internal, client in Cc"]
    assert subjects(firm.tab()) == ["From a client to the owner", "Internal, client in Cc"]
    assert stored(firm) == ["From a client to the owner", "Internal, client in Cc"]


# ------------------------------------------------------------- the row's state


def test_the_row_says_no_mailbox_then_pending_then_synced(firm: Firm) -> None:
    off = firm.owner.toggle(firm.account_id, firm.email_id, notify=True)
    assert off.status == 200 and off.body["email_sync_state"] == "off"
    assert row_state(firm) == "off"

    on = firm.owner.toggle(firm.account_id, firm.email_id, email_sync=True)

    assert on.status == 200, on.body
    assert on.body["email_sync_state"] == "no_mailbox"  # allowed, and said
    assert row_state(firm) == "no_mailbox"

    firm.user.append(mail(CLIENT, firm.user.name, "History"))
    assert firm.connect().status == 200
    assert row_state(firm) == "pending"  # its history is not imported yet
    firm.enable()  # the EmailSyncEnabled event reaches the sync: the history comes in

    assert row_state(firm) == "synced"
    toggled = firm.owner.toggle(firm.account_id, firm.email_id, notify=False)
    assert toggled.body["email_sync_state"] == "synced"
    assert subjects(firm.tab()) == ["History"]


def test_the_row_says_error_while_the_mailbox_needs_attention(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    assert row_state(firm) == "synced"

    def unreachable(*_: Any, **__: Any) -> imap.ImapSession:
        raise imap.Unreachable(imap.UNREACHABLE)

    assert firm.sync(connect=unreachable).outcome == "error"

    assert row_state(firm) == "error"
    firm.sync()
    assert row_state(firm) == "synced"


def test_a_history_job_done_for_another_address_leaves_the_row_pending(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    off = firm.owner.toggle(firm.account_id, firm.email_id, email_sync=False)
    assert off.body["email_sync_state"] == "off"
    # the job on record was for the address the row had before
    boto3.client("dynamodb").update_item(
        TableName=get_settings().table_name,
        Key={
            "pk": {"S": f"FIRM#{firm.owner.firm_id}#MAIL"},
            "sk": {"S": f"HISTORY#{firm.account_id}#{firm.email_id}"},
        },
        UpdateExpression="SET address = :a",
        ExpressionAttributeValues={":a": {"S": "old@client.example"}},
    )

    again = firm.owner.toggle(firm.account_id, firm.email_id, email_sync=True)

    assert again.body["email_sync_state"] == "pending"
    assert row_state(firm) == "pending"


def test_the_section_reads_the_sync_once_and_only_when_a_row_has_email_sync_on(
    firm: Firm,
) -> None:
    more = firm.owner.contact("b1@client.example", "b2@client.example", first="Bo")
    firm.owner.link(firm.account_id, more["contact_id"])
    firm.connect()
    with dynamodb_calls() as quiet:
        section = firm.owner.section(firm.account_id)
    assert {r["email_sync_state"] for c in section["contacts"] for r in c["emails"]} == {"off"}

    firm.enable()
    for email in more["emails"]:
        firm.enable(email_id=email["email_id"])
    with dynamodb_calls() as synced:
        section = firm.owner.section(firm.account_id)
    with dynamodb_calls() as toggled:
        firm.owner.toggle(firm.account_id, firm.email_id, notify=True)

    assert sorted(quiet) == ["BatchGetItem", "Query"]  # as before: 2 calls
    assert sorted(synced) == ["BatchGetItem", "BatchGetItem", "Query"]  # + the sync's, once
    assert {r["email_sync_state"] for c in section["contacts"] for r in c["emails"]} == {"synced"}
    assert sorted(toggled) == ["BatchGetItem", "GetItem", "TransactWriteItems"]


def test_the_openapi_document_describes_the_new_fields(api: Api) -> None:
    answer = api.call(DOCS_FUNCTION, "OpenApi")
    document = answer.body if isinstance(answer.body, dict) else json.loads(answer.body)
    schemas = document["components"]["schemas"]

    row = schemas["AccessRow"]["properties"]["email_sync_state"]
    assert "no_mailbox" in json.dumps(row) and row["description"]
    assert "AccessRow" in json.dumps(
        document["paths"]["/v1/accounts/{account_id}/emails/{email_id}"]["patch"]["responses"]
    )
    assert schemas["FirmSettings"]["properties"]["never_sync"]["description"]
    assert "@bank.example" in json.dumps(schemas["SettingsChange"]["properties"]["never_sync"])
