"""CloudFront in front of the pages: the bucket's behaviours of the template's distribution.

The template's ``AWS::CloudFront::Distribution`` names the local folder that stands for its
bucket (``Metadata: LocalFolder: web``). Every cache behaviour whose origin is an S3 bucket
is served from that folder, under its own path pattern (``/portal*``, ``/app*``,
``/assets/*``), with the headers of its response headers policy; everything else goes on to
the API, as the distribution's default behaviour does. A folder path (``/portal``,
``/app/``) serves its ``index.html``, as the template's viewer-request function does.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from local.gateway import Reply, Request
from local.template import Template

log = logging.getLogger("local.static")

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
NOT_FOUND = Reply(404, b"Not Found", [("Content-Type", "text/plain; charset=utf-8")])
NOT_ALLOWED = Reply(
    403, b"This path serves files: only GET and HEAD", [("Content-Type", "text/plain")]
)


@dataclass(frozen=True)
class Behaviour:
    pattern: str  # CloudFront path pattern: * any characters, ? one
    headers: tuple[tuple[str, str], ...]


class StaticSite:
    """Serves ``root`` for the distribution's bucket behaviours; None for any other path."""

    def __init__(self, root: Path, behaviours: list[Behaviour]):
        self.root = root.resolve()
        self.behaviours = behaviours

    @classmethod
    def from_template(cls, template: Template) -> StaticSite | None:
        """The first distribution naming a LocalFolder, or None if the template has none."""
        for logical_id, resource in template.of_type("AWS::CloudFront::Distribution").items():
            folder = (resource.get("Metadata") or {}).get("LocalFolder")
            if not folder:
                continue
            config = (resource.get("Properties") or {}).get("DistributionConfig") or {}
            buckets = {
                origin["Id"]
                for origin in config.get("Origins") or []
                if "S3OriginConfig" in origin or "OriginAccessControlId" in origin
            }
            behaviours = [
                Behaviour(str(b["PathPattern"]), _policy_headers(template, b))
                for b in config.get("CacheBehaviors") or []
                if b.get("TargetOriginId") in buckets
            ]
            root = template.root / str(folder)
            log.info(
                "%s: %s served from %s",
                logical_id,
                " ".join(b.pattern for b in behaviours),
                root,
            )
            return cls(root, behaviours)
        return None

    def behaviour(self, path: str) -> Behaviour | None:
        """The first behaviour matching ``path``, in the distribution's order."""
        for behaviour in self.behaviours:
            if fnmatch.fnmatchcase(path, behaviour.pattern):
                return behaviour
        return None

    def serve(self, request: Request) -> Reply | None:
        behaviour = self.behaviour(request.path)
        if behaviour is None:
            return None
        if request.method not in ("GET", "HEAD"):
            return NOT_ALLOWED
        file = self.file_for(request.path)
        if file is None:
            return NOT_FOUND
        content_type = CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
        headers = [
            ("Content-Type", content_type),
            ("Cache-Control", "no-cache"),  # what the deploy uploads with
            *behaviour.headers,
        ]
        return Reply(200, file.read_bytes(), headers)

    def file_for(self, path: str) -> Path | None:
        """The file under ``root`` for a URL path, or None (missing, or outside ``root``)."""
        relative = PurePosixPath(unquote(path).lstrip("/"))
        if any(part in ("..", "") for part in relative.parts) or "\\" in str(relative):
            return None
        if "\x00" in str(relative):
            return None
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def _policy_headers(
    template: Template, behaviour: Mapping[str, Any]
) -> tuple[tuple[str, str], ...]:
    """The headers a behaviour's response headers policy (a resource of the template) adds."""
    policy_ref = behaviour.get("ResponseHeadersPolicyId")
    if not (isinstance(policy_ref, dict) and "Ref" in policy_ref):
        return ()
    resource = template.resources.get(policy_ref["Ref"]) or {}
    config = (resource.get("Properties") or {}).get("ResponseHeadersPolicyConfig") or {}
    security = config.get("SecurityHeadersConfig") or {}
    headers: list[tuple[str, str]] = []
    if "ContentSecurityPolicy" in security:
        csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        headers.append(("Content-Security-Policy", str(csp)))
    if "ContentTypeOptions" in security:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if "FrameOptions" in security:
        headers.append(("X-Frame-Options", str(security["FrameOptions"]["FrameOption"])))
    if "ReferrerPolicy" in security:
        headers.append(("Referrer-Policy", str(security["ReferrerPolicy"]["ReferrerPolicy"])))
    for custom in (config.get("CustomHeadersConfig") or {}).get("Items") or []:
        headers.append((str(custom["Header"]), str(custom["Value"])))
    return tuple(headers)
