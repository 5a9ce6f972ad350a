"""Reading an account's documents; downloads are presigned links, never bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from crm import clock
from crm.core.caller import Staff
from crm.core.documents import DocumentPage, DownloadLink
from crm.integrations.files import DOWNLOAD_SECONDS, FileStore
from crm.storage import directory
from crm.storage import documents as store


@dataclass
class DocumentService:
    files: FileStore

    def list(self, caller: Staff, account_id: str, cursor: str | None, limit: int) -> DocumentPage:
        directory.get_account(caller.firm_id, account_id)  # another firm's id: 404
        return store.list_documents(caller.firm_id, account_id, cursor, limit)

    def download_link(self, caller: Staff, document_id: str) -> DownloadLink:
        document = store.get(caller.firm_id, document_id)
        expires_at = clock.iso(clock.now() + timedelta(seconds=DOWNLOAD_SECONDS))
        url = self.files.download_link(
            document.s3_key, document.name, document.content_type, DOWNLOAD_SECONDS
        )
        return DownloadLink(url=url, expires_at=expires_at)
