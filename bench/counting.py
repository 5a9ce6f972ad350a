"""Counting AWS calls with a botocore event hook on every client made while counting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.session import Session


class CallCounter:
    """Counts `before-call` events per (service, operation) on every botocore client."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[(model.service_model.service_name, model.name)] += 1

    def reset(self) -> None:
        self.calls.clear()

    def of(self, service: str) -> Counter[str]:
        return Counter({op: n for (svc, op), n in self.calls.items() if svc == service})

    def total(self, service: str) -> int:
        return sum(self.of(service).values())


@contextmanager
def counting() -> Iterator[CallCounter]:
    """Every botocore client created inside (boto3's and PynamoDB's alike) reports its
    calls to the counter. Clients are created at a function's start-up, so start the
    functions inside this block."""
    counter = CallCounter()
    original = Session.create_client

    def create_client(self: Session, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call", counter._count)
        return client

    Session.create_client = create_client  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        Session.create_client = original  # type: ignore[method-assign]
