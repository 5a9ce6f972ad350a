"""The local runtime keeps invocations apart (docs/decisions.md 11), shown on functions
written for the test and invoked straight through the runtime, without a stack."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest

from local import control
from local.control import LocalRoutes
from local.delivery import Delivery
from local.gateway import Request, build_event
from local.runtime import Runtime
from local.template import FunctionSpec, HttpRoute

# An HTTP function as ours are written: a module-level resolver whose route reads the
# current event after a pause, the pause in which another invocation would replace it.
RESOLVER_FUNCTION = """
import time

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver()


@app.get("/whoami")
def whoami() -> dict:
    time.sleep(0.002)
    return {"caller": app.current_event.get_query_string_value("caller")}


def handler(event, context):
    return app.resolve(event, context)
"""

BACKGROUND_FUNCTION = """
import time


def handler(event, context):
    time.sleep(event["seconds"])
    return {"slept": event["seconds"]}
"""

ROUTE = HttpRoute("GET", "/whoami", "Whoami", None)


def _function(root: Path, logical_id: str, source: str) -> FunctionSpec:
    folder = root / logical_id.lower()
    folder.mkdir()
    (folder / "app.py").write_text(source)
    return FunctionSpec(
        logical_id=logical_id,
        name=logical_id.lower(),
        physical_name=f"local-{logical_id}",
        code_dir=folder,
        handler="app.handler",
        memory_mb=128,
        timeout_s=30,
        environment={},
        max_retry_attempts=0,
    )


def _whoami(caller: str) -> dict[str, Any]:
    request = Request("GET", "/whoami", f"caller={caller}", [], b"")
    return build_event(request, ROUTE, {}, None, "local", f"request-{caller}")


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    return Runtime(
        [
            _function(tmp_path, "Whoami", RESOLVER_FUNCTION),
            _function(tmp_path, "Whoelse", RESOLVER_FUNCTION),
            _function(tmp_path, "Sleeper", BACKGROUND_FUNCTION),
        ]
    )


def test_concurrent_invocations_of_http_functions_each_resolve_their_own_event(
    runtime: Runtime,
) -> None:
    calls = [(("Whoami", "Whoelse")[n % 2], str(n)) for n in range(200)]

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda call: runtime.invoke(call[0], _whoami(call[1])), calls))

    callers = [answer["body"] for answer in answers]
    assert callers == [f'{{"caller":"{caller}"}}' for _, caller in calls]
    assert runtime.pools["Whoami"].uses_event_handler is True


def test_a_function_without_a_resolver_runs_beside_the_http_functions(
    runtime: Runtime,
) -> None:
    runtime.invoke("Sleeper", {"seconds": 0})  # both warm: no cold start below
    runtime.invoke("Whoami", _whoami("first"))
    sleeper = threading.Thread(target=runtime.invoke, args=("Sleeper", {"seconds": 2.0}))
    sleeper.start()
    time.sleep(0.1)

    answer = runtime.invoke("Whoami", _whoami("meanwhile"))

    assert sleeper.is_alive(), "the HTTP function waited for the other one"
    assert answer["statusCode"] == 200
    assert runtime.pools["Sleeper"].uses_event_handler is False
    sleeper.join()


def test_the_stack_route_answers_once_the_stack_is_ready() -> None:
    ready = threading.Event()
    routes = LocalRoutes(cast(Delivery, None), "bus", lambda: {"api_url": "here"}, ready)
    answers: list[int] = []

    def ask() -> None:
        reply = routes(Request("GET", "/_local/stack", "", [], b""))
        answers.append(reply.status if reply else 404)

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.2)
    waited = not answers
    ready.set()
    asking.join(5)

    assert waited
    assert answers == [200]


def test_the_stack_route_answers_503_while_the_stack_is_still_starting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(control, "READY_WAIT_SECONDS", 0.01)
    routes = LocalRoutes(cast(Delivery, None), "bus", lambda: {}, threading.Event())

    reply = routes(Request("GET", "/_local/stack", "", [], b""))

    assert reply is not None and reply.status == 503
