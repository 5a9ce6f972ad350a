from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from crm.core.categories import CATEGORY_OF, Category
from crm.text import SingleLine

DeliveryStatus = Literal["sent", "skipped", "suppressed", "failed"]
# the title becomes a Subject: one line, no control character (crm.text), like every
# other field an email or a key is built from
Text = Annotated[SingleLine, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Id = Annotated[SingleLine, StringConstraints(min_length=1, max_length=100)]


class NotificationDetail(BaseModel):
    """The `detail` of a notification event (API.md, Notifications). Other fields that
    a service adds are ignored."""

    model_config = ConfigDict(extra="ignore")

    firm_id: Id
    account_id: Id
    event_id: Id
    title: Text
    url: Annotated[SingleLine, StringConstraints(max_length=2000)] | None = None
    due_date: Annotated[SingleLine, StringConstraints(max_length=40)] | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("url must be an http(s) link")
        if value is not None and any(c.isspace() for c in value):
            raise ValueError("url must not contain spaces")
        return value


class Notification(BaseModel):
    detail_type: str
    category: Category
    detail: NotificationDetail

    @property
    def is_reminder(self) -> bool:
        return self.detail_type.endswith("Reminder")

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


class FanOutSummary(BaseModel):
    event_id: str
    detail_type: str
    sent: int = 0
    skipped: int = 0
    suppressed: int = 0
    failed: int = 0
    already_done: int = 0
    copies: int = 0
