"""Digests: the fan-out holds what a schedule says to hold, and the digest run sends it,
one email per address, with every item, once, even when a run dies half way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from crm import clock
from crm.integrations.mailer import Mailer
from crm.notifications import digest_store
from crm.notifications.digest_run import DigestRun
from crm.notifications.fanout import FanOut
from crm.notifications.models import Notification
from crm.settings import get_settings
from tests.unit.conftest import Staff, mail_to, text_of

ANN = "ann@client.example"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam
DIGEST_DUE = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam, the next day


class Crash(Exception):
    pass


def set_now(moment: datetime) -> None:
    clock.reset()
    clock.advance((moment - clock.now()).total_seconds())


def mailer() -> Mailer:
    return Mailer(get_settings().mail_from_address)


def fan_out() -> FanOut:
    return FanOut(mailer=mailer(), link_secret=lambda: b"k" * 32, api_base="https://api.test")


def digest_run(checkpoint: Callable[[str], None] | None = None) -> DigestRun:
    run = DigestRun(mailer=mailer(), link_secret=lambda: b"k" * 32, api_base="https://api.test")
    if checkpoint is not None:
        run.checkpoint = checkpoint
    return run


def crash_at(step: str) -> Callable[[str], None]:
    def checkpoint(reached: str) -> None:
        if reached == step:
            raise Crash(step)

    return checkpoint


def notification(
    owner: Staff, account_id: str, event_id: str, kind: str = "DocumentUploaded", title: str = ""
) -> Notification:
    return Notification.of(
        kind,
        {
            "firm_id": owner.firm_id,
            "account_id": account_id,
            "event_id": event_id,
            "title": title or f"Document {event_id}",
            "url": f"https://portal.example.com/items/{event_id}",
        },
    )


def put_schedule(owner: Staff, account_id: str, email_id: str, body: Any) -> Any:
    return owner.call(
        "notifications_api",
        "PutNotificationSchedule",
        path={"account_id": account_id, "email_id": email_id},
        body=body,
    )


def deliveries(owner: Staff, account_id: str) -> dict[str, tuple[str, str | None]]:
    answer = owner.call("notifications_api", "Deliveries", path={"account_id": account_id})
    assert answer.status == 200, answer.body
    return {d["event_id"]: (d["status"], d["reason"]) for d in answer.body["items"]}


@pytest.fixture
def daily(owner: Staff) -> tuple[str, str]:
    """Ann on an account with NOTIFY on and new documents in a daily digest at 8:00,
    Amsterdam time; the clock at NOW."""
    set_now(NOW)
    account_id = owner.account()
    contact = owner.contact(ANN)
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    assert owner.toggle(account_id, email_id, notify=True).status == 200
    body = {
        "frequency": {"documents_uploads": "daily"},
        "daily_hour": 8,
        "time_zone": "Europe/Amsterdam",
    }
    assert put_schedule(owner, account_id, email_id, body).status == 200
    return account_id, email_id


def test_held_notifications_go_out_in_one_email_when_the_digest_is_due(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, _ = daily
    first = fan_out().deliver(notification(owner, account_id, "doc-1", title="Tax return 2025"))
    fan_out().deliver(notification(owner, account_id, "doc-2", title="Annual accounts"))

    assert first.queued == 1 and first.sent == 0
    assert mail_to(ANN) == []
    log = deliveries(owner, account_id)
    assert log["doc-1"] == ("queued", "held for the daily digest due 2026-12-03T07:00:00Z")

    set_now(DIGEST_DUE.replace(hour=6, minute=59))
    assert digest_run().run().digests == 0  # not due yet
    set_now(DIGEST_DUE)
    summary = digest_run().run()

    assert (summary.digests, summary.items) == (1, 2)
    [email] = mail_to(ANN)
    text = text_of(email)
    assert "Tax return 2025" in text and "Annual accounts" in text
    assert "https://portal.example.com/items/doc-1" in text
    assert "https://api.test/v1/unsubscribe?token=" in email["List-Unsubscribe"]
    assert deliveries(owner, account_id) == {
        "doc-1": ("sent", "in the daily digest of 2026-12-03"),
        "doc-2": ("sent", "in the daily digest of 2026-12-03"),
    }
    assert digest_run().run().digests == 0  # nothing twice
    assert len(mail_to(ANN)) == 1


def test_the_digest_is_in_the_readers_language(owner: Staff, daily: tuple[str, str]) -> None:
    account_id, _ = daily
    owner.settings(language="nl")
    fan_out().deliver(notification(owner, account_id, "doc-1", title="Aangifte 2025"))
    set_now(DIGEST_DUE)
    digest_run().run()

    [email] = mail_to(ANN)
    assert email["Content-Language"] == "nl"
    assert "Uw dagelijkse samenvatting van 3 december 2026" in text_of(email)


def test_a_required_kind_is_sent_at_once_whatever_the_schedule(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, email_id = daily
    body = {
        "frequency": {"invoices_and_payments": "daily"},
        "quiet_hours": {"start": "00:00", "end": "23:59"},
    }
    assert put_schedule(owner, account_id, email_id, body).status == 200

    paid = fan_out().deliver(notification(owner, account_id, "pay-1", "PaymentConfirmed"))
    invoice = fan_out().deliver(notification(owner, account_id, "inv-1", "InvoiceIssued"))

    assert (paid.sent, paid.queued) == (1, 0)
    assert (invoice.sent, invoice.queued) == (0, 1)
    assert len(mail_to(ANN)) == 1


def test_quiet_hours_hold_an_immediate_category_until_they_end(owner: Staff) -> None:
    set_now(datetime(2026, 12, 2, 22, 30, tzinfo=UTC))  # 23:30 in Amsterdam
    account_id = owner.account()
    contact = owner.contact(ANN)
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    owner.toggle(account_id, email_id, notify=True)
    owner.settings(time_zone="Europe/Amsterdam")
    body = {"quiet_hours": {"start": "22:00", "end": "07:00"}}
    assert put_schedule(owner, account_id, email_id, body).status == 200

    fan_out().deliver(notification(owner, account_id, "chat-1", "ChatMessagePosted"))
    fan_out().deliver(notification(owner, account_id, "doc-1"))
    assert mail_to(ANN) == []

    set_now(datetime(2026, 12, 3, 6, 0, tzinfo=UTC))  # 07:00 in Amsterdam
    assert digest_run().run().digests == 1
    [email] = mail_to(ANN)
    assert "While your quiet hours lasted" in text_of(email)


def test_a_redelivered_event_holds_one_item(owner: Staff, daily: tuple[str, str]) -> None:
    account_id, _ = daily
    event = notification(owner, account_id, "doc-1")
    fan_out().deliver(event)
    again = fan_out().deliver(event)

    assert (again.queued, again.already_done) == (0, 1)
    assert len(digest_store.due(DIGEST_DUE)) == 1


def test_a_crash_between_send_and_mark_is_resumed_without_a_second_email(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, _ = daily
    fan_out().deliver(notification(owner, account_id, "doc-1"))
    fan_out().deliver(notification(owner, account_id, "doc-2"))
    set_now(DIGEST_DUE)

    with pytest.raises(Crash):
        digest_run(crash_at("sent")).run()
    assert len(mail_to(ANN)) == 1
    assert {s for s, _ in deliveries(owner, account_id).values()} == {"queued"}

    summary = digest_run().run()

    assert (summary.digests, summary.resumed, summary.items) == (0, 1, 2)
    assert len(mail_to(ANN)) == 1
    assert {s for s, _ in deliveries(owner, account_id).values()} == {"sent"}
    assert digest_store.due(DIGEST_DUE) == []


def test_a_crash_after_the_claim_before_the_send_is_resumed_when_the_lease_ends(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, _ = daily
    fan_out().deliver(notification(owner, account_id, "doc-1"))
    set_now(DIGEST_DUE)
    with pytest.raises(Crash):
        digest_run(crash_at("claimed")).run()

    busy = digest_run().run()  # another run holds the lease still
    assert (busy.busy, busy.digests) == (1, 0)
    assert mail_to(ANN) == []

    set_now(DIGEST_DUE.replace(minute=15))
    assert digest_run().run().digests == 1
    assert len(mail_to(ANN)) == 1
    assert deliveries(owner, account_id)["doc-1"][0] == "sent"


def test_items_of_a_category_turned_off_meanwhile_are_skipped_with_the_reason(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, email_id = daily
    fan_out().deliver(notification(owner, account_id, "doc-1"))
    prefs = owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"documents_uploads": False},
    )
    assert prefs.status == 200, prefs.body
    set_now(DIGEST_DUE)

    summary = digest_run().run()

    assert (summary.digests, summary.skipped) == (0, 1)
    assert mail_to(ANN) == []
    assert deliveries(owner, account_id)["doc-1"] == ("skipped", "documents_uploads is off")
    assert digest_store.due(DIGEST_DUE) == []


def test_items_of_an_address_with_notify_now_off_are_skipped(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, email_id = daily
    fan_out().deliver(notification(owner, account_id, "doc-1"))
    assert owner.toggle(account_id, email_id, notify=False).status == 200
    set_now(DIGEST_DUE)

    digest_run().run()

    assert mail_to(ANN) == []
    assert deliveries(owner, account_id)["doc-1"] == ("skipped", "NOTIFY is off")


def test_one_email_per_address_across_accounts(owner: Staff, daily: tuple[str, str]) -> None:
    account_id, _ = daily
    other = owner.account("Smith Design Studio", "business")
    contact_id = owner.section(account_id)["contacts"][0]["contact_id"]
    owner.link(other, contact_id)
    other_email = owner.section(other)["contacts"][0]["emails"][0]["email_id"]
    owner.toggle(other, other_email, notify=True)
    put_schedule(owner, other, other_email, {"frequency": {"proposals": "hourly"}})
    fan_out().deliver(notification(owner, account_id, "doc-1", title="Tax return"))
    fan_out().deliver(notification(owner, other, "prop-1", "ProposalSent", title="Engagement"))
    set_now(DIGEST_DUE)

    assert digest_run().run().digests == 1

    [email] = mail_to(ANN)
    text = text_of(email)
    assert "Account: Smith Design Studio" in text and "Account: Smith family" in text
    assert "Tax return" in text and "Engagement" in text


# ------------------------------------------------------------------ the schedule's routes


def one_address(owner: Staff) -> tuple[str, str]:
    account_id = owner.account()
    contact = owner.contact(ANN)
    owner.link(account_id, contact["contact_id"])
    return account_id, contact["emails"][0]["email_id"]


def test_the_schedule_starts_all_at_once_in_the_firms_zone(owner: Staff) -> None:
    account_id, email_id = one_address(owner)
    owner.settings(time_zone="Europe/Amsterdam")

    answer = owner.call(
        "notifications_api",
        "GetNotificationSchedule",
        path={"account_id": account_id, "email_id": email_id},
    )

    assert answer.status == 200, answer.body
    assert set(answer.body["frequency"].values()) == {"immediate"}
    assert len(answer.body["frequency"]) == 7
    assert answer.body["quiet_hours"] is None and answer.body["time_zone"] is None
    assert answer.body["effective_time_zone"] == "Europe/Amsterdam"


def test_a_put_changes_what_it_names_and_null_clears_quiet_hours(owner: Staff) -> None:
    account_id, email_id = one_address(owner)
    body = {"frequency": {"proposals": "hourly"}, "quiet_hours": {"start": "22:00", "end": "07:00"}}
    assert put_schedule(owner, account_id, email_id, body).status == 200

    answer = put_schedule(owner, account_id, email_id, {"quiet_hours": None, "daily_hour": 18})

    assert answer.status == 200, answer.body
    assert answer.body["frequency"]["proposals"] == "hourly"
    assert answer.body["quiet_hours"] is None and answer.body["daily_hour"] == 18
    audit = owner.call("access_api", "Audit", query={"account_id": account_id})
    assert "notification_schedule_changed" in {e.get("action") for e in audit.body["items"]}


@pytest.mark.parametrize(
    "body",
    [
        {"frequency": {"documents_uploads": "weekly"}},
        {"frequency": {"newsletters": "daily"}},
        {"daily_hour": 24},
        {"quiet_hours": {"start": "22:00", "end": "22:00"}},
        {"quiet_hours": {"start": "22h", "end": "07:00"}},
        {"time_zone": "Mars/Olympus"},
        {"colour": "blue"},
    ],
)
def test_a_put_with_an_unknown_field_or_value_is_a_422(owner: Staff, body: Any) -> None:
    account_id, email_id = one_address(owner)

    answer = put_schedule(owner, account_id, email_id, body)

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "validation_failed"


def test_only_staff_who_may_change_preferences_change_the_schedule(owner: Staff) -> None:
    account_id, email_id = one_address(owner)
    reader = owner.add_staff("reader@firm.example")

    answer = put_schedule(reader, account_id, email_id, {"daily_hour": 7})

    assert answer.status == 403, answer.body
    read = reader.call(
        "notifications_api",
        "GetNotificationSchedule",
        path={"account_id": account_id, "email_id": email_id},
    )
    assert read.status == 200 and read.body["daily_hour"] == 8


# ----------------------------------------------------------------------- call counts


def test_a_digest_costs_a_constant_number_of_calls_plus_a_batch_per_25_writes(
    owner: Staff, daily: tuple[str, str]
) -> None:
    from collections import Counter

    from crm.storage.items import Item

    account_id, _ = daily
    for n in range(30):
        fan_out().deliver(notification(owner, account_id, f"doc-{n}"))
    set_now(DIGEST_DUE)
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    events = Item._get_connection().connection.client.meta.events
    events.register("before-call.dynamodb", count)
    try:
        summary = digest_run().run()
    finally:
        events.unregister("before-call.dynamodb", count)

    assert (summary.digests, summary.items) == (1, 30)
    shards = digest_store.SHARDS
    # reads: one query per shard, the firm, the row, the contact's language
    assert (calls["Query"], calls["GetItem"], calls["BatchGetItem"]) == (shards, 2, 1)
    # writes: the claim and its `sent`, one email off the day's quota, then 60 items
    # (30 deliveries `sent`, 30 held items deleted) in batches of 25
    assert (calls["PutItem"], calls["UpdateItem"], calls["BatchWriteItem"]) == (2, 1, 3)


def test_a_digest_counts_one_email_and_waits_when_the_days_quota_is_spent(
    owner: Staff, daily: tuple[str, str]
) -> None:
    from crm.limits.sending import DailyLimits, Sending
    from crm.storage import sending

    account_id, _ = daily
    fan_out().deliver(notification(owner, account_id, "doc-1"))
    fan_out().deliver(notification(owner, account_id, "doc-2"))
    set_now(DIGEST_DUE)
    day = DIGEST_DUE.date().isoformat()
    spent = sending.sent_on(owner.firm_id, day)
    run = digest_run()

    run.sending = Sending(DailyLimits(unverified=1, verified=spent))  # nothing left today
    waiting = run.run()
    assert (waiting.digests, waiting.waiting) == (0, 2)
    assert mail_to(ANN) == []
    assert {s for s, _ in deliveries(owner, account_id).values()} == {"queued"}

    run.sending = Sending(DailyLimits(unverified=1, verified=spent + 1))
    assert run.run().digests == 1
    assert len(mail_to(ANN)) == 1
    assert sending.sent_on(owner.firm_id, day) == spent + 1  # two items, one email counted


def test_past_the_size_of_one_email_the_rest_go_in_a_second_digest(
    owner: Staff, daily: tuple[str, str]
) -> None:
    account_id, _ = daily
    for n in range(3):
        fan_out().deliver(notification(owner, account_id, f"doc-{n}"))
    set_now(DIGEST_DUE)
    run = digest_run()
    run.max_items = 2

    summary = run.run()

    assert (summary.digests, summary.items) == (2, 3)
    texts = [text_of(m) for m in mail_to(ANN)]
    assert sorted(t.count("Document doc-") for t in texts) == [1, 2]
