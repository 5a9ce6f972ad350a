"""DynamoDB streams as Lambda's event source mapping reads them, for the local stack.

A :class:`StreamPoller` per stream event source of the template reads the table's stream
through the DynamoDB Streams API of the moto server, filters the records with the event
source's FilterCriteria, and invokes the function with batches of them.
"""

from __future__ import annotations

import base64
import json
import logging
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from local import moto_streams
from local.delivery import POLL_WAIT_SECONDS, RETRY_AFTER_SECONDS, DeadLetter, Delivery
from local.resources import aws_client
from local.template import ACCOUNT_ID, REGION, StreamSource

log = logging.getLogger("local.streams")

POLL_SECONDS = 0.05  # how often an idle poller looks for new records
SHARDS_REFRESH_SECONDS = 10  # how often it asks for the stream's shards


class StreamPoller:
    """Reads a table's stream through the DynamoDB Streams API, as Lambda's event source
    mapping does: records in order, filtered, in batches; one thread for all the shards.

    Per shard, the checkpoint is the sequence number of the last record handled (passed
    the filter or went to the function and succeeded). A batch the function fails on is
    tried again after RETRY_AFTER_SECONDS: from the first record it reports
    (``batchItemFailures``, the records before it are not sent again), or whole when it
    raises. Past ``MaximumRetryAttempts`` (-1: never) the batch is set aside, in
    ``Delivery.dead_letters`` and the on-failure queue. Handled records are trimmed from
    moto's stream (local/moto_streams.py), which would otherwise keep them for ever.
    """

    def __init__(self, delivery: Delivery, source: StreamSource, table_name: str, stream_arn: str):
        self.delivery = delivery
        self.source = source
        self.table_name = table_name
        self.stream_arn = stream_arn
        self.client = aws_client("dynamodbstreams", delivery.aws_endpoint)
        self.checkpoints: dict[str, int | None] = {}  # shard id -> last sequence number done
        self._attempts: dict[str, tuple[str, int]] = {}  # shard id -> (record, failed tries)
        self._retry_at: dict[str, float] = {}  # shard id -> when to try that batch again
        self._shards_read_at: float | None = None  # when describe_stream last answered

    def pending(self) -> bool:
        """True while the stream holds a record this poller has not handled yet."""
        newest = moto_streams.last_sequence_number(self.table_name)
        if newest is None:
            return False
        done = [number for number in self.checkpoints.values() if number is not None]
        return not done or newest > max(done)

    def run(self) -> None:
        failing = False
        stopping = self.delivery.stopping
        while not stopping.is_set():
            try:
                worked = self.pending() and self.poll()
                failing = False
            except (BotoCoreError, ClientError) as error:
                if not failing:  # moto was reset under us, or is going away
                    log.warning("cannot read the stream of %s: %s", self.table_name, error)
                failing, worked = True, False
                self._shards_read_at = None
            if not worked:
                stopping.wait(POLL_WAIT_SECONDS if failing else POLL_SECONDS)

    def poll(self) -> bool:
        """Read and hand over one batch of each shard that has records; True if any did."""
        read_at = self._shards_read_at
        if read_at is None or time.monotonic() - read_at > SHARDS_REFRESH_SECONDS:
            description = self.client.describe_stream(StreamArn=self.stream_arn)
            for shard in description["StreamDescription"]["Shards"]:
                self.checkpoints.setdefault(shard["ShardId"], self._start())
            self._shards_read_at = time.monotonic()
        worked = False
        for shard_id in list(self.checkpoints):
            if time.monotonic() >= self._retry_at.get(shard_id, 0.0):
                worked = self._poll_shard(shard_id) or worked
        return worked

    def _start(self) -> int | None:
        """The checkpoint a new shard starts from: before its first record (TRIM_HORIZON),
        or its newest record (LATEST)."""
        if self.source.starting_position == "LATEST":
            return moto_streams.last_sequence_number(self.table_name)
        return None

    def _trim(self) -> None:
        """Drop from moto's stream the records every poller of the table is past."""
        done: list[int] = []
        for poller in self.delivery.stream_pollers:
            if poller.table_name == self.table_name:
                numbers = list(poller.checkpoints.values())
                if not numbers or None in numbers:
                    return
                done.extend(number for number in numbers if number is not None)
        moto_streams.trim(self.table_name, min(done))

    def _poll_shard(self, shard_id: str) -> bool:
        checkpoint = self.checkpoints[shard_id]
        position: dict[str, str] = (
            {"ShardIteratorType": "TRIM_HORIZON"}
            if checkpoint is None
            else {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": str(checkpoint)}
        )
        iterator = self.client.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard_id, **position
        )["ShardIterator"]
        read = self.client.get_records(ShardIterator=iterator, Limit=1000)["Records"]
        if not read:
            return False
        batch: list[dict[str, Any]] = []
        last = read[-1]  # the last record this batch covers, handed over or filtered out
        for record in read:
            if passes(self.source.filter_patterns, record):
                if len(batch) == self.source.batch_size:
                    break
                batch.append(_lambda_record(record, self.stream_arn))
            last = record
        with self.delivery.busy():
            failed_at = self._hand_over(batch) if batch else None
            if failed_at is None:
                self._done(shard_id, int(last["dynamodb"]["SequenceNumber"]))
            else:
                self._failed(shard_id, read, batch, failed_at)
            self._trim()
        return True

    def _hand_over(self, batch: list[dict[str, Any]]) -> int | None:
        """Invoke the function; the position in ``batch`` to retry from (None: all done)."""
        try:
            result = self.delivery.runtime.invoke(self.source.function, {"Records": batch})
        except Exception:
            log.warning(
                "%s failed on a batch of %d stream records; retrying it whole in %s s",
                self.source.function,
                len(batch),
                RETRY_AFTER_SECONDS,
                exc_info=True,
            )
            return 0
        failures = result.get("batchItemFailures") if isinstance(result, dict) else None
        if not (self.source.report_item_failures and failures):
            return None
        numbers = [record["dynamodb"]["SequenceNumber"] for record in batch]
        reported = [item.get("itemIdentifier") for item in failures]
        # As Lambda: the lowest one reported; one that is not in the batch fails it whole.
        if not all(number in numbers for number in reported):
            return 0
        position = min(numbers.index(number) for number in reported)
        log.info(
            "%s reported record %s of its batch failed; retrying from it in %s s",
            self.source.function,
            numbers[position],
            RETRY_AFTER_SECONDS,
        )
        return position

    def _done(self, shard_id: str, through: int) -> None:
        self.checkpoints[shard_id] = through
        self._attempts.pop(shard_id, None)
        self._retry_at.pop(shard_id, None)

    def _failed(
        self, shard_id: str, read: list[dict[str, Any]], batch: list[dict[str, Any]], at: int
    ) -> None:
        """Everything before record ``at`` of the batch is done; the rest is tried again,
        or set aside after the last retry."""
        first = batch[at]["dynamodb"]["SequenceNumber"]
        numbers = [record["dynamodb"]["SequenceNumber"] for record in read]
        before = numbers.index(first) - 1
        if before >= 0:
            self.checkpoints[shard_id] = int(numbers[before])
        record, attempts = self._attempts.get(shard_id, (first, 0))
        attempts = attempts + 1 if record == first else 1
        if 0 <= self.source.max_retry_attempts < attempts:
            self._set_aside(shard_id, batch[at:])
            self._done(shard_id, int(batch[-1]["dynamodb"]["SequenceNumber"]))
            return
        self._attempts[shard_id] = (first, attempts)
        self._retry_at[shard_id] = time.monotonic() + RETRY_AFTER_SECONDS

    def _set_aside(self, shard_id: str, records: list[dict[str, Any]]) -> None:
        """What Lambda sends the on-failure destination of a stream: where the records are,
        not the records themselves."""
        info = {
            "shardId": shard_id,
            "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"],
            "batchSize": len(records),
            "streamArn": self.stream_arn,
        }
        log.error("%s: retries exhausted, batch set aside: %s", self.source.function, info)
        self.delivery.dead_letters.append(
            DeadLetter(self.source.function, {"DDBStreamBatchInfo": info}, "RetryAttemptsExhausted")
        )
        if self.source.on_failure:
            queue = self.source.on_failure.rsplit(":", 1)[-1]
            url = self.delivery.sqs.get_queue_url(QueueName=queue)["QueueUrl"]
            body = {
                "version": "1.0",
                "timestamp": datetime.now(UTC).isoformat(),
                "requestContext": {
                    "requestId": str(uuid.uuid4()),
                    "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:"
                    + self.delivery.runtime.spec(self.source.function).physical_name,
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": self.source.max_retry_attempts + 1,
                },
                "DDBStreamBatchInfo": info,
            }
            self.delivery.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A record as GetRecords answers it, as Lambda hands it to a function: with its
    stream's ARN, times as epoch seconds, binary values in base64."""
    return {**_as_event_json(record), "eventSourceARN": stream_arn}


def _as_event_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_event_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_event_json(item) for item in value]
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


# ---------------------------------------------------------------------------- filtering


def passes(patterns: tuple[Mapping[str, Any], ...], record: Mapping[str, Any]) -> bool:
    """Lambda's FilterCriteria: a record goes to the function when any pattern matches it
    (no pattern: every record)."""
    return not patterns or any(matches(pattern, record) for pattern in patterns)


def matches(pattern: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    """The part of EventBridge's pattern syntax that filters use here: nested keys, lists
    of the values allowed (a value that is a list matches when one of its items does),
    ``{"exists": bool}`` and ``{"prefix": "..."}``."""
    for key, expected in pattern.items():
        if isinstance(expected, Mapping):
            inner = value.get(key)
            if not (isinstance(inner, Mapping) and matches(expected, inner)):
                return False
        elif not any(_allows(rule, key in value, value.get(key)) for rule in expected):
            return False
    return True


def _allows(rule: Any, present: bool, actual: Any) -> bool:
    if isinstance(rule, Mapping):
        ((operator, operand),) = rule.items()
        if operator == "exists":
            return present is bool(operand)
        if operator == "prefix":
            return present and isinstance(actual, str) and actual.startswith(operand)
        raise ValueError(f"the filter operator {operator!r} is not supported locally")
    if not present:
        return False
    candidates = actual if isinstance(actual, list) else [actual]
    return any(candidate == rule and type(candidate) is type(rule) for candidate in candidates)
