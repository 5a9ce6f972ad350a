"""EMAIL SYNC against a real IMAP server (Dovecot) and the template's resources in moto:
the firm's mailbox, history after the toggle, incremental runs, dropped connections,
UIDVALIDITY changes, matching, threads, attachments, replies, the staff notice and the
sync's health (issue 5, "How we will know")."""

from __future__ import annotations

import functools
import itertools
import json
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from imapclient import IMAPClient  # type: ignore[import-untyped]

from crm import runtime
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretStore
from crm.settings import get_settings
from crm.sync.engine import SyncEngine
from crm.sync.run import Limits, RunReport
from tests.dovecot import ImapUser
from tests.support import Answer, Context, load_event
from tests.unit.conftest import (
    Api,
    Staff,
    html_of,
    mail_to,
    sent_mail,
    table_items,
    text_of,
)

CLIENT = "ann.smith@client.example"
OTHER = "bob@elsewhere.example"
QUIET_RUN = {"LOGIN": 1, "LIST": 1, "EXAMINE": 2, "LOGOUT": 1}
_MINUTES = itertools.count()


# ------------------------------------------------------------------- helpers


def mail(
    sender: str,
    to: str,
    subject: str,
    text: str = "Hello",
    *,
    cc: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    html: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    # a minute apart, in the order they are written: the lists' order is known
    message["Date"] = format_datetime(
        datetime(2026, 1, 5, 9, 0, tzinfo=UTC) + timedelta(minutes=next(_MINUTES))
    )
    message["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes()


@dataclass
class Firm:
    """A firm with a mailbox on Dovecot and one account whose contact is CLIENT."""

    api: Api
    owner: Staff
    user: ImapUser
    account_id: str
    email_id: str

    def connect(self) -> Answer:
        return self.owner.call(
            "sync_api",
            "PutMailbox",
            body={
                "imap_host": "127.0.0.1",
                "imap_port": self.user.server.port,
                "username": self.user.name,
                "password": self.user.password,
                "security": "none",
            },
        )

    def engine(self, **options: Any) -> SyncEngine:
        settings = get_settings()
        return SyncEngine(
            secrets=SecretStore(),
            files=FileStore(settings.documents_bucket),
            mailer=Mailer(settings.mail_from_address),
            allow_loopback=settings.mailbox_allow_loopback,
            **options,
        )

    def sync(self, **options: Any) -> RunReport:
        return self.engine(**options).sync_firm(self.owner.firm_id)

    def scheduled(self) -> dict[str, Any]:
        """The schedule's invocation, as EventBridge makes it, then the workers on what
        it queued, as SQS would hand it to them."""
        handler = self.api.module("sync").lambda_handler
        queued = dict(handler(load_event("sync", "EveryFiveMinutes"), Context()))
        return {**queued, "runs": self.api.run_sync_queue()}

    def enable(self, account_id: str | None = None, email_id: str | None = None) -> dict:
        """EMAIL SYNC on for a row, and its EmailSyncEnabled delivered to the sync function
        as the bus would."""
        account_id, email_id = account_id or self.account_id, email_id or self.email_id
        answer = self.owner.toggle(account_id, email_id, email_sync=True)
        assert answer.status == 200, answer.body
        event = load_event("sync", "EmailSyncEnabled")
        event["detail"] = {
            "firm_id": self.owner.firm_id,
            "account_id": account_id,
            "email_id": email_id,
            "address": answer.body["address"],
        }
        queued = dict(self.api.module("sync").lambda_handler(event, Context()))
        assert queued == {"outcome": "queued"}, queued
        (run,) = self.api.run_sync_queue()
        return dict(run)

    def get(self, route: str, **request: Any) -> Any:
        answer = self.owner.call("sync_api", route, **request)
        assert answer.status == 200, answer.body
        return answer.body

    def inbox(self) -> list[dict[str, Any]]:
        return list(self.get("Inbox")["items"])

    def tab(self, account_id: str | None = None) -> list[dict[str, Any]]:
        path = {"account_id": account_id or self.account_id}
        return list(self.get("AccountMessages", path=path)["items"])

    def message(self, message_id: str) -> dict[str, Any]:
        return dict(self.get("GetMessage", path={"message_id": message_id}))

    def mailbox(self) -> dict[str, Any]:
        return dict(self.get("GetMailbox"))

    def settings(self, **changes: Any) -> None:
        answer = self.owner.call("firms_api", "UpdateSettings", body=changes)
        assert answer.status == 200, answer.body


@pytest.fixture
def firm(api: Api, owner: Staff, imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> Firm:
    # Dovecot listens on loopback: allowed here as in the local stack, never when deployed
    monkeypatch.setenv("MAILBOX_ALLOW_LOOPBACK", "true")
    get_settings.cache_clear()
    runtime.start()
    account_id = owner.account("Smith family")
    contact = owner.contact(CLIENT)
    owner.link(account_id, contact["contact_id"])
    return Firm(api, owner, imap_user, account_id, contact["emails"][0]["email_id"])


def subjects(items: list[dict[str, Any]]) -> list[str]:
    return sorted(item["subject"] for item in items)


def items_without_mailbox() -> list[dict[str, Any]]:
    """The table, less the mailbox item (its health and lease change with every run)."""
    return [i for i in table_items() if i["sk"]["S"] != "MAILBOX"]


def dropping_after(fetches: int) -> Any:
    """A connection that the network drops after `fetches` FETCH commands."""

    def factory(server: imap.Server, address: str, timeout: float) -> IMAPClient:
        client = IMAPClient(address, port=server.port, ssl=False, timeout=timeout)
        original = client.fetch
        count = 0

        def fetch(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            if count > fetches:
                client.socket().shutdown(socket.SHUT_RDWR)
            return original(*args, **kwargs)

        client.fetch = fetch
        return client

    return functools.partial(imap.connect, client_factory=factory)


# ------------------------------------------------------------------- the mailbox


def test_saving_the_mailbox_checks_the_login_and_keeps_the_password_in_secrets_manager(
    firm: Firm,
) -> None:
    answer = firm.connect()

    assert answer.status == 200, answer.body
    assert "password" not in answer.body
    assert answer.body["status"] == "pending"
    assert answer.body["folders"] == {"inbox": "INBOX", "sent": "Sent"}
    secret = boto3.client("secretsmanager").get_secret_value(
        SecretId=f"{get_settings().mailbox_secret_prefix}{firm.owner.firm_id}"
    )
    assert json.loads(secret["SecretString"]) == {"password": firm.user.password}
    assert firm.user.password not in json.dumps(table_items())
    state = firm.mailbox()
    assert state["username"] == firm.user.name and "password" not in state


def test_a_wrong_password_or_an_unreachable_server_is_422_and_saves_nothing(
    firm: Firm, dovecot: Any
) -> None:
    base = {"imap_host": "127.0.0.1", "username": firm.user.name, "security": "none"}
    before = table_items()

    refused = firm.owner.call(
        "sync_api", "PutMailbox",
        body={**base, "imap_port": dovecot.port, "password": "not-the-password"},
    )  # fmt: skip
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = firm.owner.call(
        "sync_api", "PutMailbox", body={**base, "imap_port": port, "password": "x"}
    )
    plain_elsewhere = firm.owner.call(
        "sync_api", "PutMailbox",
        body={**base, "imap_host": "imap.example.com", "imap_port": 143, "password": "x"},
    )  # fmt: skip

    assert refused.status == 422, refused.body
    assert refused.body["error"]["code"] == "mailbox_login_refused"
    assert "refused" in refused.body["error"]["message"]
    assert unreachable.status == 422, unreachable.body
    assert unreachable.body["error"]["code"] == "mailbox_unreachable"
    assert "could not be reached" in unreachable.body["error"]["message"]
    assert plain_elsewhere.status == 422
    assert plain_elsewhere.body["error"]["fields"][0]["name"] == "security"
    assert table_items() == before
    assert firm.mailbox()["status"] == "not_connected"


def test_only_the_owner_or_an_admin_connects_the_mailbox_and_everyone_reads(firm: Firm) -> None:
    employee = firm.owner.add_staff("clerk@firm.example", manage_accounts=True)
    firm.connect()

    put = employee.call(
        "sync_api", "PutMailbox",
        body={"imap_host": "127.0.0.1", "imap_port": firm.user.server.port,
              "username": firm.user.name, "password": firm.user.password, "security": "none"},
    )  # fmt: skip
    read = employee.call("sync_api", "GetMailbox")

    assert put.status == 403, put.body
    assert read.status == 200 and read.body["username"] == firm.user.name


# ----------------------------------------------------------------------- history


def test_history_appears_after_the_toggle(firm: Firm) -> None:
    firm.user.append_many(
        [
            mail(CLIENT, firm.user.name, "Documents for 2025"),
            mail(OTHER, firm.user.name, "Not a client"),
            mail(f"Ann <{CLIENT.upper()}>", firm.user.name, "Capitals too"),
            mail(OTHER, f"x@y.example, {CLIENT}", "Client in To"),
            mail(OTHER, "x@y.example", "Client in Cc", cc=CLIENT),
            mail(f"jo{CLIENT}", firm.user.name, "Similar address, not the client"),
        ]
    )
    firm.user.append(mail(firm.user.name, CLIENT, "Our answer"), folder="Sent")
    assert firm.connect().status == 200
    firm.scheduled()  # before the toggle: nothing of anyone's
    assert firm.inbox() == []

    outcome = firm.enable()

    assert outcome["outcome"] == "ok", outcome
    expected = ["Capitals too", "Client in Cc", "Client in To", "Documents for 2025", "Our answer"]
    assert subjects(firm.inbox()) == expected
    assert subjects(firm.tab()) == expected
    directions = {i["subject"]: i["direction"] for i in firm.inbox()}
    assert directions["Our answer"] == "outbound" and directions["Capitals too"] == "inbound"
    (job,) = firm.mailbox()["history"]
    assert job["status"] == "done" and job["address"] == CLIENT
    assert job["stored"] == 5 and job["found"] >= 5 and job["processed"] == job["found"]


def test_a_redelivered_toggle_event_adds_nothing(firm: Firm) -> None:
    firm.user.append(mail(CLIENT, firm.user.name, "Once"))
    firm.connect()
    firm.enable()
    before = items_without_mailbox()

    event = load_event("sync", "EmailSyncEnabled")
    again = firm.api.module("sync").lambda_handler(
        {**event, "id": event["id"], "detail": {**event["detail"], "firm_id": firm.owner.firm_id,
         "account_id": firm.account_id, "email_id": firm.email_id, "address": CLIENT}},
        Context(),
    )  # fmt: skip

    assert again == {"outcome": "done_already"}
    assert firm.api.run_sync_queue() == []
    assert len(firm.inbox()) == 1
    assert [i for i in items_without_mailbox() if "HISTORY#" not in i["sk"]["S"]] == [
        i for i in before if "HISTORY#" not in i["sk"]["S"]
    ]


# ----------------------------------------------------------- incremental runs


def test_new_mail_appears_after_the_next_run_and_a_quiet_run_costs_a_constant(
    firm: Firm,
) -> None:
    firm.connect()
    firm.enable()
    first = firm.sync()
    assert first.outcome == "ok" and firm.inbox() == []

    firm.user.append(mail(CLIENT, firm.user.name, "New question"))
    firm.user.append(mail(OTHER, firm.user.name, "Someone else"))
    firm.user.append(mail(firm.user.name, CLIENT, "Sent from the office"), folder="Sent")
    second = firm.sync()

    assert second.stored == 2 and second.bodies_fetched == 2
    assert subjects(firm.tab()) == ["New question", "Sent from the office"]

    before = items_without_mailbox()
    quiet = firm.sync()

    assert quiet.commands == QUIET_RUN
    assert quiet.bodies_fetched == 0 and quiet.stored == 0
    assert items_without_mailbox() == before
    state = firm.mailbox()
    assert state["status"] == "ok" and state["last_sync_at"] and state["last_error"] is None


def test_the_schedule_syncs_every_firm(firm: Firm, api: Api, dovecot: Any) -> None:
    firm.connect()
    firm.enable()
    other_user = dovecot.add_user()
    other = api.new_firm("owner@other.example", "Other firm")
    other_firm = Firm(api, other, other_user, other.account("Other"), "")
    contact = other.contact(CLIENT)
    other.link(other_firm.account_id, contact["contact_id"])
    other_firm.email_id = contact["emails"][0]["email_id"]
    assert other_firm.connect().status == 200
    other_firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "To the first firm"))
    other_user.append(mail(CLIENT, other_user.name, "To the other firm"))

    result = firm.scheduled()

    assert sorted(r["outcome"] for r in result["runs"]) == ["ok", "ok"]
    assert subjects(firm.inbox()) == ["To the first firm"]
    assert subjects(other_firm.inbox()) == ["To the other firm"]


def test_a_connection_dropped_mid_run_loses_nothing_and_duplicates_nothing(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append_many(
        [mail(CLIENT if n % 3 else OTHER, firm.user.name, f"Message {n:02d}") for n in range(15)]
    )
    small = Limits(envelope_batch=4, body_group_bytes=1)  # one body per FETCH

    cut = firm.sync(limits=small, connect=dropping_after(6))

    assert cut.outcome == "error" and cut.error_code == "connection_lost"
    assert 0 < cut.stored < 10
    state = firm.mailbox()
    assert state["status"] == "error" and state["last_error_code"] == "connection_lost"

    resumed = firm.sync(limits=small)

    assert resumed.outcome == "ok"
    assert resumed.bodies_fetched == 10 - cut.stored  # nothing fetched twice
    names = [i["subject"] for i in firm.inbox()]
    assert sorted(names) == [f"Message {n:02d}" for n in range(15) if n % 3]
    assert len(names) == len(set(names)) == 10
    assert firm.mailbox()["status"] == "ok"


def test_a_uidvalidity_change_resyncs_without_duplicates(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append_many([mail(CLIENT, firm.user.name, f"Before {n}") for n in range(4)])
    firm.sync()
    validity = firm.user.folder_status()[b"UIDVALIDITY"]

    firm.user.change_uidvalidity()
    firm.user.append(mail(CLIENT, firm.user.name, "After the change"))
    assert firm.user.folder_status()[b"UIDVALIDITY"] != validity
    resynced = firm.sync()

    assert resynced.outcome == "ok"
    assert resynced.stored == 1 and resynced.bodies_fetched == 1
    assert subjects(firm.inbox()) == ["After the change", *[f"Before {n}" for n in range(4)]]


def test_time_running_out_stops_at_a_checkpoint_and_the_next_run_goes_on(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append_many([mail(CLIENT, firm.user.name, f"M{n}") for n in range(6)])

    first = firm.engine(limits=Limits(envelope_batch=2)).sync_firm(firm.owner.firm_id, deadline=0)
    second = firm.sync()

    assert first.outcome == "deadline" and first.stored == 0
    assert second.stored == 6 and len(firm.inbox()) == 6


def test_a_run_never_overlaps_another_on_the_same_mailbox(firm: Firm) -> None:
    from crm.sync import mailbox_store

    firm.connect()
    assert mailbox_store.take_lease(firm.owner.firm_id, "other-run", 600)

    busy = firm.sync()

    assert busy.outcome == "busy" and busy.commands == {}


# --------------------------------------------------------------------- matching


def test_a_message_is_stored_once_and_shown_on_every_matching_account(firm: Firm) -> None:
    second = firm.owner.account("Smith Consulting", "business")
    firm.owner.link(second, firm.owner.section(firm.account_id)["contacts"][0]["contact_id"])
    email_id = firm.email_id
    third = firm.owner.account("Jones")
    jones = firm.owner.contact("jo@jones.example", first="Jo", last="Jones")
    firm.owner.link(third, jones["contact_id"])
    firm.connect()
    firm.enable()
    firm.enable(second, email_id)
    firm.enable(third, jones["emails"][0]["email_id"])
    firm.user.append(mail(CLIENT, firm.user.name, "Shared", cc="jo@jones.example"))

    firm.sync()

    (item,) = firm.inbox()
    assert {a["account_id"] for a in item["accounts"]} == {firm.account_id, second, third}
    for account in (firm.account_id, second, third):
        assert [i["message_id"] for i in firm.tab(account)] == [item["message_id"]]
    assert firm.owner.row(firm.account_id, email_id)["login"] is False  # LOGIN may be off


def test_turning_sync_on_for_a_second_account_shows_stored_mail_there_too(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Already here"))
    firm.sync()
    second = firm.owner.account("Smith Consulting", "business")
    firm.owner.link(second, firm.owner.section(firm.account_id)["contacts"][0]["contact_id"])

    firm.enable(second, firm.email_id)

    (item,) = firm.inbox()
    assert {a["account_id"] for a in item["accounts"]} == {firm.account_id, second}
    assert [i["subject"] for i in firm.tab(second)] == ["Already here"]


# ----------------------------------------------------------------------- threads


def test_threads_follow_message_id_in_reply_to_and_references(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    root, second, third = "<root@client.example>", "<two@firm.example>", "<three@client.example>"
    firm.user.append(mail(CLIENT, firm.user.name, "Question", message_id=root))
    firm.sync()
    # a reply that arrives before its parent, with only In-Reply-To (no References)
    firm.user.append(mail(CLIENT, firm.user.name, "Re: Question (3)", message_id=third,
                          in_reply_to=second))  # fmt: skip
    firm.user.append(
        mail(firm.user.name, CLIENT, "Re: Question (2)", message_id=second, in_reply_to=root,
             references=root),
        folder="Sent",
    )  # fmt: skip
    firm.user.append(mail(OTHER, firm.user.name, "Unrelated"))
    firm.user.append(mail(CLIENT, firm.user.name, "New topic"))
    firm.sync()

    threads = {i["subject"]: i["thread_id"] for i in firm.inbox()}
    assert threads["Question"] == threads["Re: Question (2)"] == threads["Re: Question (3)"]
    assert threads["New topic"] != threads["Question"]
    thread = firm.get("GetThread", path={"thread_id": threads["Question"]})["items"]
    assert [i["subject"] for i in thread] == ["Question", "Re: Question (3)", "Re: Question (2)"]
    by_subject = {i["subject"]: i["message_id"] for i in firm.inbox()}
    assert firm.message(by_subject["Re: Question (3)"])["thread_id"] == threads["Question"]


# ------------------------------------------------------------ charsets and MIME


def test_a_non_utf8_and_a_malformed_message_are_readable(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    latin = (
        f"From: =?iso-8859-1?q?J=F6rg?= <{CLIENT}>\r\nTo: {firm.user.name}\r\n"
        "Subject: Gr\xfc\xdfe aus K\xf6ln\r\nMessage-ID: <latin@client.example>\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n"
        "\r\nSch\xf6ne Gr\xfc\xdfe, Ihre Steuerunterlagen.\r\n"
    ).encode("latin-1")
    broken = (
        f"From: {CLIENT}\r\nTo: {firm.user.name}\r\nSubject: Broken\r\n"
        "Message-ID: <broken@client.example>\r\n"
        "Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\n"
        "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nStill readable \xe9\r\n"
        "--XYZ\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "PGI+Ym9sZDwvYj48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+!!!\r\n"
    ).encode("latin-1")  # the last part is never closed, its base64 is bad
    firm.user.append_many([latin, broken])

    report = firm.sync()

    assert report.outcome == "ok" and report.stored == 2
    by_subject = {i["subject"]: i["message_id"] for i in firm.inbox()}
    german = firm.message(by_subject["Grüße aus Köln"])
    assert german["text"].strip() == "Schöne Grüße, Ihre Steuerunterlagen."
    assert german["from"] == [{"name": "Jörg", "address": CLIENT}]
    bad = firm.message(by_subject["Broken"])
    assert "Still readable" in bad["text"]
    assert "<b>bold</b>" in bad["html"] and "script" not in bad["html"]
    assert bad["problems"]


# -------------------------------------------------------------------- attachments


def test_attachments_are_saved_once_with_safe_names_and_download_with_the_same_bytes(
    firm: Firm,
) -> None:
    firm.settings(auto_save_attachments=True)
    firm.connect()
    firm.enable()
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 400
    big = b"B" * 300_000
    firm.user.append(mail(CLIENT, firm.user.name, "Return", attachments=[
        ("../../etc/Tax return 2025.pdf", pdf), ("scan.pdf", big)]))  # fmt: skip
    firm.user.append(mail(CLIENT, firm.user.name, "Same file again", attachments=[
        ("copy.pdf", pdf)]))  # fmt: skip

    firm.sync(limits=Limits(attachment_max_bytes=200_000))

    documents = firm.get("AccountDocuments", path={"account_id": firm.account_id})["items"]
    assert [(d["name"], d["size"], d["source"]) for d in documents] == [
        ("Tax return 2025.pdf", len(pdf), "email_attachment")
    ]
    first = firm.message({i["subject"]: i["message_id"] for i in firm.inbox()}["Return"])
    saved, skipped = first["attachments"]
    assert saved["status"] == "saved" and saved["document_id"] == documents[0]["document_id"]
    assert skipped["status"] == "skipped" and "0 MB limit" in skipped["reason"]
    download = firm.owner.call(
        "sync_api", "DownloadDocument", path={"document_id": documents[0]["document_id"]}
    )
    assert download.status == 302
    link = urlsplit(download.headers["Location"])
    assert "attachment" in parse_qs(link.query)["response-content-disposition"][0]
    bucket, key = link.netloc.split(".", 1)[0], link.path.lstrip("/")
    assert boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read() == pdf


def test_without_auto_save_attachments_are_listed_but_not_saved(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Scan", attachments=[("a.pdf", b"%PDF")]))

    firm.sync()

    (item,) = firm.inbox()
    (attachment,) = firm.message(item["message_id"])["attachments"]
    assert attachment["status"] == "not_saved" and "off" in attachment["reason"]
    assert firm.get("AccountDocuments", path={"account_id": firm.account_id})["items"] == []


# ----------------------------------------------------------------------- replies


def test_a_reply_carries_in_reply_to_and_references_and_joins_the_thread(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Missing form", message_id="<q2@client.example>",
                          in_reply_to="<q1@firm.example>", references="<q1@firm.example>"))  # fmt: skip
    firm.sync()
    (original,) = firm.inbox()

    answer = firm.owner.call(
        "sync_api", "ReplyToMessage", path={"message_id": original["message_id"]},
        body={"text": "Here it is.\n\nLedger & Co", "html": "<p>Here it is.</p><script>x</script>"},
    )  # fmt: skip

    assert answer.status == 202, answer.body
    (sent,) = mail_to(CLIENT)
    assert sent["In-Reply-To"] == "<q2@client.example>"
    assert sent["References"] == "<q1@firm.example> <q2@client.example>"
    assert sent["Subject"] == "Re: Missing form"
    assert sent["Reply-To"] == firm.user.name
    assert "<script>" not in html_of(sent)
    thread = firm.get("GetThread", path={"thread_id": original["thread_id"]})["items"]
    assert [i["subject"] for i in thread] == ["Missing form", "Re: Missing form"]
    assert thread[1]["direction"] == "outbound"
    assert firm.tab()[0]["subject"] == "Re: Missing form"


def test_replying_needs_the_manage_accounts_right(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Hi"))
    firm.sync()
    (item,) = firm.inbox()
    reader = firm.owner.add_staff("reader@firm.example")

    answer = reader.call("sync_api", "ReplyToMessage", path={"message_id": item["message_id"]},
                         body={"text": "No"})  # fmt: skip

    assert answer.status == 403
    assert (
        reader.call("sync_api", "GetMessage", path={"message_id": item["message_id"]}).status == 200
    )
    assert mail_to(CLIENT) == []


# ------------------------------------------------------------------ staff notice


def test_staff_are_told_of_new_mail_from_synced_contacts(firm: Firm) -> None:
    firm.settings(notify_staff_on_synced_email=True)
    firm.user.append(mail(CLIENT, firm.user.name, "Old mail"))
    firm.connect()
    firm.enable()
    confirmation = len(mail_to("owner@firm.example"))  # the owner's link (set-up)
    firm.sync()  # the first pass imports: nobody is told of old mail
    assert len(mail_to("owner@firm.example")) == confirmation

    firm.user.append(mail(CLIENT, firm.user.name, "Urgent question"))
    firm.user.append(mail(firm.user.name, CLIENT, "Our own answer"), folder="Sent")
    firm.sync()

    (notice,) = mail_to("owner@firm.example")[confirmation:]
    assert "Urgent question" in notice["Subject"]
    assert CLIENT in text_of(notice)
    assert len(sent_mail()) == confirmation + 1


# ------------------------------------------------------------------------ health


def test_the_sync_health_shows_a_wrong_password_and_an_unreachable_server(
    firm: Firm, dovecot: Any
) -> None:
    firm.connect()
    dovecot.write_passwd(
        dovecot.passwd.read_text().replace(firm.user.password, "changed-by-the-provider")
    )

    refused = firm.sync()

    state = firm.mailbox()
    assert refused.outcome == "error" and state["status"] == "error"
    assert state["last_error_code"] == "auth_failed"
    assert "refused" in state["last_error"]

    boto3.client("dynamodb").update_item(
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FIRM#{firm.owner.firm_id}"}, "sk": {"S": "MAILBOX"}},
        UpdateExpression="SET imap_port = :p",
        ExpressionAttributeValues={":p": {"N": "1"}},
    )
    firm.sync()
    state = firm.mailbox()
    assert (
        state["last_error_code"] == "unreachable" and "could not be reached" in state["last_error"]
    )


# -------------------------------------------------------------------- tenants


def test_another_firms_messages_threads_and_documents_are_404(firm: Firm, api: Api) -> None:
    firm.settings(auto_save_attachments=True)
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Private", attachments=[("p.pdf", b"%PDF-1")]))
    firm.sync()
    (item,) = firm.inbox()
    (document,) = firm.get("AccountDocuments", path={"account_id": firm.account_id})["items"]
    intruder = api.new_firm("owner@intruder.example", "Intruder")

    probes = [
        ("GetMessage", {"message_id": item["message_id"]}),
        ("GetThread", {"thread_id": item["thread_id"]}),
        ("AccountMessages", {"account_id": firm.account_id}),
        ("AccountDocuments", {"account_id": firm.account_id}),
        ("DownloadDocument", {"document_id": document["document_id"]}),
    ]
    for route, path in probes:
        answer = intruder.call("sync_api", route, path=path)
        assert answer.status == 404, (route, answer.body)
    reply = intruder.call("sync_api", "ReplyToMessage", path={"message_id": item["message_id"]},
                          body={"text": "x"})  # fmt: skip
    assert reply.status == 404
    assert intruder.call("sync_api", "Inbox").body["items"] == []
    assert intruder.call("sync_api", "GetMailbox").body["status"] == "not_connected"


def test_inbox_pages_newest_first_with_a_cursor(firm: Firm) -> None:
    firm.connect()
    firm.enable()
    firm.user.append_many([mail(CLIENT, firm.user.name, f"N{n}") for n in range(5)])
    firm.sync()

    first = firm.get("Inbox", query={"limit": "2"})
    rest = firm.get("Inbox", query={"limit": "10", "cursor": first["next_cursor"]})

    dates = [i["date"] for i in first["items"] + rest["items"]]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert [i["subject"] for i in first["items"]] == ["N4", "N3"]
    assert len({i["message_id"] for i in first["items"] + rest["items"]}) == 5
