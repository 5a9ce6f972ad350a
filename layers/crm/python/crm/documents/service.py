"""Reading an account's documents; downloads are presigned links, never bytes."""

from __future__ import annotations

from dataclasses import dataclass

from crm.core.caller import Staff
from crm.core.documents import DocumentPage
from crm.integrations.files import FileStore
from crm.storage import directory
from crm.storage import documents as store


@dataclass
class DocumentService:
    files: FileStore

    def list(self, caller: Staff, account_id: str, cursor: str | None, limit: int) -> DocumentPage:
        directory.get_account(caller.firm_id, account_id)  # another firm's id: 404
        return store.list_documents(caller.firm_id, account_id, cursor, limit)

    def download_link(self, caller: Staff, document_id: str) -> str:
        document = store.get(caller.firm_id, document_id)
        return self.files.download_link(document.s3_key, document.name, document.content_type)
