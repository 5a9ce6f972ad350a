"""Fixtures for tests against the local stack, started once per session in this process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from local import Stack, start_stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The whole stack (moto, resources, functions, gateway) on a free port, not seeded.

    Schedules do not run on their timers: run them with ``POST /_local/schedules/{name}``.
    """
    running = start_stack(port=0, seed=False, timers=False)
    yield running
    running.stop()


class ApiSession(requests.Session):
    """A requests session whose paths are relative to the stack's URL: ``api.get("/v1/x")``."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url

    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return super().request(method, self.base_url + url, *args, **kwargs)


@pytest.fixture
def api(stack: Stack) -> Iterator[ApiSession]:
    with ApiSession(stack.api_url) as session:
        yield session


class Mailbox:
    """The mail the stack has sent (``GET /_local/mail``, which waits for pending work)."""

    def __init__(self, api: ApiSession):
        self.api = api

    def all(self) -> list[dict[str, Any]]:
        response = self.api.get("/_local/mail")
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def to(self, address: str) -> list[dict[str, Any]]:
        """Every message with ``address`` among its To, Cc or Bcc (case-insensitive)."""
        wanted = address.lower()
        return [
            message
            for message in self.all()
            if wanted in {a.lower() for a in message["to"] + message["cc"] + message["bcc"]}
        ]

    def clear(self) -> None:
        self.api.post("/_local/mail/clear").raise_for_status()


@pytest.fixture
def mail(api: ApiSession) -> Mailbox:
    return Mailbox(api)
