"""The demo firm ``make run`` seeds, so that every page has something to show.

Everything goes through the public API and the stack's own ``/_local`` routes, as a
person and the firm's other services would: the owner signs up and confirms the address
with the emailed link; accounts, contacts and links; a client who accepts the emailed
invitation and can sign in to the portal on two accounts; the firm's mailbox on the
stack's own Dovecot (local/imap_server.py), holding a few conversations with attachments,
synced; a few events on the bus, delivered as notifications. The audit trail follows.

One log line per step; a step that fails says why and the next ones go on.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import requests

from local.imap_server import DovecotMissing, ImapServer

log = logging.getLogger("local.demo")

FIRM_NAME = "Demo Accounting"
DEMO_EMAIL = "owner@demo-firm.example"
DEMO_PASSWORD = "demo-password-123"
CLIENT_EMAIL = "jane.smith@demo-client.example"
CLIENT_PASSWORD = "demo-client-password"  # the pools' policy: 12 characters at least
MAILBOX_USER = "office@demo-firm.example"
MAILBOX_PASSWORD = "demo-mailbox-password"  # of the stack's own Dovecot, on loopback only

SYNC_WAIT_SECONDS = 60.0
ACTIVATE = re.compile(r"/activate\?token=([A-Za-z0-9._-]+)")
VERIFY = re.compile(r"/verify\?token=([A-Za-z0-9._-]+)")

SETTINGS = {
    "auto_save_attachments": True,
    "contact_email": "hello@demo-firm.example",
    "contact_phone": "+31 20 555 0142",
    "address": "Keizersgracht 123\n1015 CJ Amsterdam",
    "website": "https://demo-firm.example",
}
CONTACT_DETAILS = ("contact_email", "contact_phone", "address", "website")

# a person: (first name, last name, address); an account: name: (type, people)
JANE = ("Jane", "Smith", CLIENT_EMAIL)
JOHN = ("John", "Smith", "john.smith@demo-client.example")
NANCY = ("Nancy", "Davolio", "nancy@northwind.example")
ACCOUNTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "Smith Family": ("family", [JANE, JOHN]),
    "Smith Design Studio": ("business", [JANE]),
    "Northwind Traders": ("business", [NANCY]),
}
CLIENT_ACCOUNTS = ("Smith Family", "Smith Design Studio")  # where Jane signs in
STAFF = ("alex@demo-firm.example", "employee")


@dataclass
class SignIn:
    email: str
    password: str
    where: str


@dataclass
class Demo:
    """What was seeded, for the start-up message and ``GET /_local/stack``."""

    firm_id: str
    staff: SignIn
    client: SignIn | None = None
    mailbox: bool = False

    def describe(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"firm_name": FIRM_NAME, "staff": vars(self.staff)}
        answer["client"] = vars(self.client) if self.client else None
        answer["mailbox_synced"] = self.mailbox
        return answer


class StepFailed(Exception):
    """A seeding step could not finish: the reason is logged, the next step goes on."""


@dataclass
class _State:
    firm_id: str = ""
    accounts: dict[str, str] = field(default_factory=dict)  # name: account_id
    emails: dict[str, str] = field(default_factory=dict)  # address: email_id


class _Api:
    """A small client for seeding: an answer of 300 or more raises StepFailed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        response = self.session.request(
            method, self.base_url + path, json=body, headers=headers, timeout=60
        )
        if response.status_code >= 300:
            raise StepFailed(
                f"{method} {path} answered {response.status_code} {response.text[:200]}"
            )
        return response.json() if response.content else {}

    def mail(self) -> list[dict[str, Any]]:
        """GET /_local/mail: every email sent so far (it waits for pending work first)."""
        items: list[dict[str, Any]] = self.call("GET", "/_local/mail")["items"]
        return items

    def token_mailed_to(self, address: str, link: re.Pattern[str]) -> str:
        tokens = [
            found
            for message in self.mail()
            if address in [a.lower() for a in message.get("to", [])]
            for found in link.findall(message.get("text") or "")
        ]
        if not tokens:
            raise StepFailed(f"no email with the link to {address}")
        return str(tokens[-1])


def start_mailbox() -> ImapServer | None:
    """The demo firm's mailbox: Dovecot on a free loopback port (None if it cannot run)."""
    server = ImapServer()
    try:
        server.add_login(MAILBOX_USER, MAILBOX_PASSWORD)
        server.start()
    except DovecotMissing:
        log.warning(
            "demo: no mailbox: Dovecot is not installed (`make system-deps` installs "
            "dovecot-imapd); the demo has no synced emails"
        )
        server.stop()
        return None
    except (OSError, RuntimeError) as failure:
        log.warning("demo: no mailbox: Dovecot did not start (%s)", failure)
        server.stop()
        return None
    log.info("demo: mailbox %s on imap://127.0.0.1:%d", MAILBOX_USER, server.port)
    return server


def seed_demo(api_url: str, mailbox: ImapServer | None = None) -> Demo | None:
    """Seed the demo firm; None when not even its owner could sign in."""
    started = time.monotonic()
    api, state = _Api(api_url), _State()
    if not _step("firm, owner verified and signed in", lambda: _firm(api, state)):
        return None
    demo = Demo(state.firm_id, SignIn(DEMO_EMAIL, DEMO_PASSWORD, f"{api_url}/app"))
    _step("firm settings", lambda: _settings(api))
    _step("staff invited", lambda: _staff(api))
    _step("accounts and contacts", lambda: _accounts(api, state))
    if _step("client portal sign-in", lambda: _client(api, state)):
        demo.client = SignIn(CLIENT_EMAIL, CLIENT_PASSWORD, f"{api_url}/portal")
    if mailbox is not None:
        demo.mailbox = _step("mailbox synced", lambda: _mailbox(api, state, mailbox))
        _step("reply from the product", lambda: _reply(api))
    _step("notifications", lambda: _notifications(api, state))
    log.info("demo: seeded in %.1f s", time.monotonic() - started)
    return demo


def _step(name: str, action: Callable[[], str]) -> bool:
    """Run one step and log it in a line: what it made, or why it failed (an API answer
    refused, the stack unreachable, an answer not of the expected shape)."""
    started = time.monotonic()
    try:
        outcome = action()
    except (StepFailed, requests.RequestException, KeyError, TypeError, ValueError) as failure:
        log.warning("demo: %s: failed, going on (%s)", name, failure)
        return False
    log.info("demo: %s: %s (%.1f s)", name, outcome, time.monotonic() - started)
    return True


def _firm(api: _Api, state: _State) -> str:
    created = api.call(
        "POST",
        "/v1/firms",
        {"firm_name": FIRM_NAME, "owner_email": DEMO_EMAIL, "owner_password": DEMO_PASSWORD},
    )
    state.firm_id = created["firm_id"]
    api.call("POST", "/v1/firms/verify", {"token": api.token_mailed_to(DEMO_EMAIL, VERIFY)})
    login = api.call("POST", "/v1/staff/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    api.session.headers["Authorization"] = f"Bearer {login['token']}"
    return DEMO_EMAIL


def _settings(api: _Api) -> str:
    try:
        api.call("PATCH", "/v1/firm/settings", SETTINGS)
    except StepFailed as refused:  # a stack without the contact details
        log.info("demo: firm settings: without contact details (%s)", refused)
        api.call(
            "PATCH",
            "/v1/firm/settings",
            {k: v for k, v in SETTINGS.items() if k not in CONTACT_DETAILS},
        )
        return "attachments saved from email"
    return "contact details, attachments saved from email"


def _staff(api: _Api) -> str:
    email, role = STAFF
    api.call("POST", "/v1/staff", {"email": email, "role": role, "manage_accounts": True})
    return f"{email} ({role}, invited)"


def _accounts(api: _Api, state: _State) -> str:
    contacts: dict[str, str] = {}  # address: contact_id
    for name, (kind, people) in ACCOUNTS.items():
        account = api.call("POST", "/v1/accounts", {"name": name, "type": kind})
        state.accounts[name] = account["account_id"]
        for first, last, address in people:
            if address not in contacts:
                contact = api.call(
                    "POST",
                    "/v1/contacts",
                    {"first_name": first, "last_name": last, "emails": [{"address": address}]},
                )
                contacts[address] = contact["contact_id"]
                state.emails[address] = contact["emails"][0]["email_id"]
            api.call(
                "POST",
                f"/v1/accounts/{account['account_id']}/contacts",
                {"contact_id": contacts[address]},
            )
    return f"{len(state.accounts)} accounts, {len(contacts)} contacts"


def _row(state: _State, account: str, address: str) -> str:
    return f"/v1/accounts/{state.accounts[account]}/emails/{state.emails[address]}"


def _client(api: _Api, state: _State) -> str:
    """Jane: LOGIN on two accounts, the invitation accepted with the demo password. Nancy:
    invited, not yet accepted (the Contacts section shows both states)."""
    first, *others = CLIENT_ACCOUNTS
    for account in others:
        api.call("PATCH", _row(state, account, CLIENT_EMAIL), {"login": True, "notify": True})
    api.call(
        "PATCH",
        _row(state, first, CLIENT_EMAIL),
        {"login": True, "notify": True, "send_invitation": True},
    )
    token = api.token_mailed_to(CLIENT_EMAIL, ACTIVATE)
    api.call("POST", f"/v1/invitations/{token}/accept", {"password": CLIENT_PASSWORD})
    signed_in = api.call(
        "POST", "/v1/portal/login", {"email": CLIENT_EMAIL, "password": CLIENT_PASSWORD}
    )
    missing = set(CLIENT_ACCOUNTS) - {a["name"] for a in signed_in["accounts"]}
    for account in sorted(missing):  # an existing user gains an account with a new link
        api.call("POST", f"{_row(state, account, CLIENT_EMAIL)}/invitation")
        token = api.token_mailed_to(CLIENT_EMAIL, ACTIVATE)
        api.call("POST", f"/v1/invitations/{token}/accept", {"password": CLIENT_PASSWORD})
    api.call(
        "PATCH",
        _row(state, "Northwind Traders", NANCY[2]),
        {"login": True, "notify": True, "send_invitation": True},
    )
    return f"{CLIENT_EMAIL} on {len(CLIENT_ACCOUNTS)} accounts; {NANCY[2]} invited"


def _mailbox(api: _Api, state: _State, mailbox: ImapServer) -> str:
    inbox, sent = conversations(datetime.now(UTC))
    mailbox.write_maildir(MAILBOX_USER, inbox)
    mailbox.write_maildir(MAILBOX_USER, sent, folder="Sent")
    api.call(
        "PUT",
        "/v1/firm/mailbox",
        {
            "imap_host": "127.0.0.1",
            "imap_port": mailbox.port,
            "username": MAILBOX_USER,
            "password": MAILBOX_PASSWORD,
            "security": "none",
        },
    )
    rows = [(a, CLIENT_EMAIL) for a in CLIENT_ACCOUNTS]
    rows += [("Smith Family", JOHN[2]), ("Northwind Traders", NANCY[2])]
    for account, address in rows:
        api.call("PATCH", _row(state, account, address), {"email_sync": True})
    health = _history_done(api)
    api.call("POST", "/_local/schedules/sync")
    stored = sum(job["stored"] for job in health["history"])
    return f"{len(inbox)} + {len(sent)} emails in INBOX + Sent, {stored} stored for the accounts"


def _history_done(api: _Api) -> dict[str, Any]:
    """Wait until every history job is done (the bus hands them to the sync at once)."""
    deadline = time.monotonic() + SYNC_WAIT_SECONDS
    while True:
        health = api.call("GET", "/v1/firm/mailbox")
        jobs = health.get("history", [])
        if jobs and all(job["status"] == "done" for job in jobs):
            return dict(health)
        failed = [job["last_error"] for job in jobs if job.get("last_error")]
        if failed or time.monotonic() > deadline:
            raise StepFailed(f"the history sync did not finish: {failed or jobs}")
        api.call("POST", "/_local/schedules/sync")  # resumes a job that ran out of time


def _reply(api: _Api) -> str:
    """The firm answers Nancy's payroll figures from the product: the reply joins the
    thread (and leaves through the stack's SES, to GET /_local/mail)."""
    subject = payroll_title(datetime.now(UTC))
    inbox = api.call("GET", "/v1/inbox")["items"]
    question = next((m for m in inbox if m["subject"] == subject), None)
    if question is None:
        raise StepFailed(f"no synced message {subject!r}")
    api.call(
        "POST",
        f"/v1/messages/{question['message_id']}/reply",
        {"text": "Thanks Nancy, the payroll is processed. The payslips follow this week."},
    )
    return f"Re: {subject}"


def _notifications(api: _Api, state: _State) -> str:
    due = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    invoice = {"due_date": due, "currency": "EUR"}  # the facts the email's sentence uses
    events = [
        ("InvoiceIssued", "Smith Family", "demo-invoice-1001", "Invoice #1001",
         {**invoice, "number": "1001", "amount": "1250.00"}),
        ("DocumentUploaded", "Smith Family", "demo-document-1", "2025 tax return (draft)", {}),
        ("SignatureRequested", "Smith Design Studio", "demo-signature-1",
         "Engagement letter 2026", {}),
        ("InvoiceIssued", "Northwind Traders", "demo-invoice-1002", "Invoice #1002",
         {**invoice, "number": "1002", "amount": "840.00"}),
    ]  # fmt: skip
    for detail_type, account, event_id, title, facts in events:
        detail = {
            "firm_id": state.firm_id,
            "account_id": state.accounts[account],
            "event_id": event_id,
            "title": title,
            **facts,
        }
        put = api.call("POST", "/_local/events", {"detail_type": detail_type, "detail": detail})
        if put.get("failed_entry_count"):
            raise StepFailed(f"the bus refused {detail_type}: {put['entries']}")
    api.mail()  # waits until the notify function has handled them
    log_entries = [
        entry
        for account_id in state.accounts.values()
        for entry in api.call("GET", f"/v1/accounts/{account_id}/notifications")["items"]
    ]
    sent = sum(1 for entry in log_entries if entry["status"] == "sent")
    return f"{len(events)} events, {sent} emails sent"


# ------------------------------------------------------------------------- the mailbox

FIRM = f"{FIRM_NAME} <{MAILBOX_USER}>"


def payroll_title(now: datetime) -> str:
    """The subject of Nancy's payroll email (the reply seeded from the product answers it)."""
    month = (now - timedelta(days=3)).replace(day=1) - timedelta(days=1)
    return f"Northwind payroll figures, {month:%B}"


def conversations(now: datetime) -> tuple[list[bytes], list[bytes]]:
    """The demo mailbox: (INBOX, Sent), a few weeks of a small firm's correspondence."""
    jane, john, nancy = (f"{p[0]} {p[1]} <{p[2]}>" for p in (JANE, JOHN, NANCY))

    def at(days: float) -> datetime:
        return now - timedelta(days=days)

    def month_before(moment: datetime) -> str:
        return (moment.replace(day=1) - timedelta(days=1)).strftime("%B")

    statement_month, payroll_month = month_before(at(20)), month_before(at(3))
    payroll_subject = payroll_title(now)

    statement = _message(
        "statement", jane, FIRM, f"Bank statement for {statement_month}", at(20),
        f"Hi,\n\nAttached is our bank statement for {statement_month}, as promised.\n\n"
        "Best,\nJane",
        [(f"Bank statement {statement_month}.pdf",
          _pdf(f"Bank statement - {statement_month}", STATEMENT))],
    )  # fmt: skip
    statement_reply = _message(
        "statement-reply", FIRM, jane, f"Re: Bank statement for {statement_month}", at(19.8),
        "Dear Jane,\n\nThank you, received. We will reconcile it this week and come back "
        "to you if anything is unclear.\n\nKind regards,\nDemo Accounting",
        replies_to=("statement",), html=True,
    )  # fmt: skip
    question = _message(
        "deduction", john, FIRM, "Question about the home office deduction", at(12),
        "Hello,\n\nI started working from home three days a week in January. Can we "
        "deduct part of the rent?\n\nThanks,\nJohn",
    )  # fmt: skip
    answer = _message(
        "deduction-reply", FIRM, john, "Re: Question about the home office deduction",
        at(11), "Dear John,\n\nYes, a share of the costs can be deducted if the room is "
        "used only for work. Could you send us the floor plan and the rent receipts?\n\n"
        "Kind regards,\nDemo Accounting", replies_to=("deduction",), html=True,
    )  # fmt: skip
    follow_up = _message(
        "deduction-follow-up", john, FIRM, "Re: Question about the home office deduction",
        at(10), "Thanks, I will send the receipts this weekend.\n\nJohn",
        replies_to=("deduction", "deduction-reply"),
    )  # fmt: skip
    receipts = _message(
        "receipts", jane, FIRM, "Receipts for the studio, Q1", at(5),
        "Hi,\n\nHere are the studio's receipts for the first quarter, and the invoice "
        "for the new printer.\n\nJane",
        [("Receipts Q1.csv", RECEIPTS.encode()),
         ("Invoice 2026-014.pdf", _pdf("Invoice 2026-014", PRINTER_INVOICE))],
    )  # fmt: skip
    payroll = _message(
        "payroll", nancy, FIRM, payroll_subject, at(3),
        f"Hello,\n\nPlease find the payroll figures for {payroll_month} attached.\n\nNancy",
        [(f"Payroll {payroll_month}.csv", PAYROLL.encode())],
    )  # fmt: skip
    vat = _message(
        "vat", FIRM, nancy, "Your VAT return is ready to sign", at(2),
        "Dear Nancy,\n\nThe VAT return for the first quarter is ready. You will find it "
        "in your portal, ready to sign.\n\nKind regards,\nDemo Accounting", html=True,
    )  # fmt: skip
    newsletter = _message(
        "newsletter", "Bank News <news@bank.example>", FIRM, "Our new savings rates", at(1),
        "Not from a client: the sync leaves it out.",
    )  # fmt: skip
    return [statement, question, follow_up, receipts, payroll, newsletter], [
        statement_reply,
        answer,
        vat,
    ]


def _message(
    key: str,
    sender: str,
    to: str,
    subject: str,
    when: datetime,
    text: str,
    attachments: list[tuple[str, bytes]] | None = None,
    *,
    replies_to: tuple[str, ...] = (),
    html: bool = False,
) -> bytes:
    """One email; ``replies_to``: the keys of the thread's messages so far, oldest first."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<demo-{key}@demo-firm.example>"
    if replies_to:
        ids = [f"<demo-{earlier}@demo-firm.example>" for earlier in replies_to]
        message["In-Reply-To"], message["References"] = ids[-1], " ".join(ids)
    message.set_content(text)
    if html:
        paragraphs = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    for name, content in attachments or []:
        kind = ("application", "pdf") if name.endswith(".pdf") else ("text", "csv")
        if kind[0] == "text":
            message.add_attachment(content.decode(), subtype="csv", filename=name)
        else:
            message.add_attachment(content, maintype=kind[0], subtype=kind[1], filename=name)
    return message.as_bytes()


STATEMENT = [
    "Demo Bank - account NL00 DEMO 0123 4567 89 - J. and J. Smith",
    "Date        Description                      Amount",
    "03-01       Opening balance                  2,450.00",
    "03-04       Salary, Smith Design Studio      3,200.00",
    "03-06       Rent, March                     -1,350.00",
    "03-15       Insurance                         -112.40",
    "03-28       Groceries                          -86.15",
    "03-31       Closing balance                  4,101.45",
]
PRINTER_INVOICE = [
    "Office Supplies Ltd - invoice 2026-014",
    "To: Smith Design Studio",
    "1 x large-format printer              1,180.00",
    "VAT 21%                                 247.80",
    "Total                                 1,427.80",
]
RECEIPTS = (
    "date,supplier,description,amount\n"
    "2026-01-09,Paper & Co,sketch paper,42.50\n"
    "2026-02-14,Office Supplies Ltd,printer,1427.80\n"
    "2026-03-02,Train,client visit Utrecht,23.60\n"
)
PAYROLL = (
    "employee,gross,tax,net\n"
    "A. Fuller,4100.00,1230.00,2870.00\n"
    "J. Leverling,3650.00,1020.00,2630.00\n"
    "M. Peacock,3400.00,935.00,2465.00\n"
)


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF of a title and lines of text (Helvetica), generated, valid."""

    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = [f"/F1 16 Tf ({text(title)}) Tj /F1 10 Tf T* T*"]
    shown += [f"({text(line)}) Tj T*" for line in lines]
    stream = f"BT 56 780 Td 16 TL {' '.join(shown)} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
