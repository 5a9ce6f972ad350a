"""Email sync at scale (issue 11): N firms synced the old way (one loop, firm after
firm) against the queue (the schedule puts one message per firm on the sync queue, C
worker containers take them five at a time).

Every firm is a Dovecot user of its own (3 messages in INBOX, 1 in Sent; 3 of them from
or to the firm's one address with EMAIL SYNC on), reached through a TCP proxy on
loopback that holds every chunk 50 ms in each direction, so each IMAP round trip costs
100 ms more, as a provider across the internet would. The proxy runs in a process of
its own: in this one it would wait for the GIL behind the workers and add delay of its
own making.

Firms are written through the product's services and stores, not over HTTP (a
thousand firms through the API and Cognito would take longer than the benchmark):
firm and owner (`crm.storage.firms`), account, contact and link (`DirectoryService`),
EMAIL SYNC on (`AccessService`), the mailbox (`MailboxService.save`, its IMAP check
replaced by the folders a real check of one of these mailboxes found: every mailbox
here has the same two). The sync reads exactly those items. No history job is
recorded (EmailSyncEnabled is not delivered in moto), as in `bench/sync.py`.

Each measurement has a fresh moto world of its own, built the same way, and syncs the
same mailboxes for the first time (the sync only reads them; Dovecot has indexed each
before anything is timed). The workers are warm containers: C threads, each with its
own copy of functions/sync_worker (the batch processor is not thread-safe, and Lambda
runs each container apart); an idle one waits for a message as a long poll would. They
share this process, its GIL and two vCPUs with moto, which answers every AWS call in
Python; so the CPU time of the process and the CPU time inside AWS calls are reported
beside the times. Two costs of moto that grow with the table, and that DynamoDB does not
have, are taken out (`_partitioned_queries`, `_no_rollback_copies`): without them a
thousand firms would measure moto's sorting and copying, not the sync.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import gc
import inspect
import logging
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from unittest import mock

import boto3
import botocore.client
from imapclient import IMAPClient  # type: ignore[import-untyped]
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table

from bench.stack import in_process, set_environment
from crm import clock, runtime
from crm.access.models import ToggleChange
from crm.access.service import AccessService
from crm.core import ids
from crm.core.caller import Staff
from crm.core.firms import StaffMember, VerificationState
from crm.directory.models import CreateAccount, CreateContact, LinkContact
from crm.directory.service import DirectoryService
from crm.integrations import imap
from crm.integrations.files import FileStore
from crm.integrations.mailer import Mailer
from crm.integrations.secrets import SecretStore
from crm.observability import logger, metrics
from crm.settings import Settings
from crm.storage import firms
from crm.sync import history_store, mailbox_store, matching_store, message_store
from crm.sync.engine import SyncEngine
from crm.sync.models import MailboxSettings
from crm.sync.run import RunReport
from crm.sync.service import MailboxService
from local import moto_streams
from tests.dovecot import Dovecot, ImapUser
from tests.support import Context, load_event, load_function
from tests.unit.conftest import sqs_record

ROOT = Path(__file__).resolve().parent.parent
DELAY = 0.050  # seconds each way: +100 ms per round trip
SIZES = ((50, (5, 10, 20)), (200, (10, 20)))  # (firms, worker counts) of `make bench`
SERIAL_MOST = 200  # firms the serial loop syncs; past that t1 is sampled on the first 200
BATCH = 5  # the worker's BatchSize (template.yaml)
WORKER_TIMEOUT_MS = 300_000  # the worker's Timeout (template.yaml)
LONG_POLL = 20  # seconds an idle container waits for a message at most (SQS's longest)
STORED = 3  # messages a firm's first run stores


# ------------------------------------------------------------------ the proxy


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Forward one direction, every chunk DELAY after it arrived, in order; the chunks
    behind it are read meanwhile (a slow link, not a slow server)."""
    loop = asyncio.get_running_loop()
    held: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, chunk = await held.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            if not chunk:
                writer.close()
                return
            writer.write(chunk)
            await writer.drain()

    delivering = asyncio.create_task(deliver())
    try:
        while chunk := await reader.read(65536):
            held.put_nowait((loop.time() + DELAY, chunk))
    finally:
        held.put_nowait((loop.time() + DELAY, b""))
        await delivering


async def _serve(upstream: int) -> None:
    async def connection(
        client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream)
        await asyncio.gather(
            _pipe(client_reader, server_writer),
            _pipe(server_reader, client_writer),
            return_exceptions=True,  # a side that hung up ends its direction only
        )

    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


@contextlib.contextmanager
def latency_proxy(upstream: int) -> Iterator[int]:
    """The proxy in a process of its own, in front of `upstream`; yields its port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.sync_scale", "proxy", str(upstream)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield int(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)


def round_trip(port: int, user: ImapUser, times: int = 20) -> float:
    """The median time of an IMAP NOOP, logged in as `user` on `port`."""
    client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=30)
    client.login(user.name, user.password)
    try:
        found = []
        for _ in range(times):
            start = time.perf_counter()
            client.noop()
            found.append(time.perf_counter() - start)
        return statistics.median(found)
    finally:
        client.logout()


# ------------------------------------------------------------------ mailboxes


def _message(n: int, sender: str, to: str, subject: str, rng: random.Random) -> bytes:
    date = format_datetime(datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=n))
    text = "Please find the figures for this quarter below. " * rng.randint(3, 30)
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\n"
        f"Message-ID: <scale-{n}-{rng.getrandbits(48):x}@mail.example>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n'
        f"{text}\r\n"
    ).encode()


def client_of(n: int) -> str:
    return f"client{n}@clients{n % 97}.example"


def _mailbox(n: int, user: ImapUser) -> None:
    """3 in INBOX (2 from the firm's client, a newsletter), 1 in Sent (to the client);
    then opened once so that Dovecot indexes both folders before anything is timed."""
    rng = random.Random(n)
    client, own = client_of(n), user.name
    user.write_maildir(
        [
            _message(1, client, own, "Invoice for November", rng),
            _message(2, "news@letters.example", own, "This week's news", rng),
            _message(3, client, own, "Re: Tax return", rng),
        ]
    )
    user.write_maildir([_message(4, own, client, "Re: Invoice for November", rng)], "Sent")
    with user.client() as session:
        for folder in ("INBOX", "Sent"):
            session.select_folder(folder, readonly=True)
            session.fetch(session.search(), ["ENVELOPE", "RFC822.SIZE", "BODY.PEEK[]"])


def mailboxes(server: Dovecot, count: int) -> list[ImapUser]:
    users = [server.add_user() for _ in range(count)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(_mailbox, range(count), users))
    return users


# ------------------------------------------------------------------ firms


@dataclass
class Setup:
    """What a world's firms are written with: the product's services."""

    settings: Settings
    folders: dict[str, str]  # what the mailbox check found (the same for every mailbox)
    proxy: int

    def __post_init__(self) -> None:
        self.directory = DirectoryService(invitation_ttl_days=self.settings.invitation_ttl_days)
        self.access = AccessService(invitation_ttl_days=self.settings.invitation_ttl_days)
        self.mailboxes = MailboxService(
            secrets=SecretStore(),
            files=FileStore(self.settings.documents_bucket),
            mailer=lambda: Mailer(self.settings.mail_from_address),
            secret_prefix=self.settings.mailbox_secret_prefix,
            region=self.settings.aws_region,
            verify=lambda _server, _credential: self.folders,
            allow_loopback=True,
        )

    def firm(self, n: int, user: ImapUser) -> str:
        """Firm n, its owner, one account whose one contact's address has EMAIL SYNC
        on, and its mailbox (user's, behind the proxy). The owner's address is left
        unverified and has no Cognito user: the sync reads neither."""
        firm_id = ids.new_id("frm")
        now = clock.iso()
        owner = StaffMember(
            staff_id=ids.new_id("stf"),
            email=f"owner@firm{n}.example",
            role="owner",
            manage_accounts=True,
            status="active",
            created_at=now,
        )
        firms.create_firm(
            firm_id,
            f"Firm {n}",
            owner,
            VerificationState(firm_id=firm_id, owner_email=owner.email, requested_at=now),
        )
        caller = Staff(firm_id, owner.staff_id, "owner", manage_accounts=True)
        account = self.directory.create_account(
            caller, CreateAccount(name=f"Client {n}", type="business")
        )
        contact = self.directory.create_contact(
            caller,
            CreateContact.model_validate(
                {"first_name": "Client", "last_name": str(n), "emails": [{"address": client_of(n)}]}
            ),
        )
        self.directory.link(caller, account.account_id, LinkContact(contact_id=contact.contact_id))
        self.access.change(
            caller, account.account_id, contact.emails[0].email_id, ToggleChange(email_sync=True)
        )
        self.mailboxes.save(
            caller,
            MailboxSettings(
                imap_host="127.0.0.1",
                imap_port=self.proxy,
                username=user.name,
                password=user.password,
                security="none",
            ),
        )
        return firm_id


@contextlib.contextmanager
def _no_rollback_copies() -> Iterator[None]:
    """moto deep-copies the whole table before every TransactWriteItems, to put it back
    if the transaction fails: a cost growing with the table (most of a second per firm
    at a few hundred firms) that AWS does not have. No write of the setup fails (one that
    did would raise), so while firms are written the copy is skipped; never while timing
    (the sync itself writes no transaction)."""

    def deepcopy(value: Any) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value)

    with mock.patch.object(dynamodb_models, "copy", SimpleNamespace(deepcopy=deepcopy)):
        yield


_HINT = threading.local()  # the items a Query may match, found by its partition


def _candidates(table: Table, query: inspect.BoundArguments) -> list[Item] | None:
    """The items a Query can match, found by partition: the table's own partition, or
    the items whose index hash key attributes are the strings asked for."""
    if not table.range_key_attr:
        return None  # moto's own way (the template's table has a sort key)
    partitions: dict[Any, dict[Any, Item]] = table.items
    if not query.arguments.get("index_name"):
        return list(partitions.get(query.arguments["hash_key"], {}).values())
    wanted = query.arguments.get("hash_key_conditions") or []
    if not wanted or any(value.type != "S" for _, value in wanted):
        return None
    return [
        item
        for partition in partitions.values()
        for item in partition.values()
        if all(
            (got := item.attrs.get(name)) is not None
            and got.type == "S"
            and got.value == value.value
            for name, value in wanted
        )
    ]


@contextlib.contextmanager
def _partitioned_queries() -> Iterator[None]:
    """moto (5.2.5) answers every Query by sorting the whole table (`Table.all_items`),
    then keeping what matches and sorting that again: O(n log n) in the size of the
    table, where DynamoDB's is O(log n). At a thousand firms that is seconds per Query,
    several per firm's run, and the bench would measure moto. Here a Query starts from
    the items of its partition (for an index: the items whose hash key is the one asked
    for), unsorted, as moto sorts what it keeps anyway: the same answer in the same
    order (`_same_answers` checks it), at a cost close to the partition's size. The
    worker threads' Queries also wait for each other's writes, as DynamoDB's would."""
    query, all_items = Table.query, Table.all_items
    signature = inspect.signature(query)

    def partitioned_query(self: Table, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        # under the lock moto's writes take (local/moto_streams.py): a Query reading the
        # table while another thread writes it would fail ("dictionary changed size")
        with moto_streams._LOCK:
            _HINT.table, _HINT.items = self, _candidates(self, bound)
            try:
                return query(self, *args, **kwargs)
            finally:
                _HINT.table = _HINT.items = None

    def hinted_items(self: Table) -> list[Item]:
        if getattr(_HINT, "table", None) is self and _HINT.items is not None:
            return list(_HINT.items)
        return all_items(self)

    with (
        mock.patch.object(Table, "query", partitioned_query),
        mock.patch.object(Table, "all_items", hinted_items),
    ):
        yield


def _same_answers(firm_ids: Sequence[str]) -> None:
    """The sync's reads answer the same with moto's Query and with the partitioned one."""

    def reads() -> list[Any]:
        return [
            mailbox_store.due(clock.iso()),
            *[
                (
                    matching_store.synced_rows(firm_id),
                    history_store.jobs(firm_id),
                    firms.list_staff(firm_id),
                    message_store.lookup(firm_id, ["none"], ["none"]),
                )
                for firm_id in firm_ids[:5]
            ],
        ]

    with _partitioned_queries():
        ours = reads()
    assert reads() == ours, "the partitioned Query answers otherwise than moto's"


@contextlib.contextmanager
def world(
    users: Sequence[ImapUser], proxy: int, folders: dict[str, str], *, check: bool = False
) -> Iterator[list[str]]:
    """A fresh moto world with one firm per user, each mailbox behind the proxy; with
    `check`, the partitioned Query is first checked against moto's own."""
    with in_process():
        setup = Setup(runtime.start(), folders, proxy)
        with _partitioned_queries(), _no_rollback_copies():
            firm_ids = [setup.firm(n, user) for n, user in enumerate(users)]
        if check:
            _same_answers(firm_ids)
        with _partitioned_queries():
            yield firm_ids


def _warm(firm_id: str, secrets: SecretStore, files: FileStore) -> None:
    """Clients made and service models loaded, as in a warm container."""
    _ = secrets._client, files._client
    matching_store.synced_rows(firm_id)
    mailbox_store.find_mailbox(firm_id)
    mailbox_store.get_cursor(firm_id, "warm-up", "inbox")
    history_store.jobs(firm_id)
    message_store.lookup(firm_id, ["warm-up"], ["warm-up"])
    firms.get_settings(firm_id)
    firms.list_staff(firm_id)


# ------------------------------------------------------------------ measuring


class AwsTime:
    """CPU time spent inside botocore calls, by every thread (moto answers them in this
    process; on AWS it would be network waiting, on no CPU of ours)."""

    def __init__(self) -> None:
        self.cpu = 0.0
        self.calls = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def measuring(self) -> Iterator[None]:
        base: Any = botocore.client.BaseClient
        original = base._make_api_call

        def timed(client: Any, operation: str, params: Any) -> Any:
            start = time.thread_time()
            try:
                return original(client, operation, params)
            finally:
                spent = time.thread_time() - start
                with self._lock:
                    self.cpu += spent
                    self.calls += 1

        base._make_api_call = timed
        try:
            yield
        finally:
            base._make_api_call = original


@dataclass
class Timed:
    seconds: float  # wall
    cpu: float  # of this process (every thread)
    aws: float  # CPU inside AWS calls


@contextlib.contextmanager
def timing(found: list[Timed]) -> Iterator[None]:
    """Wall and CPU time of the block; the heap frozen first (the moto world this
    process holds would otherwise be walked by every collection, a cost no Lambda has)."""
    gc.collect()
    gc.freeze()
    aws = AwsTime()
    try:
        with aws.measuring():
            wall, cpu = time.perf_counter(), time.process_time()
            yield
            found.append(Timed(time.perf_counter() - wall, time.process_time() - cpu, aws.cpu))
    finally:
        gc.unfreeze()


def serial(firm_ids: Sequence[str]) -> tuple[Timed, RunReport]:
    """The old way: one loop syncing each firm in turn."""
    settings = runtime.start()
    secrets, files = SecretStore(), FileStore(settings.documents_bucket)
    engine = SyncEngine(
        secrets=secrets,
        files=files,
        mailer=Mailer(settings.mail_from_address),
        allow_loopback=settings.mailbox_allow_loopback,
    )
    _warm(firm_ids[0], secrets, files)
    found: list[Timed] = []
    with timing(found):
        reports = [engine.sync_firm(firm_id) for firm_id in firm_ids]
    for report in reports:
        assert report.outcome == "ok" and report.stored == STORED, report
    return found[0], reports[0]


class WorkerContext(Context):
    def get_remaining_time_in_millis(self) -> int:
        return WORKER_TIMEOUT_MS


@dataclass
class Containers:
    """C warm containers of functions/sync_worker taking the sync queue's messages as
    the event source does: up to five a time, the ones not reported failed deleted. An
    idle one waits as a long poll would, until a message is sent (SendMessage*, watched
    on the functions' clients), instead of asking moto again and again for nothing."""

    url: str
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[BaseException] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # why records failed
    finished: float = 0.0
    _scheduled: bool = False
    _busy: int = 0
    _sent: int = 0
    _change: threading.Condition = field(default_factory=threading.Condition)
    # moto's SQS hands a message to two receives made at once (SQS does so rarely)
    _receiving: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, client: Any) -> None:
        client.meta.events.register("after-call.sqs", self._after_call)

    def _after_call(self, model: Any, **_: Any) -> None:
        if model.name.startswith("SendMessage"):
            with self._change:
                self._sent += 1
                self._change.notify_all()

    def scheduled(self) -> None:
        with self._change:
            self._scheduled = True
            self._change.notify_all()

    def poll(self, module: ModuleType, sqs: Any) -> None:
        try:
            self._poll(module, sqs)
        except BaseException as error:
            self.errors.append(error)
            self.stop.set()  # the others stop too: the run has failed
            with self._change:
                self._change.notify_all()
            raise

    def _poll(self, module: ModuleType, sqs: Any) -> None:
        while not self.stop.is_set():
            with self._change:
                self._busy += 1
                sent = self._sent
            try:
                with self._receiving:
                    got = sqs.receive_message(
                        QueueUrl=self.url,
                        MaxNumberOfMessages=BATCH,
                        MessageSystemAttributeNames=["All"],
                    ).get("Messages", [])
                if got:
                    self._invoke(module, sqs, got)
            finally:
                with self._change:
                    self._busy -= 1
                    if self._busy == 0:
                        self._change.notify_all()
            if got:
                continue
            with self._change:
                # done when the schedule is and nobody works (a container that puts a
                # firm back on the queue is busy until it has, then polls and takes it)
                self._change.wait_for(
                    lambda: (
                        self._sent != sent  # noqa: B023 - read while waiting
                        or (self._scheduled and self._busy == 0)
                        or self.stop.is_set()
                    ),
                    LONG_POLL,
                )
                if self._sent == sent and self._scheduled and self._busy == 0:
                    return

    def _invoke(self, module: ModuleType, sqs: Any, got: list[dict[str, Any]]) -> None:
        event = {"Records": [sqs_record(m, self.url) for m in got]}
        answer = module.lambda_handler(event, WorkerContext())
        failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
        why = ["".join(traceback.format_exception(*e)) for e in module.processor.exceptions]
        for message in got:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        with self._change:
            self.runs += answer["runs"]
            self.failed += why
            self.finished = time.perf_counter()


@contextlib.contextmanager
def _containers_in_one_process() -> Iterator[None]:
    """The functions' Logger and Metrics (crm.observability) are one per process, which
    in Lambda is one per container; here the containers are threads of one process, so
    adding and flushing metrics is serialised (a dict changed while another thread
    serialises it would raise). The namespace and log level are the template's (Lambda
    sets them before the code is imported); what both write goes to /dev/null."""
    provider: Any = metrics.provider
    provider.namespace = os.environ["POWERTOOLS_METRICS_NAMESPACE"]
    provider.service = os.environ["POWERTOOLS_SERVICE_NAME"]
    logger.setLevel(os.environ["POWERTOOLS_LOG_LEVEL"])
    lock = threading.Lock()
    add, flush = provider.add_metric, provider.flush_metrics

    def locked_add(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return add(*args, **kwargs)

    def locked_flush(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return flush(*args, **kwargs)

    provider.add_metric, provider.flush_metrics = locked_add, locked_flush
    streams = [h for h in logger._logger.handlers if isinstance(h, logging.StreamHandler)]
    with Path(os.devnull).open("w") as sink:
        kept = [h.setStream(sink) for h in streams]
        try:
            with contextlib.redirect_stdout(sink), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # an empty flush after another thread's
                yield
        finally:
            del provider.add_metric, provider.flush_metrics
            for handler, stream in zip(streams, kept, strict=True):
                handler.setStream(stream)


def queue(firm_ids: Sequence[str], containers: int) -> Timed:
    """The schedule queues every due firm; `containers` workers sync them. Timed from
    the schedule's invocation until the last firm's run is done."""
    schedule = load_function("sync")
    modules = [load_function("sync_worker") for _ in range(containers)]
    settings = runtime.start()
    for module in modules:  # warm containers: clients made, models loaded
        _warm(firm_ids[0], module.engine.secrets, module.engine.files)
        _ = module.queue._client, module.dead_letters._client
    sqs = [boto3.client("sqs") for _ in modules]  # clients are made before the threads
    pool = Containers(settings.sync_queue_url)
    for client in (schedule.queue._client, *(m.queue._client for m in modules)):
        pool.watch(client)
    threads = [
        threading.Thread(target=pool.poll, args=(m, s), daemon=True)
        for m, s in zip(modules, sqs, strict=True)
    ]
    found: list[Timed] = []
    with _containers_in_one_process(), timing(found):
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        try:
            answer = schedule.lambda_handler(load_event("sync", "EveryFiveMinutes"), Context())
        except BaseException:
            pool.stop.set()
            raise
        finally:  # no thread may outlive the mock: its calls would go to AWS
            pool.scheduled()
            for thread in threads:
                thread.join()
    assert not pool.errors, pool.errors
    timed = found[0]
    timed.seconds = pool.finished - start  # not the last idle poll
    assert answer["queued"] == len(firm_ids), answer
    assert not pool.failed, pool.failed
    assert sorted(r["firm_id"] for r in pool.runs) == sorted(firm_ids), len(pool.runs)
    assert {(r["outcome"], r["stored"]) for r in pool.runs} == {("ok", STORED)}, pool.runs[:3]
    for firm_id in firm_ids:
        mailbox = mailbox_store.find_mailbox(firm_id, consistent=True)
        assert mailbox is not None and mailbox.last_sync_at and mailbox.status == "ok"
    return timed


# ------------------------------------------------------------------ the run


@dataclass
class Row:
    firms: int
    containers: int
    t1: float  # one firm's run, in the serial loop
    serial: float  # every firm in turn (N x t1 when sampled)
    sampled: int  # firms the serial loop really synced
    serial_aws: float  # share of the serial time inside AWS calls (CPU)
    cpu1: float  # CPU seconds of this process per firm, in the serial loop
    queue: Timed

    @property
    def bound(self) -> float:
        return self.firms / self.containers * self.t1

    @property
    def floor(self) -> float:
        """The CPU this process needs for N firms, on the one core its GIL lets it use."""
        return self.firms * self.cpu1

    @property
    def batch_bound(self) -> float:
        """The bound when each invocation syncs its batch of 5 one firm after another:
        rounds of 5 x t1 (at small N some containers get no batch)."""
        batches = -(-self.firms // BATCH)
        return -(-batches // self.containers) * BATCH * self.t1


@dataclass
class Figures:
    rtt_direct: float
    rtt_proxy: float
    one: RunReport  # a firm's first run
    rows: list[Row]
    setup: dict[int, float]  # firms -> seconds to write one world


def run(sizes: Sequence[tuple[int, Sequence[int]]] = SIZES) -> Figures:
    set_environment()
    server = Dovecot().start()
    try:
        users = mailboxes(server, max(n for n, _ in sizes))
        with latency_proxy(server.port) as proxy:
            direct, delayed = round_trip(server.port, users[0]), round_trip(proxy, users[0])
            folders = imap.verify(
                imap.Server(host="127.0.0.1", port=proxy, security="none", username=users[0].name),
                imap.Credential(users[0].password),
                allow_loopback=True,
            )
            rows: list[Row] = []
            setup: dict[int, float] = {}
            for n, counts in sizes:
                sampled = min(n, SERIAL_MOST)
                with world(users[:n], proxy, folders, check=n <= SERIAL_MOST) as firm_ids:
                    loop, one = serial(firm_ids[:sampled])
                for c in counts:
                    start = time.perf_counter()
                    with world(users[:n], proxy, folders) as firm_ids:
                        setup[n] = time.perf_counter() - start
                        timed = queue(firm_ids, c)
                    t1 = loop.seconds / sampled
                    rows.append(
                        Row(
                            n,
                            c,
                            t1,
                            t1 * n,
                            sampled,
                            loop.aws / loop.seconds,
                            loop.cpu / sampled,
                            timed,
                        )
                    )
        return Figures(direct, delayed, one, rows, setup)
    finally:
        server.stop()


def report(figures: Figures) -> str:
    lines = [
        "| N | C | serial | t1 | queue | bound N/C x t1 | queue / bound | speed-up | "
        "AWS share serial / queue | CPU busy (queue) | CPU floor N x c1 | "
        "queue / max(bound, floor) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    notes = []
    for row in figures.rows:
        q = row.queue
        serial = f"{row.serial:.1f} s" + (" (N x t1)" if row.sampled < row.firms else "")
        lines.append(
            f"| {row.firms:,} | {row.containers} | {serial} | {row.t1 * 1000:.0f} ms | "
            f"{q.seconds:.1f} s | {row.bound:.1f} s | **{q.seconds / row.bound:.2f}** | "
            f"{row.serial / q.seconds:.1f}x | {row.serial_aws:.0%} / "
            f"{q.aws / q.seconds:.0%} | {q.cpu / q.seconds:.2f} | {row.floor:.1f} s | "
            f"{q.seconds / max(row.bound, row.floor):.2f} |"
        )
        if row.batch_bound > row.bound * 1.01:
            notes.append(
                f"N = {row.firms:,}, C = {row.containers}: in batches of {BATCH} synced one "
                f"after another, the bound is {row.batch_bound:.1f} s (queue / that: "
                f"{q.seconds / row.batch_bound:.2f})."
            )
        if row.sampled < row.firms and row.containers == min(
            x.containers for x in figures.rows if x.firms == row.firms
        ):
            notes.append(
                f"N = {row.firms:,}: t1 from the serial loop over the first {row.sampled} "
                "firms of a world of N; serial = N x t1."
            )
    one = figures.one
    c1 = ", ".join(
        f"{r.cpu1 * 1000:.0f} ms at N = {r.firms:,}"
        for r in figures.rows
        if r.containers == min(x.containers for x in figures.rows if x.firms == r.firms)
    )
    return "\n".join(
        [
            f"IMAP NOOP round trip: {figures.rtt_direct * 1000:.2f} ms direct, "
            f"{figures.rtt_proxy * 1000:.1f} ms through the proxy (medians of 20).",
            "",
            f"A firm's first run: {sum(one.commands.values())} IMAP commands ("
            + ", ".join(f"{k} {v}" for k, v in sorted(one.commands.items()))
            + f"), {one.bodies_fetched} bodies, {one.stored} stored.",
            "",
            *lines,
            "",
            *[f"- {note}" for note in notes],
            f"- c1, the CPU time of this process per firm in the serial loop: {c1}.",
            "- Writing a world of firms (outside the times): "
            + ", ".join(f"{n:,} firms {s:.0f} s" for n, s in figures.setup.items())
            + ".",
        ]
    )


def _sizes(args: Sequence[str]) -> list[tuple[int, Sequence[int]]]:
    """`1000:20` or `200:10,20`: firms and worker counts."""
    found: list[tuple[int, Sequence[int]]] = []
    for arg in args:
        n, counts = arg.split(":")
        found.append((int(n), [int(c) for c in counts.split(",")]))
    return found


if __name__ == "__main__":
    if sys.argv[1:2] == ["proxy"]:
        asyncio.run(_serve(int(sys.argv[2])))
    else:
        print(report(run(_sizes(sys.argv[1:]) or SIZES)))
