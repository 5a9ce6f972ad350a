"""Fixtures every test package may use."""

from tests.sync_fixtures import dovecot, imap_user

__all__ = ["dovecot", "imap_user"]
