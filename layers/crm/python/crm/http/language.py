"""The language of a request that names no reader: its `Accept-Language` (the API's
error messages, and a page whose link tells nobody's language)."""

from __future__ import annotations

from collections.abc import Mapping

from crm.i18n import Localizer, localizer, negotiate


def reader(headers: Mapping[str, str] | None) -> Localizer:
    """The localizer of a request's `Accept-Language` (English when it names nothing we
    write). Header names are matched without regard to case."""
    wanted = next(
        (str(v) for k, v in (headers or {}).items() if str(k).lower() == "accept-language"), None
    )
    return localizer(negotiate(wanted))
