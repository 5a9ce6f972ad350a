"""A real IMAP server for the tests and the bench: Debian's Dovecot on a free loopback
port, with its own small configuration, a temporary mail directory and a passwd-file of
users, started in a fraction of a second and stopped by its pid.

Dovecot is installed by scripts/install-system-deps.sh (`make pytest` runs it first).
When it is missing, `Dovecot.start()` raises: the email-sync tests fail, never skip.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient  # type: ignore[import-untyped]

SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
START_SECONDS = 10.0
POOL = 200  # users written before Dovecot starts


class DovecotMissing(RuntimeError):
    pass


def _binary(name: str) -> str:
    found = shutil.which(name, path=SEARCH_PATH)
    if found is None:
        raise DovecotMissing(
            f"{name} is not installed: run `make system-deps` (scripts/install-system-deps.sh "
            "installs Debian's dovecot-imapd)"
        )
    return found


def _line(user: ImapUser) -> str:
    return f"{user.name}:{{PLAIN}}{user.password}\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
        root = self.server.mail_root / self.name
        return root if folder == "INBOX" else root / f".{folder}"

    def write_maildir(self, messages: Iterable[bytes], folder: str = "INBOX") -> int:
        """Put messages straight into the Maildir (fast bulk loading): Dovecot gives them
        UIDs in file-name order when the folder is next opened."""
        base = self.maildir(folder)
        for sub in ("cur", "new", "tmp"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        count = 0
        stamp = int(time.time())
        for count, raw in enumerate(messages, start=1):
            (base / "cur" / f"{stamp}.M{count:08d}P1.bench:2,S").write_bytes(raw)
        self.server.own(self.server.mail_root / self.name)
        return count

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


class Dovecot:
    """`Dovecot().start()`, `.add_user()`, `.stop()`."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="crm-dovecot-"))
        self.root.chmod(0o755)  # the login and mail processes run as other users
        self.mail_root = self.root / "mail"
        self.config = self.root / "dovecot.conf"
        self.passwd = self.root / "passwd"
        self.log = self.root / "dovecot.log"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._pool: list[ImapUser] = []
        root = os.geteuid() == 0
        self.mail_user = "mail" if root else getpass.getuser()
        self._mail_ids = (pwd.getpwnam(self.mail_user).pw_uid, pwd.getpwnam(self.mail_user).pw_gid)

    def _configuration(self) -> str:
        root = os.geteuid() == 0
        internal = "dovecot" if root else self.mail_user
        login = "dovenull" if root else self.mail_user
        uid, gid = self._mail_ids
        return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{self.mail_root}/%u
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
first_valid_gid = {gid}
default_internal_user = {internal}
default_login_user = {login}
mail_max_userip_connections = 100
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = static
  args = home={self.root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""

    def own(self, path: Path) -> None:
        """Files the test wrote belong to the mail user, as Dovecot's own do."""
        if os.geteuid() != 0:
            return
        uid, gid = self._mail_ids
        os.chown(path, uid, gid)
        for inside in path.rglob("*"):
            os.chown(inside, uid, gid)

    def start(self) -> Dovecot:
        binary = _binary("dovecot")
        self.port = _free_port()
        self.mail_root.mkdir()
        self.own(self.mail_root)
        self._pool = [self._new_user() for _ in range(POOL)]
        self.passwd.write_text("".join(map(_line, self._pool)))
        self.config.write_text(self._configuration())
        self._process = subprocess.Popen(  # noqa: S603
            [binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot exited{self._log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.port}{self._log_tail()}")

    def _log_tail(self) -> str:
        return "\n" + self.log.read_text()[-2000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None
        shutil.rmtree(self.root, ignore_errors=True)

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

    def write_passwd(self, text: str) -> None:
        """Change the passwd-file and wait until Dovecot sees it (it looks at most once a
        second, for a new mtime)."""
        before = self.passwd.stat().st_mtime if self.passwd.exists() else 0
        self.passwd.write_text(text)
        stamp = max(time.time(), before + 1)
        os.utime(self.passwd, (stamp, stamp))
        if self._process is not None:
            time.sleep(1.1)

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [_binary("doveadm"), "-c", str(self.config), *args],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: {done.stderr.decode()}")
        return done.stdout.decode()
