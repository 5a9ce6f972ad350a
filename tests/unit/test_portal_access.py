"""The portal access manager (GET /v1/portal-access), bulk invitations (POST
/v1/portal-access/invitations) and the personal note on an invitation."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from crm import clock
from crm.core.access import new_record
from crm.core.directory import ContactEmail
from crm.settings import get_settings
from crm.storage import portal_access
from crm.storage.access import to_item
from crm.storage.items import AccessItem
from tests.support import Context
from tests.unit.conftest import (
    Api,
    Staff,
    _dynamodb,
    html_of,
    invitation_event,
    invitation_items,
    mail_to,
    text_of,
    token_in,
)
from tests.unit.test_lists import count_dynamodb_calls


def with_login(owner: Staff, account_id: str, *addresses: str) -> list[str]:
    """One linked contact per address, LOGIN on without an invitation; their email ids."""
    ids = []
    for n, address in enumerate(addresses):
        contact = owner.contact(address, first=f"P{n}", last="Doe")
        owner.link(account_id, contact["contact_id"])
        email_id = contact["emails"][0]["email_id"]
        answer = owner.toggle(account_id, email_id, login=True)
        assert answer.status == 200, answer.body
        ids.append(email_id)
    return ids


def listing(owner: Staff, **query: str) -> dict[str, Any]:
    answer = owner.call("portal_access_api", "PortalAccess", query=query)
    assert answer.status == 200, answer.body
    return dict(answer.body)


def bulk(owner: Staff, pairs: list[tuple[str, str]], note: str | None = None) -> Any:
    body: dict[str, Any] = {"items": [{"account_id": a, "email_id": e} for a, e in pairs]}
    if note is not None:
        body["note"] = note
    return owner.call("portal_access_api", "InviteMany", body=body)


def statuses(owner: Staff, **query: str) -> dict[str, str]:
    return {i["address"]: i["status"] for i in listing(owner, **query)["items"]}


def set_bounced(owner: Staff, account_id: str, email_id: str) -> None:
    """What the SES feedback writes on the row whose current invitation bounced."""
    _dynamodb().update_item(
        TableName=get_settings().table_name,
        Key={
            "pk": {"S": f"FIRM#{owner.firm_id}#ACCOUNT#{account_id}"},
            "sk": {"S": f"ACCESS#{email_id}"},
        },
        UpdateExpression="SET invitation_bounced_at = :at",
        ExpressionAttributeValues={":at": {"S": clock.iso()}},
    )


def test_each_status_is_listed_with_its_dates_and_login_off_is_not(api: Api, owner: Staff) -> None:
    account_id = owner.account("Smith family")
    waiting, invited, active, expired, bounced = with_login(
        owner,
        account_id,
        "wait@x.example",
        "inv@x.example",
        "act@x.example",
        "exp@x.example",
        "bnc@x.example",
    )
    off = owner.contact("off@x.example", first="Off", last="Doe")
    owner.link(account_id, off["contact_id"])
    answer = bulk(owner, [(account_id, expired)])
    assert answer.status == 202, answer.body
    clock.advance((get_settings().invitation_ttl_days + 1) * 24 * 3600)  # that one expires
    assert bulk(owner, [(account_id, invited), (account_id, bounced)]).status == 202
    set_bounced(owner, account_id, bounced)
    owner.activate(account_id, active)

    items = {i["address"]: i for i in listing(owner)["items"]}

    assert {a: i["status"] for a, i in items.items()} == {
        "wait@x.example": "not_invited",
        "inv@x.example": "invited",
        "act@x.example": "active",
        "exp@x.example": "expired",
        "bnc@x.example": "bounced",
    }
    assert items["wait@x.example"]["last_invited_at"] is None
    assert items["inv@x.example"]["last_invited_at"] is not None
    assert items["act@x.example"]["accepted_at"] is not None
    assert items["act@x.example"]["account_name"] == "Smith family"
    assert items["inv@x.example"]["accepted_at"] is None
    assert waiting == items["wait@x.example"]["email_id"]


def test_the_status_filter_and_the_account_filter(owner: Staff) -> None:
    first, second = owner.account("First"), owner.account("Second")
    one, two = with_login(owner, first, "one@x.example", "two@x.example")
    (three,) = with_login(owner, second, "three@x.example")
    assert bulk(owner, [(first, one), (second, three)]).status == 202
    clock.advance((get_settings().invitation_ttl_days + 1) * 24 * 3600)
    assert bulk(owner, [(first, two)]).status == 202

    assert statuses(owner, status="expired") == {
        "one@x.example": "expired",
        "three@x.example": "expired",
    }
    assert statuses(owner, status="invited") == {"two@x.example": "invited"}
    assert statuses(owner, status="not_invited") == {}
    assert statuses(owner, account_id=second) == {"three@x.example": "expired"}
    assert statuses(owner, account_id=first, status="invited") == {"two@x.example": "invited"}
    assert statuses(owner, account_id="acc_nothing") == {}


def test_a_bad_status_is_a_422(owner: Staff) -> None:
    answer = owner.call("portal_access_api", "PortalAccess", query={"status": "lost"})

    assert answer.status == 422, answer.body


def test_pages_follow_each_other_one_query_each(
    owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    account_id = owner.account()
    addresses = [f"p{n}@x.example" for n in range(5)]
    with_login(owner, account_id, *addresses)
    calls = count_dynamodb_calls(monkeypatch)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = listing(owner, **query)
        pages += 1
        seen += [i["address"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break

    assert sorted(seen) == addresses and len(seen) == len(set(seen))
    assert pages == 3
    assert calls == {"Query": pages}


def test_a_filtered_page_is_still_one_query(owner: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    account_id = owner.account()
    ids = with_login(owner, account_id, "a@x.example", "b@x.example", "c@x.example")
    assert bulk(owner, [(account_id, ids[0])]).status == 202
    calls = count_dynamodb_calls(monkeypatch)

    assert statuses(owner, status="invited") == {"a@x.example": "invited"}
    assert calls == {"Query": 1}


def test_a_cursor_from_another_filter_or_forged_is_a_422(owner: Staff) -> None:
    account_id = owner.account()
    with_login(owner, account_id, "a@x.example", "b@x.example")
    cursor = listing(owner, limit="1")["next_cursor"]
    assert cursor

    answer = owner.call(
        "portal_access_api", "PortalAccess", query={"status": "active", "cursor": cursor}
    )
    forged = owner.call("portal_access_api", "PortalAccess", query={"cursor": "e30"})

    assert answer.status == 422 and forged.status == 422


def test_another_firms_rows_are_not_listed(api: Api, owner: Staff) -> None:
    with_login(owner, owner.account(), "a@x.example")
    other = api.new_firm("owner@other.example", "Other")

    assert statuses(other) == {}


# ----------------------------------------------------------------------- bulk


def test_bulk_invites_each_address_once_in_the_background(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    ids = with_login(owner, account_id, "a@x.example", "b@x.example")

    answer = bulk(owner, [(account_id, ids[0]), (account_id, ids[1]), (account_id, ids[0])])

    assert answer.status == 202, answer.body
    assert [(i["email_id"], i["result"], i.get("reason")) for i in answer.body["items"]] == [
        (ids[0], "queued", None),
        (ids[1], "queued", None),
        (ids[0], "skipped", "duplicate"),
    ]
    assert mail_to("a@x.example") == []  # nothing sent yet: the invite function sends
    assert len(api.deliver_requested(owner.firm_id)) == 2
    assert len(mail_to("a@x.example")) == 1 and len(mail_to("b@x.example")) == 1


def test_skipped_addresses_say_why(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    active, suppressed, off_ok = with_login(
        owner, account_id, "act@x.example", "sup@x.example", "ok@x.example"
    )
    off = owner.contact("off@x.example", first="Off", last="Doe")
    owner.link(account_id, off["contact_id"])
    off_id = off["emails"][0]["email_id"]
    owner.activate(account_id, active)
    _dynamodb().update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{owner.firm_id}"}, "sk": {"S": "FIRM"}},
        UpdateExpression="ADD suppressed_addresses :a",
        ExpressionAttributeValues={":a": {"SS": ["sup@x.example"]}},
    )

    answer = bulk(
        owner,
        [
            (account_id, active),
            (account_id, suppressed),
            (account_id, off_id),
            (account_id, "eml_nothing"),
            ("acc_nothing", off_ok),
            (account_id, off_ok),
        ],
    )

    assert answer.status == 202, answer.body
    assert [(i["result"], i.get("reason")) for i in answer.body["items"]] == [
        ("skipped", "active"),
        ("skipped", "suppressed"),
        ("skipped", "login_off"),
        ("skipped", "not_found"),
        ("skipped", "not_found"),
        ("queued", None),
    ]


def test_the_invitation_throttle_skips_an_address_invited_too_often(owner: Staff) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    limit = get_settings().throttle_invitation_sends
    for n in range(limit):  # a different note each time: a new request, not a retry
        answer = bulk(owner, [(account_id, email_id)], note=f"try {n}")
        assert answer.body["items"][0]["result"] == "queued", answer.body

    answer = bulk(owner, [(account_id, email_id)], note="once more")

    assert answer.body["items"][0] == {
        "account_id": account_id,
        "email_id": email_id,
        "result": "skipped",
        "reason": "throttled",
    }
    assert len(invitation_items(owner.firm_id)) == limit


def test_the_same_request_retried_sends_nothing_twice(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    ids = with_login(owner, account_id, "a@x.example", "b@x.example")
    pairs = [(account_id, ids[0]), (account_id, ids[1])]
    first = bulk(owner, pairs, note="Welcome")

    again = bulk(owner, pairs, note="Welcome")

    assert again.status == 202 and again.body == first.body
    assert len(invitation_items(owner.firm_id)) == 2
    api.deliver_requested(owner.firm_id)
    invitation_id = invitation_items(owner.firm_id)[0]["invitation_id"]
    # the event delivered twice: the invite function sends once
    second = api.module("invite").lambda_handler(
        invitation_event(owner.firm_id, invitation_id), Context()
    )
    assert second == {"outcome": "sent"}  # the first outcome, kept by the idempotency record
    assert len(mail_to("a@x.example")) == 1 and len(mail_to("b@x.example")) == 1


def test_a_resend_supersedes_the_previous_link(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    bulk(owner, [(account_id, email_id)], note="first")
    api.deliver_requested(owner.firm_id)
    old_token = token_in(mail_to("a@x.example")[-1])

    bulk(owner, [(account_id, email_id)], note="second")
    api.deliver_requested(owner.firm_id)

    assert {i["status"] for i in invitation_items(owner.firm_id)} == {"superseded", "sent"}
    assert api.read_invitation(old_token).status == 404
    assert api.read_invitation(token_in(mail_to("a@x.example")[-1])).status == 200


def test_500_addresses_are_taken_and_501_are_a_422(owner: Staff) -> None:
    account_id = owner.account()
    pairs = [(account_id, f"eml_{n:04d}") for n in range(501)]

    too_many = bulk(owner, pairs)
    answer = bulk(owner, pairs[:500])

    assert too_many.status == 422, too_many.body
    assert answer.status == 202, answer.body
    assert len(answer.body["items"]) == 500
    assert {(i["result"], i["reason"]) for i in answer.body["items"]} == {("skipped", "not_found")}


def test_a_bulk_request_costs_two_calls_per_address_and_a_few_per_request(
    owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figure of docs/benchmarks.md for 500 addresses is this, at 500 (moto copies the
    table for every transaction, so the unit test counts 40: the same code path)."""
    account_id = owner.account("Big")
    rows = [
        new_record(
            owner.firm_id,
            account_id,
            "Big",
            "con_x",
            ContactEmail(
                email_id=f"eml_{n:04d}", address=f"p{n}@x.example", field_id="fld_x", label="Work"
            ),
            {},
        ).model_copy(update={"login": True, "login_status": "not_invited"})
        for n in range(40)
    ]
    with AccessItem.batch_write() as batch:
        for row in rows:
            batch.save(to_item(row))
    calls = count_dynamodb_calls(monkeypatch)

    answer = bulk(owner, [(account_id, r.email_id) for r in rows])

    assert answer.status == 202, answer.body
    assert {i["result"] for i in answer.body["items"]} == {"queued"}
    assert len(invitation_items(owner.firm_id)) == 40
    # per address: one throttle count and one transaction (row, invitation, audit, event)
    assert calls["TransactWriteItems"] == 40
    assert calls["UpdateItem"] == 40 + 2  # the throttles, the day's quota, the answer kept
    # per request: the claim, the firm, the rows in one batch read (100 keys a call)
    assert calls == {
        "TransactWriteItems": 40,
        "UpdateItem": 42,
        "PutItem": 1,
        "GetItem": 1,
        "BatchGetItem": 1,
    }
    assert len(statuses(owner, status="invited", limit="100")) == 40  # moved in the index


def test_bulk_needs_the_manage_accounts_right(owner: Staff) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    reader = owner.add_staff("reader@firm.example")

    refused = bulk(reader, [(account_id, email_id)])
    listed = reader.call("portal_access_api", "PortalAccess", query={})

    assert refused.status == 403 and listed.status == 200


def test_an_empty_request_is_a_422(owner: Staff) -> None:
    assert bulk(owner, []).status == 422


# ----------------------------------------------------------------------- the note


def test_the_note_is_in_the_email_escaped_with_its_line_breaks(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    note = "Dear Ann,\n<script>alert('x')</script> & welcome!"

    assert bulk(owner, [(account_id, email_id)], note=note).status == 202
    api.deliver_requested(owner.firm_id)

    message = mail_to("a@x.example")[-1]
    html = html_of(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; welcome!" in html
    assert "Dear Ann,<br>" in html
    assert "A note from Ledger &amp; Co:" in html
    assert note in text_of(message)
    assert "A note from Ledger & Co:" in text_of(message)


def test_the_note_on_a_single_invitation_and_an_empty_body(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    first, second = with_login(owner, account_id, "a@x.example", "b@x.example")

    with_note = owner.call(
        "access_api",
        "SendInvitation",
        path={"account_id": account_id, "email_id": first},
        body={"note": "See you soon"},
    )
    without = owner.call(
        "access_api",
        "SendInvitation",
        path={"account_id": account_id, "email_id": second},
        body=None,
    )

    assert with_note.status == 202 and without.status == 202, (with_note.body, without.body)
    api.deliver_requested(owner.firm_id)
    assert "See you soon" in text_of(mail_to("a@x.example")[-1])
    assert "A note from" not in text_of(mail_to("b@x.example")[-1])


def test_the_note_with_send_invitation_on_the_toggles(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("a@x.example")
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]

    alone = owner.toggle(account_id, email_id, login=True, note="Hello")
    answer = owner.toggle(account_id, email_id, login=True, send_invitation=True, note="Hello")

    assert alone.status == 422, alone.body
    assert answer.status == 200, answer.body
    api.deliver_requested(owner.firm_id)
    assert "Hello" in text_of(mail_to("a@x.example")[-1])


def test_the_note_is_in_the_firms_copy_but_not_verbatim_in_the_audit(
    api: Api, owner: Staff
) -> None:
    owner.settings(copy_client_emails_to=["copies@firm.example"])
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    bulk(owner, [(account_id, email_id)], note="Private words")
    api.deliver_requested(owner.firm_id)

    trail = owner.call("access_api", "Audit", query={"account_id": account_id}).body

    assert "Private words" in text_of(mail_to("copies@firm.example")[-1])
    sent = [e for e in trail["items"] if e["action"] == "invitation_sent"]
    assert sent and sent[0]["details"]["note_length"] == len("Private words")
    assert "Private words" not in str(trail)


@pytest.mark.parametrize("where", ["bulk", "single", "toggles"])
def test_a_note_too_long_or_not_plain_text_is_a_422(owner: Staff, where: str) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    path = {"account_id": account_id, "email_id": email_id}
    for note in ("x" * 1001, "bad\u202etext", "nul\x00"):
        if where == "bulk":
            answer = bulk(owner, [(account_id, email_id)], note=note)
        elif where == "single":
            answer = owner.call("access_api", "SendInvitation", path=path, body={"note": note})
        else:
            answer = owner.toggle(account_id, email_id, login=True, send_invitation=True, note=note)
        assert answer.status == 422, (note, answer.body)
    assert invitation_items(owner.firm_id) == []
    ok = bulk(owner, [(account_id, email_id)], note="x" * 1000)
    assert ok.status == 202, ok.body


def test_accepting_records_accepted_at(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    bulk(owner, [(account_id, email_id)])
    api.deliver_requested(owner.firm_id)

    accepted = api.accept(token_in(mail_to("a@x.example")[-1]))

    assert accepted.status == 200, accepted.body
    (item,) = listing(owner, status="active")["items"]  # the row moved in the index
    assert item["email_id"] == email_id and item["accepted_at"] is not None
    assert listing(owner, status="invited")["items"] == []


def test_the_same_request_while_the_first_still_works_is_a_409(owner: Staff) -> None:
    account_id = owner.account()
    (email_id,) = with_login(owner, account_id, "a@x.example")
    digest = hashlib.sha256(
        json.dumps([owner.firm_id, [[account_id, email_id]], None]).encode()
    ).hexdigest()
    assert portal_access.claim_bulk(owner.firm_id, digest) is None  # the first, at work

    answer = bulk(owner, [(account_id, email_id)])

    assert answer.status == 409 and answer.body["error"]["code"] == "bulk_in_progress"
    assert invitation_items(owner.firm_id) == []
