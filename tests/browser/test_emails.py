"""The notification emails as a client sees them: each of the 16 kinds, sent through the
local stack (an event on the bus, the fan-out, SES), its HTML shown in Chromium at 1280 and
375 px, checked with axe and for horizontal overflow, and its raw MIME scored by
SpamAssassin (offline: local tests only, `-L`). In English and in Dutch: a Dutch contact
(language `nl`) of the same English firm gets every kind in Dutch, with Dutch titles.

The threshold: SpamAssassin calls 5.0 spam. Offline it cannot run its network tests
(DNS and URI blocklists, DKIM, SPF), which on the real path mostly subtract (SES signs
with DKIM) but may add for an unlucky link host; so what our own headers and markup cost
must stay under one point. Every kind scores 0.0 today; a hidden preheader in a message
with a 998-character line once cost 1.0 (LONG_INVISIBLE_TEXT), which this catches.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from crm.core.categories import CATEGORY_OF
from crm.i18n import localizer
from crm.notifications.wording import message_of
from local import Stack
from local.testing import ApiSession, Mailbox
from tests.browser.data import Firm, new_firm, stable_key

ITEM = "https://portal.example.com/items/"
DUE = "2027-01-31"
INVOICE = {"number": "1001", "amount": "120", "currency": "EUR"}
# each kind with a realistic title and the optional fields such an event would carry
SAMPLES: dict[str, dict[str, str]] = {
    "DocumentUploaded": {"title": "Annual accounts 2025", "url": ITEM + "doc-1"},
    "SignatureRequested": {"title": "Engagement letter 2027", "due_date": DUE},
    "SignatureReminder": {"title": "Engagement letter 2027", "due_date": DUE},
    "ApprovalRequested": {"title": "Income tax return 2025", "url": ITEM + "ret-1"},
    "ApprovalReminder": {"title": "Income tax return 2025", "due_date": DUE},
    "ChatMessagePosted": {"title": "Question about your car expenses"},
    "ChatCommentPosted": {"title": "Mortgage interest statement"},
    "ClientTaskCreated": {"title": "Upload your December bank statements", "due_date": DUE},
    "ProposalSent": {"title": "Bookkeeping and payroll 2027", "url": ITEM + "prop-1"},
    "ProposalReminder": {"title": "Bookkeeping and payroll 2027", "due_date": DUE},
    "OrganizerSent": {"title": "Tax organizer 2025", "due_date": DUE},
    "OrganizerReminder": {"title": "Tax organizer 2025", "due_date": DUE},
    "InvoiceIssued": {"title": "Invoice #1001", "due_date": DUE, **INVOICE},
    "InvoiceReminder": {"title": "Invoice #1001", "due_date": DUE, **INVOICE},
    "PaymentConfirmed": {"title": "Payment for invoice #1001", **INVOICE},
    "RefundIssued": {"title": "Refund", "number": "998", "amount": "35.50", "currency": "EUR"},
}
# the same events as a Dutch firm titles them
DUTCH_TITLES = {
    "DocumentUploaded": "Jaarrekening 2025",
    "SignatureRequested": "Opdrachtbevestiging 2027",
    "SignatureReminder": "Opdrachtbevestiging 2027",
    "ApprovalRequested": "Aangifte inkomstenbelasting 2025",
    "ApprovalReminder": "Aangifte inkomstenbelasting 2025",
    "ChatMessagePosted": "Vraag over uw autokosten",
    "ChatCommentPosted": "Jaaroverzicht hypotheekrente",
    "ClientTaskCreated": "Upload uw bankafschriften van december",
    "ProposalSent": "Boekhouding en salarisadministratie 2027",
    "ProposalReminder": "Boekhouding en salarisadministratie 2027",
    "OrganizerSent": "Vragenlijst aangifte 2025",
    "OrganizerReminder": "Vragenlijst aangifte 2025",
    "InvoiceIssued": "Factuur 1001",
    "InvoiceReminder": "Factuur 1001",
    "PaymentConfirmed": "Betaling van factuur 1001",
    "RefundIssued": "Terugbetaling",
}
KINDS = sorted(SAMPLES)
LANGUAGES = ["en", "nl"]
# the recipient who reads each language without a banner, and the account they are on
READER = {"en": "active", "nl": "dutch"}
PENDING = {"en": "pending", "nl": "dutch-pending"}  # LOGIN on, not activated: the banner
ACCOUNT = {"en": "Smith family", "nl": "Familie Jansen"}
SPAM_THRESHOLD = 1.0
SPAM_STATUS = re.compile(r"score=(-?[0-9.]+) required=[0-9.]+ tests=(.*?)(?: autolearn|$)", re.S)


class Sent:
    """One client's emails, by kind, as GET /_local/mail answers them."""

    def __init__(self, firm: Firm, account_id: str, address: str) -> None:
        self.firm, self.account_id, self.address = firm, account_id, address
        self.by_kind: dict[str, dict[str, Any]] = {}


def slug(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", kind).lower()  # InvoiceIssued: invoice-issued


@pytest.fixture(scope="module")
def sent(stack: Stack) -> dict[str, Sent]:
    """A firm with two accounts. On `Smith family`, two recipients: `active` (NOTIFY on)
    and `pending` (NOTIFY and LOGIN on, not activated: the banner); on `Familie Jansen`,
    their Dutch counterparts `dutch` and `dutch-pending` (contacts of language `nl`). One
    event of each kind on the bus for each account, the Dutch ones with Dutch titles."""
    with ApiSession(stack.api_url) as api:
        key = stable_key("tests/browser/test_emails.py")
        firm = new_firm(api, key, name="Demo Accounting")
        people: dict[str, Sent] = {}
        accounts = {language: firm.account(ACCOUNT[language]) for language in LANGUAGES}
        for language in LANGUAGES:
            for role in (READER[language], PENDING[language]):
                address = f"{role}-{key}@client.example"
                contact = firm.contact("Ann" if role in READER.values() else "Bob", "Smit", address)
                if language != "en":
                    path = f"/v1/contacts/{contact['contact_id']}"
                    firm.call("PATCH", path, 200, json={"language": language})
                firm.link(accounts[language], contact["contact_id"])
                email_id = contact["emails"][0]["email_id"]
                login = role == PENDING[language]
                firm.toggle(accounts[language], email_id, notify=True, login=login)
                people[role] = Sent(firm, accounts[language], address)
        mailbox = Mailbox(api)
        for kind, fields in SAMPLES.items():
            for language in LANGUAGES:
                readers = {r: people[r] for r in (READER[language], PENDING[language])}
                before = {role: len(mailbox.to(p.address)) for role, p in readers.items()}
                title = DUTCH_TITLES[kind] if language == "nl" else fields["title"]
                detail = {
                    "firm_id": firm.firm_id,
                    "account_id": accounts[language],
                    "event_id": f"evt-{uuid.uuid4().hex}",
                    **fields,
                    "title": title,
                }
                body = {"detail_type": kind, "detail": detail, "source": "platform.test"}
                answer = api.post("/_local/events", json=body)
                assert answer.status_code == 200, answer.text
                for role, person in readers.items():
                    (message,) = mailbox.to(person.address)[before[role] :]
                    person.by_kind[kind] = message
        return people


def test_every_kind_reached_every_recipient_once(sent: dict[str, Sent]) -> None:
    assert sorted(CATEGORY_OF) == KINDS
    for person in sent.values():
        assert sorted(person.by_kind) == KINDS, person.address


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_email_says_its_language(sent: dict[str, Sent], language: str) -> None:
    for role in (READER[language], PENDING[language]):
        for kind, message in sent[role].by_kind.items():
            assert f"Content-Language: {language}" in message["raw"], (role, kind)
            assert f'<html lang="{language}">' in message["html"], (role, kind)


def overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_email_renders_at_375_and_1280_without_overflow(
    sent: dict[str, Sent], kind: str, language: str, new_page: Callable[..., Page], shots: Any
) -> None:
    reader = sent[READER[language]]
    message = reader.by_kind[kind]
    page = new_page(locale="nl-NL" if language == "nl" else "en-GB")
    page.set_content(message["html"])

    # axe at both widths: lang, title, contrast, names
    shots(page, f"email-{slug(kind)}" if language == "en" else f"email-{language}-{slug(kind)}")

    page.set_viewport_size({"width": 375, "height": 812})
    assert overflow(page) <= 375, f"{kind} is {overflow(page)} px wide at 375 px"
    assert page.title() == message["subject"]
    label = localizer(language)(f"{message_of(kind)}.button")
    button = page.get_by_role("link", name=label, exact=True)
    # the stack is its own portal (PortalUrl): without a url, the button opens /portal
    expected = SAMPLES[kind].get("url") or f"{reader.firm.api.base_url}/portal"
    assert button.get_attribute("href") == expected
    assert page.get_by_text(f"Account: {ACCOUNT[language]}").is_visible()


def test_the_activation_banner_fits_at_375(
    sent: dict[str, Sent], new_page: Callable[[], Page], shots: Any
) -> None:
    message = sent["pending"].by_kind["DocumentUploaded"]
    page = new_page()
    page.set_content(message["html"])

    shots(page, "email-document-uploaded-activation")

    page.set_viewport_size({"width": 375, "height": 812})
    assert overflow(page) <= 375
    banner = page.get_by_text("Your client portal account is not activated yet.")
    assert banner.is_visible()
    assert "/v1/activation-request?token=" in str(
        page.get_by_role("link", name="Activate it").get_attribute("href")
    )


def test_the_dutch_activation_banner_fits_at_375(
    sent: dict[str, Sent], new_page: Callable[..., Page], shots: Any
) -> None:
    message = sent["dutch-pending"].by_kind["InvoiceReminder"]
    page = new_page(locale="nl-NL")
    page.set_content(message["html"])

    shots(page, "email-nl-invoice-reminder-activation")

    page.set_viewport_size({"width": 375, "height": 812})
    assert overflow(page) <= 375
    assert page.get_by_text(
        "Uw account voor het klantportaal is nog niet geactiveerd."
    ).is_visible()
    assert "/v1/activation-request?token=" in str(
        page.get_by_role("link", name="Activeer uw account").get_attribute("href")
    )
    assert page.locator("p", has_text="factuur 1001 van € 120,00 staat nog open").is_visible()


def spam_report(raw: str, home: Path) -> tuple[float, str]:
    """SpamAssassin's score and rules for one message: local tests only (-L: no DNS, no
    network), no user configuration written (-x), a home of its own."""
    done = subprocess.run(
        ["/usr/bin/spamassassin", "-L", "-x", "-t"],
        input=raw.encode(),
        capture_output=True,
        timeout=120,
        check=True,
        env={**os.environ, "HOME": str(home)},
    )
    output = done.stdout.decode(errors="replace")
    header = re.search(r"^X-Spam-Status: .*?(?=^\S)", output, re.M | re.S)
    assert header, output[:2000]
    found = SPAM_STATUS.search(" ".join(header[0].split()))
    assert found, header[0]
    return float(found[1]), found[2]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_email_scores_low_in_spamassassin(
    sent: dict[str, Sent], kind: str, language: str, tmp_path: Path
) -> None:
    message = sent[READER[language]].by_kind[kind]

    score, rules = spam_report(message["raw"], tmp_path)

    assert score < SPAM_THRESHOLD, f"{kind}: {score} points, rules hit: {rules}"
