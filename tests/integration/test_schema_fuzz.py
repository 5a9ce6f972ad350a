"""Schemathesis over the whole API (`/v1/openapi.json`) on the local stack: every operation
gets generated requests, valid and invalid, signed in as a firm's owner, and none may
answer with a server error. Stateless (no chains of calls); the number of requests sent
is printed at the end of the run (tests/conftest.py, `pytest_terminal_summary`).

The schema is the document the stack serves at `/v1/openapi.json`, built from the code
when this module is collected (schemathesis makes one test per operation at collection,
before the stack runs; its fixture-based loader does not work with pytest 9), and the
first test checks that the stack serves exactly that document.

Each operation gets at most MAX_EXAMPLES generated cases (plus schemathesis' own
examples and boundary values), so the run stays within a few minutes on two cores.

Nothing leaves the machine: the stack is on loopback, and the one route that connects
somewhere else, `PUT /v1/firm/mailbox`, is only ever pointed at a loopback port that
refuses connections (a generated host name would be looked up in the DNS).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from local import Stack
from local.testing import ApiSession
from tests.integration.flows import new_firm
from tests.support import load_function

pytestmark = pytest.mark.integration

MAX_EXAMPLES = 15
CASES = "schemathesis_cases"  # the user property tests/conftest.py adds up


@pytest.fixture(scope="module")
def closed_port() -> Iterator[int]:
    """A loopback port that refuses every connection: bound, never listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as reserved:
        reserved.bind(("127.0.0.1", 0))
        yield int(reserved.getsockname()[1])


@pytest.fixture(scope="module")
def owner_token(stack: Stack) -> str:
    with ApiSession(stack.api_url) as api:
        return new_firm(api, "Fuzz & Co").token


DOCUMENT = json.loads(load_function("api_docs").openapi_document().body)
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_stack_serves_the_document_fuzzed_here(stack: Stack) -> None:
    with ApiSession(stack.api_url) as api:
        served = api.get("/v1/openapi.json")

    assert served.status_code == 200
    assert served.json() == DOCUMENT


@pytest.fixture
def counted(request: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """The cases one operation's test sends, reported for the run's summary."""
    count = {"cases": 0}
    yield count
    request.node.user_properties.append((CASES, count["cases"]))


def _loopback_only(case: Any, port: int) -> None:
    """The mailbox check connects to what it is given: a host that is a string becomes
    the loopback address, a port that is valid the closed one. Invalid values stay, so
    the negative cases still test the validation."""
    body = case.body
    if case.method.upper() != "PUT" or case.path != "/v1/firm/mailbox":
        return
    if not isinstance(body, dict):
        return
    if isinstance(body.get("imap_host"), str):
        body["imap_host"] = "127.0.0.1"
    if type(body.get("imap_port")) is int and 1 <= body["imap_port"] <= 65535:
        body["imap_port"] = port


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(
    case: Any, stack: Stack, owner_token: str, closed_port: int, counted: dict[str, int]
) -> None:
    _loopback_only(case, closed_port)
    counted["cases"] += 1
    case.call_and_validate(
        base_url=stack.api_url,
        headers={"Authorization": f"Bearer {owner_token}"},
        checks=[not_a_server_error],
        allow_redirects=False,  # a download's redirect is not followed anywhere
        timeout=30,
    )
