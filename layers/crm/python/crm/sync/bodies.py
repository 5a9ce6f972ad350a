"""Message bodies too large for their DynamoDB item (400 KB) live in S3 beside it."""

from __future__ import annotations

import json

from crm.integrations.files import FileStore
from crm.sync.models import StoredMessage

INLINE_BYTES = 300_000


def spill(
    files: FileStore, firm_id: str, message: StoredMessage, limit: int = INLINE_BYTES
) -> StoredMessage:
    """The message to store: as is when small; else its text and HTML go to S3 and the
    item keeps the beginning of the text (for a quick look and the snippet)."""
    if len(message.text.encode()) + len(message.html.encode()) <= limit:
        return message
    key = f"firms/{firm_id}/mail/{message.message_id}.json"
    body = json.dumps({"text": message.text, "html": message.html}).encode()
    files.put_bytes(key, body, "application/json")
    return message.model_copy(
        update={"text": message.text[: limit // 8], "html": "", "body_key": key}
    )


def load(files: FileStore, message: StoredMessage) -> tuple[str, str]:
    """The whole text and HTML of a stored message."""
    if message.body_key is None:
        return message.text, message.html
    body = json.loads(files.get_bytes(message.body_key))
    return str(body.get("text", "")), str(body.get("html", ""))
