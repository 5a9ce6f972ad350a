"""A pseudo-locale for the tests (issue 13): the proof that a third language is one folder
of catalogs and one line of configuration, and the net that catches text the catalogs do
not hold.

Its catalogs are made from the English ones: every message and attribute keeps its id and
its placeables (`{ $firm }`, selectors and all), while its text is accented letter by
letter, made about 35% longer (as German or Dutch often are), and wrapped in [brackets],
so a page or email shows at a glance any text that did not come from a catalog (plain
letters) and any text cut short (a missing bracket).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fluent.syntax import FluentParser, FluentSerializer, ast
from fluent.syntax.visitor import Transformer

from crm import i18n

PSEUDO = "qps"  # BCP 47 keeps `qps-ploc` for pseudo-locales; the primary tag suffices here
PSEUDO_LOCALE = "en_GB"  # its dates, numbers and plural rules
PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
_ACCENT = str.maketrans(PLAIN, ACCENTED)
LONGER = 0.35
PAD = "~"
# a letter the pseudo-locale never writes: what is left of a text that no catalog gave
UNTRANSLATED = re.compile(r"[A-Za-z]")


def accent(text: str) -> str:
    return text.translate(_ACCENT)


class _Pseudo(Transformer):
    """Accents every text of a resource, in variants too; placeables stay as they are."""

    def visit_TextElement(self, node: ast.TextElement) -> ast.TextElement:
        node.value = accent(node.value)
        return node


def _length(pattern: ast.Pattern) -> int:
    """The pattern's text, its longest variant where it selects one."""
    length = 0
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            length += len(element.value)
        elif isinstance(element.expression, ast.SelectExpression):
            length += max(_length(v.value) for v in element.expression.variants)
    return length


def _wrap(pattern: ast.Pattern) -> None:
    """[ ... ~~~] around the whole pattern: the opening bracket as a string literal, which
    Fluent allows where a line of text may not start with `[`."""
    padding = PAD * math.ceil(_length(pattern) * LONGER)
    pattern.elements.insert(0, ast.Placeable(ast.StringLiteral("[")))
    pattern.elements.append(ast.TextElement(f"{padding}]"))


def pseudo_catalog(english: str) -> str:
    """One English `.ftl` file, pseudo-localized."""
    resource = FluentParser(with_spans=False).parse(english)
    _Pseudo().visit(resource)
    for entry in resource.body:
        if isinstance(entry, (ast.Message, ast.Term)):
            if entry.value is not None:
                _wrap(entry.value)
            for attribute in entry.attributes:
                _wrap(attribute.value)
    return str(FluentSerializer().serialize(resource))


def build(folder: Path) -> Path:
    """The pseudo-locale's catalogs in `folder`: one per English catalog, same file name."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in i18n.catalog_files("en"):
        (folder / path.name).write_text(pseudo_catalog(path.read_text("utf-8")), "utf-8")
    return folder


@contextmanager
def pseudo_locale(folder: Path) -> Iterator[str]:
    """The pseudo-locale added as any language is (crm.i18n.register: one line), for the
    time of the block; the product's languages as they were afterwards."""
    build(folder)
    languages = dict(i18n.LANGUAGES)
    i18n.register(PSEUDO, PSEUDO_LOCALE, folder)
    try:
        yield PSEUDO
    finally:
        i18n.LANGUAGES.clear()
        i18n.LANGUAGES.update(languages)
        i18n._FOLDERS.pop(PSEUDO, None)
        i18n._bundle.cache_clear()
