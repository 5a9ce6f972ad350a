"""SES feedback: a hard bounce or a complaint suppresses the address for the firm that
sent the mail (its id travels in the message's SES tags)."""

from __future__ import annotations

from typing import Any

from crm.notifications import store
from crm.observability import logger


def suppressed_addresses(detail: dict[str, Any]) -> tuple[str | None, list[str]]:
    """(firm_id, addresses) an SES event asks to suppress; nothing for soft bounces."""
    tags = (detail.get("mail") or {}).get("tags") or {}
    firm = tags.get("firm_id")  # SES gives every tag as a list of values
    if isinstance(firm, list):
        firm = firm[0] if firm else None
    firm_id = str(firm) if firm else None
    kind = detail.get("eventType")
    if kind == "Bounce":
        bounce = detail.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return firm_id, []
        people = bounce.get("bouncedRecipients") or []
    elif kind == "Complaint":
        people = (detail.get("complaint") or {}).get("complainedRecipients") or []
    else:
        return firm_id, []
    return firm_id, [str(p["emailAddress"]) for p in people if p.get("emailAddress")]


def handle(detail: dict[str, Any]) -> int:
    firm_id, addresses = suppressed_addresses(detail)
    if not firm_id or not addresses:
        logger.info("SES feedback without anything to suppress", extra={"firm_id": firm_id})
        return 0
    if not store.suppress(str(firm_id), addresses):
        logger.warning("SES feedback for an unknown firm", extra={"firm_id": firm_id})
        return 0
    logger.info("addresses suppressed", extra={"firm_id": firm_id, "count": len(addresses)})
    return len(addresses)
