"""Hostile input over HTTP on the local stack (issue 9, section 3): control characters in
names and event titles, events sharing an event_id across kinds, link tokens, forged
cursors, bodies of the wrong media type or depth, and the guards on every HTML answer."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import boto3
import pytest

from local import Stack
from local.testing import ApiSession, Mailbox
from tests.integration.flows import Firm, invite_and_activate, new_firm, unique

pytestmark = pytest.mark.integration

CRLF_NAME = "Ledger\r\nBcc: victim@example.com"


def publish(api: ApiSession, detail_type: str, detail: dict[str, Any]) -> None:
    answer = api.post(
        "/_local/events",
        json={"detail_type": detail_type, "detail": detail, "source": "platform.test"},
    )
    assert answer.status_code == 200, answer.text


def notified(firm: Firm) -> tuple[str, str, str]:
    """An account with one contact whose NOTIFY is on: (account_id, email_id, address)."""
    account_id = firm.account("Smith family")
    address = f"{unique('ann')}@client.example"
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    answer = firm.toggle(account_id, email_id, notify=True)
    assert answer.status_code == 200, answer.text
    return account_id, email_id, address


def forged(document: Any) -> str:
    raw = json.dumps(document).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# ----------------------------------------------------------------------- names


def test_names_with_control_characters_are_a_422_on_every_route(api: ApiSession) -> None:
    refused = api.post(
        "/v1/firms",
        json={
            "firm_name": CRLF_NAME,
            "owner_email": f"{unique('owner')}@firm.example",
            "owner_password": "correct horse battery staple",
        },
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["fields"][0]["name"] == "firm_name"

    firm = new_firm(api)
    for path, body, field in [
        ("/v1/accounts", {"name": "Smith\nfamily", "type": "family"}, "name"),
        ("/v1/email-fields", {"label": "Work\x00email"}, "label"),
        ("/v1/contacts", {"first_name": "Ann\r", "last_name": "Smith"}, "first_name"),
        ("/v1/contacts", {"first_name": "Ann", "last_name": "Smith\u2028"}, "last_name"),
    ]:
        answer = firm.post(path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        assert [f["name"] for f in answer.json()["error"]["fields"]] == [field]


def test_a_csv_import_reports_the_row_with_a_control_character(api: ApiSession) -> None:
    firm = new_firm(api)
    text = (
        "first_name,last_name,email\r\n"
        f"Ann,Smith,{unique('ann')}@client.example\r\n"
        f'"Bob\r\nBcc: x",Jones,{unique("bob")}@client.example\r\n'
    )

    answer = firm.post(
        "/v1/contacts/import", data=text.encode(), headers={"Content-Type": "text/csv"}
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 1
    [error] = answer.json()["errors"]
    assert error["row"] == 3 and "single line" in error["message"]


# ---------------------------------------------------------------------- events


def test_an_event_title_with_a_line_break_is_refused_with_its_reason(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    firm = new_firm(api)
    account_id, _, address = notified(firm)
    marker = uuid.uuid4().hex

    publish(
        api,
        "DocumentUploaded",
        {
            "firm_id": firm.firm_id,
            "account_id": account_id,
            "event_id": f"evt-{marker}",
            "title": "Your return\r\nBcc: victim@example.com",
        },
    )

    assert mail.to(address) == []
    sqs = boto3.client("sqs", endpoint_url=stack.aws_endpoint, region_name="us-east-1")
    kept = sqs.receive_message(
        QueueUrl=stack.resources["NotificationsDeadLetterQueue"],
        MaxNumberOfMessages=10,
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    ours = [m for m in kept if marker in m["Body"]]
    assert len(ours) == 1
    assert "title" in ours[0]["MessageAttributes"]["reason"]["StringValue"]


def test_an_invoice_and_a_document_with_the_same_event_id_both_arrive(
    api: ApiSession, mail: Mailbox, stack: Stack
) -> None:
    firm = new_firm(api)
    account_id, _, address = notified(firm)
    shared = f"evt-{uuid.uuid4().hex}"

    for detail_type, title in (("InvoiceIssued", "Invoice 42"), ("DocumentUploaded", "A file")):
        publish(
            api,
            detail_type,
            {
                "firm_id": firm.firm_id,
                "account_id": account_id,
                "event_id": shared,
                "title": title,
            },
        )

    subjects = sorted(m["subject"] for m in mail.to(address))
    assert subjects == [
        "New document from Ledger & Co: A file",
        "New invoice from Ledger & Co: Invoice 42",
    ]
    stack.wait_idle()
    log = firm.get(f"/v1/accounts/{account_id}/notifications").json()["items"]
    assert {(d["detail_type"], d["event_id"], d["status"]) for d in log} == {
        ("InvoiceIssued", shared, "sent"),
        ("DocumentUploaded", shared, "sent"),
    }


# ----------------------------------------------------------- tokens and cursors


@pytest.mark.parametrize("path", ["/v1/unsubscribe", "/v1/activation-request"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("token", ["a.%C3%A9", "%C3%A9", "a.%00", "%FF.%FE"])
def test_a_link_token_that_is_not_ascii_shows_the_not_valid_page(
    api: ApiSession, path: str, method: str, token: str
) -> None:
    answer = api.request(method, f"{path}?token={token}")

    assert answer.status_code == 404, answer.text
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "not valid" in answer.text


def test_every_route_with_a_cursor_refuses_a_forged_one(api: ApiSession) -> None:
    firm = new_firm(api)
    account_id = firm.account("Smith family")
    routes = {
        "/v1/accounts": f"FIRM#{firm.firm_id}",
        "/v1/audit": f"FIRM#{firm.firm_id}#AUDIT#-",
        f"/v1/audit?account_id={account_id}": f"FIRM#{firm.firm_id}#AUDIT#{account_id}",
        "/v1/inbox": f"FIRM#{firm.firm_id}#INBOX",
        "/v1/threads/thr_1": f"FIRM#{firm.firm_id}#THREAD#thr_1",
        f"/v1/accounts/{account_id}/messages": f"FIRM#{firm.firm_id}#ACCOUNT#{account_id}#MAIL",
        f"/v1/accounts/{account_id}/documents": f"FIRM#{firm.firm_id}#ACCOUNT#{account_id}#DOCS",
        f"/v1/accounts/{account_id}/notifications": f"FIRM#{firm.firm_id}#DELIVERIES#{account_id}",
    }
    for route, partition in routes.items():
        for cursor in (
            forged({"pk": {"S": partition}, "sk": {"S": "A"}, "other": {"S": "x"}}),
            forged({"pk": {"S": partition}, "sk": {"N": "1"}}),
            forged({"pk": {"S": partition}}),
            forged({"pk": partition, "sk": "A"}),
            forged(["pk"]),
            "not-base64-%C3%A9",
            forged({"pk": {"S": partition}, "sk": {"S": "x" * 1100}}),
        ):
            sep = "&" if "?" in route else "?"
            answer = firm.get(f"{route}{sep}cursor={cursor}")
            assert answer.status_code == 422, (route, cursor, answer.text)
            assert answer.json()["error"]["fields"][0]["name"] == "cursor"


def test_the_portal_routes_with_a_cursor_refuse_a_forged_one(
    api: ApiSession, mail: Mailbox
) -> None:
    firm = new_firm(api)
    account_id, email_id, address = notified(firm)
    portal = invite_and_activate(api, mail, firm, account_id, email_id, address)

    for route in ("messages", "documents"):
        for cursor in (
            forged({"pk": {"S": f"FIRM#{firm.firm_id}#ACCOUNT#{account_id}#MAIL"}, "x": 1}),
            forged({"pk": {"S": f"FIRM#{firm.firm_id}#ACCOUNT#{account_id}#DOCS"}, "sk": 1}),
            "%C3%A9",
        ):
            answer = api.get(
                f"/v1/portal/accounts/{account_id}/{route}?cursor={cursor}", headers=portal
            )
            assert answer.status_code == 422, (route, cursor, answer.text)


# ---------------------------------------------------------------------- bodies


def test_a_json_route_answers_text_plain_with_415_in_the_contracts_shape(
    api: ApiSession,
) -> None:
    firm = new_firm(api)
    body = json.dumps({"name": "Smith family", "type": "family"})

    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        answer = firm.post("/v1/accounts", data=body, headers={"Content-Type": content_type})
        assert answer.status_code == 415, (content_type, answer.text)
        assert answer.json()["error"]["code"] == "unsupported_media_type"

    public = api.post(
        "/v1/staff/login",
        data="email=a%40b.example&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert public.status_code == 415, public.text


def test_json_nested_100000_deep_is_a_400(api: ApiSession) -> None:
    firm = new_firm(api)
    deep = "[" * 100_000 + "]" * 100_000

    for answer in (
        firm.post("/v1/accounts", data=deep, headers={"Content-Type": "application/json"}),
        api.post("/v1/firms", data=deep, headers={"Content-Type": "application/json"}),
        firm.put("/v1/firm/mailbox", data=deep, headers={"Content-Type": "application/json"}),
    ):
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["code"] == "bad_request"


# ---------------------------------------------------------------- HTML answers


def assert_guarded(headers: Any) -> None:
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/unsubscribe?token=x"),
        ("POST", "/v1/unsubscribe?token=x"),
        ("GET", "/v1/activation-request?token=x"),
        ("POST", "/v1/activation-request?token=x"),
        ("GET", "/activate?token=x"),
        ("GET", "/verify?token=x"),
        ("GET", "/v1/docs"),
    ],
)
def test_every_html_answer_of_the_api_cannot_be_framed(
    api: ApiSession, method: str, path: str
) -> None:
    answer = api.request(method, path)

    assert answer.headers["Content-Type"].startswith("text/html"), answer.text[:200]
    assert_guarded(answer.headers)


def test_a_usable_unsubscribe_page_cannot_be_framed(api: ApiSession, mail: Mailbox) -> None:
    firm = new_firm(api)
    account_id, _, address = notified(firm)
    publish(
        api,
        "DocumentUploaded",
        {
            "firm_id": firm.firm_id,
            "account_id": account_id,
            "event_id": f"evt-{uuid.uuid4().hex}",
            "title": "A file",
        },
    )
    [message] = mail.to(address)
    url = message["headers"]["List-Unsubscribe"].strip("<>")
    path = url[url.index("/v1/") :]

    answer = api.get(path)

    assert answer.status_code == 200, answer.text
    assert_guarded(answer.headers)
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
