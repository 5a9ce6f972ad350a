from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Source = Literal["email_attachment"]


class Document(BaseModel):
    document_id: str
    account_id: str
    name: str
    size: int
    content_type: str
    source: Source
    message_id: str | None
    created_at: str


class DocumentPage(BaseModel):
    items: list[Document]
    next_cursor: str | None = None


class DownloadLink(BaseModel):
    """A short-lived download link, for a page that cannot follow a 302 with its bearer
    token (`?redirect=false`): open `url` before `expires_at`."""

    url: str
    expires_at: str


class StoredDocument(Document):
    sha256: str
    s3_key: str

    def public(self) -> Document:
        return Document.model_validate(self.model_dump(exclude={"sha256", "s3_key"}))
