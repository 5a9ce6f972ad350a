"""DynamoDB calls of one bulk invitation request (POST /v1/portal-access/invitations) for
500 addresses with LOGIN on, none invited yet, on in-process moto; counted per operation.
Run: `.venv/bin/python -m bench.bulk_invitations [count]`."""

from __future__ import annotations

import sys
import time

from bench.calls import WRITES
from bench.stack import in_process
from crm.core.access import new_record
from crm.core.directory import ContactEmail
from crm.storage.access import to_item
from crm.storage.items import AccessItem
from tests.unit.conftest import Api


def run(count: int = 500) -> dict[str, int]:
    with in_process() as counter:
        owner = Api().new_firm()
        account_id = owner.account("Big")
        rows = [
            new_record(
                owner.firm_id,
                account_id,
                "Big",
                "con_bench",
                ContactEmail(
                    email_id=f"eml_{n:04d}",
                    address=f"p{n}@x.example",
                    field_id="fld_email",
                    label="Email",
                ),
                {},
            ).model_copy(update={"login": True, "login_status": "not_invited"})
            for n in range(count)
        ]
        with AccessItem.batch_write() as batch:
            for row in rows:
                batch.save(to_item(row))
        owner.call("portal_access_api", "PortalAccess", query={})  # the function started
        body = {"items": [{"account_id": account_id, "email_id": r.email_id} for r in rows]}
        counter.reset()
        started = time.perf_counter()
        answer = owner.call("portal_access_api", "InviteMany", body=body)
        seconds = time.perf_counter() - started
        assert answer.status == 202, answer.body
        assert {i["result"] for i in answer.body["items"]} == {"queued"}
        calls = dict(counter.of("dynamodb"))
    writes = sum(n for op, n in calls.items() if op in WRITES)
    print(f"{count} addresses: {sum(calls.values())} DynamoDB calls ({writes} writes): {calls}")
    print(f"time on moto: {seconds:.1f} s (moto copies the table for each transaction)")
    return calls


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
