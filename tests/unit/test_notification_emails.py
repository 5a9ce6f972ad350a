"""The notification emails: a sentence per kind, the firm in the subject, a button to the
item or the portal, the account, the due date, List-Id on bulk kinds only, and every value
escaped. Composition is checked directly; the fan-out's part (required kinds, the sending
domain, the portal) through the notify function on moto."""

from __future__ import annotations

import re
from typing import Any

import pytest

from crm.core.categories import CATEGORIES, CATEGORY_OF
from crm.i18n import Localizer, localizer, message_ids
from crm.integrations.mailer import Mailer
from crm.notifications import wording
from crm.notifications.mail import Links, firm_copy, list_id, notification_mail
from crm.notifications.models import Notification
from crm.settings import get_settings
from tests.support import Context
from tests.unit.conftest import Api, Staff, html_of, mail_to, text_of

FIRM = "Demo Accounting"
ACCOUNT = "Smith family"
PORTAL = "https://portal.test/portal"
UNSUBSCRIBE = "https://api.test/v1/unsubscribe?token=abc"
ITEM_URL = "https://portal.example.com/items/7"
BULK = sorted(t for t in CATEGORY_OF if t != "PaymentConfirmed")
EN = localizer("en")

# kind: (the subject, the sentence) for an event with only a title
PLAIN = {
    "DocumentUploaded": (
        "New document from Demo Accounting: Tax return 2025",
        "Demo Accounting shared a new document with you: Tax return 2025.",
    ),
    "SignatureRequested": (
        "Signature requested by Demo Accounting: Tax return 2025",
        "Demo Accounting asks you to sign Tax return 2025.",
    ),
    "SignatureReminder": (
        "Reminder from Demo Accounting: please sign Tax return 2025",
        "A reminder from Demo Accounting: Tax return 2025 is still waiting for your signature.",
    ),
    "ApprovalRequested": (
        "Approval requested by Demo Accounting: Tax return 2025",
        "Demo Accounting asks you to approve Tax return 2025.",
    ),
    "ApprovalReminder": (
        "Reminder from Demo Accounting: please approve Tax return 2025",
        "A reminder from Demo Accounting: Tax return 2025 is still waiting for your approval.",
    ),
    "ChatMessagePosted": (
        "New message from Demo Accounting: Tax return 2025",
        "Demo Accounting sent you a message: Tax return 2025.",
    ),
    "ChatCommentPosted": (
        "New comment from Demo Accounting: Tax return 2025",
        "Demo Accounting left a comment for you: Tax return 2025.",
    ),
    "ClientTaskCreated": (
        "New task from Demo Accounting: Tax return 2025",
        "Demo Accounting has a task for you: Tax return 2025.",
    ),
    "ProposalSent": (
        "Proposal from Demo Accounting: Tax return 2025",
        "Demo Accounting sent you a proposal: Tax return 2025.",
    ),
    "ProposalReminder": (
        "Reminder from Demo Accounting: proposal Tax return 2025",
        "A reminder from Demo Accounting: the proposal Tax return 2025 is still waiting "
        "for your answer.",
    ),
    "OrganizerSent": (
        "Organizer from Demo Accounting: Tax return 2025",
        "Demo Accounting sent you an organizer to fill in: Tax return 2025.",
    ),
    "OrganizerReminder": (
        "Reminder from Demo Accounting: organizer Tax return 2025",
        "A reminder from Demo Accounting: the organizer Tax return 2025 is still waiting "
        "for your answers.",
    ),
    "InvoiceIssued": (
        "New invoice from Demo Accounting: Tax return 2025",
        "Demo Accounting issued invoice “Tax return 2025”.",
    ),
    "InvoiceReminder": (
        "Reminder from Demo Accounting: Tax return 2025",
        "A reminder from Demo Accounting: invoice “Tax return 2025” is still open.",
    ),
    "PaymentConfirmed": (
        "Payment received by Demo Accounting: Tax return 2025",
        "Demo Accounting received your payment: Tax return 2025. Thank you.",
    ),
    "RefundIssued": (
        "Refund from Demo Accounting: Tax return 2025",
        "Demo Accounting issued you a refund: Tax return 2025.",
    ),
}


def notification(detail_type: str, **fields: Any) -> Notification:
    detail = {
        "firm_id": "frm_3f9c",
        "account_id": "acc_1",
        "event_id": "evt-1",
        "title": "Tax return 2025",
        **fields,
    }
    return Notification.of(detail_type, detail)


def compose(
    detail_type: str,
    *,
    firm: str = FIRM,
    activate: str | None = None,
    words: Localizer = EN,
    **fields: Any,
) -> Any:
    event = notification(detail_type, **fields)
    unsubscribe = None if event.is_required else UNSUBSCRIBE
    links = Links(portal=PORTAL, unsubscribe=unsubscribe, activate=activate)
    return notification_mail(
        event, firm, ACCOUNT, "ann@client.example", links, "mail.example", words=words
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def visible(html: str) -> str:
    """The HTML's text, tags dropped and entities left as they are."""
    return one_line(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_catalog_has_every_kind_and_nothing_else(language: str) -> None:
    ids = message_ids(language)
    kinds = {i.split(".")[0] for i in ids if i.startswith("notification-")}

    assert sorted(CATEGORY_OF) == sorted(PLAIN)
    assert kinds == {wording.message_of(t) for t in CATEGORY_OF} | {
        "notification-email",
        "notification-category",
    }
    for detail_type in CATEGORY_OF:
        parts = {"subject", "heading", "lead", "action", "button"}
        assert {f"{wording.message_of(detail_type)}.{part}" for part in parts} <= ids
    assert {f"notification-category.{c}" for c in CATEGORIES} <= ids


def test_a_kind_is_named_in_the_catalog_by_its_words() -> None:
    assert wording.message_of("InvoiceIssued") == "notification-invoice-issued"
    assert wording.message_of("ChatMessagePosted") == "notification-chat-message-posted"


@pytest.mark.parametrize("detail_type", sorted(PLAIN))
def test_each_kind_says_what_happened_with_the_firm_in_the_subject(detail_type: str) -> None:
    subject, sentence = PLAIN[detail_type]

    mail = compose(detail_type)

    assert mail.subject == subject
    assert FIRM in mail.subject
    assert sentence in mail.text
    assert sentence.replace("Tax return 2025", "<strong>Tax return 2025</strong>") in mail.html
    assert EN(f"{wording.message_of(detail_type)}.action") in mail.text
    assert mail.sender_name == FIRM


@pytest.mark.parametrize("detail_type", sorted(PLAIN))
def test_the_button_goes_to_the_item_else_to_the_portal(detail_type: str) -> None:
    button = EN(f"{wording.message_of(detail_type)}.button")

    with_url = compose(detail_type, url=ITEM_URL)
    without = compose(detail_type)

    assert f'<a href="{ITEM_URL}"' in with_url.html and f"{button}: {ITEM_URL}" in with_url.text
    assert f">{button}</a>" in with_url.html
    assert f'<a href="{PORTAL}"' in without.html and f"{button}: {PORTAL}" in without.text
    assert ITEM_URL not in without.html


@pytest.mark.parametrize("detail_type", sorted(PLAIN))
def test_the_account_is_named_in_both_parts(detail_type: str) -> None:
    mail = compose(detail_type)

    assert f"Account: {ACCOUNT}" in mail.text
    assert f"Account: {ACCOUNT}" in mail.html


@pytest.mark.parametrize(
    ("detail_type", "sentence"),
    [
        (
            "SignatureReminder",
            "A reminder from Demo Accounting: Tax return 2025 is still waiting for your "
            "signature (due 31 January 2027).",
        ),
        (
            "ApprovalReminder",
            "A reminder from Demo Accounting: Tax return 2025 is still waiting for your "
            "approval (due 31 January 2027).",
        ),
        (
            "ProposalReminder",
            "A reminder from Demo Accounting: the proposal Tax return 2025 is still waiting "
            "for your answer (open until 31 January 2027).",
        ),
        (
            "OrganizerReminder",
            "A reminder from Demo Accounting: the organizer Tax return 2025 is still waiting "
            "for your answers (due 31 January 2027).",
        ),
        (
            "InvoiceReminder",
            "A reminder from Demo Accounting: invoice “Tax return 2025” is still open "
            "(due 31 January 2027).",
        ),
        (
            "ClientTaskCreated",
            "Demo Accounting has a task for you: Tax return 2025, due 31 January 2027.",
        ),
    ],
)
def test_reminders_and_tasks_carry_their_due_date_in_the_sentence(
    detail_type: str, sentence: str
) -> None:
    mail = compose(detail_type, due_date="2027-01-31")

    assert sentence in mail.text
    assert "2027-01-31" not in mail.text
    assert "Due date:" not in mail.text  # said once, in the sentence


def test_a_due_date_no_sentence_mentions_gets_its_own_line() -> None:
    mail = compose("DocumentUploaded", due_date="2027-01-31")

    assert "Due date: 31 January 2027." in mail.text
    assert "Due date: 31 January 2027." in mail.html


def test_a_due_date_that_is_no_iso_date_is_shown_as_given() -> None:
    mail = compose("SignatureReminder", due_date="end of January")

    assert "(due end of January)." in mail.text


def test_an_invoice_with_number_amount_and_due_date() -> None:
    mail = compose(
        "InvoiceIssued", number="1001", amount="120", currency="EUR", due_date="2027-01-31"
    )

    assert mail.subject == "Invoice #1001 from Demo Accounting"
    assert (
        "Demo Accounting issued invoice #1001 for €120.00, due 31 January 2027. "
        "View and pay it in your portal." in one_line(mail.text)
    )


def test_payment_and_refund_with_an_amount_and_an_invoice_number() -> None:
    paid = compose("PaymentConfirmed", number="#1001", amount="1234.5", currency="USD")
    refund = compose("RefundIssued", amount="40", currency="CHF")

    assert paid.subject == "Payment for invoice #1001 received by Demo Accounting"
    assert (
        "Demo Accounting received your payment of US$1,234.50 for invoice #1001. Thank you."
        in paid.text
    )
    assert "Demo Accounting issued you a refund of CHF\xa040.00: Tax return 2025." in refund.text


def test_amounts_and_dates_are_formatted_by_one_function_each() -> None:
    dutch = localizer("nl", time_zone_name="Pacific/Kiritimati")  # UTC+14: no day moves

    assert wording.format_amount("1234567.891", "EUR", EN) == "€1,234,567.89"
    assert wording.format_amount("0.5", "GBP", EN) == "£0.50"
    assert wording.format_amount("1234.5", "EUR", dutch) == "€\xa01.234,50"
    assert wording.format_date("2026-12-15", EN) == "15 December 2026"
    assert wording.format_date("2026-12-15T23:00:00Z", dutch) == "15 december 2026"
    assert wording.format_date("2026-02-30", EN) == "2026-02-30"  # no such day


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": "120"},  # without its currency
        {"currency": "EUR"},  # without an amount
        {"amount": "-5", "currency": "EUR"},
        {"amount": "1e3", "currency": "EUR"},
        {"amount": True, "currency": "EUR"},
        {"amount": "120", "currency": "euro"},
        {"amount": "120", "currency": 978},
    ],
)
def test_an_amount_the_email_cannot_say_is_left_out_and_the_event_still_goes_out(
    fields: dict[str, Any],
) -> None:
    mail = compose("InvoiceIssued", **fields)  # the contract lets services add fields

    # the sentence without an amount, ended right after the title
    assert "Demo Accounting issued invoice “Tax return 2025”.\n" in mail.text


@pytest.mark.parametrize("number", ["10\n01", "", "x" * 41, ["1001"], True, -3])
def test_an_invoice_number_the_email_cannot_say_is_left_out(number: Any) -> None:
    mail = compose("InvoiceIssued", number=number)

    assert mail.subject == "New invoice from Demo Accounting: Tax return 2025"
    assert "invoice #" not in mail.text


def test_amounts_and_numbers_sent_as_json_numbers_are_used() -> None:
    mail = compose("InvoiceIssued", number=1001, amount=120.5, currency="eur")

    assert mail.subject == "Invoice #1001 from Demo Accounting"
    assert "Demo Accounting issued invoice #1001 for €120.50." in mail.text


@pytest.mark.parametrize("detail_type", BULK)
def test_bulk_kinds_carry_unsubscribe_and_a_list_id(detail_type: str) -> None:
    mail = compose(detail_type)

    assert mail.headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["List-Id"] == (
        "Demo Accounting notifications <notifications.frm-3f9c.mail.example>"
    )
    assert UNSUBSCRIBE in mail.text and f'href="{UNSUBSCRIBE}"' in mail.html


def test_a_required_kind_carries_neither_unsubscribe_nor_list_id() -> None:
    mail = compose("PaymentConfirmed")

    assert not {"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"} & set(mail.headers)
    assert "unsubscribe" not in mail.text.lower() and "unsubscribe" not in mail.html.lower()
    assert "always sends this email" in mail.text


def test_the_list_id_is_a_dot_atom_and_its_phrase_is_quoted_when_needed() -> None:
    found = list_id("frm_AB.c d", 'Smith, "Jones" & Co.', "Mail.Example.com", EN)

    assert found == (
        '"Smith, \\"Jones\\" & Co. notifications" <notifications.frm-ab-c-d.mail.example.com>'
    )
    identifier = found.rsplit("<", 1)[1].rstrip(">")
    assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", identifier)


HOSTILE = "<script>alert(1)</script> & <b>bold</b>"


@pytest.mark.parametrize("detail_type", sorted(PLAIN))
def test_titles_and_names_stay_text_in_both_parts(detail_type: str) -> None:
    mail = compose(
        detail_type,
        firm="Smith & <i>Sons</i>",
        title=HOSTILE,
        url='https://portal.example.com/a?x=1&y="2"',
        activate="https://api.test/v1/activation-request?token=t&u=1",
    )

    assert "<script>" not in mail.html and "<b>" not in mail.html and "<i>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in mail.html
    assert "Smith &amp; &lt;i&gt;Sons&lt;/i&gt;" in mail.html
    assert 'href="https://portal.example.com/a?x=1&amp;y=&quot;2&quot;"' in mail.html
    assert 'href="https://api.test/v1/activation-request?token=t&amp;u=1"' in mail.html
    assert HOSTILE in mail.text and "&lt;" not in mail.text and "&amp;" not in mail.text
    assert HOSTILE in mail.subject and "Smith & <i>Sons</i>" in mail.subject


def test_a_title_ending_a_sentence_gets_no_second_full_stop() -> None:
    mail = compose("ChatMessagePosted", title="Are you ready?", firm="Smith B.V.")

    assert "Smith B.V. sent you a message: Are you ready?\n" in mail.text
    assert "ready?." not in mail.text and "ready?</strong>." not in mail.html
    assert "at Smith B.V.\n" in mail.text


def test_the_html_is_a_document_for_mail_clients() -> None:
    mail = compose("InvoiceIssued", number="1001", amount="120", currency="EUR")
    html = mail.html

    assert html.startswith('<!doctype html><html lang="en">')
    assert "<title>Invoice #1001 from Demo Accounting</title>" in html
    assert 'name="viewport"' in html
    # the preheader: the sentence, hidden, first in the body
    body = html.split("<body", 1)[1]
    assert re.search(r'<div style="display:none[^"]*">Demo Accounting issued invoice', body)
    # no external resource: no image, stylesheet, font or script
    for tag in ("<img", "<link", "<script", "@import", "url("):
        assert tag not in html
    assert 'role="presentation"' in html and "max-width:560px" in html


@pytest.mark.parametrize("detail_type", sorted(PLAIN))
def test_the_mime_message_has_no_line_near_the_998_character_limit(detail_type: str) -> None:
    mail = compose(detail_type, url=ITEM_URL, due_date="2027-01-31", activate=UNSUBSCRIBE)

    raw = Mailer("no-reply@example.com").compose(mail).as_bytes()

    # RFC 5322 allows 998; SpamAssassin reads a line that long as a spam sign (__LONGLINE)
    assert max(len(line) for line in raw.splitlines()) < 500


def test_the_plain_text_says_what_the_html_says() -> None:
    mail = compose("SignatureReminder", due_date="2027-01-31", url=ITEM_URL)
    text = one_line(mail.text)

    for piece in (
        "Reminder: signature needed",
        "still waiting for your signature (due 31 January 2027).",
        "Review and sign it in your portal.",
        "You receive this email as a contact of Smith family at Demo Accounting.",
    ):
        assert piece in text
        assert piece in visible(mail.html)


def test_the_activation_banner_stays_for_people_who_have_not_activated() -> None:
    link = "https://api.test/v1/activation-request?token=t"

    mail = compose("DocumentUploaded", activate=link)

    assert mail.text.startswith(
        f"Activate your client portal account to see everything in one place: {link}"
    )
    assert f'href="{link}"' in mail.html


def test_the_firm_copy_says_the_same_without_personal_links() -> None:
    event = notification("InvoiceIssued", number="1001", amount="120", currency="EUR")

    copy = firm_copy(
        event, FIRM, ACCOUNT, ["ann@client.example"], ["office@firm.example"], PORTAL, words=EN
    )

    assert copy.subject == "Copy: Invoice #1001 from Demo Accounting"
    assert "Demo Accounting issued invoice #1001 for €120.00." in copy.text
    assert "Sent to: ann@client.example" in copy.text
    assert "unsubscribe" not in copy.text.lower() and "List-Unsubscribe" not in copy.headers


# ------------------------------------------- through the fan-out (the notify function)


def notify(api: Api, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    event = {
        "version": "0",
        "id": "e0d0b0a0-0000-4000-8000-000000000002",
        "detail-type": detail_type,
        "source": "platform.test",
        "account": "123456789012",
        "time": "2026-11-27T10:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }
    summary: dict[str, Any] = api.module("notify").lambda_handler(event, Context())
    return summary


def invoices_off(owner: Staff, address: str) -> tuple[str, str]:
    """An account whose one recipient turned `invoices_and_payments` off."""
    account_id = owner.account()
    contact = owner.contact(address)
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    owner.toggle(account_id, email_id, notify=True)
    answer = owner.call(
        "access_api",
        "PutPreferences",
        path={"account_id": account_id, "email_id": email_id},
        body={"invoices_and_payments": False},
    )
    assert answer.status == 200, answer.body
    return account_id, email_id


def detail(owner: Staff, account_id: str, event_id: str) -> dict[str, Any]:
    return {
        "firm_id": owner.firm_id,
        "account_id": account_id,
        "event_id": event_id,
        "title": "Invoice #7",
    }


def test_a_payment_confirmation_goes_out_whatever_the_preferences_without_list_headers(
    api: Api, owner: Staff
) -> None:
    address = "ann@client.example"
    account_id, _ = invoices_off(owner, address)

    issued = notify(api, "InvoiceIssued", detail(owner, account_id, "e-1"))
    paid = notify(api, "PaymentConfirmed", detail(owner, account_id, "e-2"))

    assert (issued["sent"], issued["skipped"]) == (0, 1)
    assert (paid["sent"], paid["skipped"]) == (1, 0)
    (message,) = mail_to(address)
    assert message["Subject"] == "Payment received by Ledger & Co: Invoice #7"
    for header in ("List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"):
        assert message[header] is None, header
    assert "unsubscribe" not in text_of(message).lower()


def test_a_bulk_email_through_the_fan_out_has_its_list_id_and_the_portal_button(
    api: Api, owner: Staff
) -> None:
    address = "bob@client.example"
    account_id = owner.account("Jones family")
    contact = owner.contact(address)
    owner.link(account_id, contact["contact_id"])
    owner.toggle(account_id, contact["emails"][0]["email_id"], notify=True)

    assert notify(api, "DocumentUploaded", detail(owner, account_id, "e-3"))["sent"] == 1

    (message,) = mail_to(address)
    domain = get_settings().mail_from_address.rpartition("@")[2]
    firm = re.sub(r"[^a-z0-9-]+", "-", owner.firm_id.lower())
    assert message["List-Id"] == f"Ledger & Co notifications <notifications.{firm}.{domain}>"
    assert message["List-Unsubscribe"].startswith("<") and message["List-Unsubscribe-Post"]
    assert f'href="{get_settings().portal_base}/portal"' in html_of(message)
    assert "Account: Jones family" in text_of(message)
