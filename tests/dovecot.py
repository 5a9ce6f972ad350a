"""A real IMAP server for the tests and the bench: local/imap_server.py's Dovecot (a free
loopback port, its own small configuration, a temporary mail directory), with a pool of
users written before it starts, and an imapclient session per user.

Dovecot is installed by scripts/install-system-deps.sh (`make pytest` runs it first).
When it is missing, `Dovecot.start()` raises: the email-sync tests fail, never skip.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from imapclient import IMAPClient  # type: ignore[import-untyped]

from local.imap_server import DovecotMissing, ImapServer, passwd_line

__all__ = ["Dovecot", "DovecotMissing", "ImapUser"]

POOL = 200  # users written before Dovecot starts


def _line(user: ImapUser) -> str:
    return passwd_line(user.name, user.password)


@dataclass(frozen=True)
class ImapUser:
    server: Dovecot
    name: str
    password: str

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """A logged-in imapclient session of this user (the test's own, not the product's)."""
        client = IMAPClient("127.0.0.1", port=self.server.port, ssl=False, timeout=10)
        try:
            client.login(self.name, self.password)
            yield client
        finally:
            with contextlib.suppress(Exception):  # already gone is fine here
                client.logout()

    def append(self, raw: bytes, folder: str = "INBOX") -> int:
        """Deliver one message; returns its UID."""
        return self.append_many([raw], folder)[0]

    def append_many(self, messages: Iterable[bytes], folder: str = "INBOX") -> list[int]:
        uids = []
        with self.client() as client:
            for raw in messages:
                answer = client.append(folder, raw)
                uids.append(int(answer.split(b"APPENDUID ", 1)[1].split()[1].rstrip(b"]")))
        return uids

    def maildir(self, folder: str = "INBOX") -> Path:
        return self.server.maildir(self.name, folder)

    def write_maildir(self, messages: Iterable[bytes], folder: str = "INBOX") -> int:
        """Put messages straight into the Maildir (fast bulk loading): Dovecot gives them
        UIDs in file-name order when the folder is next opened."""
        return self.server.write_maildir(self.name, messages, folder)

    def change_uidvalidity(self, folder: str = "INBOX") -> None:
        """Forget the folder's UIDs: Dovecot numbers its messages again under a new
        UIDVALIDITY, as a server does after a restore or a migration."""
        base = self.maildir(folder)
        for path in base.iterdir():
            if path.name.startswith(("dovecot-uidlist", "dovecot.index", "dovecot-uidvalidity")):
                path.unlink()
        self.server.doveadm("mailbox", "update", "-u", self.name, "--uid-validity",
                            str(int(time.time()) + 1000), folder)  # fmt: skip

    def folder_status(self, folder: str = "INBOX") -> dict[bytes, int]:
        with self.client() as client:
            return dict(client.folder_status(folder, ["UIDVALIDITY", "UIDNEXT", "MESSAGES"]))


class Dovecot(ImapServer):
    """`Dovecot().start()`, `.add_user()`, `.stop()`."""

    def __init__(self) -> None:
        super().__init__()
        self._pool: list[ImapUser] = []

    def start(self) -> Self:
        self._pool = [self._new_user() for _ in range(POOL)]
        self.passwd.write_text("".join(map(_line, self._pool)))
        return super().start()

    def add_user(self) -> ImapUser:
        """A user of its own. Users are written to the passwd-file before Dovecot
        starts: it re-reads the file at most once a second, so a user added later would
        not log in at once."""
        if not self._pool:
            self._pool = [self._new_user() for _ in range(POOL)]
            self.write_passwd(self.passwd.read_text() + "".join(map(_line, self._pool)))
        return self._pool.pop()

    def _new_user(self) -> ImapUser:
        return ImapUser(
            self, f"firm-{uuid.uuid4().hex[:10]}@mail.example", f"pw-{uuid.uuid4().hex}"
        )
