"""The few server-rendered pages (activation, unsubscribe, activation request): one look,
readable on a phone, no external resources, and one way to answer with them.

Every text of a page is a sentence of the catalogs (`crm/i18n/<language>/pages.ftl`) in
the reader's language, which the page names in `<html lang>` and `Content-Language`.
The reader's own data (names, addresses) goes in as placeables, escaped; `sentence`
can set one of them in bold, where the translator put it.

Every HTML answer of the API goes through `html_response`, so each carries the same
guards: no framing by another site (`frame-ancestors 'none'` and `X-Frame-Options: DENY`,
against clickjacking a one-click button), a Content-Security-Policy that allows nothing
but the page's own inline style (and, where asked, its inline script and the API it
calls), no Referer (the URL carries a token), and no caching.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from crm.i18n import Localizer

STYLE = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
Arial,sans-serif;background:#f4f6f8;color:#1f2933}main{max-width:28rem;margin:2rem auto;
padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.7rem;font-size:1rem;border:1px solid #9aa5b1;border-radius:6px}
input:focus{outline:3px solid #93c5fd;border-color:#1d4ed8}button{margin-top:1.25rem;width:100%;
padding:.8rem;font-size:1rem;font-weight:600;color:#fff;background:#1d4ed8;border:0;
border-radius:6px;cursor:pointer}button:disabled{background:#64748b}.error{color:#b91c1c;
margin-top:.75rem}.hint{color:#52606d;font-size:.9rem}a.button{display:block;text-align:center;
margin-top:1rem;padding:.8rem;background:#1d4ed8;color:#fff;border-radius:6px;
text-decoration:none;font-weight:600}
"""


def page(title: str, body: str, *, lang: str) -> str:
    """A whole document; `lang` is the language its texts are in (Localizer.tag)."""
    return f"""<!doctype html>
<html lang="{escape(lang, quote=True)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body><main>{body}</main></body></html>
"""


def sentence(
    words: Localizer, message_id: str, *, strong: Mapping[str, str] | None = None, **arguments: Any
) -> str:
    """The message as HTML: every part escaped, the placeables named in `strong` in
    <strong> (the sentence is filled with markers first, so the translator decides
    where they stand)."""
    marks = {name: f"\x00{index}\x00" for index, name in enumerate(strong or {})}
    text = escape(words(message_id, **arguments, **marks))
    for name, mark in marks.items():
        text = text.replace(mark, f"<strong>{escape(str((strong or {})[name]))}</strong>")
    return text


# what every HTML answer carries, whatever its policy for scripts and forms (the
# resolver adds these to any HTML answer that lacks them: crm.http.resolver.guarded)
NO_FRAMING = "frame-ancestors 'none'"
FRAME_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
PAGE_HEADERS = {"Cache-Control": "no-store", **FRAME_HEADERS}
Script = Literal["inline", "self"]  # the page's own inline script, or files of its origin


def content_security_policy(
    *, script: Script | None = None, calls: str = "", forms_post: bool = False
) -> str:
    """Nothing but inline style by default. `script` allows the page's inline script or
    scripts from its origin, which may call its origin and `calls` (another origin, such
    as the API's public base); `forms_post` lets its forms post to its own origin."""
    rules = ["default-src 'none'", "style-src 'unsafe-inline'"]
    if script is not None:
        source = "'unsafe-inline'" if script == "inline" else "'self'"
        rules += [f"script-src {source}", f"connect-src 'self' {calls}".strip()]
    rules += [
        f"form-action {"'self'" if forms_post else "'none'"}",
        NO_FRAMING,
        "base-uri 'none'",
    ]
    return "; ".join(rules)


def html_response(
    status: int,
    document: str,
    *,
    script: Script | None = None,
    calls: str = "",
    forms_post: bool = False,
    language: str | None = None,
) -> Response[str]:
    """An HTML answer with the guards every page of the API carries (module docstring),
    naming the `language` of its texts."""
    policy = content_security_policy(script=script, calls=calls, forms_post=forms_post)
    headers = {**PAGE_HEADERS, "Content-Security-Policy": policy}
    if language:
        headers["Content-Language"] = language
    return Response(status, f"{content_types.TEXT_HTML}; charset=utf-8", document, headers)


def guard_framing(app: ApiGatewayResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """A route middleware for HTML another library writes (Powertools' Swagger UI, which
    needs its own inline script and style): the same no-framing and no-Referer guards,
    with a policy that restricts framing only."""
    response: Response[Any] = next_middleware(app)
    response.headers.update({**FRAME_HEADERS, "Content-Security-Policy": NO_FRAMING})
    return response
