"""Every text a person reads, in their language (issue 13): catalogs, the choice of a
language, and dates, times, numbers and amounts as that language writes them.

The catalogs are Fluent files (https://projectfluent.org): `crm/i18n/<language>/*.ftl`,
one file per area (`emails.ftl`, `pages.ftl`, `errors.ftl`, ...), the same file names in
every language. A message has an id, named placeables (`{ $firm }`) and, where a
language needs them, plural and variant selectors, so a translator writes whole
sentences and the code never glues words together:

    invitations-sent = { $count ->
        [one] One invitation sent
       *[other] { $count } invitations sent
    }

Every message receives `$form`, `formal` or `informal` (the firm's choice of `u` or `je`
in Dutch), so a sentence can select on it; English ignores it.

    words = localizer("nl", informal=False, time_zone="Europe/Amsterdam")
    words("invitation-subject", firm="Smit & Co")   # the sentence, filled in
    words.date_time(expires_at)                        # "8 december 2026, 14:00"
    words.money(Decimal("1234.5"), "EUR")             # "€ 1.234,50"

Adding a language is one folder of catalogs and one entry in LANGUAGES. The tests add a
pseudo-locale the same way (tests/i18n.py).

Fluent and Babel are imported on first use: a function that never writes text for a
person does not pay for them at cold start.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from fluent.runtime import FluentBundle

# language code: the Babel locale its dates and numbers are written in
LANGUAGES: dict[str, str] = {
    "en": "en_GB",
    "nl": "nl_NL",
}
DEFAULT_LANGUAGE = "en"
CATALOGS = Path(__file__).parent
_FOLDERS: dict[str, Path] = {}  # languages registered with catalogs elsewhere (tests)
_LETTER_DIGIT = re.compile(r"([^\W\d_])([-\d])")  # "CHF40.00"
_DIGIT_LETTER = re.compile(r"(\d)([^\W\d_])")  # "40,00CHF"
_WEIGHTED = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$"
)


class MissingMessage(KeyError):
    """A message id no catalog of the language holds: a bug, caught by the catalog tests."""


def supported(language: str | None) -> str | None:
    """`language` when the product writes it (`nl`, `nl-BE` -> `nl`), else None."""
    if not language:
        return None
    primary = language.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The language to answer in for an `Accept-Language` header (RFC 9110 12.5.4): the
    supported one with the highest weight, the earlier on a tie; `default` when none is
    (or the header is missing or malformed, which is never an error)."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        matched = _WEIGHTED.match(part)
        if not matched:
            continue
        tag, weight = matched.group(1), matched.group(2)
        try:
            quality = float(weight) if weight is not None else 1.0
        except ValueError:
            continue
        language = default if tag == "*" else supported(tag)
        if language is None or quality <= 0:
            continue
        if best is None or (quality, -position) > (best[0], -best[1]):
            best = (quality, position, language)
    return best[2] if best else default


def time_zone(name: str | None) -> ZoneInfo:
    """The IANA zone `name` (`Europe/Amsterdam`), UTC when it is missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class Localizer:
    """The texts, dates and amounts of one language, for one reader."""

    language: str
    informal: bool = False
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    @property
    def locale(self) -> str:
        return LANGUAGES[self.language]

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the HTML `lang` and the `Content-Language` header."""
        return self.language

    def __call__(self, message_id: str, /, **arguments: Any) -> str:
        """The message `message_id` filled with `arguments` (its `.attribute` with a dot:
        `"invitation-email.subject"`)."""
        bundle = _bundle(self.language)
        name, _, attribute = message_id.partition(".")
        if not bundle.has_message(name):
            raise MissingMessage(f"{self.language}: {message_id}")
        message = bundle.get_message(name)
        pattern = message.attributes.get(attribute) if attribute else message.value
        if pattern is None:
            raise MissingMessage(f"{self.language}: {message_id}")
        values = {"form": "informal" if self.informal else "formal", **arguments}
        text, errors = bundle.format_pattern(pattern, values)
        if errors:
            raise MissingMessage(f"{self.language}: {message_id}: {errors}")
        return str(text)

    def has(self, message_id: str) -> bool:
        """Whether the language's catalogs hold `message_id` (`id` or `id.attribute`): for
        code that picks the most specific of several variants of a sentence."""
        bundle = _bundle(self.language)
        name, _, attribute = message_id.partition(".")
        if not bundle.has_message(name):
            return False
        message = bundle.get_message(name)
        return attribute in message.attributes if attribute else message.value is not None

    def date(self, value: dt.date | dt.datetime, style: str = "long") -> str:
        """ "8 December 2026" / "8 december 2026"; a datetime is first put in the zone."""
        from babel.dates import format_date

        if isinstance(value, dt.datetime):
            value = self._local(value).date()
        return str(format_date(value, format=style, locale=self.locale))

    def date_time(self, value: dt.datetime) -> str:
        """ "8 December 2026, 14:00" / "8 december 2026, 14:00", in the reader's zone."""
        from babel.dates import format_date, format_time

        local = self._local(value)
        day = format_date(local.date(), format="long", locale=self.locale)
        clock = format_time(local.timetz(), format="HH:mm", locale=self.locale)
        return f"{day}, {clock}"

    def number(self, value: int | float | Decimal) -> str:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.locale))

    def money(self, amount: Decimal | int | float, currency: str) -> str:
        """ "€ 1.234,50" in Dutch, "€1,234.50" in English; a symbol of letters keeps a
        space from the digits ("CHF 40.00": CLDR's currency spacing, which Babel leaves
        out)."""
        from babel.numbers import format_currency

        written = str(format_currency(amount, currency, locale=self.locale))
        return _LETTER_DIGIT.sub("\\1\xa0\\2", _DIGIT_LETTER.sub("\\1\xa0\\2", written))

    def _local(self, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(self.zone)


def localizer(
    language: str | None, *, informal: bool = False, time_zone_name: str | None = None
) -> Localizer:
    """The localizer of `language` (any tag; the default language when unsupported)."""
    return Localizer(
        supported(language) or DEFAULT_LANGUAGE, informal=informal, zone=time_zone(time_zone_name)
    )


def message_ids(language: str) -> set[str]:
    """Every message id of a language's catalogs, `id` and `id.attribute` alike."""
    from fluent.syntax import FluentParser, ast

    found: set[str] = set()
    for path in catalog_files(language):
        for entry in FluentParser().parse(path.read_text("utf-8")).body:
            if isinstance(entry, ast.Message):
                if entry.value is not None:
                    found.add(entry.id.name)
                found.update(f"{entry.id.name}.{a.id.name}" for a in entry.attributes)
    return found


def catalog_files(language: str) -> list[Path]:
    return sorted(_FOLDERS.get(language, CATALOGS / language).glob("*.ftl"))


@cache
def _bundle(language: str) -> FluentBundle:
    from fluent.runtime import FluentBundle, FluentResource

    bundle = FluentBundle([LANGUAGES[language].replace("_", "-")], use_isolating=False)
    for path in catalog_files(language):
        resource = FluentResource(path.read_text("utf-8"))
        bundle.add_resource(resource)
    return bundle


def register(language: str, locale: str, folder: Path) -> None:
    """Add a language whose catalogs are in `folder` (the tests' pseudo-locale, built from
    the English catalogs); the product's languages are the entries of LANGUAGES."""
    LANGUAGES[language] = locale
    _FOLDERS[language] = folder
    _bundle.cache_clear()
