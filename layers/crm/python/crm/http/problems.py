"""The `message` of an API error in the reader's language (`Accept-Language`).

The `code` stays English and stable; the message is a sentence of the catalogs
(`crm/i18n/<language>/errors.ftl`):

- an error raised with `words` reads that sentence, filled with its `arguments`;
- a field error of a common kind (missing, unknown, too long or short, not an email
  address, not one of the choices, of the wrong type, ...) reads the kind's sentence,
  with the limit or the choices as named placeholders;
- anything else is English as written where it was raised, for an English reader, and
  for any other reader the sentence of its `code` (a field's: "This value is not valid."),
  never English inside a Dutch answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crm.errors import DomainError, FieldError
from crm.i18n import DEFAULT_LANGUAGE, Localizer

# pydantic's error type -> the sentence of that kind
_KINDS = {
    "missing": "field-missing",
    "extra_forbidden": "field-unknown",
    "string_too_short": "field-too-short",
    "string_too_long": "field-too-long",
    "items_too_few": "field-too-few",
    "items_too_many": "field-too-many",
    "email": "field-not-email",
    "single_line": "field-single-line",
    "literal_error": "field-not-one-of",
    "enum": "field-not-one-of",
    "null_value": "field-null",
    "time_zone": "field-time-zone",
    "plain_text": "field-plain-text",
    "clock_time": "field-clock-time",
    "quiet_hours": "field-quiet-hours",
    "not_domain": "field-not-domain",
    "domain_without_at": "field-domain-without-at",
    "not_address_or_domain": "field-not-address-or-domain",
    "phone": "field-phone",
    "postal_address": "field-postal-address",
    "website": "field-website",
    "host": "field-host",
    "string_type": "field-wrong-type",
    "int_type": "field-wrong-type",
    "int_parsing": "field-wrong-type",
    "float_type": "field-wrong-type",
    "bool_type": "field-wrong-type",
    "bool_parsing": "field-wrong-type",
    "list_type": "field-wrong-type",
    "dict_type": "field-wrong-type",
    "model_type": "field-wrong-type",
    "model_attributes_type": "field-wrong-type",
}
# the kind of value a wrong-type error wanted, as the `$kind` selector names it
_WANTED = {
    "string_type": "text",
    "int_type": "number",
    "int_parsing": "number",
    "float_type": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "list",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
}
_QUOTED = re.compile(r"'([^']*)'")
GENERIC_FIELD = "field-invalid"


def message(error: DomainError, words: Localizer) -> str:
    if error.words:
        return words(error.words, **error.arguments)
    if words.language == DEFAULT_LANGUAGE:
        return error.message
    return code_sentence(error.code, error.status, words)


def code_sentence(code: str, status: int, words: Localizer) -> str:
    """The sentence of an error code; the sentence of its status for a code the catalogs
    do not know (the catalog tests keep every code of the product in them)."""
    try:
        return words(f"error-{code}")
    except KeyError:
        return words(f"error-status-{status}")


def field_message(error: FieldError, words: Localizer) -> str:
    if error.words:
        return words(error.words, **error.arguments)
    if words.language == DEFAULT_LANGUAGE:
        return error.message
    return words(GENERIC_FIELD)


def validation_field(name: str, error: Mapping[str, Any], words: Localizer) -> FieldError:
    """A pydantic error as the contract's field error, in the reader's language."""
    kind = str(error.get("type"))
    context = error.get("ctx") or {}
    if kind in ("too_short", "too_long"):  # a list's items, or a constrained text's length
        items = context.get("field_type") == "List"
        kind = (
            {"too_short": "items_too_few", "too_long": "items_too_many"}[kind]
            if items
            else (f"string_{kind}")
        )
    sentence = _KINDS.get(kind)
    if sentence is None:
        english = _english(error)
        if words.language == DEFAULT_LANGUAGE:
            return FieldError(name, english)
        return FieldError(name, words(GENERIC_FIELD))
    arguments = _arguments(kind, context, words)
    return FieldError(name, words(sentence, **arguments), sentence, arguments)


def _arguments(kind: str, context: Mapping[str, Any], words: Localizer) -> dict[str, Any]:
    if kind in ("string_too_short", "string_too_long", "items_too_few", "items_too_many"):
        return {"limit": int(context.get("min_length", context.get("max_length", 0)))}
    if kind in ("literal_error", "enum"):
        from babel.lists import format_list

        choices = _QUOTED.findall(str(context.get("expected", "")))
        return {"choices": format_list(choices, style="or", locale=words.locale)}
    if kind in _WANTED:
        return {"kind": _WANTED[kind]}
    if kind == "domain_without_at":
        return {"domain": str(context.get("domain", ""))}
    return {}


def _english(error: Mapping[str, Any]) -> str:
    """The message pydantic or the validator wrote, as a sentence."""
    text = str(error.get("msg") or "is not valid")
    if error.get("type") == "value_error" and "error" in (error.get("ctx") or {}):
        text = str(error["ctx"]["error"]) or "is not valid"
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
