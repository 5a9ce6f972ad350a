"""The canonical events of events/ against template.yaml, the API functions' routes
against the template, and the OpenAPI document against both."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from local.template import Template
from tests.support import ROOT, TEMPLATE, load_event
from tests.unit.conftest import Api

NOT_FOUND_BODY = {"error": {"code": "not_found", "message": "There is nothing at this address."}}
DOCS_FUNCTION = "api_docs"

template = Template(TEMPLATE)
FUNCTIONS = {
    logical_id: template.function_name(logical_id)
    for logical_id in template.of_type("AWS::Serverless::Function")
}


def _template_events() -> dict[tuple[str, str], str]:
    """(function folder, event name) -> event type, for every function Event."""
    found = {}
    for logical_id, folder in FUNCTIONS.items():
        events = template.resources[logical_id]["Properties"].get("Events") or {}
        for name, event in events.items():
            found[(folder, name)] = event["Type"]
    return found


EVENTS = _template_events()
HTTP_EVENTS = sorted(key for key, kind in EVENTS.items() if kind == "HttpApi")


def _route_of(folder: str, name: str) -> str:
    for logical_id, f in FUNCTIONS.items():
        if f == folder:
            props = template.resources[logical_id]["Properties"]["Events"][name]["Properties"]
            return f"{props['Method'].upper()} {props['Path']}"
    raise KeyError(folder)


ROUTES_BY_FUNCTION: dict[str, set[str]] = defaultdict(set)
for _folder, _name in HTTP_EVENTS:
    ROUTES_BY_FUNCTION[_folder].add(_route_of(_folder, _name))


def resolver_routes(module) -> set[str]:
    """The routes a function's Powertools resolver serves, as "METHOD /path/{param}"."""
    app = module.app
    return {
        f"{route.method.upper()} {re.sub(r'<(\w+)>', r'{\1}', route.path)}"
        for route in app._static_routes + app._dynamic_routes
    }


# -------------------------------------------------------------- events/ samples


def test_every_template_event_has_a_sample() -> None:
    missing = [
        f"events/{folder}/{name}.json"
        for folder, name in EVENTS
        if not (ROOT / "events" / folder / f"{name}.json").is_file()
    ]

    assert missing == []


def test_every_sample_belongs_to_a_template_event() -> None:
    samples = {(p.parent.name, p.stem) for p in (ROOT / "events").glob("*/*.json")}

    assert samples - set(EVENTS) == set()
    assert len(samples) == len(EVENTS)


@pytest.mark.parametrize(("folder", "name"), HTTP_EVENTS, ids="/".join)
def test_an_http_sample_is_the_route_it_is_named_after(folder: str, name: str) -> None:
    event = load_event(folder, name)
    route = _route_of(folder, name)
    method, path = route.split(" ", 1)

    assert event["routeKey"] == event["requestContext"]["routeKey"] == route
    assert event["requestContext"]["http"]["method"] == method
    params = event.get("pathParameters") or {}
    assert set(params) == set(re.findall(r"\{(\w+)\}", path))
    concrete = path
    for key, value in params.items():
        concrete = concrete.replace("{" + key + "}", value)
    assert event["rawPath"] == event["requestContext"]["http"]["path"] == concrete


@pytest.mark.parametrize(("folder", "name"), HTTP_EVENTS, ids="/".join)
def test_every_http_sample_gets_an_answer_that_is_not_a_fault(
    api: Api, folder: str, name: str
) -> None:
    """Fresh resources: the ids in the samples exist nowhere, so 404, 401 or 422 are the
    expected answers; a 500, or the resolver's "nothing here", is not."""
    answer = api.call(folder, name)

    assert answer.status < 500, answer.body
    assert answer.body != NOT_FOUND_BODY, f"the function does not serve {_route_of(folder, name)}"


# --------------------------------------------------------------------- routes


@pytest.mark.parametrize("folder", sorted(set(ROUTES_BY_FUNCTION) - {DOCS_FUNCTION}))
def test_each_api_function_serves_exactly_its_template_routes(api: Api, folder: str) -> None:
    assert resolver_routes(api.module(folder)) == ROUTES_BY_FUNCTION[folder]


# ---------------------------------------------------------------- the documents


def test_the_openapi_document_describes_every_route_and_no_other(api: Api) -> None:
    answer = api.call(DOCS_FUNCTION, "OpenApi")

    assert answer.status == 200, answer.body
    document = answer.body if isinstance(answer.body, dict) else json.loads(answer.body)
    described = {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "put", "post", "patch", "delete", "head", "options"}
    }
    served = set().union(
        *(routes for folder, routes in ROUTES_BY_FUNCTION.items() if folder != DOCS_FUNCTION)
    )
    assert served - described == set(), "routes the document does not describe"
    assert described - served == set(), "routes the document describes that no function serves"


def test_the_openapi_document_is_json(api: Api) -> None:
    answer = api.call(DOCS_FUNCTION, "OpenApi")

    assert answer.headers.get("Content-Type", "").startswith("application/json")
    document = answer.body if isinstance(answer.body, dict) else json.loads(answer.body)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]


def test_the_swagger_ui_is_html(api: Api) -> None:
    answer = api.call(DOCS_FUNCTION, "SwaggerUi")

    assert answer.status == 200, answer.body
    assert answer.headers.get("Content-Type", "").startswith("text/html")
    assert isinstance(answer.body, str) and "<html" in answer.body.lower()
    assert "swagger" in answer.body.lower()
