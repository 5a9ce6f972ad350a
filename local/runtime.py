"""Run the template's functions in-process, the way Lambda runs them.

Each function gets a pool of "containers": separately imported copies of its handler
module. A container serves one invocation at a time, so a busy function cold-starts another
copy, up to :data:`MAX_CONTAINERS`, and then waits for a free one, as Lambda would queue or
throttle.

The copies share one process, and with it what the libraries and the shared package keep
outside the handler module. What two invocations must not share is held under one
process-wide lock, :data:`SHARED_STATE` (docs/decisions.md 11):

- Powertools' event handler keeps the current event and context on a class
  (``BaseRouter.current_event`` and ``lambda_context``), which every route of every resolver
  reads: every invocation of a function whose handler module holds a resolver runs under
  the lock, one at a time across all such functions;
- a cold start imports under it (``sys.path`` and ``sys.modules`` are the process's) and
  rebinds what the shared package keeps in its modules: the routers' resolver, the services
  bound with ``use()``, the table.

The other functions (event consumers and schedules) hold no resolver and run beside the
API, so a long email sync never holds a request up. They still share Powertools' Logger with
every function (a log line may carry the request id of an invocation running beside it),
and a cold start may rebind the table, to the same one, while they run.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from local.template import ACCOUNT_ID, REGION, FunctionSpec

log = logging.getLogger("local.runtime")

MAX_CONTAINERS = 8

# Re-entrant: an invocation under the lock may cold-start its container.
SHARED_STATE = threading.RLock()
_module_numbers = itertools.count(1)
_EVENT_HANDLER = "aws_lambda_powertools.event_handler.api_gateway"


@dataclass
class LambdaContext:
    """What the Lambda runtime passes as ``context``."""

    function_name: str
    memory_limit_in_mb: int
    timeout_s: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"{time.strftime('%Y/%m/%d')}/[$LATEST]local"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_s - elapsed) * 1000))


Handler = Callable[[Any, LambdaContext], Any]


def load_handler(spec: FunctionSpec) -> Handler:
    """Import a fresh copy of the function's handler module and return its handler."""
    return _load(spec)[1]


def _load(spec: FunctionSpec) -> tuple[ModuleType, Handler]:
    """Import a fresh copy of the function's handler module: the module and its handler.

    The module gets a unique name, so each copy has its own globals. Sibling modules of the
    function's folder are importable while it loads (as from Lambda's /var/task), and are
    then taken out of ``sys.modules`` so that another function's module of the same name,
    or the next copy of this one, imports its own.
    """
    module_path, _, attribute = spec.handler.rpartition(".")
    source = spec.code_dir / (module_path.replace(".", "/") + ".py")
    if not source.is_file():
        raise FileNotFoundError(f"{spec.logical_id}: handler module {source} does not exist")
    name = f"_local_fn_{spec.name}_{next(_module_numbers)}"
    with SHARED_STATE:
        before = set(sys.modules)
        sys.path.insert(0, str(spec.code_dir))
        try:
            module_spec = importlib.util.spec_from_file_location(name, source)
            assert module_spec is not None and module_spec.loader is not None
            module: ModuleType = importlib.util.module_from_spec(module_spec)
            sys.modules[name] = module
            module_spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        finally:
            sys.path.remove(str(spec.code_dir))
            _forget_modules_under(spec.code_dir, set(sys.modules) - before - {name})
    handler: Handler = getattr(module, attribute)
    return module, handler


def _forget_modules_under(folder: Path, names: Iterable[str]) -> None:
    for module_name in names:
        file = getattr(sys.modules.get(module_name), "__file__", None)
        if file and Path(file).resolve().is_relative_to(folder):
            del sys.modules[module_name]


def holds_resolver(module: ModuleType) -> bool:
    """True when the module keeps a Powertools event handler (resolver or router) at its
    top level, as every HTTP function does with its ``app``."""
    event_handler = sys.modules.get(_EVENT_HANDLER)
    if event_handler is None:  # never imported: nothing can hold one
        return False
    return any(isinstance(value, event_handler.BaseRouter) for value in vars(module).values())


class FunctionPool:
    """The warm containers of one function."""

    def __init__(self, spec: FunctionSpec, max_containers: int = MAX_CONTAINERS):
        self.spec = spec
        self._idle: list[Handler] = []
        self._count = 0
        self._max = max_containers
        self._available = threading.Condition()
        self._first_start = threading.Lock()
        # Whether the invocations run under SHARED_STATE: known from the first container.
        self.uses_event_handler: bool | None = None

    def _start_container(self) -> tuple[ModuleType, Handler]:
        """A cold start, counted in the pool (``_count`` already raised by the caller)."""
        try:
            started = time.monotonic()
            module, handler = _load(self.spec)
        except BaseException:
            with self._available:
                self._count -= 1
                self._available.notify()
            raise
        log.debug(
            "cold start %s #%d (%.0f ms)",
            self.spec.name,
            self._count,
            (time.monotonic() - started) * 1000,
        )
        return module, handler

    def _start_first(self) -> None:
        """Start the first container alone, to learn whether the function holds a resolver
        before any of its invocations runs."""
        with self._first_start:
            if self.uses_event_handler is not None:
                return
            with self._available:
                self._count += 1
            module, handler = self._start_container()
            self.uses_event_handler = holds_resolver(module)
            self._release(handler)

    def _acquire(self) -> Handler:
        with self._available:
            while not self._idle and self._count >= self._max:
                self._available.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        return self._start_container()[1]

    def _release(self, handler: Handler) -> None:
        with self._available:
            self._idle.append(handler)
            self._available.notify()

    def invoke(self, event: Any) -> Any:
        """Call the handler with ``event``; its exceptions propagate, as the caller sees them."""
        if self.uses_event_handler is None:
            self._start_first()
        # Under the lock, this pool's containers are all idle but the one this thread takes:
        # _acquire never waits while holding it.
        with SHARED_STATE if self.uses_event_handler else contextlib.nullcontext():
            handler = self._acquire()
            context = LambdaContext(
                self.spec.physical_name, self.spec.memory_mb, self.spec.timeout_s
            )
            try:
                return handler(event, context)
            finally:
                elapsed = time.monotonic() - context.started
                if elapsed > self.spec.timeout_s:
                    log.warning(
                        "%s ran %.1f s, over its %d s timeout: Lambda would have stopped it",
                        self.spec.name,
                        elapsed,
                        self.spec.timeout_s,
                    )
                self._release(handler)


class Runtime:
    """All functions of the template, by logical id."""

    def __init__(self, specs: Iterable[FunctionSpec]):
        self.pools = {spec.logical_id: FunctionPool(spec) for spec in specs}

    def spec(self, logical_id: str) -> FunctionSpec:
        return self.pools[logical_id].spec

    def invoke(self, logical_id: str, event: Any) -> Any:
        return self.pools[logical_id].invoke(event)
