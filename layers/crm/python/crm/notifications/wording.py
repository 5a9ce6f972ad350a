"""What a notification email says: the choice of its sentences, and the facts filled in.

The sentences are in the catalogs (`crm/i18n/<language>/notifications.ftl`), whole, with
named placeables, one message per kind (`notification-invoice-issued`) with its parts as
attributes (`.subject`, `.heading`, `.lead`, `.action`, `.button`, ...). Another language
is another catalog, never a change to this code. The code never glues words together: it
picks the most specific sentence the catalog has for the facts the event carries
(`pick`), and fills in values it formats with one function each (`format_date`,
`format_amount`, through the reader's Localizer).

A sentence comes in variants named by the facts they need: `lead`, `lead-due`,
`lead-amount`, `lead-amount-due`, `lead-number`, ... (the suffixes in the order of FACTS).
`pick` takes the variant that uses the most of the facts present; a due date that no
chosen sentence mentions goes on a line of its own (`notification-email.due-line`).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import combinations

from crm.i18n import Localizer, MissingMessage

FACTS = ("number", "amount", "due")  # the order of the suffixes in a variant's name

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def message_of(detail_type: str) -> str:
    """The catalog message of a kind: `InvoiceIssued` -> `notification-invoice-issued`."""
    return "notification-" + _WORD_START.sub("-", detail_type).lower()


def pick(words: Localizer, message: str, base: str, facts: set[str]) -> tuple[str, set[str]]:
    """The id of the variant of `message.base` that uses the most of `facts` (names from
    FACTS), and the facts it uses: with {"amount", "due"}, `.lead-amount-due`, else
    `.lead-amount` or `.lead-due`, else `.lead`."""
    present = [name for name in FACTS if name in facts]
    for size in range(len(present), -1, -1):
        for chosen in combinations(present, size):
            message_id = f"{message}.{'-'.join((base, *chosen))}"
            if words.has(message_id):
                return message_id, set(chosen)
    raise MissingMessage(f"{words.language}: {message}.{base}")


def format_date(value: str, words: Localizer) -> str:
    """An ISO date ("2027-01-31", or the date of a timestamp) as the reader's language
    writes it ("31 January 2027", "31 januari 2027"); any other text as it is (the
    contract takes free text). A due date is a day, not a moment: no time zone moves it."""
    found = ISO_DATE.match(value)
    if found is None:
        return value
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return value
    return words.date(day)


def format_amount(amount: str, currency: str, words: Localizer) -> str:
    """A decimal string and an ISO 4217 code as the reader's language writes money:
    "€1,234.50" in English, "€ 1.234,50" in Dutch."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return f"{currency} {amount}"
    return words.money(value, currency)
