"""What a notification email says: one catalog per language, one entry per kind.

Every sentence a client reads is here, whole, with named placeholders, so that another
language is another catalog (issue 13), never a change to the code that builds the email.
The code never glues words together: it picks the most specific sentence the table has
for the facts the event carries (`pick`), and fills in values it formats with one function
each (`format_date`, `format_amount`).

Placeholders: {firm}, {title}, {account}, {item}, {number}, {amount}, {due}.

A kind's entry holds a sentence in several variants, named by the facts they need:
`lead`, `lead_due`, `lead_amount`, `lead_amount_due`, `lead_number`, ... (the suffixes in
the order of FACTS). `pick` takes the variant that uses the most of the facts present; a
due date that no chosen sentence mentions goes on a line of its own (`due_line`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import combinations

FACTS = ("number", "amount", "due")  # the order of the suffixes in a variant's name

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


@dataclass(frozen=True)
class Catalog:
    lang: str  # the `lang` of the HTML and the Content-Language header
    months: tuple[str, ...]
    date_pattern: str  # "{day} {month} {year}"
    amount_pattern: str  # "{symbol} {number}"
    decimal_mark: str
    group_mark: str
    symbols: dict[str, str]  # ISO 4217 code: symbol; other currencies show their code
    common: dict[str, str]
    kinds: dict[str, dict[str, str]] = field(default_factory=dict)


_INVOICE_ITEM = {"item": "invoice “{title}”", "item_number": "invoice #{number}"}
_SIGN = "Review and sign it in your portal."
_APPROVE = "Review it and approve it in your portal."
_PAY = "View and pay it in your portal."

EN = Catalog(
    lang="en",
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    date_pattern="{day} {month} {year}",
    amount_pattern="{symbol} {number}",
    decimal_mark=".",
    group_mark=",",
    symbols={"EUR": "€", "USD": "$", "GBP": "£"},
    common={
        "account": "Account: {account}",
        "due_line": "Due date: {due}.",
        "open_link": "{button}: {url}",
        "activate_banner": "Your client portal account is not activated yet.",
        "activate_link": "Activate it",
        "activate_after": "to see everything in one place.",
        "activate_text": "Activate your client portal account to see everything in one "
        "place: {url}",
        "footer": "You receive this email as a contact of {account} at {firm}.",
        "unsubscribe_text": "To stop emails about {label} for {account}, unsubscribe: {url}",
        "unsubscribe_link": "Unsubscribe",
        "unsubscribe_after": "from emails about {label} for {account}.",
        "required_footer": "{firm} always sends this email, whatever your email preferences.",
        "list_name": "{firm} notifications",
        "copy_subject": "Copy: {subject}",
        "copy_intro": "A copy of the notification {firm} sent about {account}.",
        "copy_sent_to": "Sent to: {recipients}",
        "copy_link": "Link",
    },
    kinds={
        "DocumentUploaded": {
            "subject": "New document from {firm}: {title}",
            "heading": "New document",
            "lead": "{firm} shared a new document with you: {title}.",
            "action": "You can view and download it in your portal.",
            "button": "View document",
        },
        "SignatureRequested": {
            "subject": "Signature requested by {firm}: {title}",
            "heading": "Signature requested",
            "lead": "{firm} asks you to sign {title}.",
            "lead_due": "{firm} asks you to sign {title} by {due}.",
            "action": _SIGN,
            "button": "Review and sign",
        },
        "SignatureReminder": {
            "subject": "Reminder from {firm}: please sign {title}",
            "heading": "Reminder: signature needed",
            "lead": "A reminder from {firm}: {title} is still waiting for your signature.",
            "lead_due": "A reminder from {firm}: {title} is still waiting for your "
            "signature (due {due}).",
            "action": _SIGN,
            "button": "Review and sign",
        },
        "ApprovalRequested": {
            "subject": "Approval requested by {firm}: {title}",
            "heading": "Approval requested",
            "lead": "{firm} asks you to approve {title}.",
            "lead_due": "{firm} asks you to approve {title} by {due}.",
            "action": _APPROVE,
            "button": "Review and approve",
        },
        "ApprovalReminder": {
            "subject": "Reminder from {firm}: please approve {title}",
            "heading": "Reminder: approval needed",
            "lead": "A reminder from {firm}: {title} is still waiting for your approval.",
            "lead_due": "A reminder from {firm}: {title} is still waiting for your "
            "approval (due {due}).",
            "action": _APPROVE,
            "button": "Review and approve",
        },
        "ChatMessagePosted": {
            "subject": "New message from {firm}: {title}",
            "heading": "New message",
            "lead": "{firm} sent you a message: {title}.",
            "action": "Read it and reply in your portal.",
            "button": "Read message",
        },
        "ChatCommentPosted": {
            "subject": "New comment from {firm}: {title}",
            "heading": "New comment",
            "lead": "{firm} left a comment for you: {title}.",
            "action": "Read it and reply in your portal.",
            "button": "Read comment",
        },
        "ClientTaskCreated": {
            "subject": "New task from {firm}: {title}",
            "heading": "New task",
            "lead": "{firm} has a task for you: {title}.",
            "lead_due": "{firm} has a task for you: {title}, due {due}.",
            "action": "Open it in your portal to see what is needed and mark it done.",
            "button": "Open task",
        },
        "ProposalSent": {
            "subject": "Proposal from {firm}: {title}",
            "heading": "New proposal",
            "lead": "{firm} sent you a proposal: {title}.",
            "lead_due": "{firm} sent you a proposal: {title}. It is open until {due}.",
            "action": "Review it and accept it in your portal.",
            "button": "View proposal",
        },
        "ProposalReminder": {
            "subject": "Reminder from {firm}: proposal {title}",
            "heading": "Reminder: proposal waiting",
            "lead": "A reminder from {firm}: the proposal {title} is still waiting for "
            "your answer.",
            "lead_due": "A reminder from {firm}: the proposal {title} is still waiting "
            "for your answer (open until {due}).",
            "action": "Review it and accept it in your portal.",
            "button": "View proposal",
        },
        "OrganizerSent": {
            "subject": "Organizer from {firm}: {title}",
            "heading": "Questions to answer",
            "lead": "{firm} sent you an organizer to fill in: {title}.",
            "lead_due": "{firm} sent you an organizer to fill in by {due}: {title}.",
            "action": "Answer the questions and upload what is asked for in your portal.",
            "button": "Fill in organizer",
        },
        "OrganizerReminder": {
            "subject": "Reminder from {firm}: organizer {title}",
            "heading": "Reminder: questions to answer",
            "lead": "A reminder from {firm}: the organizer {title} is still waiting for "
            "your answers.",
            "lead_due": "A reminder from {firm}: the organizer {title} is still waiting "
            "for your answers (due {due}).",
            "action": "Answer the questions and upload what is asked for in your portal.",
            "button": "Fill in organizer",
        },
        "InvoiceIssued": {
            "subject": "New invoice from {firm}: {title}",
            "subject_number": "Invoice #{number} from {firm}",
            "heading": "New invoice",
            **_INVOICE_ITEM,
            "lead": "{firm} issued {item}.",
            "lead_amount": "{firm} issued {item} for {amount}.",
            "lead_due": "{firm} issued {item}, due {due}.",
            "lead_amount_due": "{firm} issued {item} for {amount}, due {due}.",
            "action": _PAY,
            "button": "View invoice",
        },
        "InvoiceReminder": {
            "subject": "Reminder from {firm}: {title}",
            "subject_number": "Reminder: invoice #{number} from {firm}",
            "heading": "Payment reminder",
            **_INVOICE_ITEM,
            "lead": "A reminder from {firm}: {item} is still open.",
            "lead_amount": "A reminder from {firm}: {item} for {amount} is still open.",
            "lead_due": "A reminder from {firm}: {item} is still open (due {due}).",
            "lead_amount_due": "A reminder from {firm}: {item} for {amount} is still open "
            "(due {due}).",
            "action": _PAY,
            "button": "View invoice",
        },
        "PaymentConfirmed": {
            "subject": "Payment received by {firm}: {title}",
            "subject_number": "Payment for invoice #{number} received by {firm}",
            "heading": "Payment received",
            "lead": "{firm} received your payment: {title}. Thank you.",
            "lead_amount": "{firm} received your payment of {amount}: {title}. Thank you.",
            "lead_number": "{firm} received your payment for invoice #{number}. Thank you.",
            "lead_number_amount": "{firm} received your payment of {amount} for invoice "
            "#{number}. Thank you.",
            "action": "Nothing more to do. The payment is in your portal.",
            "button": "View payment",
        },
        "RefundIssued": {
            "subject": "Refund from {firm}: {title}",
            "subject_number": "Refund for invoice #{number} from {firm}",
            "heading": "Refund issued",
            "lead": "{firm} issued you a refund: {title}.",
            "lead_amount": "{firm} issued you a refund of {amount}: {title}.",
            "lead_number": "{firm} issued you a refund for invoice #{number}.",
            "lead_number_amount": "{firm} issued you a refund of {amount} for invoice #{number}.",
            "action": "See the details in your portal. A refund can take a few days to "
            "reach your bank account.",
            "button": "View refund",
        },
    },
)

CATALOGS = {EN.lang: EN}


def catalog(lang: str | None = None) -> Catalog:
    """The catalog of `lang`, else English (the only one so far)."""
    return CATALOGS.get(lang or EN.lang, EN)


def pick(entries: dict[str, str], base: str, facts: set[str]) -> tuple[str, set[str]]:
    """The variant of `base` that uses the most of `facts` (names from FACTS), and the
    facts it uses: with {"amount", "due"}, `lead_amount_due`, else `lead_amount` or
    `lead_due`, else `lead`."""
    present = [name for name in FACTS if name in facts]
    for size in range(len(present), -1, -1):
        for chosen in combinations(present, size):
            key = "_".join((base, *chosen))
            if key in entries:
                return entries[key], set(chosen)
    raise KeyError(base)


def format_date(value: str, words: Catalog) -> str:
    """An ISO date ("2027-01-31", or the date of a timestamp) as the catalog writes it
    ("31 January 2027"); any other text as it is (the contract takes free text)."""
    found = ISO_DATE.match(value)
    if found is None:
        return value
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return value
    return words.date_pattern.format(day=day.day, month=words.months[day.month - 1], year=day.year)


def format_amount(amount: str, currency: str, words: Catalog) -> str:
    """A decimal string and an ISO 4217 code as the catalog writes money: "€ 1,234.50".
    Two decimals, or as many as the amount has (up to four). Plain formatting: Babel is
    not a dependency (issue 13 may bring it; this is the one place to change)."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return f"{currency} {amount}"
    exponent = value.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    grouped = f"{value:,.{places}f}"  # "1,234.50"
    number = (
        grouped.replace(",", "\0").replace(".", words.decimal_mark).replace("\0", words.group_mark)
    )
    symbol = words.symbols.get(currency, currency)
    return words.amount_pattern.format(symbol=symbol, number=number)
