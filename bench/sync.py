"""Email sync (issue 5), against Dovecot and the template's resources in moto.

- A run with no new mail: the IMAP commands it sends, and its body fetches, as the
  mailbox grows (goal: the same few commands, zero bodies).
- The first sync of a mailbox of 5,000 messages, 200 of them with synced addresses: its
  time as a ratio to bare imapclient doing the least any client must do, in the same
  run (the envelopes of all 5,000, then the bodies of the 200; goal: at most 2).
- Its peak memory (tracemalloc) for 5,000 against 20,000 messages (goal: not growing
  with the mailbox).

Mailboxes are written straight into Maildir files and indexed by Dovecot once before
anything is timed, so both sides read the same warm server. Before each timed run the
heap is collected and frozen (`gc.freeze()`): the moto world this process holds would
otherwise be walked by every garbage collection of the run, a cost no Lambda has. The
time spent inside AWS calls (in-process moto here, the network on AWS) is reported
apart.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import botocore.client
from imapclient import IMAPClient  # type: ignore[import-untyped]

from bench.stack import in_process, set_environment
from crm import runtime
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretStore
from crm.storage import firms
from crm.sync import history_store, mailbox_store, matching_store, message_store
from crm.sync.engine import SyncEngine
from crm.sync.run import RunReport
from tests.dovecot import Dovecot, ImapUser
from tests.unit.conftest import Api

SYNCED = 200  # messages from or to synced addresses
CLIENTS = 20  # synced addresses, 10 messages each
SIZES = (5_000, 20_000)
RUNS = 3


@dataclass
class Figures:
    quiet: dict[int, dict[str, int]]  # mailbox size -> commands of a run with no new mail
    quiet_bodies: dict[int, int]
    first: RunReport
    ours: float
    bare: float
    aws: float  # of `ours`: inside AWS calls
    aws_calls: int
    peaks: dict[int, float]  # mailbox size -> MB


def _message(n: int, sender: str, to: str, rng: random.Random) -> bytes:
    """A typical small message: a text part and its HTML alternative (written as text:
    the standard library's EmailMessage is too slow for 25,000 of them)."""
    subject = rng.choice(["Invoice", "Re: Tax return", "Meeting", "Documents"])
    date = format_datetime(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n))
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * rng.randint(4, 40)
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: Message {n}: {subject}\r\n"
        f"Date: {date}\r\nMessage-ID: <bench-{n}@mail.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n'
        f'{paragraph}\r\n--b1\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n'
        f"<html><body><p>{paragraph}</p></body></html>\r\n--b1--\r\n"
    ).encode()


def _mailbox(user: ImapUser, size: int) -> None:
    """`size` messages, SYNCED of them from the clients, spread through the mailbox."""
    rng = random.Random(size)
    synced = set(rng.sample(range(size), SYNCED))

    def messages() -> Iterator[bytes]:
        for n in range(size):
            if n in synced:
                sender = f"client{n % CLIENTS}@clients.example"
            else:
                sender = f"sender{rng.randrange(size // 2)}@elsewhere.example"
            yield _message(n, sender, user.name, rng)

    user.write_maildir(messages())
    with _imapclient(user) as client:  # Dovecot indexes the folder and caches envelopes
        client.select_folder("INBOX", readonly=True)
        for first in range(1, size + 1, 1000):
            client.fetch(list(range(first, first + 1000)), ["ENVELOPE", "RFC822.SIZE"])


@contextmanager
def _frozen_heap() -> Iterator[None]:
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class AwsTime:
    """Time spent inside botocore calls (moto answers them in this process)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    @contextmanager
    def measuring(self) -> Iterator[None]:
        base: Any = botocore.client.BaseClient
        original = base._make_api_call

        def timed(client: Any, operation: str, params: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(client, operation, params)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1

        base._make_api_call = timed
        try:
            yield
        finally:
            base._make_api_call = original


@contextmanager
def _imapclient(user: ImapUser) -> Iterator[IMAPClient]:
    client = IMAPClient("127.0.0.1", port=user.server.port, ssl=False, timeout=60)
    client.login(user.name, user.password)
    try:
        yield client
    finally:
        client.logout()


def bare(user: ImapUser, synced: set[str]) -> float:
    """The least a client must do: every envelope (one batch of UIDs at a time, like any
    client that must not hold a mailbox's worth of answers), then the synced bodies."""
    start = time.perf_counter()
    with _imapclient(user) as client:
        answer = client.select_folder("INBOX", readonly=True)
        wanted = []
        for first in range(1, int(answer[b"UIDNEXT"]), 500):
            found = client.fetch(list(range(first, first + 500)), ["ENVELOPE"])
            for uid, data in found.items():
                sender = data[b"ENVELOPE"].from_[0]
                if f"{sender.mailbox.decode()}@{sender.host.decode()}" in synced:
                    wanted.append(uid)
        bodies = client.fetch(wanted, ["BODY.PEEK[]"])
        assert len(bodies) == SYNCED, len(bodies)
    return time.perf_counter() - start


@contextmanager
def _world(user: ImapUser) -> Iterator[tuple[SyncEngine, str]]:
    """A fresh moto world: a firm whose CLIENTS addresses have EMAIL SYNC on, its
    mailbox connected to `user`."""
    with in_process():
        settings = runtime.start()
        owner = Api().new_firm("owner@sync-bench.example")
        account_id = owner.account("Bench clients", "business")
        for n in range(CLIENTS):
            contact = owner.contact(f"client{n}@clients.example", first=f"C{n}")
            owner.link(account_id, contact["contact_id"])
            owner.toggle(account_id, contact["emails"][0]["email_id"], email_sync=True)
        answer = owner.call(
            "sync_api",
            "PutMailbox",
            body={
                "imap_host": "127.0.0.1",
                "imap_port": user.server.port,
                "username": user.name,
                "password": user.password,
                "security": "none",
            },
        )
        assert answer.status == 200, answer.body
        secrets, files = SecretStore(), FileStore(settings.documents_bucket)
        _warm(owner.firm_id, secrets, files)
        engine = SyncEngine(
            secrets=secrets,
            files=files,
            mailer=Mailer(settings.mail_from_address),
            allow_loopback=settings.mailbox_allow_loopback,
        )
        yield engine, owner.firm_id


def _warm(firm_id: str, secrets: SecretStore, files: FileStore) -> None:
    """Clients made and service models loaded before measuring, as in a warm Lambda
    (one PynamoDB connection for every item kind, made on the first call)."""
    _ = secrets._client, files._client
    matching_store.synced_rows(firm_id)
    mailbox_store.find_mailbox(firm_id)
    mailbox_store.get_cursor(firm_id, "warm-up", "inbox")
    history_store.jobs(firm_id)
    message_store.lookup(firm_id, ["warm-up"], ["warm-up"])
    message_store.thread_members(firm_id, "warm-up")
    mailbox_store.record_health(firm_id, None, None, timedelta(minutes=5))
    firms.get_settings(firm_id)
    firms.list_staff(firm_id)


def run() -> Figures:
    set_environment()
    synced = {f"client{n}@clients.example" for n in range(CLIENTS)}
    server = Dovecot().start()
    try:
        users = {size: server.add_user() for size in SIZES}
        for size, user in users.items():
            _mailbox(user, size)
        small = users[SIZES[0]]
        ours, bares, aws = [], [], []
        first: RunReport | None = None
        for n in range(RUNS):  # alternate which goes first
            for which in ("ours", "bare") if n % 2 == 0 else ("bare", "ours"):
                if which == "bare":
                    with _frozen_heap():
                        bares.append(bare(small, synced))
                    continue
                with _world(small) as (engine, firm_id):
                    timer = AwsTime()
                    with _frozen_heap(), timer.measuring():
                        start = time.perf_counter()
                        report = engine.sync_firm(firm_id)
                        ours.append(time.perf_counter() - start)
                    aws.append(timer.seconds)
                    assert report.outcome == "ok" and report.stored == SYNCED, report
                    first = first or report
                    calls = timer.calls
        quiet: dict[int, dict[str, int]] = {}
        quiet_bodies: dict[int, int] = {}
        peaks: dict[int, float] = {}
        for size, user in users.items():
            with _world(user) as (engine, firm_id):
                tracemalloc.start()
                report = engine.sync_firm(firm_id)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                assert report.stored == SYNCED, report
                peaks[size] = peak / 1e6
                again = engine.sync_firm(firm_id)
                quiet[size], quiet_bodies[size] = again.commands, again.bodies_fetched
        assert first is not None
        return Figures(
            quiet,
            quiet_bodies,
            first,
            statistics.median(ours),
            statistics.median(bares),
            statistics.median(aws),
            calls,
            peaks,
        )
    finally:
        server.stop()


def report(figures: Figures) -> str:
    sizes = list(figures.quiet)
    quiet_rows = [
        f"| {size:,} | {sum(figures.quiet[size].values())} | "
        + ", ".join(f"{k} {v}" for k, v in sorted(figures.quiet[size].items()))
        + f" | {figures.quiet_bodies[size]} |"
        for size in sizes
    ]
    first = figures.first
    return "\n".join(
        [
            "A run with no new mail (after the first sync):",
            "",
            "| mailbox | IMAP commands | by command | bodies fetched |",
            "| ---: | ---: | --- | ---: |",
            *quiet_rows,
            "",
            f"First sync of {sizes[0]:,} messages, {SYNCED} from synced addresses: "
            f"{sum(first.commands.values())} IMAP commands ("
            + ", ".join(f"{k} {v}" for k, v in sorted(first.commands.items()))
            + f"), {first.bodies_fetched} bodies fetched, {first.stored} stored.",
            "",
            f"Time: ours {figures.ours * 1000:.0f} ms, bare imapclient (every envelope, then "
            f"the {SYNCED} bodies) {figures.bare * 1000:.0f} ms (medians of {RUNS}): ratio "
            f"**{figures.ours / figures.bare:.2f}** (goal: at most 2). Of ours, "
            f"{figures.aws * 1000:.0f} ms were inside {figures.aws_calls} AWS calls (moto, in "
            f"this process); without them the ratio is "
            f"{(figures.ours - figures.aws) / figures.bare:.2f}.",
            "",
            "Peak memory of the first sync (tracemalloc): "
            + ", ".join(f"{size:,} messages {mb:.1f} MB" for size, mb in figures.peaks.items())
            + f": ratio **{figures.peaks[sizes[-1]] / figures.peaks[sizes[0]]:.2f}** "
            "(goal: not growing with the mailbox).",
        ]
    )


if __name__ == "__main__":
    print(report(run()))
