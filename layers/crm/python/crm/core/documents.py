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


class StoredDocument(Document):
    sha256: str
    s3_key: str

    def public(self) -> Document:
        return Document.model_validate(self.model_dump(exclude={"sha256", "s3_key"}))
