"""The notification fan-out: one event of another service, one email per recipient.

Recipients are the addresses with NOTIFY on for the account; each gets `skipped` when the
event's category is off for them (never for a required kind: PaymentConfirmed),
`suppressed` when the address bounced or complained, otherwise the email
(crm.notifications.mail), in the contact's language, else the firm's. The account's
partition, the firm's item and one batch read of the recipients' contacts (their
languages) are the only reads, however many recipients. Every outcome is first
*claimed* (a conditional write per recipient, 100 per transaction), so a redelivered
event sends nothing new and a crash mid-way resumes only the recipients not yet handled.
Final outcomes go in batch writes, and are counted as metrics, per category (`_count`;
the template's dashboard shows them). A recipient whose schedule says later (a digest,
quiet hours: crm.notifications.digest) is claimed `queued` with its held item instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.errors import MessageError

from aws_lambda_powertools.metrics import MetricUnit

from crm.core.access import AccessRecord
from crm.core.firms import FirmFacts
from crm.i18n import Localizer
from crm.integrations.mailer import Mail, Mailer, SendFailed
from crm.limits.sending import Sending
from crm.notifications import digest, links, store
from crm.notifications.mail import Links, firm_copy, notification_mail
from crm.notifications.models import FanOutSummary, Notification
from crm.notifications.store import Outcome
from crm.observability import logger, metrics
from crm.settings import get_settings
from crm.storage import access, directory, sending


class RetryLater(Exception):
    """Some sends failed for a reason that may pass; the event is delivered again and
    only those recipients are tried again."""


# what the email package raises for a message it cannot write (a line break in a header,
# text that is no Unicode): the same every time, so a permanent failure, never a retry
COMPOSITION_ERRORS = (ValueError, MessageError)


@dataclass(frozen=True)
class Recipient:
    address: str
    row: AccessRecord


@dataclass
class FanOut:
    mailer: Mailer
    link_secret: Callable[[], bytes]
    api_base: str
    sending: Sending = field(default_factory=Sending.from_settings)  # crm.limits.sending
    # the emails' button when the event has no url: {portal_base}/portal
    portal_base: str = field(default_factory=lambda: get_settings().portal_base)

    @property
    def portal(self) -> str:
        return f"{self.portal_base}/portal"

    def deliver(self, notification: Notification) -> FanOutSummary:
        detail = notification.detail
        summary = FanOutSummary(event_id=detail.event_id, detail_type=notification.detail_type)
        facts = sending.firm_facts(detail.firm_id)
        if facts is None:
            logger.warning("notification for an unknown firm", extra={"event_id": detail.event_id})
            return summary
        _, rows = access.read_partition(detail.firm_id, detail.account_id)
        recipients = _recipients(rows)
        standing = facts.standing
        planned = [_plan(r, notification, facts) for r in recipients]
        if not standing.verified:  # an unverified firm emails nobody but its owner
            planned = [Outcome(o.address, "skipped", "firm_not_verified") for o in planned]
        rows_of = [r.row for r in recipients]  # quiet hours and digests hold some back
        planned, held = digest.held(notification, rows_of, planned, facts.time_zone)
        owned = store.claim(
            detail.firm_id,
            detail.account_id,
            detail.event_id,
            notification.detail_type,
            planned,
            held,
        )
        summary.already_done = len(planned) - len(owned)
        by_address = {r.address: r for r in recipients}
        to_send = [o for o in owned if o.status == "sending"]
        permit = self.sending.reserve_up_to(standing, len(to_send))  # the day's quota
        sent: list[Outcome] = [
            Outcome(o.address, "skipped", "quota") for o in to_send[permit.count :]
        ]
        sending_now = [by_address[o.address] for o in to_send[: permit.count]]
        languages = directory.contact_languages(
            detail.firm_id, [r.row.contact_id for r in sending_now]
        )
        for recipient in sending_now:
            words = facts.words(languages.get(recipient.row.contact_id))
            sent.append(self._send(notification, facts, recipient, words))
        self.sending.release(permit, sum(1 for o in sent if o.status == "failed"))
        if sent:
            store.record(
                detail.firm_id, detail.account_id, detail.event_id, notification.detail_type, sent
            )
        for outcome in [*owned, *sent]:
            if outcome.status in ("skipped", "suppressed", "queued"):
                setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)
        summary.sent = sum(1 for o in sent if o.status == "sent")
        summary.failed = sum(1 for o in sent if o.status == "failed")
        delivered = [o.address for o in sent if o.status == "sent"]
        if facts.copies and delivered:
            summary.copies = self._copy(notification, facts, rows, delivered)
        _count(notification, summary)
        logger.info("notification fanned out", extra=summary.model_dump())
        if any(o.retryable for o in sent):
            raise RetryLater(f"{summary.failed} sends failed for now; the event is retried")
        return summary

    def _send(
        self, notification: Notification, facts: FirmFacts, to: Recipient, words: Localizer
    ) -> Outcome:
        detail = notification.detail
        secret = self.link_secret()
        row = to.row
        target = {"f": detail.firm_id, "a": detail.account_id, "e": row.email_id}
        # a required kind has no unsubscribe link, nor has a category the firm locked
        locked = notification.category in facts.locked
        unsubscribe = None
        if not notification.is_required and not locked:
            token = links.sign(secret, links.UNSUBSCRIBE, {**target, "c": notification.category})
            unsubscribe = f"{self.api_base}/v1/unsubscribe?token={token}"
        activate = links.sign(secret, links.ACTIVATE, target) if row.pending_activation else None
        try:
            mail = notification_mail(
                notification,
                facts.name,
                row.account_name,
                to.address,
                Links(
                    portal=self.portal,
                    unsubscribe=unsubscribe,
                    activate=f"{self.api_base}/v1/activation-request?token={activate}"
                    if activate
                    else None,
                    locked=locked and not notification.is_required,
                ),
                list_domain=self.mailer.from_address.rpartition("@")[2],
                words=words,
            )
            self.mailer.send(_tagged(mail, detail.firm_id))
        except COMPOSITION_ERRORS as error:
            return _not_composed(detail.event_id, to.address, error)
        except SendFailed as failure:
            logger.warning(
                "notification not sent",
                extra={
                    "event_id": detail.event_id,
                    "reason": failure.reason,
                    "transient": failure.transient,
                },
            )
            return Outcome(to.address, "failed", failure.reason, retryable=failure.transient)
        return Outcome(to.address, "sent")

    def _copy(
        self,
        notification: Notification,
        facts: FirmFacts,
        rows: Sequence[AccessRecord],
        delivered: list[str],
    ) -> int:
        """One copy of the event's email for the firm, claimed like a recipient."""
        detail = notification.detail
        claim = Outcome(", ".join(facts.copies), "sending", "firm copy")
        if not store.claim(
            detail.firm_id, detail.account_id, detail.event_id, notification.detail_type, [claim]
        ):
            return 0
        account_name = rows[0].account_name if rows else ""
        try:
            mail = firm_copy(
                notification,
                facts.name,
                account_name,
                delivered,
                facts.copies,
                self.portal,
                words=facts.words(),  # the firm reads its copies in its own language
            )
            self.mailer.send(_tagged(mail, detail.firm_id))
            result = Outcome(claim.address, "sent", "firm copy")
        except COMPOSITION_ERRORS as error:
            failed = _not_composed(detail.event_id, claim.address, error)
            result = replace(failed, reason=f"firm copy: {failed.reason}")
        except SendFailed as failure:
            result = Outcome(
                claim.address, "failed", f"firm copy: {failure.reason}", retryable=failure.transient
            )
        store.record(
            detail.firm_id, detail.account_id, detail.event_id, notification.detail_type, [result]
        )
        return 1 if result.status == "sent" else 0


# One count per outcome of a delivery, with the event's category as a dimension (7 values:
# bounded). A send that fails and is retried counts as failed, then as sent.
OUTCOME_METRICS = {
    "sent": "NotificationsSent",
    "skipped": "NotificationsSkipped",
    "suppressed": "NotificationsSuppressed",
    "failed": "NotificationsFailed",
}


def _count(notification: Notification, summary: FanOutSummary) -> None:
    """What this delivery did, as metrics (EMF, flushed by the handler's log_metrics);
    zeros too, so a graph tells a quiet hour from a missing one."""
    metrics.add_dimension(name="category", value=notification.category)
    for outcome, name in OUTCOME_METRICS.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=getattr(summary, outcome))


def _recipients(rows: Sequence[AccessRecord]) -> list[Recipient]:
    """Every address with NOTIFY on, once (an address on two contacts is one person)."""
    found: dict[str, Recipient] = {}
    for row in rows:
        if row.notify and row.address.casefold() not in found:
            found[row.address.casefold()] = Recipient(row.address, row)
    return list(found.values())


def _plan(recipient: Recipient, notification: Notification, facts: FirmFacts) -> Outcome:
    if recipient.address.casefold() in facts.suppressed:
        return Outcome(recipient.address, "suppressed", "the address bounced or complained")
    if not notification.is_required and not recipient.row.preferences.get(
        notification.category, True
    ):
        return Outcome(recipient.address, "skipped", f"{notification.category} is off")
    return Outcome(recipient.address, "sending")


def _tagged(mail: Mail, firm_id: str) -> Mail:
    """SES message tags carry the firm, so a bounce can be traced back to it."""
    return replace(mail, tags={"firm_id": firm_id})


def _not_composed(event_id: str, address: str, error: Exception) -> Outcome:
    """A message that cannot be written: recorded `failed` for good, with the reason."""
    logger.warning(
        "notification not composed",
        extra={"event_id": event_id, "error_type": type(error).__name__, "error": str(error)},
    )
    reason = f"the email could not be composed: {error}"[:500]
    return Outcome(address, "failed", reason, retryable=False)
