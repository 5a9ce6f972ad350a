"""Many writers on one access row at once (API.md: 409 when "a concurrent change lost the
race"; never a lost update). The service layer is called from threads, as concurrent
Lambda invocations would call it: one Powertools resolver serves one request at a time,
so the HTTP functions cannot be shared between threads."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from moto.core.botocore_stubber import BotocoreStubber

from crm import runtime
from crm.access.models import ToggleChange
from crm.access.service import AccessService
from crm.core.caller import Staff as Caller
from crm.core.categories import PreferencesChange
from crm.errors import Conflict
from tests.unit.conftest import Staff

CATEGORIES = [
    "documents_uploads",
    "documents_signatures",
    "documents_approvals",
    "chats_and_tasks",
    "proposals",
    "organizers",
    "invoices_and_payments",
]
TOGGLES = ["login", "notify", "email_sync"]


@pytest.fixture
def atomic_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB answers each request atomically; moto's in-process backend does not guard
    itself against threads. One lock around each request restores what the product may
    rely on, and nothing more: the product's read-modify-write still interleaves freely
    between requests."""
    lock = threading.Lock()
    handle = BotocoreStubber.__call__

    def atomic(self: BotocoreStubber, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return handle(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", atomic)


def change_of(writer: tuple[str, str]) -> tuple[str, bool]:
    """(field, value) a writer sets: a category off, or a toggle on."""
    kind, name = writer
    return (f"preferences.{name}", False) if kind == "category" else (name, True)


def test_twenty_writers_on_one_row_lose_no_update(owner: Staff, atomic_requests) -> None:
    account_id = owner.account()
    contact = owner.contact("ann@home.example")
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    runtime.start()
    service = AccessService(invitation_ttl_days=7)
    caller = Caller(
        firm_id=owner.firm_id,
        staff_id=owner.claims["custom:staff_id"],
        role="owner",
        manage_accounts=True,
    )
    distinct = [("category", c) for c in CATEGORIES] + [("toggle", t) for t in TOGGLES]
    writers = distinct + distinct  # the ten changes, each twice
    assert len(writers) == 20
    start = threading.Barrier(len(writers))

    def write(writer: tuple[str, str]) -> str:
        kind, name = writer
        start.wait()
        try:
            if kind == "category":
                service.change_preferences(
                    caller, account_id, email_id, PreferencesChange(**{name: False})
                )
            else:
                service.change(
                    caller, account_id, email_id, ToggleChange.model_validate({name: True})
                )
        except Conflict:
            return "conflict"
        return "ok"

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        outcomes = list(pool.map(write, writers))  # any other exception fails the test here

    succeeded = {
        change_of(w) for w, outcome in zip(writers, outcomes, strict=True) if outcome == "ok"
    }
    assert succeeded, Counter(outcomes)
    row = owner.row(account_id, email_id)
    holds = {(f"preferences.{c}", row["notification_preferences"][c] is False) for c in CATEGORIES}
    holds |= {(t, row[t] is True) for t in TOGGLES}
    lost = [field for field, value in succeeded if (field, True) not in holds]
    assert lost == [], f"changes that returned but are not in the row: {lost}"
    never_asked = {field for field, _ in map(change_of, distinct)} - {f for f, _ in succeeded}
    assert all((field, False) in holds for field in never_asked)

    audit = owner.call("access_api", "Audit", query={"account_id": account_id})
    assert audit.status == 200, audit.body
    writes = [
        e for e in audit.body["items"] if e["action"] in ("access_changed", "preferences_changed")
    ]
    audited = Counter(
        next(k for k in e["details"] if k.startswith("preferences.") or k in TOGGLES)
        for e in writes
    )
    assert all(e["target"] == email_id for e in writes)
    assert audited == Counter(field for field, _ in succeeded), (audited, succeeded)
