"""Fixtures of the email-sync tests: a real Dovecot for the session, a fresh mailbox
user per test. Registered for every test package by tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dovecot import Dovecot, ImapUser


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """Dovecot on a free loopback port. Missing Dovecot is an error, not a skip."""
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def imap_user(dovecot: Dovecot) -> ImapUser:
    """A mailbox of its own (INBOX and a Sent folder flagged \\Sent)."""
    return dovecot.add_user()
