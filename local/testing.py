"""Helpers for tests against a running stack (used by tests/integration/conftest.py)."""

from __future__ import annotations

from typing import Any

import boto3
import requests

from local.template import REGION


class ApiSession(requests.Session):
    """A requests session whose paths are relative to the stack's URL: ``api.get("/v1/x")``."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return super().request(method, self.base_url + url, *args, **kwargs)


class Mailbox:
    """The mail the stack has sent, through ``GET /_local/mail`` (which waits for pending work)."""

    def __init__(self, api: ApiSession):
        self.api = api

    def all(self) -> list[dict[str, Any]]:
        response = self.api.get("/_local/mail")
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def to(self, address: str) -> list[dict[str, Any]]:
        """Every message with ``address`` among its To, Cc or Bcc (case-insensitive), oldest first."""
        wanted = address.lower()
        return [
            message
            for message in self.all()
            if wanted in {a.lower() for a in message["to"] + message["cc"] + message["bcc"]}
        ]

    def clear(self) -> None:
        self.api.post("/_local/mail/clear").raise_for_status()


def cognito_tokens(
    aws_endpoint: str, pool_id: str, client_id: str, email: str, password: str
) -> dict[str, str]:
    """Create a confirmed user straight in a pool and sign in: ``{"id": ..., "access": ...}``."""
    cognito = boto3.client("cognito-idp", endpoint_url=aws_endpoint, region_name=REGION)
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=email, Password=password, Permanent=True
    )
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )["AuthenticationResult"]
    return {"id": result["IdToken"], "access": result["AccessToken"]}
