"""Asynchronous invocations: EventBridge rules, SQS and DynamoDB stream sources, schedules.

moto cannot invoke a Lambda target, so each rule of the template is created on its bus with
an SQS queue as its target, and a poller thread per queue invokes the function, as
Lambda's asynchronous invocation would: the message is deleted on success, retried shortly
after a failure, and set aside after the function's last retry (in ``dead_letters``, and
in the function's DeadLetterQueue when the template gives it one).
A table's stream is read as Lambda's event source mapping reads it (local/streams.py).
Schedules run on a timer and on demand. :meth:`Delivery.wait_idle` waits until every queue
is empty, every stream record handled and nothing is running, so a test can publish an
event, or make a change that writes one into the outbox, and then read its effects.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from local.resources import aws_client
from local.runtime import Runtime
from local.template import ACCOUNT_ID, REGION, STACK_NAME, QueueSource, RuleSpec, ScheduleSpec

if TYPE_CHECKING:
    from local.streams import StreamPoller

log = logging.getLogger("local.delivery")

RETRY_AFTER_SECONDS = 1  # Lambda waits minutes between retries; locally a test waits
POLL_WAIT_SECONDS = 1  # long-poll length: how long stop() may take


@dataclass
class DeadLetter:
    function: str
    event: Any
    error: str


def parse_rate(expression: str) -> float:
    """Seconds between runs of ``rate(N unit)``; ``cron(...)`` approximated (with a warning)."""
    rate = re.fullmatch(r"rate\((\d+)\s+(minute|hour|day)s?\)", expression.strip())
    if rate:
        return int(rate.group(1)) * {"minute": 60, "hour": 3600, "day": 86400}[rate.group(2)]
    cron = re.fullmatch(r"cron\((\S+)\s.*\)", expression.strip())
    if cron:
        step = re.fullmatch(r"(\*|\d+)/(\d+)", cron.group(1))
        minutes = int(step.group(2)) if step else 1 if cron.group(1) == "*" else 60
        log.warning("%s runs every %d minutes locally", expression, minutes)
        return minutes * 60.0
    raise ValueError(f"cannot read the schedule expression {expression!r}")


def scheduled_event(schedule: ScheduleSpec) -> Any:
    """What EventBridge passes to a scheduled function (or the schedule's Input)."""
    if schedule.input is not None:
        return schedule.input
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{STACK_NAME}-{schedule.name}"],
        "detail": {},
    }


def sqs_record(message: dict[str, Any], url: str) -> dict[str, Any]:
    """A received SQS message as Lambda's SQS event source hands it to a function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{url.rsplit('/', 1)[-1]}",
        "awsRegion": REGION,
    }


class Delivery:
    """The rules, queue sources and schedules of the template, and their pollers."""

    def __init__(self, runtime: Runtime, aws_endpoint: str):
        self.runtime = runtime
        self.aws_endpoint = aws_endpoint
        self.events = aws_client("events", aws_endpoint)
        self.sqs = aws_client("sqs", aws_endpoint)
        self.schedules: dict[str, ScheduleSpec] = {}
        self.dead_letters: list[DeadLetter] = []
        self.queues: dict[str, str] = {}  # rule name -> the queue that stands for its target
        self._pollers: list[Callable[[], None]] = []
        self._watched: list[str] = []  # queue URLs wait_idle waits for
        self.stream_pollers: list[StreamPoller] = []
        self._threads: list[threading.Thread] = []
        self.stopping = threading.Event()
        self._busy_count = 0
        self._started = 0  # invocations begun so far: wait_idle sees whether one began
        self._busy_changed = threading.Condition()

    # ---- wiring

    def add_rule(self, rule: RuleSpec) -> None:
        """Create the rule on its bus with a queue for target, and poll that queue."""
        name = f"{STACK_NAME}-{rule.name}"[:64]
        url = self.sqs.create_queue(QueueName=name[:80])["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        self.events.put_rule(
            Name=name,
            EventBusName=rule.bus,
            EventPattern=json.dumps(rule.pattern),
            State="ENABLED",
        )
        self.events.put_targets(
            Rule=name,
            EventBusName=rule.bus,
            Targets=[{"Id": "local-queue", "Arn": arn["Attributes"]["QueueArn"], **rule.target}],
        )
        self.queues[rule.name] = url
        attempts = self.runtime.spec(rule.function).max_retry_attempts + 1
        self._add_poller(url, lambda messages: self._deliver_events(rule, attempts, messages))
        log.debug("rule %s on bus %s -> %s", name, rule.bus, rule.function)

    def add_queue_source(self, source: QueueSource, url: str) -> None:
        """An SQS queue of the template that triggers a function with batches of records."""
        self._add_poller(
            url,
            lambda messages: self._deliver_records(source, url, messages),
            batch=min(source.batch_size, 10),
        )

    def add_stream_poller(self, poller: StreamPoller) -> None:
        """A table's stream that triggers a function with batches of records (local/streams.py)."""
        self.stream_pollers.append(poller)
        self._pollers.append(poller.run)

    def add_schedule(self, schedule: ScheduleSpec) -> None:
        name, number = schedule.name, 2
        while name in self.schedules:
            name, number = f"{schedule.name}-{number}", number + 1
        self.schedules[name] = schedule

    def _add_poller(self, url: str, deliver: Callable[[list[dict]], None], batch: int = 1) -> None:
        self._watched.append(url)

        def poll() -> None:
            failing = False
            while not self.stopping.is_set():
                try:
                    received = self.sqs.receive_message(
                        QueueUrl=url,
                        MaxNumberOfMessages=batch,
                        WaitTimeSeconds=POLL_WAIT_SECONDS,
                        MessageSystemAttributeNames=["All"],
                    ).get("Messages", [])
                    if received:
                        with self.busy():
                            deliver(received)
                    failing = False
                except (BotoCoreError, ClientError) as error:
                    # moto's state was reset under us (an in-process mock_aws does that), or
                    # the server is going away: say so once, keep trying.
                    if not failing:
                        log.warning("cannot poll %s: %s", url.rsplit("/", 1)[-1], error)
                    failing = True
                    self.stopping.wait(POLL_WAIT_SECONDS)

        self._pollers.append(poll)

    # ---- running

    def start(self, timers: bool = True) -> None:
        targets = list(self._pollers)
        if timers and any(schedule.enabled for schedule in self.schedules.values()):
            targets.append(self._run_timers)
        for number, target in enumerate(targets):
            thread = threading.Thread(target=target, name=f"delivery-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=POLL_WAIT_SECONDS + 5)

    def put_event(self, bus: str, detail_type: str, detail: Any, source: str) -> dict[str, Any]:
        """Publish as another service would, and return once every effect has run."""
        entry = {
            "Source": source,
            "DetailType": detail_type,
            "Detail": json.dumps(detail),
            "EventBusName": bus,
        }
        result: dict[str, Any] = self.events.put_events(Entries=[entry])
        result.pop("ResponseMetadata", None)
        self.wait_idle()
        return result

    def run_schedule(self, name: str) -> Any:
        """Run one scheduled function now; its exception propagates. Waits for its effects."""
        schedule = self.schedules[name]
        with self.busy():
            result = self.runtime.invoke(schedule.function, scheduled_event(schedule))
        self.wait_idle()
        return result

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every queue is drained, every stream record handled and no
        invocation runs; TimeoutError if not."""
        deadline = time.monotonic() + timeout
        while True:
            with self._busy_changed:
                busy, started = self._busy_count, self._started
            idle = (
                not busy
                and not any(self._pending(url) for url in self._watched)
                and not any(poller.pending() for poller in self.stream_pollers)
            )
            with self._busy_changed:  # and nothing began while we looked
                if idle and self._busy_count == 0 and self._started == started:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"still busy after {timeout} s")
            time.sleep(0.02)

    def _pending(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(value) for value in attributes.values())

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """While an invocation runs (wait_idle waits for it)."""
        with self._busy_changed:
            self._busy_count += 1
            self._started += 1
        try:
            yield
        finally:
            with self._busy_changed:
                self._busy_count -= 1
                self._busy_changed.notify_all()

    # ---- delivering

    def _deliver_events(self, rule: RuleSpec, attempts: int, messages: list[dict]) -> None:
        url = self.queues[rule.name]
        for message in messages:
            event = json.loads(message["Body"])
            event.setdefault("account", ACCOUNT_ID)  # moto leaves it out; EventBridge does not
            try:
                self.runtime.invoke(rule.function, event)
            except Exception as error:
                attempt = int(message["Attributes"].get("ApproximateReceiveCount", "1"))
                last = attempt >= attempts
                log.log(
                    logging.ERROR if last else logging.WARNING,
                    "%s failed on %s (attempt %d of %d): %r; %s",
                    rule.function,
                    event.get("detail-type"),
                    attempt,
                    attempts,
                    error,
                    f"event set aside: {json.dumps(event)}"
                    if last
                    else f"retrying in {RETRY_AFTER_SECONDS} s",
                    exc_info=attempt == 1,  # the traceback once
                )
                if not last:
                    self.sqs.change_message_visibility(
                        QueueUrl=url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=RETRY_AFTER_SECONDS,
                    )
                    continue
                self._set_aside(rule.function, event, error)
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def _set_aside(self, function: str, event: Any, error: Exception) -> None:
        """Keep an event the function failed on, in its DeadLetterQueue too if it has one."""
        self.dead_letters.append(DeadLetter(function, event, repr(error)))
        queue_arn = self.runtime.spec(function).dead_letter_arn
        if queue_arn:
            url = self.sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
            self.sqs.send_message(
                QueueUrl=url,
                MessageBody=json.dumps(event),
                MessageAttributes={
                    "ErrorCode": {"DataType": "Number", "StringValue": "200"},
                    "ErrorMessage": {"DataType": "String", "StringValue": str(error)[:1000]},
                    "RequestID": {"DataType": "String", "StringValue": str(uuid.uuid4())},
                },
            )

    def _deliver_records(self, source: QueueSource, url: str, messages: list[dict]) -> None:
        records = [sqs_record(message, url) for message in messages]
        try:
            result = self.runtime.invoke(source.function, {"Records": records})
        except Exception:
            log.warning(
                "%s failed on a batch of %d; the queue will redeliver it",
                source.function,
                len(records),
                exc_info=True,
            )
            return
        failed: set[str] = set()
        if source.report_item_failures and isinstance(result, dict):
            failed = {item["itemIdentifier"] for item in result.get("batchItemFailures") or []}
        for record in records:
            if record["messageId"] not in failed:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=record["receiptHandle"])

    def _run_timers(self) -> None:
        intervals = {
            name: parse_rate(schedule.expression)
            for name, schedule in self.schedules.items()
            if schedule.enabled
        }
        due = {name: time.monotonic() + interval for name, interval in intervals.items()}
        while not self.stopping.is_set():
            name = min(due, key=due.__getitem__)
            if self.stopping.wait(max(0.0, due[name] - time.monotonic())):
                return
            due[name] = time.monotonic() + intervals[name]
            try:
                with self.busy():
                    self.runtime.invoke(
                        self.schedules[name].function, scheduled_event(self.schedules[name])
                    )
            except Exception:
                log.exception("scheduled run of %s failed", name)
