"""S3: the documents bucket (saved attachments, synced mail kept as sent).

Uploads stream from file objects (multipart past a few MB), downloads are short-lived
presigned links: the function never carries a document's bytes back through the API.
"""

from __future__ import annotations

from functools import cached_property
from typing import IO, Any
from urllib.parse import quote

from botocore.exceptions import ClientError

DOWNLOAD_SECONDS = 300
MULTIPART_BYTES = 16 * 1024 * 1024


class FileStore:
    def __init__(self, bucket: str, client: Any | None = None) -> None:
        self.bucket = bucket
        self._given = client

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client, and boto3 itself (s3transfer, multiprocessing),
        cost start-up time a route may never need."""
        import boto3

        return self._given or boto3.client("s3")

    def put_file(self, key: str, body: IO[bytes], content_type: str) -> None:
        """Upload from a file object, streamed: one PutObject, or a multipart upload
        (s3transfer) past MULTIPART_BYTES."""
        size = body.seek(0, 2)
        body.seek(0)
        if size <= MULTIPART_BYTES:
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=body,
                ContentLength=size,
                ContentType=content_type,
                ServerSideEncryption="AES256",
            )
            return
        self._client.upload_fileobj(
            body,
            self.bucket,
            key,
            ExtraArgs={"ContentType": content_type, "ServerSideEncryption": "AES256"},
        )

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        self._client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )

    def get_bytes(self, key: str) -> bytes:
        return bytes(self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if str(error.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def download_link(
        self, key: str, filename: str, content_type: str, seconds: int = DOWNLOAD_SECONDS
    ) -> str:
        """A presigned GET that makes the browser save the file under `filename`."""
        disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return str(
            self._client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type,
                },
                ExpiresIn=seconds,
            )
        )
