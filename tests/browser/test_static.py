"""The local stack serves web/ under the paths the template's CloudFront distribution sends
to the pages' bucket, with its response headers, and everything else to the API."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from local import Stack
from local.static import StaticSite
from local.testing import ApiSession

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def raw_get(stack: Stack, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A request with the path exactly as given (no client normalises it)."""
    url = urlsplit(stack.api_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    try:
        connection.request(method, path)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def test_the_mapping_comes_from_the_template(stack: Stack) -> None:
    site = StaticSite.from_template(stack.template)
    assert site is not None
    assert site.root == (stack.template.root / "web").resolve()
    assert [b.pattern for b in site.behaviours] == ["/portal*", "/app*", "/reset", "/assets/*"]
    assert stack.outputs["WebUrl"] == stack.api_url


@pytest.mark.parametrize(
    ("path", "script"),
    [
        ("/portal", "/assets/portal.js"),
        ("/portal/", "/assets/portal.js"),
        ("/portal/index.html", "/assets/portal.js"),
        ("/app", "/assets/app.js"),
        ("/app/", "/assets/app.js"),
        ("/reset", "/assets/reset.js"),
    ],
)
def test_the_pages_are_served_with_the_distributions_headers(
    api: ApiSession, path: str, script: str
) -> None:
    answer = api.get(path)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<script type="module" src="{script}"></script>' in answer.text
    assert answer.headers["Content-Security-Policy"] == CSP
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/assets/portal.js", "text/javascript; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/base.css", "text/css; charset=utf-8"),
    ],
)
def test_assets_have_their_content_type(api: ApiSession, path: str, content_type: str) -> None:
    answer = api.get(path)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == content_type


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../template.yaml",
        "/assets/%2e%2e/template.yaml",
        "/assets/..%2Ftemplate.yaml",
        "/portal/..%2F..%2Ftemplate.yaml",
        "/assets/..%5Ctemplate.yaml",
        "/assets/%00.js",
        "/assets/missing.js",
        "/assets/",
    ],
)
def test_nothing_outside_web_and_nothing_missing_is_served(stack: Stack, path: str) -> None:
    status, _, body = raw_get(stack, path)
    assert status == 404
    assert b"AWSTemplateFormatVersion" not in body


def test_only_reads_are_served_and_the_rest_goes_to_the_api(stack: Stack, api: ApiSession) -> None:
    assert raw_get(stack, "/portal", "POST")[0] == 403
    openapi = api.get("/v1/openapi.json")
    assert openapi.headers["Content-Type"].startswith("application/json")
    activate = api.get("/activate", params={"token": "not-a-token"})
    assert activate.status_code == 404
    for answer in (openapi, activate):  # from a function behind the gateway, not the bucket
        assert "Apigw-Requestid" in answer.headers
