"""Attachments become documents of the accounts a message is shown on, when the firm
auto-saves them; either way the message records what became of each."""

from __future__ import annotations

from crm import clock
from crm.core import ids
from crm.core.directory import AccountRef
from crm.core.documents import StoredDocument
from crm.storage import documents
from crm.sync import mime
from crm.sync.models import StoredAttachment
from crm.sync.run import MB, Run


def save_attachments(
    run: Run, parsed: mime.Parsed, message_id: str, accounts: list[AccountRef]
) -> list[StoredAttachment]:
    saved = []
    limit_mb = run.limits.attachment_max_bytes // MB
    for attachment in parsed.attachments:
        info = StoredAttachment(
            name=attachment.name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            status="not_saved",
            reason="Auto-save attachments is off for this firm.",
        )
        if run.auto_save and attachment.too_large:
            info.status = "skipped"
            info.reason = f"Larger than the {limit_mb} MB limit for saved attachments."
        elif run.auto_save and attachment.file is not None:
            info.status, info.reason = "saved", None
            for account in accounts:
                document_id = _save_document(run, account.account_id, attachment, message_id)
                info.document_id = info.document_id or document_id
        saved.append(info)
    return saved


def _save_document(run: Run, account_id: str, attachment: mime.Attachment, message_id: str) -> str:
    """Once per account and content hash: the same file is never saved twice."""
    found = documents.existing(run.firm_id, account_id, attachment.sha256)
    if found is not None:
        return found
    key = documents.s3_key(run.firm_id, account_id, attachment.sha256)
    if attachment.file is None:  # pragma: no cover - only kept files are saved
        raise ValueError("an attachment that was not kept cannot be saved")
    run.files.put_file(key, attachment.file, attachment.content_type)
    return documents.add(
        run.firm_id,
        StoredDocument(
            document_id=ids.sortable_id("doc"),
            account_id=account_id,
            name=attachment.name,
            size=attachment.size,
            content_type=attachment.content_type,
            source="email_attachment",
            message_id=message_id,
            created_at=clock.iso(),
            sha256=attachment.sha256,
            s3_key=key,
        ),
    )
