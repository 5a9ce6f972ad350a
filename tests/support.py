"""Helpers the unit tests share: the template's resources in in-process moto, the
functions loaded as Lambda would load them, and the canonical events of events/."""

from __future__ import annotations

import copy
import importlib.util
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3

from local.resources import ResourceBuilder
from local.template import REGION, Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
LOCAL_URL = "http://127.0.0.1:3000"


class InProcessBuilder(ResourceBuilder):
    """The local runner's resource builder, talking to moto's in-process mock instead of
    a server: the same template, the same resources, no network."""

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = boto3.client(service, region_name=REGION)  # type: ignore[call-overload]
        return self._clients[service]


def build_stack() -> dict[str, str]:
    """Create every resource of the template in the active moto mock; return the
    functions' environment (the template's Globals, resolved)."""
    template = Template(TEMPLATE, {"PublicApiUrl": LOCAL_URL, "PortalUrl": LOCAL_URL})
    InProcessBuilder(template, endpoint="", api_id="local", api_url=LOCAL_URL).create_all()
    first = next(iter(template.of_type("AWS::Serverless::Function")))
    return template.function_environment(first)


class Context:
    """Enough of a LambdaContext for Powertools (logger, idempotency)."""

    function_name = "unit-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:unit-test"
    log_group_name = "/aws/lambda/unit-test"
    log_stream_name = "unit-test"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def load_function(name: str) -> ModuleType:
    """functions/<name>/app.py as a fresh module (a cold start)."""
    path = ROOT / "functions" / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"fn_{name}_{uuid.uuid4().hex}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_event(function: str, name: str) -> dict[str, Any]:
    """A canonical event of events/<function>/<name>.json (a fresh copy)."""
    return copy.deepcopy(json.loads((ROOT / "events" / function / f"{name}.json").read_text()))


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


def http_event(
    function: str,
    name: str,
    *,
    claims: dict[str, str] | None = None,
    path: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = ...,
    raw_body: str | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The canonical event of a route with this request's claims, path, query, body and
    extra headers (lower-case names, as the gateway passes them)."""
    event = load_event(function, name)
    route_path = event["routeKey"].split(" ", 1)[1]
    values = {**(event.get("pathParameters") or {}), **(path or {})}
    raw_path = route_path
    for key, value in values.items():
        raw_path = raw_path.replace("{" + key + "}", value)
    event["rawPath"] = event["requestContext"]["http"]["path"] = raw_path
    if values:
        event["pathParameters"] = values
    if query is not None:
        event["queryStringParameters"] = query or None
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    if claims is None:
        event["requestContext"].pop("authorizer", None)
        event["headers"].pop("authorization", None)
    else:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    if raw_body is not None:
        event["body"] = raw_body
    elif body is not ...:
        event["body"] = None if body is None else json.dumps(body)
    if content_type is not None:
        event["headers"]["content-type"] = content_type
    event["headers"].update(headers or {})
    return event


def invoke(module: ModuleType, event: dict[str, Any]) -> Answer:
    result = module.lambda_handler(event, Context())
    text = result.get("body")
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = text
    return Answer(result["statusCode"], body, dict(result.get("headers") or {}))
