"""An SQS queue of work: messages sent ten per call, and the dead-letter queue a worker
moves a message to, with its reason, when retrying it would not help."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

BATCH = 10  # SendMessageBatch takes at most 10 entries


class SendFailed(Exception):
    """SQS did not take some of the messages."""


@dataclass
class WorkQueue:
    url: str
    client: Any | None = None

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client costs start-up time."""
        if self.client is not None:
            return self.client
        import boto3

        return boto3.client("sqs")

    def send(self, bodies: Sequence[dict[str, Any]], delay_seconds: int = 0) -> None:
        for start in range(0, len(bodies), BATCH):
            batch = bodies[start : start + BATCH]
            answer = self._client.send_message_batch(
                QueueUrl=self.url,
                Entries=[
                    {"Id": str(n), "MessageBody": json.dumps(body), "DelaySeconds": delay_seconds}
                    for n, body in enumerate(batch)
                ],
            )
            if answer.get("Failed"):
                raise SendFailed(f"{len(answer['Failed'])} of {len(batch)} messages not sent")

    def set_aside(self, body: str, reason: str, detail: str) -> None:
        """Keep a message no retry can help, with why (as message attributes)."""
        self._client.send_message(
            QueueUrl=self.url,
            MessageBody=body,
            MessageAttributes={
                "Reason": {"DataType": "String", "StringValue": reason[:256]},
                "Detail": {"DataType": "String", "StringValue": detail[:1000] or reason[:256]},
            },
        )
