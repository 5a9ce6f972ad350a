"""Binding the table at start-up, transactions, and DynamoDB errors as domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

__all__ = ["TransactWrite", "condition_failed", "connect", "transaction"]

from crm.errors import Conflict, DomainError
from crm.settings import Settings
from crm.storage import items


def connect(settings: Settings) -> None:
    """Bind the item kinds to the configured table, all through one connection (one
    botocore client per process, shared by threads). Call once when a function starts."""
    items.bind(settings.table_name, settings.aws_region)


def _connection() -> Connection:
    """The connection every item kind uses: transactions go through it too."""
    return items.Item._get_connection().connection


def condition_failed(error: Exception) -> bool:
    """True when a write failed only because one of its conditions did not hold."""
    if isinstance(error, TransactWriteError):
        reasons = getattr(error, "cancellation_reasons", None) or []
        return any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons)
    if isinstance(error, PutError | UpdateError | DeleteError):
        return error.cause_response_code == "ConditionalCheckFailedException"
    return False


def failed_conditions(error: BaseException) -> set[int]:
    """The positions, in write order, of a cancelled transaction's items whose condition
    did not hold, in the order PynamoDB sends them: condition checks, deletes, puts, updates."""
    cause = error if isinstance(error, TransactWriteError) else error.__cause__
    reasons = getattr(cause, "cancellation_reasons", None) or []
    return {
        i for i, r in enumerate(reasons) if r is not None and r.code == "ConditionalCheckFailed"
    }


def _concurrent() -> Conflict:
    return Conflict(
        "Someone else changed this at the same time; read it again and retry.",
        code="concurrent_change",
    )


@contextmanager
def transaction(conflict: DomainError | None = None) -> Iterator[TransactWrite]:
    """A DynamoDB transaction (one TransactWriteItems call). A failed condition becomes
    `conflict` (by default: someone else changed the same thing first)."""
    try:
        with TransactWrite(connection=_connection()) as tx:
            yield tx
    except TransactWriteError as error:
        if condition_failed(error):
            raise conflict or _concurrent() from error
        raise
