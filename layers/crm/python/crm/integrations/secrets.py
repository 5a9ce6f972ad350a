"""Secrets Manager: credentials the product keeps for a firm (the mailbox password).

A secret's value is a small JSON object. It is written and read here only; it is never
logged, returned by the API, or stored anywhere else.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from botocore.exceptions import ClientError


class SecretMissing(Exception):
    """The secret a record points to is not there (deleted by hand?)."""


class SecretStore:
    def __init__(self, client: Any | None = None) -> None:
        self._given = client

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client, and boto3 itself (s3transfer, multiprocessing),
        cost start-up time a route may never need."""
        import boto3

        return self._given or boto3.client("secretsmanager")

    def put(self, name: str, value: dict[str, str], description: str = "") -> str:
        """Create the secret `name`, or give it a new value; returns its ARN."""
        text = json.dumps(value)
        try:
            created = self._client.create_secret(
                Name=name, SecretString=text, Description=description
            )
            return str(created["ARN"])
        except ClientError as error:
            if _code(error) != "ResourceExistsException":
                raise
        updated = self._client.put_secret_value(SecretId=name, SecretString=text)
        return str(updated["ARN"])

    def get(self, secret_id: str) -> dict[str, str]:
        try:
            answer = self._client.get_secret_value(SecretId=secret_id)
        except ClientError as error:
            if _code(error) == "ResourceNotFoundException":
                raise SecretMissing(secret_id) from error
            raise
        value = json.loads(answer["SecretString"])
        return {str(k): str(v) for k, v in value.items()}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
