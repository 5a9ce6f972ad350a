"""The notification fan-out for accounts with 2, 20 and 200 recipients: DynamoDB reads and
writes and SES calls per event (deterministic), and the time of 200 recipients as a ratio
to a bare loop making the same AWS calls without any of our logic, in the same run."""

from __future__ import annotations

import os
import statistics
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import boto3

from bench.calls import WRITES
from bench.counting import CallCounter
from bench.stack import in_process
from tests.support import Context, load_event, load_function
from tests.unit.conftest import Api, Staff

SIZES = (2, 20, 200)
RUNS = 3  # moto copies the whole table inside every transaction: runs are slow


@dataclass
class Figures:
    recipients: int
    reads: int
    writes: int
    ses: int
    detail: str


def _household(owner: Staff, size: int) -> str:
    account_id = owner.account(f"Account of {size}")
    for i in range(size):
        contact = owner.contact(f"r{i}@size{size}.example", first=f"R{i}")
        owner.link(account_id, contact["contact_id"])
        owner.toggle(account_id, contact["emails"][0]["email_id"], notify=True)
    return account_id


def _event(firm_id: str, account_id: str) -> dict[str, Any]:
    event = load_event("notify", "Notification")
    event["detail"].update(
        firm_id=firm_id, account_id=account_id, event_id=f"bench-{uuid.uuid4().hex}"
    )
    return event


def _bare(firm_id: str, account_id: str, recipients: list[str]) -> None:
    """The same AWS calls as one fan-out, with none of our logic."""
    table = os.environ["TABLE_NAME"]
    ddb = boto3.client("dynamodb")
    ses = boto3.client("sesv2")
    event_id = uuid.uuid4().hex
    idem = {"id": {"S": f"bench#{event_id}"}}
    ddb.put_item(
        TableName=os.environ["IDEMPOTENCY_TABLE_NAME"], Item={**idem, "status": {"S": "INPROGRESS"}}
    )
    pages = ddb.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": f"FIRM#{firm_id}#ACCOUNT#{account_id}"}},
    )
    for _ in pages:
        pass
    ddb.get_item(TableName=table, Key={"pk": {"S": f"FIRM#{firm_id}"}, "sk": {"S": "FIRM"}})
    pk = {"S": f"FIRM#{firm_id}#DELIVERY#{account_id}"}
    for start in range(0, len(recipients), 100):
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table,
                        "Item": {"pk": pk, "sk": {"S": f"{event_id}#{r}"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
                for r in recipients[start : start + 100]
            ]
        )
    message = EmailMessage()
    message["From"], message["Subject"] = "no-reply@example.com", "A notification"
    message.set_content("x" * 600)
    raw = message.as_bytes()
    for r in recipients:
        ses.send_email(
            FromEmailAddress="no-reply@example.com",
            Destination={"ToAddresses": [r]},
            Content={"Raw": {"Data": raw}},
        )
    for start in range(0, len(recipients), 25):
        ddb.batch_write_item(
            RequestItems={
                table: [
                    {
                        "PutRequest": {
                            "Item": {
                                "pk": pk,
                                "sk": {"S": f"{event_id}#{r}"},
                                "status": {"S": "sent"},
                            }
                        }
                    }
                    for r in recipients[start : start + 25]
                ]
            }
        )
    ddb.update_item(
        TableName=os.environ["IDEMPOTENCY_TABLE_NAME"],
        Key=idem,
        UpdateExpression="SET #s = :c",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":c": {"S": "COMPLETED"}},
    )


def run() -> tuple[list[Figures], float, float]:
    with in_process() as counter:
        owner = Api().new_firm("owner@fanout.example")
        notify = load_function("notify")
        figures = []
        accounts = {size: _household(owner, size) for size in SIZES}
        for size, account_id in accounts.items():
            figures.append(_measure(counter, notify, owner.firm_id, account_id, size))
        ours, bare = [], []
        recipients = [f"r{i}@size200.example" for i in range(200)]
        for run in range(RUNS):  # alternate which goes first: the table grows as they run
            for which in ("ours", "bare") if run % 2 == 0 else ("bare", "ours"):
                start = time.perf_counter()
                if which == "ours":
                    notify.lambda_handler(_event(owner.firm_id, accounts[200]), Context())
                    ours.append(time.perf_counter() - start)
                else:
                    _bare(owner.firm_id, accounts[200], recipients)
                    bare.append(time.perf_counter() - start)
        return figures, statistics.median(ours), statistics.median(bare)


def _measure(
    counter: CallCounter, notify: Any, firm_id: str, account_id: str, size: int
) -> Figures:
    counter.reset()
    summary = notify.lambda_handler(_event(firm_id, account_id), Context())
    assert summary["sent"] == size, summary
    ops = counter.of("dynamodb")
    writes = sum(n for op, n in ops.items() if op in WRITES)
    return Figures(
        size,
        sum(ops.values()) - writes,
        writes,
        counter.total("sesv2"),
        ", ".join(f"{op} {n}" for op, n in sorted(ops.items())),
    )


def report(figures: list[Figures], ours: float, bare: float) -> str:
    lines = [
        "| recipients | DynamoDB reads | DynamoDB writes | SES calls | DynamoDB calls |",
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {f.recipients} | {f.reads} | {f.writes} | {f.ses} | {f.detail} |" for f in figures
    ]
    lines += [
        "",
        f"200 recipients: our fan-out {ours * 1000:.0f} ms, the bare loop "
        f"{bare * 1000:.0f} ms (medians of {RUNS}): ratio **{ours / bare:.2f}** "
        "(goal: at most 1.3).",
    ]
    return "\n".join(lines)
