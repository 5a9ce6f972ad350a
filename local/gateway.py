"""API Gateway (HTTP API, payload format 2.0) in front of the in-process functions.

Serves every ``HttpApi`` route of the template: route selection as API Gateway does it
(literal segments before ``{param}`` before ``{proxy+}``), the JWT authorizers emulated
against the moto Cognito pools, the 2.0 event in, the 2.0 response out, and API Gateway's
own bodies for 404, 401 and a failing function.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt

from local.runtime import Runtime
from local.template import ACCOUNT_ID, HttpRoute, JwtAuthorizer

log = logging.getLogger("local.gateway")


@dataclass
class Request:
    method: str
    path: str  # as received, still percent-encoded
    query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str = "127.0.0.1"

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ",".join(values) if values else None

    def json(self) -> Any:
        """The body as JSON; ``ValueError`` when it is not."""
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, document: Any) -> Reply:
        return cls(status, json.dumps(document).encode(), [("Content-Type", "application/json")])


LocalRoutes = Callable[[Request], Reply | None]

NOT_FOUND = Reply.json(404, {"message": "Not Found"})
UNAUTHORIZED = Reply.json(401, {"message": "Unauthorized"})
FORBIDDEN = Reply.json(403, {"message": "Forbidden"})
INTERNAL_ERROR = Reply.json(500, {"message": "Internal Server Error"})


# ------------------------------------------------------------------------------ routing


@dataclass(frozen=True)
class CompiledRoute:
    route: HttpRoute
    pattern: re.Pattern[str]
    rank: tuple[int, ...]  # lower wins: literal 0, {param} 1, {proxy+} 2, per segment


def compile_route(route: HttpRoute) -> CompiledRoute:
    if route.path == "$default":
        return CompiledRoute(route, re.compile(r".*"), (3,))
    parts, rank = [], []
    for segment in route.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
            rank.append(2)
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
            rank.append(1)
        else:
            parts.append(re.escape(segment))
            rank.append(0)
    return CompiledRoute(route, re.compile("/" + "/".join(parts) + "/?"), tuple(rank))


class Router:
    def __init__(self, routes: Iterable[HttpRoute]):
        self.routes = [compile_route(route) for route in routes]

    def match(self, method: str, path: str) -> tuple[HttpRoute, dict[str, str]] | None:
        candidates = []
        for compiled in self.routes:
            if compiled.route.method not in (method, "ANY"):
                continue
            found = compiled.pattern.fullmatch(path)
            if found:
                exact_method = compiled.route.method == method
                candidates.append((compiled.rank, not exact_method, compiled, found))
        if not candidates:
            return None
        _, _, best, found = min(candidates, key=lambda item: (item[0], item[1]))
        return best.route, {name: unquote(value) for name, value in found.groupdict().items()}


# -------------------------------------------------------------------------- authorizers


class JwtVerifier:
    """API Gateway's JWT authorizer, with the JWKS served by the moto server."""

    def __init__(self, aws_endpoint: str):
        self.aws_endpoint = aws_endpoint
        self._clients: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    def _jwks(self, issuer: str) -> jwt.PyJWKClient:
        with self._lock:
            if issuer not in self._clients:
                path = urlsplit(issuer).path.rstrip("/")
                url = f"{self.aws_endpoint}{path}/.well-known/jwks.json"
                self._clients[issuer] = jwt.PyJWKClient(url, cache_keys=True)
            return self._clients[issuer]

    def claims(self, authorizer: JwtAuthorizer, request: Request) -> dict[str, Any] | None:
        """The token's claims if it passes the authorizer, else None."""
        token = (request.header(authorizer.header) or "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token:
            return None
        try:
            key = self._jwks(authorizer.issuer).get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=authorizer.issuer,
                options={"verify_aud": False, "require": ["exp", "iss"]},
            )
        except jwt.PyJWTError as error:
            log.debug("%s rejected a token: %s", authorizer.name, error)
            return None
        audience = claims.get("aud", claims.get("client_id"))
        audiences = audience if isinstance(audience, list) else [audience]
        if not set(audiences) & set(authorizer.audience):
            log.debug("%s rejected a token for audience %s", authorizer.name, audience)
            return None
        return claims


def claims_as_api_gateway_gives_them(claims: Mapping[str, Any]) -> dict[str, str]:
    """Every claim as a string: numbers as digits, lists as ``[a b]``, booleans lower case."""

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, list):
            return "[" + " ".join(text(item) for item in value) + "]"
        if isinstance(value, dict):
            return json.dumps(value)
        return str(value)

    return {name: text(value) for name, value in claims.items()}


# ------------------------------------------------------------------ events and responses

_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
    "+json",
    "+xml",
)


def _is_text(content_type: str | None, body: bytes) -> bool:
    if content_type:
        kind = content_type.split(";")[0].strip().lower()
        return kind.startswith(_TEXT_TYPES[0]) or any(t in kind for t in _TEXT_TYPES[1:])
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def build_event(
    request: Request,
    route: HttpRoute,
    path_parameters: Mapping[str, str],
    claims: Mapping[str, Any] | None,
    api_id: str,
    request_id: str,
) -> dict[str, Any]:
    """The payload format 2.0 event API Gateway sends for ``request``."""
    headers: dict[str, str] = {}
    for name, value in request.headers:
        key = name.lower()
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    cookie_header = headers.pop("cookie", None)
    query: dict[str, str] = {}
    for name, value in parse_qsl(request.query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    now = datetime.now(UTC)
    host = headers.get("host", "localhost")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": api_id,
            "domainName": host,
            "domainPrefix": host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": route.route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookie_header:
        event["cookies"] = [c.strip() for c in cookie_header.split(";") if c.strip()]
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if request.body:
        if _is_text(headers.get("content-type"), request.body) and _utf8(request.body):
            event["body"] = request.body.decode("utf-8")
        else:  # binary, or "text" that is not UTF-8: API Gateway base64-encodes both
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    if claims is not None:
        scope = claims.get("scope")
        event["requestContext"]["authorizer"] = {
            "jwt": {
                "claims": claims_as_api_gateway_gives_them(claims),
                "scopes": str(scope).split() if scope else None,
            }
        }
    return event


def reply_from_result(result: Any) -> Reply:
    """Map a function's answer to HTTP as API Gateway does for payload format 2.0."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # Any other valid JSON is the body of a 200.
        return Reply.json(200, result)
    headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers = [(k, v) for k, v in headers if k.lower() != str(name).lower()]
        headers.extend((str(name), str(value)) for value in values)
    headers.extend(("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or [])
    body = result.get("body")
    if body is None:
        payload = b""
    elif not isinstance(body, str):
        raise TypeError(f"the response body must be a string, not {type(body).__name__}")
    elif result.get("isBase64Encoded"):
        payload = base64.b64decode(body)
    else:
        payload = body.encode("utf-8")
    return Reply(int(result["statusCode"]), payload, headers)


# ------------------------------------------------------------------------------- server


class Gateway:
    """The HTTP server: bound at construction (so its URL is known early), served on start."""

    def __init__(self, port: int = 3000, host: str = "127.0.0.1", api_id: str = "local"):
        self._server = _Server((host, port), _RequestHandler)
        self._server.gateway = self
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self.api_id = api_id
        self._router = Router([])
        self._authorizers: dict[str, JwtAuthorizer] = {}
        self._verifier: JwtVerifier | None = None
        self._runtime: Runtime | None = None
        self._local_routes: LocalRoutes | None = None
        self._static_site: LocalRoutes | None = None
        self._thread: threading.Thread | None = None

    def configure(
        self,
        routes: Iterable[HttpRoute],
        authorizers: Mapping[str, JwtAuthorizer],
        verifier: JwtVerifier,
        runtime: Runtime,
        local_routes: LocalRoutes | None = None,
        static_site: LocalRoutes | None = None,
    ) -> None:
        """``static_site`` answers the paths CloudFront would send to the pages' bucket
        (``local.static.StaticSite.serve``), and None for the rest, which go to the API."""
        self._router = Router(routes)
        self._authorizers = dict(authorizers)
        self._verifier = verifier
        self._runtime = runtime
        self._local_routes = local_routes
        self._static_site = static_site

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="gateway", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread:  # shutdown() waits for serve_forever(): only once it runs
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def handle(self, request: Request) -> tuple[Reply, str]:
        """The reply to ``request`` and what served it (for the log line)."""
        if self._local_routes and request.path.startswith("/_local/"):
            try:
                return self._local_routes(request) or NOT_FOUND, "local"
            except Exception:
                log.exception("%s %s failed", request.method, request.path)
                return INTERNAL_ERROR, "local"
        if self._static_site:
            page = self._static_site(request)
            if page is not None:
                return page, "web"
        match = self._router.match(request.method, request.path)
        if match is None:
            return NOT_FOUND, "-"
        route, path_parameters = match
        assert self._runtime is not None and self._verifier is not None
        name = self._runtime.spec(route.function).name
        claims = None
        if route.authorizer is not None:
            authorizer = self._authorizers.get(route.authorizer)
            if authorizer is None:
                log.error("%s: no JWT authorizer named %s", route.route_key, route.authorizer)
                return INTERNAL_ERROR, name
            claims = self._verifier.claims(authorizer, request)
            if claims is None:
                return UNAUTHORIZED, route.authorizer
            if route.scopes and not set(route.scopes) & set(str(claims.get("scope")).split()):
                return FORBIDDEN, route.authorizer
        request_id = str(uuid.uuid4())
        event = build_event(request, route, path_parameters, claims, self.api_id, request_id)
        try:
            reply = reply_from_result(self._runtime.invoke(route.function, event))
        except Exception:
            log.exception("%s failed on %s", name, route.route_key)
            return INTERNAL_ERROR, name
        reply.headers.append(("Apigw-Requestid", request_id))
        return reply, name


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # The listen backlog: socketserver's 5 resets connections when the pages (or a test's
    # 48 threads) open many at once; API Gateway takes them all.
    request_queue_size = 128
    gateway: Gateway

    def handle_error(self, _request: Any, client_address: Any) -> None:
        """A client that hangs up is no error of ours; anything else is logged."""
        if isinstance(sys.exception(), ConnectionError):
            log.debug("%s hung up", client_address)
        else:
            log.exception("error while serving %s", client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body go out in two writes: without TCP_NODELAY the body waits for
    # the client's delayed ACK of the head, 40 ms on every answer.
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        started = time.monotonic()
        target = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=target.path or "/",
            query=target.query,
            headers=list(self.headers.items()),
            body=self._read_body(),
            source_ip=self.client_address[0],
        )
        reply, served_by = self.server.gateway.handle(request)
        self.send_response(reply.status)
        for name, value in reply.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        log.info(
            "%s %s %d %s %.0f ms",
            self.command,
            target.path,
            reply.status,
            served_by,
            (time.monotonic() - started) * 1000,
        )

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline().strip():  # trailers
                pass
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, QUERY, ...) goes to the routes too, as at API Gateway:
        one that no route serves is a 404 there, never http.server's 501."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: one line per request is logged by ``_serve``."""
