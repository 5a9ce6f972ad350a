"""Fixtures for tests against the local stack, started once per session in this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local import Stack, start_stack
from local.testing import ApiSession, Mailbox


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    """The whole stack (moto, resources, functions, gateway) on a free port, not seeded.

    It lives until the last test of this package (the whole session if tests/integration
    has no __init__.py), then stops and puts the process environment back.

    Schedules do not run on their timers here: run one with ``POST /_local/schedules/{name}``.
    After an API call that publishes events, ``stack.wait_idle()`` waits for their effects.
    """
    running = start_stack(port=0, seed=False, timers=False)
    yield running
    running.stop()


@pytest.fixture
def api(stack: Stack) -> Iterator[ApiSession]:
    """A requests session bound to the stack's URL: ``api.post("/v1/firms", json=...)``."""
    with ApiSession(stack.api_url) as session:
        yield session


@pytest.fixture
def mail(api: ApiSession) -> Mailbox:
    """The mail sent so far: ``mail.all()``, ``mail.to(address)``, ``mail.clear()``."""
    return Mailbox(api)
