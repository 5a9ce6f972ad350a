"""Trying a mailbox before connecting it (`POST /v1/firm/mailbox/test`, issue 12's
Settings: "the mailbox (connect, test, ...)"): the same checks as PUT, nothing saved."""

from __future__ import annotations

import json
import socket
from typing import Any

import boto3

from tests.unit.conftest import Staff, table_items
from tests.unit.test_email_sync import Firm, firm  # noqa: F401 - a fixture


def settings_of(firm: Firm, **changes: Any) -> dict[str, Any]:  # noqa: F811
    return {
        "imap_host": "127.0.0.1",
        "imap_port": firm.user.server.port,
        "username": firm.user.name,
        "password": firm.user.password,
        "security": "none",
        **changes,
    }


def try_mailbox(staff: Staff, body: dict[str, Any]):
    return staff.call("sync_api", "TestMailbox", body=body)


def secrets() -> list[str]:
    listed = boto3.client("secretsmanager").list_secrets()["SecretList"]
    return [s["Name"] for s in listed]


def test_a_working_mailbox_answers_its_folders_and_saves_nothing(firm: Firm) -> None:  # noqa: F811
    before, secrets_before = table_items(), secrets()

    answer = try_mailbox(firm.owner, settings_of(firm))

    assert answer.status == 200, answer.body
    assert answer.body == {"ok": True, "folders": ["INBOX", "Sent"]}
    assert table_items() == before
    assert secrets() == secrets_before
    assert firm.mailbox()["status"] == "not_connected"
    assert firm.user.password not in json.dumps(answer.body)


def test_a_wrong_password_is_the_same_422_as_connecting(firm: Firm) -> None:  # noqa: F811
    before = table_items()

    answer = try_mailbox(firm.owner, settings_of(firm, password="not-the-password"))

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "mailbox_login_refused"
    assert "not-the-password" not in json.dumps(answer.body)
    assert table_items() == before


def test_an_unreachable_server_is_422(firm: Firm) -> None:  # noqa: F811
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

    answer = try_mailbox(firm.owner, settings_of(firm, imap_port=port))

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "mailbox_unreachable"


def test_an_employee_may_not_try_a_mailbox(firm: Firm) -> None:  # noqa: F811
    employee = firm.owner.add_staff("emp@firm.example", manage_accounts=True)

    answer = try_mailbox(employee, settings_of(firm))

    assert answer.status == 403, answer.body
