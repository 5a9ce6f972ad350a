"""Text that lands in an email header, a page or a key: single lines without control
characters.

A name (firm, account, contact, email field label) or an event's title ends up in a
Subject, a From display name or a page. A line break there is a header injection or,
at best, a `ValueError` from the email package on every email built from it; a
bidirectional override makes a page lie about what it shows. Such text is refused where
it comes in (a 422 on the routes, a per-row error in a CSV import, an event refused with
its reason), never cleaned up silently.

Refused: every Unicode control character (category Cc: NUL..US including TAB, CR and
LF, DEL, and the C1 range with NEL), the line and paragraph separators (U+2028, U+2029),
the bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069)
and lone surrogates. Other format characters (zero-width joiners, soft hyphens) stay:
real names in several scripts need them.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
NOT_SINGLE_LINE = (
    "must be a single line of text without control characters (line breaks, tabs, NUL, ...)"
)


def control_character(text: str) -> str | None:
    """The first character of `text` a single line may not hold, or None."""
    for char in text:
        if char in _BIDI_CONTROLS or unicodedata.category(char) in _REFUSED_CATEGORIES:
            return char
    return None


def is_single_line(text: str) -> bool:
    return control_character(text) is None


def _single_line(value: Any) -> Any:
    # runs before the type check and any stripping: "Acme\n" is refused, not trimmed
    if isinstance(value, str) and not is_single_line(value):
        raise PydanticCustomError("single_line", NOT_SINGLE_LINE)
    return value


# the same rule for the OpenAPI document (ECMA-262 and Python read it alike)
PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"


class _Documented:
    """Puts PATTERN in the field's JSON schema, so clients (and schemathesis) see the rule."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["pattern"] = PATTERN
        return found


SingleLine = Annotated[str, BeforeValidator(_single_line), _Documented()]
"""A str with no control character; combine with StringConstraints for lengths."""
