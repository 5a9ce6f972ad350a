"""The pages' catalogs (web/assets/locales/<language>/<area>.json) and the texts of the
pages (issue 13): every language has what English has, every key the code names exists,
no key lies unused, and no text a person reads is written into the JS or the HTML
instead of the catalogs.

The scan reads the sources as text: t('key'), tNodes('key') and any other string shaped
like a key ('portal.emails.title') name keys; data-i18n="key" and data-i18n-attr="name:key"
name them in the HTML. A template key (t(`workspace.role.${role}`)) uses every key that
starts with its fixed part. User-visible literals are found where they go: text: and
label-like properties, textContent and title, aria-label and placeholder, announce(),
the first child of h(...), and any literal that reads as a sentence."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
LOCALES = WEB / "assets" / "locales"
ENGLISH = "en"
LANGUAGES = sorted(path.name for path in LOCALES.iterdir() if path.is_dir())
AREAS = sorted(path.stem for path in (LOCALES / ENGLISH).glob("*.json"))
SCRIPTS = sorted(path for path in WEB.rglob("*.js") if LOCALES not in path.parents)
PAGES = sorted(WEB.rglob("*.html"))

# Literals allowed outside the catalogs: names that are the same in every language.
EXCEPTIONS: frozenset[str] = frozenset()

PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}
ADDRESS_FORMS = {"formal", "informal"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
KEY_PREFIX = "|".join(re.escape(area) for area in AREAS)
# a quoted key: 'portal.emails.title'; a template key: `workspace.role.${...}`
KEY_LITERAL = re.compile(rf"""(['"`])((?:{KEY_PREFIX})\.[\w.-]+)\1""")
TEMPLATE_KEY = re.compile(rf"`((?:{KEY_PREFIX})\.[\w.-]*)\$\{{")
STRING = r"""('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)"""
TEXT_PROPERTIES = (
    r"text|title|label|placeholder|hint|empty|message|description|caption|summary|alt"
    r"|'aria-label'|\"aria-label\"|'aria-description'|'aria-roledescription'"
)
# Where a literal is text a person reads.
TEXT_PLACES = [
    re.compile(rf"(?<![\w.$-])(?:{TEXT_PROPERTIES})\s*:\s*{STRING}"),
    re.compile(rf"\.(?:textContent|innerText|title|placeholder|alt)\s*=\s*{STRING}"),
    re.compile(rf"setAttribute\(\s*['\"](?:aria-label|title|placeholder|alt)['\"]\s*,\s*{STRING}"),
    re.compile(rf"\b(?:announce|alert|confirm|prompt)\(\s*{STRING}"),
    re.compile(rf"\bh\(\s*['\"][\w-]+['\"]\s*,\s*(?:\{{[^{{}}]*\}}|null|undefined)\s*,\s*{STRING}"),
]
SENTENCE = re.compile(r"^\s*[A-Z][a-z]+(?:[,'\u2019-]*\s+[A-Za-z'\u2019-]+)+[.!?\u2026]?\s*$")
# Any literal with two words side by side ("new documents", " · with attachments") reads as
# text, unless where it stands says it is code: a class list, a selector, rel, an object
# key, a value compared with the API's, a message for the console, or markup.
PROSE = re.compile(r"(?<![\w./#:-])[A-Za-z]{2,} [A-Za-z]{2,}(?![\w/-])")
CODE_BEFORE = re.compile(
    r"class|className|classList|\brel\b|querySelector|closest|matches|\$\(|console\.|Error\("
    r"|startsWith|endsWith|includes|===|!=="
)


def catalog(language: str, area: str) -> dict[str, Any]:
    return dict(json.loads((LOCALES / language / f"{area}.json").read_text(encoding="utf-8")))


def english_keys() -> dict[str, Any]:
    return {key: value for area in AREAS for key, value in catalog(ENGLISH, area).items()}


def texts_of(value: Any) -> list[str]:
    """Every text of a catalog value: a string, or the strings of its forms."""
    if isinstance(value, str):
        return [value]
    return [text for form in value.values() for text in texts_of(form)]


def placeholders(value: Any) -> set[str]:
    return {name for text in texts_of(value) for name in PLACEHOLDER.findall(text)}


def english_text(value: Any) -> str:
    """What a page shows before it knows the firm or a count: the formal, singular text."""
    while not isinstance(value, str):
        value = value.get("formal", value.get("other", next(iter(value.values()))))
    return value


def without_comments(source: str) -> str:
    source = re.sub(r"<!--.*?-->", "", source, flags=re.DOTALL)
    source = re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)  # before /*: "/v1/* ..."
    return re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)


def is_text(literal: str) -> bool:
    """Whether a literal (quotes included) holds words: letters outside ${...} that are
    not a catalog key and not an allowed name."""
    inner = literal[1:-1]
    if KEY_LITERAL.fullmatch(literal) or inner.strip() in EXCEPTIONS:
        return False
    return bool(re.search(r"[A-Za-z]", re.sub(r"\$\{[^}]*\}", "", inner)))


def reads_as_text(source: str, match: re.Match[str]) -> bool:
    """A literal that reads as words for a person wherever it stands (see PROSE)."""
    inner = re.sub(r"\$\{[^}]*\}", "", match.group(0)[1:-1])
    if SENTENCE.match(inner):
        return True
    line_before = source[source.rfind("\n", 0, match.start()) + 1 : match.start()]
    is_key = re.match(r"\s*:", source[match.end() :])
    return bool(
        PROSE.search(inner)
        and not inner.lstrip().startswith("<")
        and not is_key
        and not CODE_BEFORE.search(line_before)
    )


# ----------------------------------------------------------------------------- catalogs


def test_english_has_the_three_areas_and_every_language_the_same_files() -> None:
    assert {"common", "portal", "workspace"} <= set(AREAS)
    for language in LANGUAGES:
        files = sorted(path.stem for path in (LOCALES / language).glob("*.json"))
        assert files == AREAS, f"{language}: {files}"


def test_every_language_is_one_line_of_i18n_js() -> None:
    source = (WEB / "assets" / "i18n.js").read_text(encoding="utf-8")
    block = re.search(r"export const LANGUAGES = \{(.*?)\n\};", source, re.DOTALL)
    assert block, "LANGUAGES not found in i18n.js"
    listed = sorted(re.findall(r"^\s*(\w+): \{ locale:", block.group(1), re.MULTILINE))
    assert listed == LANGUAGES


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != ENGLISH])
@pytest.mark.parametrize("area", AREAS)
def test_each_language_has_exactly_the_keys_and_placeholders_english_has(
    language: str, area: str
) -> None:
    english, other = catalog(ENGLISH, area), catalog(language, area)
    assert sorted(set(english) - set(other)) == [], f"{language}/{area}.json lacks these keys"
    assert sorted(set(other) - set(english)) == [], f"{language}/{area}.json has extra keys"
    for key, value in english.items():
        assert placeholders(other[key]) == placeholders(value), f"{language}: {key}"
        if isinstance(value, dict) and PLURAL_FORMS & set(value):
            assert isinstance(other[key], dict) and "other" in other[key], f"{language}: {key}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("area", AREAS)
def test_every_key_starts_with_its_area_and_every_value_is_text_or_forms(
    language: str, area: str
) -> None:
    for key, value in catalog(language, area).items():
        assert key.startswith(f"{area}."), f"{language}/{area}.json: {key}"
        if isinstance(value, dict):
            forms = set(value)
            assert forms <= PLURAL_FORMS | ADDRESS_FORMS and forms, f"{key}: {forms}"
            assert not (forms & PLURAL_FORMS) or "other" in forms, f"{key}: no 'other'"
        assert all(text.strip() for text in texts_of(value)), f"{language}: {key} is empty"


# -------------------------------------------------------------------------------- keys


def used_keys() -> tuple[dict[str, list[str]], set[str]]:
    """Every key the pages name ({key: [files]}), and the fixed parts of template keys."""
    named: dict[str, list[str]] = {}
    prefixes: set[str] = set()
    for path in [*SCRIPTS, *PAGES]:
        source = without_comments(path.read_text(encoding="utf-8"))
        keys = [match.group(2) for match in KEY_LITERAL.finditer(source)]
        for attribute in re.findall(r'data-i18n(?:-attr)?="([^"]*)"', source):
            keys += [pair.split(":")[-1].strip() for pair in attribute.split(";") if pair]
        for key in keys:
            named.setdefault(key, []).append(str(path.relative_to(ROOT)))
        prefixes.update(TEMPLATE_KEY.findall(source))
    return named, prefixes


def test_every_key_the_pages_name_is_in_the_catalogs() -> None:
    known = english_keys()
    named, prefixes = used_keys()
    missing = {key: files for key, files in named.items() if key not in known}
    assert not missing, f"keys named in the pages but in no catalog: {missing}"
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in known), f"no key starts with {prefix}"


def test_no_key_lies_unused() -> None:
    named, prefixes = used_keys()
    unused = [
        key
        for key in english_keys()
        if key not in named and not any(key.startswith(prefix) for prefix in prefixes)
    ]
    assert not unused, "keys no page names: " + ", ".join(unused)


# ------------------------------------------------------------------------ literal text


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: str(path.relative_to(WEB)))
def test_no_script_writes_text_outside_the_catalogs(path: Path) -> None:
    source = without_comments(path.read_text(encoding="utf-8"))
    found = {
        match.group(1)
        for place in TEXT_PLACES
        for match in place.finditer(source)
        if is_text(match.group(1))
    }
    found |= {
        match.group(0)
        for match in re.finditer(STRING, source)
        if is_text(match.group(0)) and reads_as_text(source, match)
    }
    assert not found, f"{path.relative_to(ROOT)}: texts outside the catalogs: " + ", ".join(
        sorted(found)
    )


class PageTexts(HTMLParser):
    """The texts of an HTML file, each with the key its element names for it (or None)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str | None]] = []  # (text, key)
        self.labels: list[tuple[str, str, str | None]] = []  # (attribute, text, key)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        pairs = (attributes.get("data-i18n-attr") or "").split(";")
        named = (pair.split(":", 1) for pair in pairs if ":" in pair)
        keys = {name.strip(): key.strip() for name, key in named}
        for name in ("aria-label", "title", "placeholder", "alt"):
            value = attributes.get(name)
            if value and re.search(r"[A-Za-z]", value):
                self.labels.append((name, value, keys.get(name)))
        if tag not in {"meta", "link", "input", "br", "img", "hr"}:
            self.open.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.open or self.open[-1][0] in {"script", "style"}:
            return
        text = " ".join(data.split())
        if re.search(r"[A-Za-z]", text):
            self.texts.append((text, self.open[-1][1].get("data-i18n")))


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(WEB)))
def test_every_text_of_the_html_comes_from_the_catalog_and_matches_its_english(
    path: Path,
) -> None:
    page = PageTexts()
    page.feed(path.read_text(encoding="utf-8"))
    known = english_keys()
    wrong = [
        f"{text!r} ({key or 'no data-i18n'})"
        for text, key in page.texts
        if text not in EXCEPTIONS and (key not in known or english_text(known[key]) != text)
    ]
    wrong += [
        f'{name}="{text}" ({key or "no data-i18n-attr"})'
        for name, text, key in page.labels
        if text not in EXCEPTIONS and (key not in known or english_text(known[key]) != text)
    ]
    assert not wrong, f"{path.relative_to(ROOT)}: texts not from the catalog: " + ", ".join(wrong)
