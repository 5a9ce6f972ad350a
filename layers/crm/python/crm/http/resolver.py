"""One resolver factory: validation on, every error in the contract's shape.

    {"error": {"code": "...", "message": "...", "fields": [{"name", "message"}]}}

Statuses: 400 body not JSON or not an object (or nested too deep, or not UTF-8), 415 a
body of another media type on a route that reads JSON, 404 a path parameter too long to
name anything, 422 validation, 401/403/404/409/429 from domain errors (crm.errors).
Anything else is a fault of ours: logged with its traceback, answered 500 without details.

The `message` (and each field's) is in the language the request's `Accept-Language`
asks for, named in the answer's `Content-Language` (crm.http.problems); the `code` never
changes with it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from crm.errors import DomainError, FieldError
from crm.http import problems
from crm.http.language import reader
from crm.http.pages import FRAME_HEADERS, NO_FRAMING
from crm.i18n import Localizer
from crm.observability import logger

JSON_ONLY = "This route reads a JSON body: send it with Content-Type: application/json."
NOTHING_HERE = "There is nothing at this address."
PATH_PARAMETER_BYTES = 512  # ids are short; an address is at most 320 characters
# pydantic error types meaning "the body is not a JSON object" rather than "a field is wrong"
_NOT_AN_OBJECT = {"json_invalid", "model_attributes_type", "dict_type", "model_type"}


class _Answered(DomainError):
    """An error the resolver answers itself: its status, code, English text and sentence."""

    def __init__(self, status: int, code: str, message: str, words: str) -> None:
        super().__init__(message, code=code, words=words)
        self.status = status


NOT_AN_OBJECT = _Answered(
    400, "bad_request", "The request body must be a JSON object.", "error-not-an-object"
)
TOO_DEEP = _Answered(400, "bad_request", "The request body is nested too deeply.", "error-too-deep")
NOT_UNICODE = _Answered(
    400, "bad_request", "The request body is not valid UTF-8 text.", "error-not-unicode"
)
NOTHING_AT_ADDRESS = _Answered(404, "not_found", NOTHING_HERE, "error-nothing-here")
MEDIA_TYPE = _Answered(415, "unsupported_media_type", JSON_ONLY, "error-json-only")
FIELDS_INVALID = _Answered(422, "validation_failed", "Some fields are not valid.", "error-fields")
FAULT = _Answered(500, "internal_error", "Something went wrong on our side.", "error-internal")


def error_response(
    error: DomainError,
    words: Localizer,
    fields: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """The contract's error body, its messages in `words`' language (Content-Language)."""
    body: dict[str, Any] = {"code": error.code, "message": problems.message(error, words)}
    if fields:
        body["fields"] = [
            {"name": f.name, "message": problems.field_message(f, words)} for f in fields
        ]
    return Response(
        status_code=error.status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": body}),
        headers={**(headers or {}), "Content-Language": words.tag},
    )


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def validation_response(errors: Sequence[dict[str, Any]], words: Localizer) -> Response[str]:
    body_errors = [e for e in errors if tuple(e.get("loc", ()))[:1] == ("body",)]
    if any(e.get("type") in _NOT_AN_OBJECT and len(e.get("loc", ())) <= 2 for e in body_errors):
        return error_response(NOT_AN_OBJECT, words)
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        return error_response(NOT_AN_OBJECT, words)
    fields = [problems.validation_field(_field_name(e.get("loc", ())), e, words) for e in errors]
    return error_response(FIELDS_INVALID, words, fields)


def is_json(content_type: str | None) -> bool:
    """application/json or a +json type, any parameters; no Content-Type counts as JSON."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media in ("", content_types.APPLICATION_JSON) or media.endswith("+json")


class JsonBodies(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, reading a body model from JSON only: a form or
    multipart body on a JSON route is a 415, as any other media type is (Powertools would
    parse forms, which a cross-site form can post without a CORS preflight)."""

    def _get_body(self, app: ApiGatewayResolver) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type")
        if not is_json(content_type):
            raise RequestUnsupportedContentType(
                JSON_ONLY,
                errors=[{"type": "unsupported_content_type", "loc": ("body",), "msg": JSON_ONLY}],
            )
        return self._parse_json_data(app)


class HttpResolver(APIGatewayHttpResolver):
    """Refuses a JSON body that is not an object (Powertools would take the first element
    of a JSON array for the body model), nested too deep to parse, or holding text that
    is no Unicode (lone surrogates), before any route sees it."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if self._enable_validation:  # the same place Powertools keeps its own
            self._request_validation_middleware = JsonBodies()

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        if _names_nothing(event):
            return _answer(NOTHING_AT_ADDRESS, event)
        refused = _unreadable_json(event)
        if refused:
            return _answer(refused, event)
        return guarded(super().resolve(event, context))

    def request_words(self) -> Localizer:
        """The language of the request being answered (its Accept-Language)."""
        return reader(self.current_event.headers)


def guarded(result: dict[str, Any]) -> dict[str, Any]:
    """Any HTML answer leaves with the guards against framing and Referer leaks, even
    one that did not come from `crm.http.pages.html_response` (which sets them all)."""
    headers = result.get("headers")
    if not isinstance(headers, dict):
        return result
    names = {str(name).lower(): name for name in headers}
    content_type = str(headers.get(names.get("content-type", ""), ""))
    if not content_type.lower().startswith(content_types.TEXT_HTML):
        return result
    for name, value in FRAME_HEADERS.items():
        if name.lower() not in names:
            headers[name] = value
    policy_name = names.get("content-security-policy", "Content-Security-Policy")
    policy = str(headers.get(policy_name, "")).strip().rstrip(";")
    if "frame-ancestors" not in policy:
        headers[policy_name] = f"{policy}; {NO_FRAMING}" if policy else NO_FRAMING
    return result


def _answer(error: DomainError, event: Mapping[str, Any]) -> dict[str, Any]:
    """An error answered before any route runs, in the contract's shape."""
    words = reader(event.get("headers"))
    return {
        "statusCode": error.status,
        "headers": {
            "Content-Type": content_types.APPLICATION_JSON,
            "Content-Language": words.tag,
        },
        "body": json.dumps(
            {"error": {"code": error.code, "message": problems.message(error, words)}}
        ),
        "isBase64Encoded": False,
    }


def _names_nothing(event: Mapping[str, Any]) -> bool:
    """A path parameter no id, token or address can be: longer than PATH_PARAMETER_BYTES
    (a key built from it could exceed DynamoDB's key size limits, a 500 there), or text
    that is no Unicode."""
    for value in (event.get("pathParameters") or {}).values():
        try:
            if len(str(value).encode("utf-8")) > PATH_PARAMETER_BYTES:
                return True
        except UnicodeEncodeError:
            return True
    return False


def _unreadable_json(event: Mapping[str, Any]) -> DomainError | None:
    """Why a JSON body cannot be a request model, or None (also for no or another body)."""
    method = str(event.get("requestContext", {}).get("http", {}).get("method", "")).upper()
    body = event.get("body")
    if method not in ("POST", "PUT", "PATCH") or not body:
        return None
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    if not is_json(headers.get("content-type")):
        return None
    try:
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body).decode("utf-8")
        document = json.loads(body)
        # a lone surrogate ("\\ud800") parses, then fails wherever the text is encoded
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        return TOO_DEEP
    except UnicodeError:
        return NOT_UNICODE
    except ValueError:  # not JSON; binascii.Error is one too
        return NOT_AN_OBJECT
    return None if isinstance(document, dict) else NOT_AN_OBJECT


def build_resolver() -> APIGatewayHttpResolver:
    """An HTTP API (payload 2.0) resolver with validation and the contract's errors."""
    app = HttpResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        return validation_response(list(error.errors()), app.request_words())

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:
        fields = getattr(error, "fields", ())
        retry_after = getattr(error, "retry_after", None)  # a 429 that knows when to retry
        headers = {"Retry-After": str(max(1, int(retry_after)))} if retry_after else None
        return error_response(error, app.request_words(), fields, headers)

    @app.not_found
    def _not_found(_: Exception) -> Response[str]:
        return error_response(NOTHING_AT_ADDRESS, app.request_words())

    @app.exception_handler(RequestUnsupportedContentType)
    def _media_type(_: RequestUnsupportedContentType) -> Response[str]:
        return error_response(MEDIA_TYPE, app.request_words())

    # a body a route reads itself (the CSV import) that is not UTF-8; JSON bodies are
    # checked in resolve() before any route runs
    @app.exception_handler(UnicodeDecodeError)
    def _not_unicode(_: UnicodeDecodeError) -> Response[str]:
        return error_response(NOT_UNICODE, app.request_words())

    @app.exception_handler(Exception)
    def _fault(error: Exception) -> Response[str]:
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        return error_response(FAULT, app.request_words())

    return app
