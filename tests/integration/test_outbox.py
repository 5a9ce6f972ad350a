"""The transactional outbox on the local stack (issue 10, item 2): a change and its events
commit together, the table's stream hands the events to the outbox function, and a
failing PutEvents delays an invitation instead of losing it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from moto.dynamodb.models import dynamodb_backends

from local import Stack
from local.mail import sent_mail
from local.template import ACCOUNT_ID, REGION
from local.testing import ApiSession, Mailbox
from tests.integration.flows import Firm, invitation_links, new_firm, unique

OUTBOX_FUNCTION = "OutboxFunction"


class BusOutage:
    """EventBridge in trouble, where a real outage strikes: in the outbox function's
    PutEvents, after the change has committed (and after botocore's own retries).

    ``down``: every call fails. ``takes``: each call puts only its first ``takes`` entries
    on the bus and refuses the others (a partial failure). Counts the calls it refused.
    """

    def __init__(self, make_api_call: Callable[..., Any]) -> None:
        self.down = False
        self.takes: int | None = None
        self.refused = 0
        self._make_api_call = make_api_call
        self._changed = threading.Condition()

    def call(self, client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if operation != "PutEvents":
            return self._make_api_call(client, operation, params)
        entries = params["Entries"]
        if not self.down and (self.takes is None or len(entries) <= self.takes):
            return self._make_api_call(client, operation, params)
        with self._changed:
            self.refused += 1
            self._changed.notify_all()
        if self.down:
            raise ClientError(
                {"Error": {"Code": "InternalException", "Message": "Service unavailable"}},
                operation,
            )
        taken = self._make_api_call(client, operation, {**params, "Entries": entries[: self.takes]})
        refused = [{"ErrorCode": "InternalFailure", "ErrorMessage": "Try again"}] * (
            len(entries) - len(taken["Entries"])
        )
        return {**taken, "FailedEntryCount": len(refused), "Entries": taken["Entries"] + refused}

    def wait_refused(self, count: int, timeout: float = 20.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.refused >= count, timeout), self.refused


@pytest.fixture
def outage(monkeypatch: pytest.MonkeyPatch) -> BusOutage:
    """Every botocore call of this process goes through it; the bus is up until ``down``."""
    bus = BusOutage(BaseClient._make_api_call)  # type: ignore[attr-defined]

    def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        return bus.call(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    return bus


def client_address(firm: Firm) -> tuple[str, str, str]:
    """(account id, email id, address) of a new contact linked to a new account."""
    address = f"{unique('ann')}@client.example"
    account_id = firm.account("Smith family")
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    return account_id, contact["emails"][0]["email_id"], address


def recording_outbox_batches(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every event the outbox function is invoked with from now on, in order."""
    batches: list[Any] = []
    invoke = stack.runtime.invoke

    def recording(function: str, event: Any) -> Any:
        if function == OUTBOX_FUNCTION:
            batches.append(event)
        return invoke(function, event)

    monkeypatch.setattr(stack.runtime, "invoke", recording)
    return batches


def invitations_of(firm: Firm, batch: Any) -> list[dict[str, Any]]:
    """The records of a batch that ask for an invitation of ``firm``."""
    return [
        record
        for record in batch["Records"]
        if record["dynamodb"]["NewImage"]["detail_type"]["S"] == "InvitationRequested"
        and firm.firm_id in record["dynamodb"]["NewImage"]["detail"]["S"]
    ]


def sent_to(address: str) -> list[dict[str, Any]]:
    """The mail sent so far to ``address``, read without waiting for pending work."""
    return [message for message in sent_mail() if address in message["to"]]


def test_an_invitation_made_while_the_bus_is_down_goes_out_once_it_is_back(
    api: ApiSession, stack: Stack, mail: Mailbox, outage: BusOutage
) -> None:
    firm = new_firm(api)
    account_id, email_id, address = client_address(firm)
    stack.wait_idle()
    outage.down = True

    answer = firm.toggle(account_id, email_id, login=True, send_invitation=True)

    assert answer.status_code == 200, answer.text
    assert answer.json()["login_status"] == "invited"
    assert firm.row(account_id, email_id)["login_status"] == "invited"
    outage.wait_refused(2)  # tried, failed, tried again from the same record
    assert sent_to(address) == []

    outage.down = False
    stack.wait_idle()

    assert len(mail.to(address)) == 1
    assert len(invitation_links(mail, address)) == 1


def test_stream_records_delivered_again_send_the_invitation_once(
    api: ApiSession, stack: Stack, mail: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    firm = new_firm(api)
    account_id, email_id, address = client_address(firm)
    invoke = stack.runtime.invoke
    batches = recording_outbox_batches(stack, monkeypatch)
    firm.toggle(account_id, email_id, login=True, send_invitation=True)
    stack.wait_idle()
    assert len(invitation_links(mail, address)) == 1
    records = [record for batch in batches for record in invitations_of(firm, batch)]
    assert len(records) == 1

    for _ in range(2):
        assert invoke(OUTBOX_FUNCTION, {"Records": records}) == {"batchItemFailures": []}
    stack.wait_idle()

    assert len(mail.to(address)) == 1


def test_after_a_partial_failure_only_the_events_not_published_are_sent_again(
    api: ApiSession, stack: Stack, mail: Mailbox, outage: BusOutage, monkeypatch: pytest.MonkeyPatch
) -> None:
    firm = new_firm(api)
    first, second = client_address(firm), client_address(firm)
    stack.wait_idle()
    batches = recording_outbox_batches(stack, monkeypatch)
    outage.down = True
    for account_id, email_id, _ in (first, second):
        answer = firm.toggle(account_id, email_id, login=True, send_invitation=True)
        assert answer.status_code == 200, answer.text
    outage.wait_refused(outage.refused + 1)  # a try that had both events: both refused

    outage.down, outage.takes = False, 1
    stack.wait_idle()

    ours = [
        [record["dynamodb"]["SequenceNumber"] for record in invitations_of(firm, batch)]
        for batch in batches
    ]
    ours = [numbers for numbers in ours if numbers]
    both = ours[-2]
    assert len(both) == 2
    assert ours[-1] == both[1:]  # the first went out with that batch: never sent again
    for _, _, address in (first, second):
        assert len(invitation_links(mail, address)) == 1


def test_handled_records_leave_the_stream_and_numbering_goes_on(
    api: ApiSession, stack: Stack
) -> None:
    """moto would keep every record for ever (local/moto_streams.py)."""
    stack.wait_idle()
    shard = stream_shard(stack)
    next_number = shard.starting_sequence_number + len(shard.items)

    new_firm(api)
    stack.wait_idle()

    shard = stream_shard(stack)
    assert shard.items == []
    assert shard.starting_sequence_number > next_number


def stream_shard(stack: Stack) -> Any:
    """The shard of the data table's stream, in the moto server of this process."""
    table = dynamodb_backends[ACCOUNT_ID][REGION].tables[stack.resources["DataTable"]]
    assert table.stream_shard is not None
    return table.stream_shard
