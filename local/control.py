"""The routes that exist only locally, under ``/_local`` (see API.md, "The local stack")."""

from __future__ import annotations

import importlib
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from local.delivery import Delivery
from local.gateway import Reply, Request
from local.mail import clear_mail, sent_mail

log = logging.getLogger("local.control")

MAIL_WAIT_SECONDS = 15.0
READY_WAIT_SECONDS = 60.0


def error(status: int, code: str, message: str) -> Reply:
    return Reply.json(status, {"error": {"code": code, "message": message}})


class BadRequest(Exception):
    """The request body is not what the route takes (answered 400/422)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _body(request: Request) -> dict[str, Any]:
    try:
        document = request.json() if request.body else {}
    except ValueError:
        raise BadRequest(400, "the body is not JSON") from None
    if not isinstance(document, dict):
        raise BadRequest(400, "the body is not a JSON object")
    return document


class LocalRoutes:
    """Dispatches ``/_local/...`` requests; answers None for a path it does not know."""

    def __init__(
        self,
        delivery: Delivery,
        event_bus: str,
        describe: Callable[[], dict],
        ready: threading.Event | None = None,
    ):
        self.delivery = delivery
        self.event_bus = event_bus
        self.describe = describe
        self.ready = ready  # GET /_local/stack waits for it: the demo firm is seeded
        Route = tuple[str, re.Pattern[str], Callable[..., Reply]]
        self.routes: list[Route] = [
            ("GET", re.compile(r"/_local/stack"), self.stack),
            ("GET", re.compile(r"/_local/mail"), self.mail),
            ("POST", re.compile(r"/_local/mail/clear"), self.clear_mail),
            ("POST", re.compile(r"/_local/events"), self.put_event),
            ("POST", re.compile(r"/_local/schedules/(?P<name>[^/]+)"), self.run_schedule),
            ("GET", re.compile(r"/_local/clock"), self.clock),
            ("POST", re.compile(r"/_local/clock"), self.advance_clock),
            ("GET", re.compile(r"/_local/dead-letters"), self.dead_letters),
        ]

    def __call__(self, request: Request) -> Reply | None:
        for method, pattern, handler in self.routes:
            found = pattern.fullmatch(request.path.rstrip("/"))
            if found and method == request.method:
                try:
                    return handler(request, **found.groupdict())
                except BadRequest as bad:
                    return error(bad.status, "invalid_request", str(bad))
        return None

    def stack(self, _request: Request) -> Reply:
        """The stack, once it is ready: a client that polls this route may then log in as
        the demo firm's owner (``make run`` seeds it while the API already answers)."""
        if self.ready is not None and not self.ready.wait(READY_WAIT_SECONDS):
            return error(503, "starting", "The stack is still starting: ask again.")
        return Reply.json(200, self.describe())

    def mail(self, _request: Request) -> Reply:
        try:  # mail goes out from asynchronous functions: let them finish first
            self.delivery.wait_idle(MAIL_WAIT_SECONDS)
        except TimeoutError:
            log.warning("reading mail while functions are still busy")
        return Reply.json(200, {"items": sent_mail()})

    def clear_mail(self, _request: Request) -> Reply:
        clear_mail()
        return Reply(204)

    def put_event(self, request: Request) -> Reply:
        body = _body(request)
        detail_type, detail = body.get("detail_type"), body.get("detail")
        source = body.get("source", "local.test")
        bus = body.get("event_bus", self.event_bus)  # e.g. "default", where AWS services publish
        if not isinstance(detail_type, str) or not isinstance(detail, dict):
            raise BadRequest(422, "give detail_type (a string) and detail (an object)")
        if not isinstance(source, str) or not isinstance(bus, str):
            raise BadRequest(422, "source and event_bus must be strings")
        result = self.delivery.put_event(bus, detail_type, detail, source)
        entries = [
            {
                "event_id": entry.get("EventId"),
                "error_code": entry.get("ErrorCode"),
                "error_message": entry.get("ErrorMessage"),
            }
            for entry in result.get("Entries", [])
        ]
        return Reply.json(
            200, {"failed_entry_count": result.get("FailedEntryCount", 0), "entries": entries}
        )

    def run_schedule(self, _request: Request, name: str) -> Reply:
        if name not in self.delivery.schedules:
            known = ", ".join(sorted(self.delivery.schedules)) or "none"
            return error(404, "not_found", f"no schedule named {name} (known: {known})")
        try:
            result = self.delivery.run_schedule(name)
        except Exception as failure:
            log.exception("the scheduled function %s failed", name)
            return error(500, "function_failed", f"{type(failure).__name__}: {failure}")
        return Reply.json(200, {"schedule": name, "result": _jsonable(result)})

    def clock(self, _request: Request) -> Reply:
        return Reply.json(200, {"now": _clock().iso()})

    def advance_clock(self, request: Request) -> Reply:
        seconds = _body(request).get("advance_seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise BadRequest(422, "advance_seconds must be a number of seconds, not negative")
        clock = _clock()
        clock.advance(seconds)
        return Reply.json(200, {"now": clock.iso()})

    def dead_letters(self, _request: Request) -> Reply:
        return Reply.json(200, {"items": [asdict(item) for item in self.delivery.dead_letters]})


def _clock() -> Any:
    """The product's clock (``crm.clock`` of the layer, on sys.path once the stack runs)."""
    return importlib.import_module("crm.clock")


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value
