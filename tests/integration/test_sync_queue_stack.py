"""The sync's queue path end to end on the local stack: the schedule on demand queues
every due mailbox, the runner hands the queue to the worker as Lambda's event source
would, a failing firm holds nobody back, and a message no retry can help lands in the
dead-letter queue with its reason."""

from __future__ import annotations

import json
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import boto3
import pytest

from local import Stack
from local.testing import ApiSession
from tests.dovecot import Dovecot, ImapUser
from tests.integration.flows import Firm, new_firm

pytestmark = pytest.mark.integration

CLIENT = "ann.smith@client.example"


def mail(to: str, subject: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = CLIENT, to, subject
    message["Message-ID"] = make_msgid(domain="client.example")
    message["Date"] = formatdate(time.time() - 60, usegmt=True)
    message.set_content(f"{subject}: the text")
    return message.as_bytes()


def synced_firm(api: ApiSession, user: ImapUser) -> tuple[Firm, str]:
    """A firm whose client has EMAIL SYNC on, its mailbox connected to `user`."""
    firm = new_firm(api)
    account_id = firm.account("Smith family")
    contact = firm.contact(CLIENT)
    firm.link(account_id, contact["contact_id"])
    connected = firm.put("/v1/firm/mailbox", json={
        "imap_host": "127.0.0.1", "imap_port": user.server.port, "username": user.name,
        "password": user.password, "security": "none"})  # fmt: skip
    assert connected.status_code == 200, connected.text
    toggled = firm.toggle(account_id, contact["emails"][0]["email_id"], email_sync=True)
    assert toggled.status_code == 200, toggled.text
    return firm, account_id


def sqs(stack: Stack) -> Any:
    return boto3.client("sqs", endpoint_url=stack.aws_endpoint, region_name="us-east-1")


def test_a_failing_firm_holds_no_other_back(
    stack: Stack, api: ApiSession, dovecot: Dovecot
) -> None:
    good_user, bad_user = dovecot.add_user(), dovecot.add_user()
    good, good_account = synced_firm(api, good_user)
    bad, _ = synced_firm(api, bad_user)
    stack.wait_idle()
    dovecot.write_passwd(  # the provider changed the password of one firm's mailbox
        dovecot.passwd.read_text().replace(bad_user.password, "changed-by-the-provider")
    )
    good_user.append(mail(good_user.name, "New question"))

    ran = api.post("/_local/schedules/sync")

    assert ran.status_code == 200, ran.text
    stack.wait_idle()
    tab = good.get(f"/v1/accounts/{good_account}/messages").json()["items"]
    assert [i["subject"] for i in tab] == ["New question"]
    health = bad.get("/v1/firm/mailbox").json()
    assert health["status"] == "error" and health["last_error_code"] == "auth_failed"
    assert health["failing_since"] and health["next_sync_at"] > health["last_sync_at"]
    assert good.get("/v1/firm/mailbox").json()["status"] == "ok"


def test_a_poison_message_lands_in_the_dead_letter_queue_with_its_reason(stack: Stack) -> None:
    queues = stack.names_of("AWS::SQS::Queue")
    client = sqs(stack)

    client.send_message(QueueUrl=queues["SyncQueue"], MessageBody='{"firm": 1}')
    stack.wait_idle()

    got = client.receive_message(
        QueueUrl=queues["SyncDeadLetterQueue"], MessageAttributeNames=["All"], WaitTimeSeconds=1
    )["Messages"]
    (aside,) = [m for m in got if m["Body"] == '{"firm": 1}']
    assert aside["MessageAttributes"]["Reason"]["StringValue"] == "unreadable"
    assert "firm_id" in json.dumps(aside["MessageAttributes"]["Detail"]["StringValue"])
