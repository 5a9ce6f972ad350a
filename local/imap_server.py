"""A real IMAP server on loopback: Debian's Dovecot on a free port, with its own small
configuration, a temporary directory (mail, state, log) and a passwd-file of logins,
started in a fraction of a second and stopped by its pid.

The local stack runs one for the demo firm's mailbox (local/demo.py); the tests and the
bench run theirs through tests/dovecot.py, which builds on :class:`ImapServer`.
Dovecot is Debian's dovecot-imapd (scripts/install-system-deps.sh installs it); when it
is missing, :meth:`ImapServer.start` raises :class:`DovecotMissing`.
"""

from __future__ import annotations

import getpass
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Self

SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
START_SECONDS = 10.0


class DovecotMissing(RuntimeError):
    pass


def dovecot_binary(name: str) -> str:
    """The path of ``dovecot`` or ``doveadm`` (DovecotMissing if not installed)."""
    found = shutil.which(name, path=SEARCH_PATH)
    if found is None:
        raise DovecotMissing(
            f"{name} is not installed: run `make system-deps` (scripts/install-system-deps.sh "
            "installs Debian's dovecot-imapd)"
        )
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def passwd_line(name: str, password: str) -> str:
    return f"{name}:{{PLAIN}}{password}\n"


class ImapServer:
    """``ImapServer().start()``, ``.add_login()``, ``.write_maildir()``, ``.stop()``.

    Logins written before :meth:`start` work at once; Dovecot re-reads the passwd-file at
    most once a second, so :meth:`write_passwd` waits for it when the server runs.
    """

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="crm-dovecot-"))
        self.root.chmod(0o755)  # the login and mail processes run as other users
        self.mail_root = self.root / "mail"
        self.config = self.root / "dovecot.conf"
        self.passwd = self.root / "passwd"
        self.log = self.root / "dovecot.log"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._written = 0  # messages written to a Maildir so far: unique file names
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

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def own(self, path: Path) -> None:
        """Files written here belong to the mail user, as Dovecot's own do."""
        if os.geteuid() != 0:
            return
        uid, gid = self._mail_ids
        os.chown(path, uid, gid)
        for inside in path.rglob("*"):
            os.chown(inside, uid, gid)

    def start(self) -> Self:
        binary = dovecot_binary("dovecot")
        self.port = free_port()
        self.mail_root.mkdir(exist_ok=True)
        self.own(self.mail_root)
        if not self.passwd.exists():
            self.passwd.write_text("")
        self.config.write_text(self._configuration())
        self._process = subprocess.Popen(  # noqa: S603
            [binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot exited{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.port}{self.log_tail()}")

    def log_tail(self) -> str:
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

    def add_login(self, name: str, password: str) -> None:
        """A mailbox login (at once before start; within a second or so after)."""
        text = self.passwd.read_text() if self.passwd.exists() else ""
        self.write_passwd(text + passwd_line(name, password))

    def write_passwd(self, text: str) -> None:
        """Change the passwd-file and wait until Dovecot sees it (it looks at most once a
        second, for a new mtime)."""
        before = self.passwd.stat().st_mtime if self.passwd.exists() else 0
        self.passwd.write_text(text)
        stamp = max(time.time(), before + 1)
        os.utime(self.passwd, (stamp, stamp))
        if self._process is not None:
            time.sleep(1.1)

    def maildir(self, user: str, folder: str = "INBOX") -> Path:
        root = self.mail_root / user
        return root if folder == "INBOX" else root / f".{folder}"

    def write_maildir(self, user: str, messages: Iterable[bytes], folder: str = "INBOX") -> int:
        """Put messages straight into a user's Maildir (fast bulk loading): Dovecot gives
        them UIDs in file-name order when the folder is next opened. Returns how many."""
        base = self.maildir(user, folder)
        for sub in ("cur", "new", "tmp"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        before = self._written
        stamp = int(time.time())
        for raw in messages:
            self._written += 1
            (base / "cur" / f"{stamp}.M{self._written:08d}P1.local:2,S").write_bytes(raw)
        self.own(self.mail_root / user)
        return self._written - before

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [dovecot_binary("doveadm"), "-c", str(self.config), *args],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: {done.stderr.decode()}")
        return done.stdout.decode()
