"""The OpenAPI document tells the error answers as they are (crm.http.resolver):

    {"error": {"code": "...", "message": "...", "fields": [{"name", "message"}]}}

Powertools documents every route's 422 with Pydantic's `HTTPValidationError`, a shape no
route answers. `with_error_answers` replaces it with one schema, `ErrorResponse`, and adds
to each operation the statuses it can give: 400 and 415 where a JSON body is read, 401 on
protected routes (and the logins), 403 and 409 on protected routes that change
something, 404 where the path or an `_id` parameter names something (and on protected
changes: the firm's record they change), 422 everywhere (the body, the
path, the query), 429 where a throttle or the sending quota applies.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

Route = tuple[str, str]  # (METHOD, /path/{param})

ERROR_SCHEMAS: dict[str, Any] = {
    "ErrorField": {
        "title": "ErrorField",
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The field, dotted (`emails.0.address`)."},
            "message": {"type": "string"},
        },
        "required": ["name", "message"],
    },
    "ErrorDetail": {
        "title": "ErrorDetail",
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": "Stable, for programs: `not_found`, ..."},
            "message": {"type": "string", "description": "For people."},
            "fields": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ErrorField"},
                "description": "On a 422: each field refused, and why.",
            },
        },
        "required": ["code", "message"],
    },
    "ErrorResponse": {
        "title": "ErrorResponse",
        "type": "object",
        "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}},
        "required": ["error"],
    },
}
POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError")
DESCRIPTIONS = {
    "400": "The body is not a JSON object",
    "401": "Not signed in, or the token is not valid (a login: wrong address or password)",
    "403": "Signed in, but not allowed to do this",
    "404": "Nothing of the caller's firm at this address",
    "409": "Conflicts with the current state (a duplicate, a change made at the same time)",
    "415": "The body is not of the media type the route reads",
    "422": "A field is not valid: each is named in `fields`",
    "429": "Too many requests or emails: wait (see Retry-After) and try again",
}
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
_LOGINS = re.compile(r"/login$|/accept$")


def with_error_answers(
    document: dict[str, Any], public: Collection[Route], throttled: Collection[Route]
) -> dict[str, Any]:
    """The document with the contract's error shape on every operation (changed in place
    and returned)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in POWERTOOLS_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(ERROR_SCHEMAS)
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            route = (method.upper(), path)
            statuses = _statuses(route, operation, route in public, route in throttled)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses[status] = {"description": DESCRIPTIONS[status], "content": _ERROR}
    if "ResponseValidationError" in schemas and "ResponseValidationError" not in str(
        document.get("paths")
    ):
        schemas.pop("ResponseValidationError")
    return document


def _statuses(route: Route, operation: dict[str, Any], public: bool, throttled: bool) -> set[str]:
    method, path = route
    statuses = {"422"}
    if _reads_json(operation):
        statuses |= {"400", "415"}
    if not public or _LOGINS.search(path):
        statuses.add("401")
    if not public and method != "GET":
        statuses |= {"403", "409"}
    names = {p.get("name", "") for p in operation.get("parameters", [])}
    if "{" in path or any(n.endswith("_id") for n in names) or (not public and method != "GET"):
        statuses.add("404")
    if throttled:
        statuses.add("429")
    return statuses


def _reads_json(operation: dict[str, Any]) -> bool:
    return "application/json" in operation.get("requestBody", {}).get("content", {})
