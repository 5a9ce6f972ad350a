from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator

from crm.core.categories import CATEGORY_OF, REQUIRED_KINDS, Category
from crm.text import SingleLine, control_character

# `queued`: held for a digest or until quiet hours end (crm.notifications.digest); a
# finished delivery is always one of the other four
DeliveryStatus = Literal["sent", "skipped", "suppressed", "failed", "queued"]
# the title becomes a Subject: one line, no control character (crm.text), like every
# other field an email or a key is built from
Text = Annotated[SingleLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Id = Annotated[SingleLine, StringConstraints(min_length=1, max_length=100)]
# The optional facts of the email's sentence, each kept only when the email can use it:
# "120", "1234.50", a plain decimal (never negative, never an exponent); an ISO 4217 code;
# an invoice number of one short line
_AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,4})?$")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_NUMBER_LENGTH = 40

# Kinds a client receives whatever their preferences say, without an unsubscribe link
# (API.md, Notifications): of the notification events, the confirmation of a payment made
# (the whole list, invitations and notices included, is crm.core.categories.REQUIRED_KINDS)
REQUIRED_TYPES = frozenset(kind for kind, category in REQUIRED_KINDS.items() if category)


class NotificationDetail(BaseModel):
    """The `detail` of a notification event (API.md, Notifications). Other fields that
    a service adds are ignored.

    Optional, for the sentence of the email (crm.notifications.wording), which reads well
    without them too: `amount` (a decimal, "120.50" or 120.5) with `currency` (ISO 4217,
    "EUR"), for invoices, payments and refunds; `number`, the number of the invoice the
    event is about, as the firm writes it ("1001", "2026-0042", or 1001). The contract
    lets a service add fields it likes, so these never refuse an event: a value the
    email cannot use (an amount without its currency, "-5", "1e3", a number of several
    lines) is left out, and the sentence is the one without it."""

    model_config = ConfigDict(extra="ignore")

    firm_id: Id
    account_id: Id
    event_id: Id
    title: Text
    url: Annotated[SingleLine, StringConstraints(max_length=2000)] | None = None
    due_date: Annotated[SingleLine, StringConstraints(max_length=40)] | None = None
    amount: str | None = None
    currency: str | None = None
    number: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("url must be an http(s) link")
        if value is not None and any(c.isspace() for c in value):
            raise ValueError("url must not contain spaces")
        return value

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: object) -> str | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # 120.5 as JSON: "120.5"; 1e20: "1e+20", left out
        return value.strip() if isinstance(value, str) and _AMOUNT.match(value.strip()) else None

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> str | None:
        if isinstance(value, str) and _CURRENCY.match(value.strip()):
            return value.strip().upper()
        return None

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: object) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if not isinstance(value, str):
            return None
        value = value.strip()
        if not value or len(value) > _NUMBER_LENGTH or control_character(value):
            return None
        return value

    @model_validator(mode="after")
    def _amount_with_currency(self) -> NotificationDetail:
        """An amount is said with its currency, or not at all."""
        if self.amount is None or self.currency is None:
            self.amount = self.currency = None
        return self


class Notification(BaseModel):
    detail_type: str
    category: Category
    detail: NotificationDetail

    @property
    def is_reminder(self) -> bool:
        return self.detail_type.endswith("Reminder")

    @property
    def is_required(self) -> bool:
        """Sent whatever the preferences say, with no unsubscribe link or List-Id."""
        return self.detail_type in REQUIRED_TYPES

    @classmethod
    def of(cls, detail_type: str, detail: object) -> Notification:
        """Validate an EventBridge event's type and detail (raises ValueError)."""
        category = CATEGORY_OF.get(detail_type)
        if category is None:
            raise ValueError(f"{detail_type!r} is not a notification detail type")
        return cls(
            detail_type=detail_type,
            category=category,
            detail=NotificationDetail.model_validate(detail),
        )


class Delivery(BaseModel):
    event_id: str
    detail_type: str
    address: str
    status: DeliveryStatus
    reason: str | None
    at: str


class DeliveryPage(BaseModel):
    items: list[Delivery]
    next_cursor: str | None = None


class Suppression(BaseModel):
    address: str


class SuppressionPage(BaseModel):
    items: list[Suppression]
    next_cursor: str | None = None


class FanOutSummary(BaseModel):
    event_id: str
    detail_type: str
    sent: int = 0
    skipped: int = 0
    suppressed: int = 0
    failed: int = 0
    queued: int = 0  # held for a digest (crm.notifications.digest_times)
    already_done: int = 0
    copies: int = 0
