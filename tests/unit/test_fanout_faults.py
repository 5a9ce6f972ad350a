"""The fan-out against SES failures, with botocore's Stubber in place of SES."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from botocore.stub import Stubber

from crm.integrations.mailer import Mailer
from crm.notifications.fanout import FanOut, RetryLater
from crm.notifications.models import Notification
from tests.unit.conftest import Staff


@pytest.fixture
def ses() -> Iterator[Stubber]:
    client = boto3.client("sesv2", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield stubber


def fan_out(ses: Stubber, waits: list[float]) -> FanOut:
    mailer = Mailer("no-reply@example.com", client=ses.client, sleep=waits.append)
    return FanOut(mailer=mailer, link_secret=lambda: b"k" * 32, api_base="https://api.test")


def one_recipient(owner: Staff) -> tuple[str, Notification]:
    account_id = owner.account()
    contact = owner.contact("ann@client.example")
    owner.link(account_id, contact["contact_id"])
    owner.toggle(account_id, contact["emails"][0]["email_id"], notify=True)
    notification = Notification.of(
        "DocumentUploaded",
        {
            "firm_id": owner.firm_id,
            "account_id": account_id,
            "event_id": "evt-1",
            "title": "A new document",
        },
    )
    return account_id, notification


def deliveries(owner: Staff, account_id: str) -> list[tuple[str, str | None]]:
    answer = owner.call("notifications_api", "Deliveries", path={"account_id": account_id})
    return [(d["status"], d["reason"]) for d in answer.body["items"]]


def test_throttling_then_success_sends_once(owner: Staff, ses: Stubber) -> None:
    account_id, notification = one_recipient(owner)
    ses.add_client_error("send_email", "TooManyRequestsException", http_status_code=429)
    ses.add_client_error("send_email", "TooManyRequestsException", http_status_code=429)
    ses.add_response("send_email", {"MessageId": "ses-1"})
    waits: list[float] = []

    summary = fan_out(ses, waits).deliver(notification)

    ses.assert_no_pending_responses()
    assert summary.sent == 1 and summary.failed == 0
    assert waits == [0.2, 0.4]  # exponential backoff between the attempts
    assert deliveries(owner, account_id) == [("sent", None)]


def test_a_permanent_failure_ends_as_failed_with_the_reason(owner: Staff, ses: Stubber) -> None:
    account_id, notification = one_recipient(owner)
    ses.add_client_error("send_email", "MessageRejected", "Email address is not verified.")

    summary = fan_out(ses, []).deliver(notification)

    ses.assert_no_pending_responses()  # no retry of a permanent refusal
    assert summary.failed == 1
    assert deliveries(owner, account_id) == [("failed", "MessageRejected")]


def test_a_send_that_keeps_failing_is_retried_later_never_dropped(
    owner: Staff, ses: Stubber
) -> None:
    account_id, notification = one_recipient(owner)
    for _ in range(4):
        ses.add_client_error("send_email", "ServiceUnavailable", http_status_code=503)

    with pytest.raises(RetryLater):
        fan_out(ses, []).deliver(notification)
    assert deliveries(owner, account_id) == [("failed", "ServiceUnavailable")]

    ses.add_response("send_email", {"MessageId": "ses-2"})  # the event comes again
    summary = fan_out(ses, []).deliver(notification)

    ses.assert_no_pending_responses()
    assert summary.sent == 1
    assert deliveries(owner, account_id) == [("sent", None)]


def test_a_redelivered_event_sends_nothing_new(owner: Staff, ses: Stubber) -> None:
    account_id, notification = one_recipient(owner)
    ses.add_response("send_email", {"MessageId": "ses-3"})
    first = fan_out(ses, []).deliver(notification)

    again = fan_out(ses, []).deliver(notification)  # no stubbed response: a send would fail

    assert (first.sent, again.sent, again.already_done) == (1, 0, 1)
    assert deliveries(owner, account_id) == [("sent", None)]
