"""Start the whole stack: moto, the template's resources, the functions, the gateway.

``start_stack()`` is what ``python -m local`` (``make run``) and the integration tests
call; everything runs in the calling process.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from local import demo
from local.control import LocalRoutes
from local.delivery import Delivery
from local.gateway import Gateway, JwtVerifier
from local.imap_server import ImapServer
from local.resources import Environment, MotoServer, ResourceBuilder, aws_environment
from local.runtime import Runtime
from local.static import StaticSite
from local.streams import StreamPoller
from local.template import FunctionSpec, Template

log = logging.getLogger("local")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 3000
# Parameters that hold the stack's own public URL: locally, the gateway's.
OWN_URL_PARAMETERS = ("PublicApiUrl", "PortalUrl")

# moto keeps its state per process: stacks started in one process share it.
_RUNNING: set[Stack] = set()

# What only the local stack sets, on top of the template's variables:
# - its own Dovecot listens on loopback, which a deployed stack refuses as a mailbox (the
#   private ranges stay refused here too);
# - every request comes from 127.0.0.1, so the per-client-address limit on wrong
#   passwords would make one test's failures another's 429; the per-address limits stay
#   as deployed (docs/decisions.md, sections 24 and 29).
LOCAL_SETTINGS = {
    "MAILBOX_ALLOW_LOOPBACK": "true",
    "THROTTLE_CLIENT_FAILURES": "100000",
}


class Stack:
    """A running local stack. Stop it with :meth:`stop` (or use it as a context manager)."""

    def __init__(
        self,
        template: Template,
        gateway: Gateway,
        moto: MotoServer,
        delivery: Delivery,
        environment: Environment,
    ):
        self.template = template
        self.api_url = gateway.url
        self.aws_endpoint = moto.endpoint
        self.resources: dict[str, Any] = dict(template.resolver.physical_ids)
        self.outputs = {
            name: self.api_url if _is_own_url(value, gateway) else value
            for name, value in template.outputs().items()
        }
        self.event_bus = self._event_bus()
        self.environment = dict(environment.values)  # what the stack set for the functions
        self.delivery = delivery
        self.runtime = delivery.runtime
        self.functions = [pool.spec.name for pool in self.runtime.pools.values()]
        self._gateway = gateway
        self._moto = moto
        self._environment = environment
        self._stopped = False
        # Set once start_stack() returns: after the demo firm is seeded, when it seeds.
        self.ready = threading.Event()
        self.seeded = False
        self.demo: demo.Demo | None = None
        self.demo_mailbox: ImapServer | None = None  # the demo firm's Dovecot, stopped with us

    def _event_bus(self) -> str:
        """The bus other services publish to: the one the output EventBusName names."""
        if "EventBusName" in self.outputs:
            return str(self.outputs["EventBusName"])
        buses = list(self.template.of_type("AWS::Events::EventBus"))
        return str(self.resources[buses[0]]) if buses else "default"

    @property
    def schedules(self) -> list[str]:
        return sorted(self.delivery.schedules)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until every event and queued message has been handled (TimeoutError if not)."""
        self.delivery.wait_idle(timeout)

    def describe(self) -> dict[str, Any]:
        """What ``GET /_local/stack`` answers."""
        return {
            "api_url": self.api_url,
            "aws_endpoint": self.aws_endpoint,
            "event_bus": self.event_bus,
            "functions": self.functions,
            "schedules": self.schedules,
            "outputs": self.outputs,
            "tables": self.names_of("AWS::DynamoDB::Table"),
            "user_pools": self.names_of("AWS::Cognito::UserPool"),
            "user_pool_clients": self.names_of("AWS::Cognito::UserPoolClient"),
            "buckets": self.names_of("AWS::S3::Bucket"),
            "demo": self.demo.describe() if self.demo else None,
        }

    def names_of(self, kind: str) -> dict[str, Any]:
        """Logical id to physical id of the template's resources of one type."""
        return {name: self.resources[name] for name in self.template.of_type(kind)}

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        _RUNNING.discard(self)
        self._gateway.stop()
        self.delivery.stop()
        if self.demo_mailbox is not None:
            self.demo_mailbox.stop()
        self._moto.stop()
        self._environment.restore()

    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _is_own_url(value: Any, gateway: Gateway) -> bool:
    """An output holding the HTTP API's AWS URL, or the CloudFront URL in front of it (its
    domain is the gateway's host locally): the gateway's URL stands for both."""
    if not isinstance(value, str):
        return False
    host = urlsplit(gateway.url).netloc
    return value.startswith(f"https://{gateway.api_id}.execute-api.") or value == f"https://{host}"


def start_stack(
    port: int | None = None,
    *,
    seed: bool = False,
    timers: bool = True,
    template_path: Path | None = None,
) -> Stack:
    """Start moto, create the template's resources, and serve the API on ``port``.

    ``port`` None reads CRM_PORT (default 3000); 0 picks a free port. ``seed`` creates the
    demo firm through the API (local/demo.py), with its mailbox on a Dovecot of the stack's
    own when Dovecot is installed: ``stack.seeded`` tells whether it could, ``stack.demo``
    what it made; ``GET /_local/stack`` answers once this returns. ``timers`` runs the
    schedules at their rate (tests turn them off and run schedules on demand). The process
    environment is set for the functions (AWS_ENDPOINT_URL, the template's variables) and
    put back by ``stop()``.
    """
    if port is None:
        port = int(os.environ.get("CRM_PORT", DEFAULT_PORT))
    started = time.monotonic()
    moto = MotoServer()
    endpoint = moto.start()
    clean_slate = not _RUNNING  # unless another stack of this process lives in it
    if clean_slate:
        moto.reset()
    environment = Environment()
    gateway: Gateway | None = None
    try:
        gateway = Gateway(port)
        template = Template(
            template_path or ROOT / "template.yaml",
            dict.fromkeys(OWN_URL_PARAMETERS, gateway.url),
        )
        for path in template.layer_paths():
            if str(path) not in sys.path:
                sys.path.insert(0, str(path))
        if clean_slate:
            _forget_cached_reads(template.layer_paths())
        environment.set(aws_environment(endpoint))
        ResourceBuilder(template, endpoint, gateway.api_id, gateway.url).create_all()
        specs = template.functions()
        environment.set(_function_environment(specs))
        environment.set(LOCAL_SETTINGS)
        runtime = Runtime(specs)
        delivery = Delivery(runtime, endpoint)
        for rule in template.rules():
            delivery.add_rule(rule)
        for source in template.queue_sources():
            delivery.add_queue_source(source, template.resolver.ref(source.queue))
        for stream in template.stream_sources():
            table = template.resolver.ref(stream.table)
            stream_arn = template.resolver.get_att(stream.table, "StreamArn")
            delivery.add_stream_poller(StreamPoller(delivery, stream, table, stream_arn))
        for schedule in template.schedules():
            delivery.add_schedule(schedule)
        for function, event, kind in template.unsupported_events():
            log.warning("%s: event %s of type %s is not wired locally", function, event, kind)
        stack = Stack(template, gateway, moto, delivery, environment)
        site = StaticSite.from_template(template)
        gateway.configure(
            template.http_routes(),
            template.authorizers(),
            JwtVerifier(endpoint),
            runtime,
            LocalRoutes(delivery, stack.event_bus, stack.describe, stack.ready),
            site.serve if site else None,
        )
        delivery.start(timers=timers)
        gateway.start()
    except BaseException:
        if gateway:
            gateway.stop()
        moto.stop()
        environment.restore()
        raise
    _RUNNING.add(stack)
    log.info("stack up in %.1f s: %s", time.monotonic() - started, stack.api_url)
    if seed:
        try:  # each step logs its own failure and the next goes on
            stack.demo_mailbox = demo.start_mailbox()
            stack.demo = demo.seed_demo(stack.api_url, stack.demo_mailbox)
        except BaseException:
            stack.stop()
            raise
        stack.seeded = stack.demo is not None
    stack.ready.set()
    return stack


def _forget_cached_reads(layer_paths: list[Path]) -> None:
    """Clear what the layers' modules read once and cached (``functools.lru_cache``), such
    as settings naming a stopped stack's pools and tables.

    The modules stay imported (tests hold them); the functions of the new stack read their
    settings afresh, as in a new Lambda environment. Needed when a second stack starts in
    this process after the first stopped (tests/browser, then tests/integration).
    """
    roots = [path.resolve() for path in layer_paths]
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file or not any(Path(file).resolve().is_relative_to(root) for root in roots):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def _function_environment(specs: list[FunctionSpec]) -> dict[str, str]:
    """One process, one environment: every function's variables merged."""
    merged: dict[str, str] = {}
    for spec in specs:
        for name, value in spec.environment.items():
            if merged.get(name, value) != value:
                log.warning("%s=%s of %s differs from another function's", name, value, spec.name)
            merged.setdefault(name, value)
    return merged


# ---------------------------------------------------------------------------------- main


def _configure_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("LOCAL_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)-7s %(name)-16s %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("werkzeug", "botocore", "boto3", "urllib3", "moto", "s3transfer", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM stops the stack as Ctrl-C does."""
    raise KeyboardInterrupt


def _banner(stack: Stack) -> str:
    """What ``make run`` prints once the stack is up: where to go, and how to sign in."""
    url, seeded = stack.api_url, stack.demo
    failed = "none: {} (see the log above)"
    staff = client = failed.format("the demo firm could not be created")
    if seeded is not None:
        staff = f"{seeded.staff.email} / {seeded.staff.password}"
        client = (
            f"{seeded.client.email} / {seeded.client.password}"
            if seeded.client
            else failed.format("the client's invitation failed")
        )
    lines = [
        f"CRM local stack, with the demo firm {demo.FIRM_NAME}",
        f"Staff         {url}/app     {staff}",
        f"Client        {url}/portal  {client}",
    ]
    if seeded is not None and not seeded.mailbox:
        lines.append("              no synced emails: the demo mailbox did not run (see above)")
    lines += [
        f"API           {url}   (docs: {url}/v1/docs)",
        f"AWS (moto)    {stack.aws_endpoint}",
        "Local routes  GET /_local/stack  GET /_local/mail  POST /_local/events",
        "              POST /_local/schedules/{name}  POST /_local/clock",
        "Data lives as long as the stack does: Ctrl-C stops it and forgets everything.",
    ]
    return "\n" + "".join(f"  {line}\n" for line in lines)


def main() -> int:
    _configure_logging()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        stack = start_stack(seed=True)
    except OSError as error:
        port = os.environ.get("CRM_PORT", DEFAULT_PORT)
        log.error(
            "cannot serve on 127.0.0.1:%s (%s); choose another port with CRM_PORT", port, error
        )
        return 1
    try:
        print(_banner(stack), flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        log.info("stopping")
        stack.stop()
    return 0
