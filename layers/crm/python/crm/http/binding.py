"""Binding a router to the service it calls, once, when the function starts.

Routers live in the shared package (so the docs function can describe them all) but
their services need settings and AWS clients only a running function has: the
function's app.py hands them over with `use()`, routes reach them by calling the binding.
"""

from __future__ import annotations


class Bound[S]:
    def __init__(self, where: str) -> None:
        self._where = where
        self._service: S | None = None

    def use(self, service: S) -> None:
        self._service = service

    def __call__(self) -> S:
        if self._service is None:
            raise RuntimeError(f"{self._where}.use() was not called at start-up")
        return self._service
