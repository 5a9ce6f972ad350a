"""The sync's queue: the schedule hands out only the mailboxes that are due, one message
per firm; the workers sync them; a failing firm holds nobody back; a message no retry
can help lands in the dead-letter queue with its reason; a firm with no time left goes
back on the queue. Against the real Dovecot of the suite."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from crm import clock
from crm.settings import get_settings
from crm.sync.engine import SyncEngine
from local.delivery import sqs_record
from tests.support import Context, load_event
from tests.unit.conftest import REGION, Api
from tests.unit.test_email_sync import CLIENT, Firm, firm, mail, subjects

__all__ = ["firm"]  # the fixture, shared with the sync tests

RETRY_AFTER = SyncEngine.retry_after.total_seconds()
TICK = 5 * 60  # the template's rate(5 minutes)


def sqs() -> Any:
    return boto3.client("sqs", region_name=REGION)


def queued(url: str) -> list[dict[str, Any]]:
    """The messages waiting on a queue (received, then made visible again)."""
    found: list[dict[str, Any]] = []
    while (
        got := sqs()
        .receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
        .get("Messages", [])
    ):
        found += got
    for message in found:
        sqs().change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return found


def schedule(api: Api) -> dict[str, Any]:
    """The schedule's next tick (five minutes after the last)."""
    clock.advance(TICK)
    return dict(
        api.module("sync").lambda_handler(load_event("sync", "EveryFiveMinutes"), Context())
    )


def work(api: Api, *bodies: str, receive_count: int = 1, context: Any = None) -> dict[str, Any]:
    """The worker on a batch of messages with these bodies, as the event source hands it."""
    records = []
    for number, body in enumerate(bodies):
        message = {
            "MessageId": f"m{number}",
            "ReceiptHandle": f"r{number}",
            "Body": body,
            "Attributes": {"ApproximateReceiveCount": str(receive_count)},
            "MD5OfBody": "0",
        }
        records.append(sqs_record(message, get_settings().sync_queue_url))
    return dict(
        api.module("sync_worker").lambda_handler({"Records": records}, context or Context())
    )


def request(firm_id: str, kind: str = "scheduled") -> str:
    return json.dumps({"firm_id": firm_id, "kind": kind})


@pytest.fixture
def second(firm: Firm, api: Api, dovecot: Any) -> Firm:
    user = dovecot.add_user()
    owner = api.new_firm("owner@second.example", "Second firm")
    other = Firm(api, owner, user, owner.account("Jones"), "")
    contact = owner.contact(CLIENT)
    owner.link(other.account_id, contact["contact_id"])
    other.email_id = contact["emails"][0]["email_id"]
    assert other.connect().status == 200
    return other


def test_the_schedule_hands_out_each_mailbox_once_a_tick_and_a_failing_one_later(
    firm: Firm, second: Firm, api: Api
) -> None:
    firm.connect()
    url = get_settings().sync_queue_url

    first = schedule(api)  # both just connected: due at once

    bodies = [json.loads(m["Body"]) for m in queued(url)]
    assert first["queued"] == 2
    assert sorted(b["firm_id"] for b in bodies) == sorted(
        [firm.owner.firm_id, second.owner.firm_id]
    )
    assert {b["kind"] for b in bodies} == {"scheduled"} and all(b["queued_at"] for b in bodies)
    assert {r["outcome"] for r in api.run_sync_queue()} == {"ok"}

    broken = firm.owner.firm_id
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{broken}"}, "sk": {"S": "MAILBOX"}},
        UpdateExpression="SET imap_port = :p",
        ExpressionAttributeValues={":p": {"N": "1"}},  # nothing listens there
    )
    assert schedule(api)["queued"] == 2  # the next tick: every mailbox whose run ended
    assert sorted(r["outcome"] for r in api.run_sync_queue()) == ["error", "ok"]

    assert schedule(api)["queued"] == 1  # the failing one rests
    assert [json.loads(m["Body"])["firm_id"] for m in queued(url)] == [second.owner.firm_id]
    api.run_sync_queue()
    clock.advance(RETRY_AFTER - 2 * TICK)
    assert schedule(api)["queued"] == 2  # and is tried again after a while
    assert firm.mailbox()["next_sync_at"] is not None


def test_a_firm_queued_twice_is_synced_once(firm: Firm, api: Api) -> None:
    firm.connect()
    schedule(api)
    schedule(api)  # the workers lagged behind a tick: the firm is on the queue twice

    runs = api.run_sync_queue()

    assert [r["outcome"] for r in runs] == ["ok", "already_synced"]


def test_a_failing_firm_holds_no_other_back(firm: Firm, second: Firm, api: Api) -> None:
    firm.connect()
    firm.enable()
    second.enable()
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{firm.owner.firm_id}"}, "sk": {"S": "MAILBOX"}},
        UpdateExpression="SET imap_port = :p",
        ExpressionAttributeValues={":p": {"N": "1"}},  # nothing listens there
    )
    second.user.append(mail(CLIENT, second.user.name, "To the second firm"))

    answer = work(api, request(firm.owner.firm_id), request(second.owner.firm_id))

    assert answer["batchItemFailures"] == []  # a mailbox's failure is its health
    assert [r["outcome"] for r in answer["runs"]] == ["error", "ok"]
    assert firm.mailbox()["last_error_code"] == "unreachable"
    assert subjects(second.inbox()) == ["To the second firm"]


def test_an_unreadable_message_is_set_aside_with_its_reason_and_the_batch_goes_on(
    firm: Firm, api: Api
) -> None:
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Still synced"))

    answer = work(api, '{"firm": "no such field"}', request(firm.owner.firm_id))

    assert answer["batchItemFailures"] == []  # handled: no retry could help it
    (aside,) = queued(get_settings().sync_dead_letter_queue_url)
    assert aside["Body"] == '{"firm": "no such field"}'
    assert aside["MessageAttributes"]["Reason"]["StringValue"] == "unreadable"
    assert "firm_id" in aside["MessageAttributes"]["Detail"]["StringValue"]
    assert subjects(firm.inbox()) == ["Still synced"]


def test_a_request_that_fails_every_time_is_retried_then_set_aside(
    firm: Firm, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    firm.connect()
    module = api.module("sync_worker")

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug on our side")

    monkeypatch.setattr(module.engine, "sync_firm", broken)
    body = request(firm.owner.firm_id)
    dead_letters = get_settings().sync_dead_letter_queue_url

    early = work(api, body, receive_count=1)
    last = work(api, body, receive_count=get_settings().sync_max_receives)

    assert early["batchItemFailures"] == [{"itemIdentifier": "m0"}]  # SQS offers it again
    assert last["batchItemFailures"] == []
    (aside,) = queued(dead_letters)
    assert aside["Body"] == body
    assert aside["MessageAttributes"]["Reason"]["StringValue"] == "RuntimeError"
    assert "a bug on our side" in aside["MessageAttributes"]["Detail"]["StringValue"]


class Ending(Context):
    """An invocation with no time left."""

    def get_remaining_time_in_millis(self) -> int:
        return 0


def test_a_firm_with_no_time_left_goes_back_on_the_queue(firm: Firm, api: Api) -> None:
    firm.connect()

    answer = work(api, request(firm.owner.firm_id), context=Ending())

    assert answer["runs"] == [{"firm_id": firm.owner.firm_id, "outcome": "requeued"}]
    (again,) = queued(get_settings().sync_queue_url)
    assert json.loads(again["Body"]) == {"firm_id": firm.owner.firm_id, "kind": "resumed"}
    assert firm.mailbox()["last_sync_at"] is None  # nothing was started


def test_a_mailbox_failing_for_an_hour_counts_for_the_alarm(firm: Firm, api: Api) -> None:
    firm.connect()
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{firm.owner.firm_id}"}, "sk": {"S": "MAILBOX"}},
        UpdateExpression="SET imap_port = :p",
        ExpressionAttributeValues={":p": {"N": "1"}},
    )
    assert work(api, request(firm.owner.firm_id))["runs"][0]["outcome"] == "error"
    assert schedule(api)["failing"] == 0  # failing, but not for an hour yet

    clock.advance(3600 - 2 * TICK)  # the retries fail too (failing_since stays)
    assert schedule(api)["failing"] == 1  # an hour after the first failure
    assert firm.mailbox()["failing_since"] is not None
