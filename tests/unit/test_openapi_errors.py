"""The OpenAPI document describes the error answers as the routes give them (issue 12,
"The API people read"): one `ErrorResponse` schema for 400/401/403/404/409/415/422/429,
never Powertools' `HTTPValidationError`, and real error answers that match it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from local.template import Template
from tests.support import TEMPLATE
from tests.unit.conftest import Api, Staff

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
ROUTES = Template(TEMPLATE).http_routes()
DOCUMENTED = [r for r in ROUTES if not r.path.startswith(("/v1/openapi", "/v1/docs", "$"))]


@pytest.fixture
def document(api: Api) -> dict[str, Any]:
    answer = api.call("api_docs", "OpenApi")
    assert answer.status == 200, answer.body
    return answer.body if isinstance(answer.body, dict) else json.loads(answer.body)


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return dict(document["paths"][path][method.lower()])


def error_statuses(op: dict[str, Any]) -> set[str]:
    return {
        status
        for status, answer in op["responses"].items()
        if answer.get("content", {}).get("application/json", {}).get("schema") == ERROR_REF
    }


def test_powertools_validation_schemas_are_gone(document: dict[str, Any]) -> None:
    text = json.dumps(document)

    assert "HTTPValidationError" not in text
    assert "ValidationError" not in document["components"]["schemas"]
    error = document["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["error"]
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"}
    assert detail["required"] == ["code", "message"]


@pytest.mark.parametrize("route", DOCUMENTED, ids=[f"{r.method} {r.path}" for r in DOCUMENTED])
def test_every_route_documents_its_errors_in_the_contracts_shape(
    document: dict[str, Any], route: Any
) -> None:
    op = operation(document, route.method, route.path)
    errors = error_statuses(op)

    assert "422" in errors
    assert all(
        answer.get("content", {}).get("application/json", {}).get("schema") == ERROR_REF
        for status, answer in op["responses"].items()
        if status.startswith(("4", "5"))
    )
    if route.authorizer:  # protected at the gateway: a missing or bad token is a 401
        assert "401" in errors
    if "{" in route.path:
        assert "404" in errors
    if "requestBody" in op:
        assert {"400", "415"} <= errors


def test_a_change_to_a_staff_member_documents_each_refusal(document: dict[str, Any]) -> None:
    op = operation(document, "PATCH", "/v1/staff/{staff_id}")

    assert error_statuses(op) == {"400", "401", "403", "404", "409", "415", "422"}


def test_the_logins_document_the_wrong_password_and_the_throttle(document: dict[str, Any]) -> None:
    for path in ("/v1/staff/login", "/v1/portal/login", "/v1/invitations/{token}/accept"):
        assert {"401", "429", "422"} <= error_statuses(operation(document, "POST", path))


def test_the_public_routes_of_the_docs_are_the_templates(document: dict[str, Any]) -> None:
    from functions.api_docs import app

    public = {(r.method, r.path) for r in DOCUMENTED if r.authorizer is None}

    assert public == app.PUBLIC


def test_real_error_answers_match_the_documented_schema(
    document: dict[str, Any], owner: Staff, api: Api
) -> None:
    schema = {**document["components"]["schemas"]["ErrorResponse"]}
    resolver = {"components": {"schemas": document["components"]["schemas"]}, **schema}
    employee = owner.add_staff("emp@firm.example")
    answers = [
        owner.call("directory_api", "ListAccounts", query={"limit": "0"}),  # 422 with fields
        owner.call("directory_api", "GetAccount", path={"account_id": "acc_x"}),  # 404
        employee.call("firms_api", "UpdateSettings", body={"auto_save_attachments": True}),
        owner.call("firms_api", "InviteStaff", raw_body="[1]"),  # 400
        api.call("firms_api", "StaffLogin", body={"email": "a@b.example", "password": "x"}),
    ]

    assert [a.status for a in answers] == [422, 404, 403, 400, 401]
    for answer in answers:
        jsonschema.validate(answer.body, resolver)


def test_the_document_describes_a_notification_events_detail_with_its_optional_facts(
    document: dict[str, Any],
) -> None:
    detail = document["components"]["schemas"]["NotificationEventDetail"]
    assert set(detail["required"]) == {"firm_id", "account_id", "event_id", "title"}
    assert {"url", "due_date", "amount", "currency", "number"} <= set(detail["properties"])
    assert "DetailType" in detail["description"]
    # an invoice event as a service sends it validates against the documented schema
    jsonschema.validate(
        {
            "firm_id": "f1",
            "account_id": "a1",
            "event_id": "inv-1001",
            "title": "Invoice #1001",
            "amount": 1250.5,
            "currency": "EUR",
            "number": 1001,
        },
        detail,
    )
