"""One resolver factory: validation on, every error in the contract's shape.

    {"error": {"code": "...", "message": "...", "fields": [{"name", "message"}]}}

Statuses: 400 body not JSON or not an object, 422 validation, 401/403/404/409/429 from
domain errors (crm.errors). Anything else is a fault of ours: logged with its traceback,
answered 500 without details.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.typing import LambdaContext

from crm.errors import DomainError, FieldError
from crm.observability import logger

# pydantic error types meaning "the body is not a JSON object" rather than "a field is wrong"
NOT_AN_OBJECT = "The request body must be a JSON object."
_NOT_AN_OBJECT = {"json_invalid", "model_attributes_type", "dict_type", "model_type"}


def error_response(
    status: int, code: str, message: str, fields: Sequence[FieldError] = ()
) -> Response[str]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = [{"name": f.name, "message": f.message} for f in fields]
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": error}),
    )


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _readable(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is not valid"))
    if error.get("type") == "missing":
        return "This field is required."
    if error.get("type") == "extra_forbidden":
        return "This field is not known."
    if error.get("type") == "value_error" and "error" in error.get("ctx", {}):
        message = str(error["ctx"]["error"])
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")


def validation_response(errors: Sequence[dict[str, Any]]) -> Response[str]:
    body_errors = [e for e in errors if tuple(e.get("loc", ()))[:1] == ("body",)]
    if any(e.get("type") in _NOT_AN_OBJECT and len(e.get("loc", ())) <= 2 for e in body_errors):
        return error_response(400, "bad_request", NOT_AN_OBJECT)
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        return error_response(400, "bad_request", NOT_AN_OBJECT)
    fields = [FieldError(_field_name(e.get("loc", ())), _readable(e)) for e in errors]
    return error_response(422, "validation_failed", "Some fields are not valid.", fields)


class HttpResolver(APIGatewayHttpResolver):
    """Refuses a JSON body that is not an object before any route sees it: Powertools
    would take the first element of a JSON array for the body model."""

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        if _json_but_not_an_object(event):
            return {
                "statusCode": 400,
                "headers": {"Content-Type": content_types.APPLICATION_JSON},
                "body": json.dumps({"error": {"code": "bad_request", "message": NOT_AN_OBJECT}}),
                "isBase64Encoded": False,
            }
        return super().resolve(event, context)


def _json_but_not_an_object(event: Mapping[str, Any]) -> bool:
    method = str(event.get("requestContext", {}).get("http", {}).get("method", "")).upper()
    body = event.get("body")
    if method not in ("POST", "PUT", "PATCH") or not body:
        return False
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    content_type = headers.get("content-type", "application/json").split(";")[0].strip()
    if content_type != content_types.APPLICATION_JSON:
        return False
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    try:
        return not isinstance(json.loads(body), dict)
    except ValueError:
        return True


def build_resolver() -> APIGatewayHttpResolver:
    """An HTTP API (payload 2.0) resolver with validation and the contract's errors."""
    app = HttpResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        return validation_response(list(error.errors()))

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:
        fields = getattr(error, "fields", ())
        return error_response(error.status, error.code, error.message, fields)

    @app.not_found
    def _not_found(_: Exception) -> Response[str]:
        return error_response(404, "not_found", "There is nothing at this address.")

    @app.exception_handler(Exception)
    def _fault(error: Exception) -> Response[str]:
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side."
        )

    return app
