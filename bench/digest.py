"""A digest run for 10,000 held notifications over 500 addresses (20 each, on 50
accounts): DynamoDB calls and items read and written per item (deterministic), SES calls,
and the time per item on this machine (moto in-process, so DynamoDB's own latency is
not in it).

The held items and their `queued` delivery records are written straight into the table,
as the fan-out writes them (crm.notifications.store.claim), so the set-up does not
dominate; the run is the digest function's own handler."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bench.calls import WRITES
from bench.stack import in_process
from crm import clock
from crm.core.access import new_record
from crm.core.directory import ContactEmail
from crm.notifications import digest_store, store
from crm.notifications.digest_models import Pending
from crm.notifications.store import Outcome
from crm.storage import access
from crm.storage.items import Item
from tests.support import Context, load_event, load_function
from tests.unit.conftest import Api

ADDRESSES = 500
PER_ADDRESS = 20
PER_ACCOUNT = 10  # addresses per account
KINDS = ("DocumentUploaded", "SignatureRequested", "InvoiceIssued", "ProposalSent")
CATEGORY = {
    "DocumentUploaded": "documents_uploads",
    "SignatureRequested": "documents_signatures",
    "InvoiceIssued": "invoices_and_payments",
    "ProposalSent": "proposals",
}


@dataclass
class Figures:
    items: int
    addresses: int
    emails: int
    calls: Counter[str]
    read_items: int
    written_items: int
    ses: int
    seconds: float

    @property
    def reads(self) -> int:
        return sum(n for op, n in self.calls.items() if op not in WRITES)

    @property
    def writes(self) -> int:
        return sum(n for op, n in self.calls.items() if op in WRITES)


class ItemCounter:
    """Items each DynamoDB call carried: a BatchWriteItem of 25 is 25 items written."""

    def __init__(self) -> None:
        self.read = 0
        self.written = 0

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        name = model.name
        if name == "BatchWriteItem":
            self.written += sum(len(v) for v in params.get("RequestItems", {}).values())
        elif name == "TransactWriteItems":
            self.written += len(params.get("TransactItems", []))
        elif name in WRITES:
            self.written += 1
        elif name == "BatchGetItem":
            self.read += sum(len(v["Keys"]) for v in params.get("RequestItems", {}).values())
        elif name == "GetItem":
            self.read += 1


def _held(firm_id: str) -> list[tuple[Pending, Outcome]]:
    due = clock.iso(clock.now() - timedelta(minutes=1))
    held = []
    for n in range(ADDRESSES):
        account_id = f"acc_bench{n // PER_ACCOUNT:04d}"
        row = new_record(
            firm_id,
            account_id,
            f"Account {n // PER_ACCOUNT}",
            f"con_bench{n:04d}",
            ContactEmail(
                email_id=f"eml_bench{n:04d}",
                address=f"r{n}@digest.example",
                field_id="f",
                label="Email",
            ),
            {},
        ).model_copy(update={"notify": True})
        access.to_item(row).save()
        for i in range(PER_ADDRESS):
            kind = KINDS[i % len(KINDS)]
            pending = Pending(
                firm_id=firm_id,
                account_id=account_id,
                email_id=row.email_id,
                address=row.address,
                detail_type=kind,
                event_id=f"evt-{n}-{i}",
                category=CATEGORY[kind],
                why="daily",
                due_at=due,
                detail={
                    "firm_id": firm_id,
                    "account_id": account_id,
                    "event_id": f"evt-{n}-{i}",
                    "title": f"Item {i} for address {n}",
                    "url": f"https://portal.example.com/items/{n}/{i}",
                },
            )
            held.append((pending, Outcome(row.address, "queued", "held for the daily digest")))
    with Item.batch_write() as batch:
        for pending, outcome in held:
            batch.save(digest_store.item(pending))
            batch.save(
                store.delivery_item(
                    firm_id, pending.account_id, pending.event_id, pending.detail_type, outcome
                )
            )
    return held


def run() -> Figures:
    with in_process() as counter:
        owner = Api().new_firm("owner@digest.example")
        digest = load_function("digest")
        held = _held(owner.firm_id)
        items = ItemCounter()
        Item._get_connection().connection.client.meta.events.register(
            "before-parameter-build.dynamodb", items
        )
        counter.reset()
        start = time.perf_counter()
        summary = digest.lambda_handler(load_event("digest", "EveryQuarterHour"), Context())
        seconds = time.perf_counter() - start
        assert summary["items"] == len(held) and summary["digests"] == ADDRESSES, summary
        assert digest_store.due(clock.now()) == []
        return Figures(
            items=len(held),
            addresses=ADDRESSES,
            emails=summary["digests"],
            calls=counter.of("dynamodb"),
            read_items=items.read,
            written_items=items.written,
            ses=counter.total("sesv2"),
            seconds=seconds,
        )


def report(f: Figures) -> str:
    per = f.items
    lines = [
        f"{f.items:,} held items over {f.addresses} addresses ({PER_ADDRESS} each): "
        f"{f.emails} emails, {f.ses} SES calls.",
        "",
        "| | total | per item |",
        "| --- | ---: | ---: |",
        f"| DynamoDB read calls | {f.reads} | {f.reads / per:.3f} |",
        f"| DynamoDB write calls | {f.writes} | {f.writes / per:.3f} |",
        f"| items read by GetItem/BatchGetItem (Query pages not counted as items) | "
        f"{f.read_items} | {f.read_items / per:.3f} |",
        f"| items written | {f.written_items} | {f.written_items / per:.3f} |",
        f"| time (moto in-process) | {f.seconds:.1f} s | {f.seconds / per * 1000:.2f} ms |",
        "",
        "DynamoDB calls: " + ", ".join(f"{op} {n}" for op, n in sorted(f.calls.items())),
    ]
    return "\n".join(lines)
