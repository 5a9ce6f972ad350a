"""The demo firm `make run` seeds (local/demo.py): every screen has something to show,
checked through the API as the pages read it.

The stack is this module's own, seeded, with its own Dovecot; it stops before the next
module's tests (the package's unseeded stack starts after it, on a clean moto).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from local import Stack, demo, imap_server, start_stack
from local.testing import ApiSession

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seeded() -> Iterator[Stack]:
    running = start_stack(port=0, seed=True, timers=False)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def owner(seeded: Stack) -> Iterator[ApiSession]:
    with ApiSession(seeded.api_url) as session:
        login = session.post(
            "/v1/staff/login", json={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD}
        )
        assert login.status_code == 200, login.text
        session.headers["Authorization"] = f"Bearer {login.json()['token']}"
        yield session


@pytest.fixture(scope="module")
def accounts(owner: ApiSession) -> dict[str, str]:
    """name: account_id of the demo firm's accounts."""
    listed = owner.get("/v1/accounts")
    assert listed.status_code == 200, listed.text
    return {item["name"]: item["account_id"] for item in listed.json()["items"]}


def items(session: ApiSession, path: str) -> list[dict[str, Any]]:
    answer = session.get(path)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["items"]
    return found


def test_the_owner_signs_in_to_a_verified_firm_with_accounts_and_settings(
    owner: ApiSession, accounts: dict[str, str]
) -> None:
    assert set(accounts) == {"Smith Family", "Smith Design Studio", "Northwind Traders"}
    settings = owner.get("/v1/firm/settings").json()
    assert settings["auto_save_attachments"] is True
    assert settings["contact_email"] == demo.SETTINGS["contact_email"]
    assert demo.STAFF[0] in {member["email"] for member in items(owner, "/v1/staff")}
    # verified: the firm could email its client (a reply and invitations went out)
    contacts = owner.get(f"/v1/accounts/{accounts['Northwind Traders']}/contacts").json()
    (nancy,) = contacts["contacts"][0]["emails"]
    assert nancy["login_status"] == "invited" and nancy["email_sync"] and nancy["notify"]


def test_the_client_signs_in_to_the_portal_on_two_accounts(seeded: Stack) -> None:
    with ApiSession(seeded.api_url) as portal:
        login = portal.post(
            "/v1/portal/login", json={"email": demo.CLIENT_EMAIL, "password": demo.CLIENT_PASSWORD}
        )
        assert login.status_code == 200, login.text
        portal.headers["Authorization"] = f"Bearer {login.json()['token']}"
        mine = {a["name"]: a["account_id"] for a in items(portal, "/v1/portal/accounts")}
        assert set(mine) == {"Smith Family", "Smith Design Studio"}
        base = f"/v1/portal/accounts/{mine['Smith Design Studio']}"
        subjects = {m["subject"] for m in items(portal, f"{base}/messages")}
        assert "Receipts for the studio, Q1" in subjects
        assert not any("home office" in s for s in subjects)  # John's, not hers
        names = {d["name"] for d in items(portal, f"{base}/documents")}
        assert {"Receipts Q1.csv", "Invoice 2026-014.pdf"} <= names


def test_inbox_plus_holds_the_synced_mail_with_a_thread_of_three(owner: ApiSession) -> None:
    inbox = items(owner, "/v1/inbox")
    subjects = [m["subject"] for m in inbox]
    assert len(inbox) >= 8 and "Our new savings rates" not in subjects  # not a client's
    dates = [m["date"] for m in inbox]
    assert dates == sorted(dates, reverse=True)
    subject = "Question about the home office deduction"  # John's, the firm's answer, his
    question = next(m for m in inbox if m["subject"] == subject)
    thread_id = owner.get(f"/v1/messages/{question['message_id']}").json()["thread_id"]
    thread = [m["subject"] for m in items(owner, f"/v1/threads/{thread_id}")]
    assert thread == [subject, f"Re: {subject}", f"Re: {subject}"]
    health = owner.get("/v1/firm/mailbox").json()
    assert health["status"] == "ok" and health["last_sync_at"]
    assert {job["status"] for job in health["history"]} == {"done"}


def test_an_accounts_emails_and_documents_tabs_have_the_attachments(
    owner: ApiSession, accounts: dict[str, str]
) -> None:
    base = f"/v1/accounts/{accounts['Smith Family']}"
    subjects = {m["subject"] for m in items(owner, f"{base}/messages")}
    assert "Question about the home office deduction" in subjects
    documents = items(owner, f"{base}/documents")
    statement = next(d for d in documents if d["name"].startswith("Bank statement"))
    assert {d["source"] for d in documents} == {"email_attachment"}
    link = owner.get(f"/v1/documents/{statement['document_id']}/download", allow_redirects=False)
    assert link.status_code == 302, link.text
    pdf = requests.get(link.headers["Location"], timeout=30).content
    assert pdf.startswith(b"%PDF-") and b"Closing balance" in pdf
    northwind = items(owner, f"/v1/accounts/{accounts['Northwind Traders']}/documents")
    (payroll,) = northwind
    assert re.fullmatch(r"Payroll [A-Z][a-z]+\.csv", payroll["name"]), payroll


def test_the_notifications_log_has_sent_entries(
    owner: ApiSession, accounts: dict[str, str]
) -> None:
    log = items(owner, f"/v1/accounts/{accounts['Smith Family']}/notifications")
    sent = {(e["detail_type"], e["address"]) for e in log if e["status"] == "sent"}
    assert sent == {
        ("InvoiceIssued", demo.CLIENT_EMAIL),
        ("DocumentUploaded", demo.CLIENT_EMAIL),
    }
    studio = items(owner, f"/v1/accounts/{accounts['Smith Design Studio']}/notifications")
    assert [(e["detail_type"], e["status"]) for e in studio] == [("SignatureRequested", "sent")]


def test_the_activity_tab_has_the_toggles_and_the_accepted_invitation(
    owner: ApiSession, accounts: dict[str, str]
) -> None:
    trail = items(owner, f"/v1/audit?account_id={accounts['Smith Family']}")
    actors = {line["actor"] for line in trail}
    assert demo.DEMO_EMAIL in actors and "client" in actors  # the owner's toggles, Jane's accept
    assert len(trail) >= 5


def test_the_stack_reports_the_demo_sign_ins(seeded: Stack) -> None:
    described = requests.get(f"{seeded.api_url}/_local/stack", timeout=30).json()
    assert described["demo"]["staff"]["email"] == demo.DEMO_EMAIL
    assert described["demo"]["client"] == {
        "email": demo.CLIENT_EMAIL,
        "password": demo.CLIENT_PASSWORD,
        "where": f"{seeded.api_url}/portal",
    }
    assert described["demo"]["mailbox_synced"] is True


def test_without_dovecot_the_demo_says_so_and_has_no_mailbox(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(imap_server, "SEARCH_PATH", str(tmp_path))  # no dovecot there
    with caplog.at_level(logging.WARNING, logger="local.demo"):
        assert demo.start_mailbox() is None
    assert "Dovecot is not installed" in caplog.text


def test_a_failing_step_is_logged_and_the_seed_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    def refused() -> str:
        raise demo.StepFailed("PATCH /v1/firm/settings answered 422")

    with caplog.at_level(logging.INFO, logger="local.demo"):
        assert demo._step("firm settings", refused) is False
        assert demo._step("next step", lambda: "done") is True
    assert "firm settings: failed, going on (PATCH /v1/firm/settings answered 422)" in caplog.text
    assert "next step: done" in caplog.text


def test_the_generated_pdf_cross_reference_points_at_its_objects() -> None:
    pdf = demo._pdf("Bank statement (March)", ["a \\ b", "c"])
    startxref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[startxref:].split(b"\n")[3:8]]
    assert [pdf[o:].split(b"\n", 1)[0] for o in offsets] == [b"%d 0 obj" % n for n in range(1, 6)]
    assert b"(Bank statement \\(March\\)) Tj" in pdf and b"(a \\\\ b) Tj" in pdf
