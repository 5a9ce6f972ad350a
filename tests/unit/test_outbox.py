"""The outbox function: new outbox items of the table's stream go on the bus, in order; a
failed PutEvents names the first record not published, so Lambda retries from it."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from crm.integrations.bus import EventBus
from tests.support import Context, load_event, load_function

BUS = "the-bus"
FIRST_SEQUENCE_NUMBER = 1100000000017454423009


@pytest.fixture
def outbox(aws: dict[str, str]) -> ModuleType:
    return load_function("outbox")


def record(
    position: int,
    detail_type: str = "InvitationRequested",
    *,
    kind: str = "outbox",
    event_name: str = "INSERT",
) -> dict[str, Any]:
    """The canonical stream record (events/outbox/), as the `position`-th of its shard."""
    sample: dict[str, Any] = load_event("outbox", "OutboxItemsAdded")["Records"][0]
    image = sample["dynamodb"]["NewImage"]
    event_id = f"evt_{position:032d}"
    image["pk"]["S"] = sample["dynamodb"]["Keys"]["pk"]["S"] = f"OUTBOX#{event_id}"
    image["event_id"]["S"] = event_id
    image["detail_type"]["S"] = detail_type
    image["detail"]["S"] = json.dumps({"firm_id": "frm_1", "invitation_id": f"inv_{position}"})
    image["kind"]["S"] = kind
    sample["eventName"] = event_name
    sample["dynamodb"]["SequenceNumber"] = str(FIRST_SEQUENCE_NUMBER + position)
    return sample


def entry(position: int, detail_type: str = "InvitationRequested") -> dict[str, str]:
    """What PutEvents receives for `record(position)`: the detail with the event's id."""
    detail = {"firm_id": "frm_1", "invitation_id": f"inv_{position}"}
    return {
        "Source": "crm.access",
        "DetailType": detail_type,
        "Detail": json.dumps({**detail, "event_id": f"evt_{position:032d}"}),
        "EventBusName": BUS,
    }


def sequence_number(position: int) -> str:
    return str(FIRST_SEQUENCE_NUMBER + position)


def accepted(count: int) -> dict[str, Any]:
    return {"FailedEntryCount": 0, "Entries": [{"EventId": f"id-{n}"} for n in range(count)]}


@pytest.fixture
def events() -> Any:
    return boto3.client("events", region_name="us-east-1")


def test_the_events_go_on_the_bus_in_stream_order(outbox: ModuleType, events: Any) -> None:
    kinds = ["InvitationRequested", "EmailSyncEnabled", "FirmVerificationRequested"]
    with Stubber(events) as stub:
        stub.add_response(
            "put_events",
            accepted(3),
            {"Entries": [entry(n, kind) for n, kind in enumerate(kinds)]},
        )

        answer = outbox.publish(
            [record(n, kind) for n, kind in enumerate(kinds)], EventBus(BUS, events)
        )

        stub.assert_no_pending_responses()
    assert answer == {"batchItemFailures": []}


def test_a_failed_call_reports_the_first_record_of_its_ten(outbox: ModuleType, events: Any) -> None:
    with Stubber(events) as stub:
        stub.add_response("put_events", accepted(10), {"Entries": [entry(n) for n in range(10)]})
        stub.add_client_error("put_events", "InternalException", http_status_code=500)

        answer = outbox.publish([record(n) for n in range(12)], EventBus(BUS, events))

    assert answer == {"batchItemFailures": [{"itemIdentifier": sequence_number(10)}]}


def test_a_refused_entry_reports_its_own_record(outbox: ModuleType, events: Any) -> None:
    refused = {
        "FailedEntryCount": 1,
        "Entries": [
            {"EventId": "id-0"},
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"},
            {"EventId": "id-2"},
        ],
    }
    with Stubber(events) as stub:
        stub.add_response("put_events", refused, {"Entries": [entry(n) for n in range(3)]})

        answer = outbox.publish([record(n) for n in range(3)], EventBus(BUS, events))

    assert answer == {"batchItemFailures": [{"itemIdentifier": sequence_number(1)}]}


def test_records_that_are_not_new_outbox_items_are_skipped(outbox: ModuleType, events: Any) -> None:
    records = [
        record(0, kind="access"),
        record(1),
        record(2, event_name="MODIFY"),
        record(3, event_name="REMOVE"),
        record(4),
    ]
    with Stubber(events) as stub:
        stub.add_response("put_events", accepted(2), {"Entries": [entry(1), entry(4)]})

        answer = outbox.publish(records, EventBus(BUS, events))

        stub.assert_no_pending_responses()
    assert answer == {"batchItemFailures": []}


def test_a_skipped_record_before_the_failure_is_not_reported(
    outbox: ModuleType, events: Any
) -> None:
    with Stubber(events) as stub:
        stub.add_client_error("put_events", "InternalException", http_status_code=500)

        answer = outbox.publish([record(0, kind="access"), record(1)], EventBus(BUS, events))

    assert answer == {"batchItemFailures": [{"itemIdentifier": sequence_number(1)}]}


def test_an_outbox_item_that_is_no_event_is_retried_not_skipped(
    outbox: ModuleType, events: Any
) -> None:
    broken = record(1)
    broken["dynamodb"]["NewImage"]["detail"]["S"] = "{not json"
    with Stubber(events) as stub:
        stub.add_response("put_events", accepted(1), {"Entries": [entry(0)]})

        answer = outbox.publish([record(0), broken, record(2)], EventBus(BUS, events))

        stub.assert_no_pending_responses()
    assert answer == {"batchItemFailures": [{"itemIdentifier": sequence_number(1)}]}


def test_the_handler_puts_the_sample_event_on_the_product_bus(
    aws: dict[str, str], outbox: ModuleType
) -> None:
    """Through moto: the product's bus, a rule on it, the event as a consumer reads it."""
    sqs = boto3.client("sqs", region_name="us-east-1")
    bridge = boto3.client("events", region_name="us-east-1")
    queue = sqs.create_queue(QueueName="outbox-test")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    bridge.put_rule(
        Name="all-invitations",
        EventBusName=aws["EVENT_BUS_NAME"],
        EventPattern=json.dumps({"detail-type": ["InvitationRequested"]}),
    )
    bridge.put_targets(
        Rule="all-invitations",
        EventBusName=aws["EVENT_BUS_NAME"],
        Targets=[{"Id": "queue", "Arn": queue_arn["Attributes"]["QueueArn"]}],
    )

    answer = outbox.lambda_handler(load_event("outbox", "OutboxItemsAdded"), Context())

    assert answer == {"batchItemFailures": []}
    (message,) = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    published = json.loads(message["Body"])
    assert published["source"] == "crm.access"
    assert published["detail"] == {
        "firm_id": "frm_0123456789abcdef0123456789abcdef",
        "invitation_id": "inv_0123456789abcdef0123456789abcdef",
        "event_id": "evt_0123456789abcdef0123456789abcdef",
    }
