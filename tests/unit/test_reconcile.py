"""Reconciliation: the sync proves nothing is missing. The server's mail with a synced
address at or below the cursors is compared with what is stored, from the envelopes
alone; what is missing is fetched again and named on the mailbox's health. Against the
real Dovecot of the suite."""

from __future__ import annotations

from typing import Any

import boto3

from crm import clock
from crm.settings import get_settings
from crm.sync.engine import RECONCILE_EVERY
from crm.sync.run import RunReport
from tests.unit.conftest import REGION, table_items
from tests.unit.test_email_sync import CLIENT, OTHER, Firm, firm, mail, subjects

__all__ = ["firm"]  # the fixture, shared with the sync tests


def lose(message_id: str) -> None:
    """Every item of a stored message gone, as if the sync had never stored it."""
    client = boto3.client("dynamodb", region_name=REGION)
    for item in table_items():
        if item.get("message_id", {}).get("S") == message_id:
            client.delete_item(
                TableName=get_settings().table_name, Key={"pk": item["pk"], "sk": item["sk"]}
            )


def prove(firm: Firm) -> RunReport:
    """A run that reconciles now (as one asked for by the firm)."""
    return firm.engine().sync_firm(firm.owner.firm_id, reconcile=True)


def synced(firm: Firm, *subjects_: str) -> None:
    firm.connect()
    firm.enable()
    for subject in subjects_:
        firm.user.append(mail(CLIENT, firm.user.name, subject))
    firm.user.append(mail(OTHER, firm.user.name, "Not a client's"))
    assert firm.sync().outcome == "ok"


def test_a_whole_mailbox_is_proved_whole_from_the_envelopes_alone(firm: Firm) -> None:
    synced(firm, "One", "Two")

    report = prove(firm)

    assert report.reconciled and report.missing == 0 and report.bodies_fetched == 0
    state = firm.mailbox()
    assert state["missing"] == 0 and state["refetched"] == []
    assert state["reconciled_at"] is not None


def test_a_missing_message_is_found_fetched_again_and_named(firm: Firm) -> None:
    synced(firm, "Kept", "Lost on our side")
    lost = next(i for i in firm.inbox() if i["subject"] == "Lost on our side")
    lose(lost["message_id"])
    assert subjects(firm.inbox()) == ["Kept"]
    assert firm.sync().stored == 0  # the cursor is past it: a normal run never looks back

    report = prove(firm)

    assert report.missing == 1 and report.bodies_fetched == 1
    state = firm.mailbox()
    assert state["missing"] == 1 and state["refetched"] == [lost["message_id"]]
    assert subjects(firm.inbox()) == ["Kept", "Lost on our side"]
    assert subjects(firm.tab()) == ["Kept", "Lost on our side"]
    assert prove(firm).missing == 0  # whole again


def test_the_firm_asks_for_it_and_a_worker_does_it(firm: Firm) -> None:
    synced(firm, "Asked for")
    lose(firm.inbox()[0]["message_id"])

    answer = firm.owner.call("sync_api", "ReconcileMailbox")

    assert answer.status == 202 and answer.body["queued_at"]
    (run,) = firm.api.run_sync_queue()
    assert run["reconciled"] and run["missing"] == 1
    assert subjects(firm.inbox()) == ["Asked for"]


def test_only_an_admin_asks_and_only_with_a_mailbox(firm: Firm) -> None:
    clerk = firm.owner.add_staff("clerk@firm.example", role="employee", manage_accounts=True)

    assert firm.owner.call("sync_api", "ReconcileMailbox").status == 404  # none connected
    firm.connect()
    assert clerk.call("sync_api", "ReconcileMailbox").status == 403
    assert firm.api.run_sync_queue() == []  # nothing was queued


def test_a_scheduled_run_proves_it_once_a_day(firm: Firm) -> None:
    synced(firm, "Daily")

    assert not firm.sync().reconciled  # connected today: not due yet
    clock.advance(RECONCILE_EVERY.total_seconds())
    first = firm.sync()
    again = firm.sync()

    assert first.reconciled and first.missing == 0
    assert not again.reconciled  # proved a moment ago


def test_the_health_says_when_the_firm_must_act(firm: Firm, dovecot: Any) -> None:
    synced(firm)
    assert firm.mailbox()["needs_attention"] is False
    dovecot.write_passwd(
        dovecot.passwd.read_text().replace(firm.user.password, "changed-by-the-provider")
    )

    firm.sync()

    state = firm.mailbox()
    assert state["needs_attention"] is True and state["last_error_code"] == "auth_failed"
    assert state["failing_since"] is not None and state["next_sync_at"] is not None
