"""Documents in DynamoDB: by id in the firm's documents partition (the download knows
only the id) and in the account's partition (the list, newest first), with a guard per
content hash so the same bytes are saved once per account."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from crm.core.documents import DocumentPage, StoredDocument
from crm.errors import AlreadyExists, NotFound
from crm.storage import keys, paging
from crm.storage.mail_items import DocumentHashItem, DocumentItem
from crm.storage.table import transaction

NOT_FOUND = "This document does not exist."


def s3_key(firm_id: str, account_id: str, sha256: str) -> str:
    """Where the bytes live: under the firm and the account, named by their hash."""
    return f"firms/{firm_id}/accounts/{account_id}/documents/{sha256}"


def existing(firm_id: str, account_id: str, sha256: str) -> str | None:
    """The id of the document of this account that holds these bytes, if any."""
    try:
        item = DocumentHashItem.get(
            keys.account_documents(firm_id, account_id), f"HASH#{sha256}", consistent_read=True
        )
    except DoesNotExist:
        return None
    return item.document_id


def add(firm_id: str, document: StoredDocument) -> str:
    """Save a document; when the account has these bytes already, nothing is written and
    the id of the one saved first is returned."""
    try:
        with transaction(AlreadyExists("document")) as tx:
            tx.save(
                DocumentHashItem(
                    pk=keys.account_documents(firm_id, document.account_id),
                    sk=f"HASH#{document.sha256}",
                    document_id=document.document_id,
                ),
                condition=DocumentHashItem.pk.does_not_exist(),
            )
            tx.save(_item(keys.documents(firm_id), document))
            tx.save(_item(keys.account_documents(firm_id, document.account_id), document))
    except AlreadyExists:
        first = existing(firm_id, document.account_id, document.sha256)
        if first is None:  # pragma: no cover - the guard exists if its condition failed
            raise
        return first
    return document.document_id


def get(firm_id: str, document_id: str) -> StoredDocument:
    try:
        item = DocumentItem.get(keys.documents(firm_id), f"DOC#{document_id}")
    except DoesNotExist as error:
        raise NotFound(NOT_FOUND) from error
    return _document(item)


def list_documents(firm_id: str, account_id: str, cursor: str | None, limit: int) -> DocumentPage:
    partition = keys.account_documents(firm_id, account_id)
    result = DocumentItem.query(
        partition,
        DocumentItem.sk.startswith("DOC#"),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor, partition, sort_prefix="DOC#"),
    )
    items = [_document(item).public() for item in result]
    return DocumentPage(items=items, next_cursor=paging.encode(result.last_evaluated_key))


def _item(partition: str, document: StoredDocument) -> DocumentItem:
    return DocumentItem(
        pk=partition,
        sk=f"DOC#{document.document_id}",
        document_id=document.document_id,
        account_id=document.account_id,
        name=document.name,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        s3_key=document.s3_key,
        source=document.source,
        message_id=document.message_id,
        created_at=document.created_at,
    )


def _document(item: DocumentItem) -> StoredDocument:
    return StoredDocument(
        document_id=item.document_id,
        account_id=item.account_id,
        name=item.name,
        size=int(item.size),
        content_type=item.content_type,
        source=item.source,  # type: ignore[arg-type]
        message_id=item.message_id,
        created_at=item.created_at,
        sha256=item.sha256,
        s3_key=item.s3_key,
    )
