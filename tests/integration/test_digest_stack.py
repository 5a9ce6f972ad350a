"""Digests through the local stack: a daily digest set over HTTP, events on the bus,
nothing sent until the clock reaches the digest's hour, then one email with both."""

from __future__ import annotations

import uuid
from datetime import timedelta

from crm import clock
from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import new_firm, unique


def test_a_daily_digest_sends_both_events_in_one_email_when_its_hour_comes(
    api: ApiSession, stack: Stack, mail: Mailbox
) -> None:
    assert "digest" in api.get("/_local/stack").json()["schedules"]
    firm = new_firm(api)
    account_id = firm.account("Smith family")
    address = f"{unique('digest')}@client.example"
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    firm.toggle(account_id, email_id, notify=True)
    now = clock.now()
    hour = (now + timedelta(hours=2)).hour  # the digest's hour, more than an hour away
    schedule = firm.put(
        f"/v1/accounts/{account_id}/emails/{email_id}/notification-schedule",
        json={
            "frequency": {"documents_uploads": "daily"},
            "daily_hour": hour,
            "time_zone": "UTC",
        },
    )
    assert schedule.status_code == 200, schedule.text
    assert schedule.json()["frequency"]["documents_uploads"] == "daily"
    try:
        for title in ("Tax return 2025", "Annual accounts 2025"):
            detail = {
                "firm_id": firm.firm_id,
                "account_id": account_id,
                "event_id": f"evt-{uuid.uuid4().hex}",
                "title": title,
                "url": "https://portal.example.com/docs/1",
            }
            answer = api.post(
                "/_local/events", json={"detail_type": "DocumentUploaded", "detail": detail}
            )
            assert answer.status_code == 200, answer.text
        stack.wait_idle()
        assert mail.to(address) == []
        log = firm.get(f"/v1/accounts/{account_id}/notifications").json()["items"]
        assert [d["status"] for d in log] == ["queued", "queued"]

        assert api.post("/_local/schedules/digest").status_code == 200
        assert mail.to(address) == []  # not yet its hour

        due = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
        seconds = (due - clock.now()).total_seconds() + 60
        api.post("/_local/clock", json={"advance_seconds": seconds}).raise_for_status()
        assert api.post("/_local/schedules/digest").status_code == 200
        assert api.post("/_local/schedules/digest").status_code == 200  # nothing twice

        [email] = mail.to(address)
        assert "Tax return 2025" in email["text"] and "Annual accounts 2025" in email["text"]
        log = firm.get(f"/v1/accounts/{account_id}/notifications").json()["items"]
        assert {d["status"] for d in log} == {"sent"}
        assert all(d["reason"].startswith("in the daily digest of ") for d in log)
    finally:
        clock.reset()
