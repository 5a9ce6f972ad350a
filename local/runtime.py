"""Run the template's functions in-process, the way Lambda runs them.

Each function gets a pool of "containers": separately imported copies of its handler
module. A container serves one invocation at a time (Powertools resolvers keep the current
event on a module-level ``app``), so a busy function cold-starts another copy, up to
:data:`MAX_CONTAINERS`, and then waits for a free one, as Lambda would queue or throttle.
"""

from __future__ import annotations

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

# sys.path and sys.modules are process-wide: one cold start at a time.
_IMPORT_LOCK = threading.RLock()
_module_numbers = itertools.count(1)


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
    """Import a fresh copy of the function's handler module and return its handler.

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
    with _IMPORT_LOCK:
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
    return handler


def _forget_modules_under(folder: Path, names: Iterable[str]) -> None:
    for module_name in names:
        file = getattr(sys.modules.get(module_name), "__file__", None)
        if file and Path(file).resolve().is_relative_to(folder):
            del sys.modules[module_name]


class FunctionPool:
    """The warm containers of one function."""

    def __init__(self, spec: FunctionSpec, max_containers: int = MAX_CONTAINERS):
        self.spec = spec
        self._idle: list[Handler] = []
        self._count = 0
        self._max = max_containers
        self._available = threading.Condition()

    def _acquire(self) -> Handler:
        with self._available:
            while not self._idle and self._count >= self._max:
                self._available.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            started = time.monotonic()
            handler = load_handler(self.spec)
            log.debug(
                "cold start %s #%d (%.0f ms)",
                self.spec.name,
                self._count,
                (time.monotonic() - started) * 1000,
            )
            return handler
        except BaseException:
            with self._available:
                self._count -= 1
                self._available.notify()
            raise

    def _release(self, handler: Handler) -> None:
        with self._available:
            self._idle.append(handler)
            self._available.notify()

    def invoke(self, event: Any) -> Any:
        """Call the handler with ``event``; its exceptions propagate, as the caller sees them."""
        handler = self._acquire()
        context = LambdaContext(self.spec.physical_name, self.spec.memory_mb, self.spec.timeout_s)
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
