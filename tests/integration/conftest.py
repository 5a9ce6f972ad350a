"""Fixtures for tests against the local stack, started once per session in this process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local import Stack, start_stack
from local.testing import ApiSession, Mailbox


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """test_demo.py's seeded stack runs before this package's stack starts: two stacks of
    one template cannot share the moto server (their tables have the same names). So its
    tests go first among this package's, whatever order the files were named in."""
    here = Path(__file__).parent
    slots = [n for n, item in enumerate(items) if item.path.is_relative_to(here)]
    ordered = sorted((items[n] for n in slots), key=lambda item: item.path.name != "test_demo.py")
    for n, item in zip(slots, ordered, strict=True):
        items[n] = item


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
