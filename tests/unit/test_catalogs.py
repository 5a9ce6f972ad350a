"""No text left behind (issue 13): every language's catalogs hold the messages English
holds, every message the code asks for exists, a third language is one folder and one
line (the pseudo-locale renders every message), and the server-rendered pages hold no
text outside the catalogs."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent

from crm import clock, i18n
from crm.core.access import AccessRecord
from crm.http import problems
from crm.i18n import Localizer, localizer
from crm.invitations.models import InvitationView
from tests.i18n import PSEUDO, UNTRANSLATED, pseudo_locale

CODE = Path(i18n.__file__).parent.parent  # the crm package
LANGUAGES = sorted(i18n.LANGUAGES)


def catalog_entries(language: str) -> dict[str, dict[str, set[str]]]:
    """Per catalog file, per message id: its attributes ("" for its value)."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in i18n.catalog_files(language):
        messages = found.setdefault(path.name, {})
        for entry in FluentParser().parse(path.read_text("utf-8")).body:
            assert not isinstance(entry, fluent.Junk), f"{path}: {(entry.content or '')[:200]}"
            if isinstance(entry, fluent.Message):
                parts = {a.id.name for a in entry.attributes}
                messages[entry.id.name] = parts | ({""} if entry.value is not None else set())
    return found


def variables(pattern: fluent.Pattern | None) -> Iterator[str]:
    """The `$names` a message uses, selectors and nested variants included."""
    if pattern is None:
        return
    for node in _walk(pattern):
        if isinstance(node, fluent.VariableReference):
            yield node.id.name


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, fluent.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, fluent.BaseNode):
                    yield from _walk(child)


def every_message(language: str) -> Iterator[tuple[str, set[str]]]:
    """(`id` or `id.attribute`, the variables it uses), of every catalog of a language."""
    for path in i18n.catalog_files(language):
        for entry in FluentParser().parse(path.read_text("utf-8")).body:
            if not isinstance(entry, fluent.Message):
                continue
            if entry.value is not None:
                yield entry.id.name, set(variables(entry.value))
            for attribute in entry.attributes:
                yield f"{entry.id.name}.{attribute.id.name}", set(variables(attribute.value))


SAMPLE = 3  # every variable: a number renders where text goes, and selects a plural


def render_all(words: Localizer) -> dict[str, str]:
    return {
        message_id: words(message_id, **dict.fromkeys(names - {"form"}, SAMPLE))
        for message_id, names in every_message(words.language)
    }


# ------------------------------------------------------ the same ids everywhere


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_language_holds_the_files_messages_and_attributes_of_english(
    language: str,
) -> None:
    english, other = catalog_entries("en"), catalog_entries(language)

    assert sorted(other) == sorted(english)  # the same files
    for name, messages in english.items():
        missing = sorted(set(messages) - set(other[name]))
        extra = sorted(set(other[name]) - set(messages))
        assert (missing, extra) == ([], []), f"{language}/{name}"
        for message_id, parts in messages.items():
            assert other[name][message_id] == parts, f"{language}/{name}: {message_id}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("informal", [False, True])
def test_every_message_renders_in_every_language_and_form(language: str, informal: bool) -> None:
    rendered = render_all(localizer(language, informal=informal))

    assert rendered
    assert all(text.strip() for text in rendered.values())


def test_dutch_says_u_or_je_as_the_firm_chose() -> None:
    """Every Dutch message that selects on `$form` says "u" in its formal variant and
    "je" in its informal one, never the other."""
    chooses = {m: names for m, names in every_message("nl") if "form" in names}
    formal, informal = localizer("nl"), localizer("nl", informal=True)
    assert len(chooses) > 10

    for message_id, names in chooses.items():
        arguments = dict.fromkeys(names - {"form"}, SAMPLE)
        assert not re.search(r"\b(je|jij|jou|jouw)\b", formal(message_id, **arguments), re.I)
        assert not re.search(r"\b(u|uw)\b", informal(message_id, **arguments), re.I)
    assert formal("error-no_access") == "U hebt geen toegang tot dit account."
    assert informal("error-no_access") == "Je hebt geen toegang tot dit account."


# ------------------------------------------------ the ids the code asks for


def _literal_ids() -> Iterator[tuple[str, str, bool]]:
    """(file, id, exact) of every message the code names: `words("id")`, a call on a
    localizer, `sentence(words, "id")`, `words="id"` on an error; an f-string gives its
    fixed beginning (exact False)."""
    for path in sorted(CODE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            named: ast.expr | None = None
            if isinstance(node, ast.Call):
                function = node.func
                name = getattr(function, "id", None) or getattr(function, "attr", None)
                calls_localizer = isinstance(function, ast.Call) and (
                    getattr(function.func, "id", None) == "localizer"
                )
                if (name == "words" or calls_localizer) and node.args:
                    named = node.args[0]
                elif name == "sentence" and len(node.args) > 1:
                    named = node.args[1]
                for keyword in node.keywords:
                    if keyword.arg == "words" and isinstance(keyword.value, ast.Constant):
                        yield from _id_of(path, keyword.value)
            if named is not None:
                yield from _id_of(path, named)


def _id_of(path: Path, node: ast.expr) -> Iterator[tuple[str, str, bool]]:
    where = str(path.relative_to(CODE))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield where, node.value, True
    elif isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield where, first.value, False


def test_every_message_the_code_names_exists_in_every_language() -> None:
    named = list(_literal_ids())
    assert len(named) > 50  # the scan finds the calls (pages, errors, emails)

    for language in LANGUAGES:
        ids = i18n.message_ids(language)
        for where, message_id, exact in named:
            if exact:
                assert message_id in ids, f"{where}: {language} lacks {message_id}"
            else:
                assert any(i.startswith(message_id) for i in ids), f"{where}: {message_id}…"


def test_every_field_kind_has_its_sentence() -> None:
    wanted = {*problems._KINDS.values(), problems.GENERIC_FIELD}
    for language in LANGUAGES:
        assert wanted <= i18n.message_ids(language), language


def error_codes() -> set[str]:
    """Every `code` an API error can carry: the error classes' and the codes given where
    errors are raised or answered."""
    codes: set[str] = set()
    for path in sorted(CODE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and [getattr(t, "id", None) for t in statement.targets] == ["code"]
                        and isinstance(statement.value, ast.Constant)
                    ):
                        codes.add(str(statement.value.value))
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        codes.add(str(keyword.value.value))
    # the IMAP client's own failures never reach an answer (crm.sync.service maps them)
    return codes - {"imap_error", "unreachable", "auth_failed", "connection_lost"}


def test_every_error_code_has_its_sentence_in_every_language() -> None:
    codes = error_codes()
    assert {"not_found", "invalid_credentials", "owner_role_fixed"} <= codes

    for language in LANGUAGES:
        ids = i18n.message_ids(language)
        assert sorted(c for c in codes if f"error-{c}" not in ids) == [], language


# -------------------------------------------------------------- pseudo-locale


@pytest.fixture
def pseudo(tmp_path: Path) -> Iterator[Localizer]:
    with pseudo_locale(tmp_path / PSEUDO) as language:
        yield localizer(language)


def test_a_third_language_is_one_folder_and_one_line(pseudo: Localizer) -> None:
    assert pseudo.language == PSEUDO
    assert i18n.supported("qps-ploc") == PSEUDO
    assert i18n.negotiate("qps, en;q=0.5") == PSEUDO


def test_the_pseudo_locale_renders_every_message_wrapped_accented_and_longer(
    pseudo: Localizer,
) -> None:
    english = render_all(localizer("en"))
    rendered = render_all(pseudo)

    assert sorted(rendered) == sorted(english)
    for message_id, text in rendered.items():
        assert text.startswith("[") and text.endswith("]"), message_id
        assert not UNTRANSLATED.search(text), f"{message_id}: {text}"
        assert len(text) >= len(english[message_id]) * 1.3, message_id


# ---------------------------------------------------------- the pages' texts

FIRM, EMAIL, ACCOUNTS = "Ledger & Co", "ann@home.example", ["Smith family", "Smith Ltd"]
DATA = [FIRM, EMAIL, *ACCOUNTS, "One-Click"]  # the reader's own data, as given
TOKEN = "inv.token.secret"
EXPIRES = "2026-12-08T13:00:00Z"


class _Texts(HTMLParser):
    """The visible text nodes and readable attributes of a page; scripts and styles
    apart."""

    READABLE = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self.lang: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._in = tag if tag in ("script", "style") else None
        self.texts += [v for k, v in attrs if k in self.READABLE and v]

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in != "style" and data.strip():
            self.texts.append(data)


def untranslated(document: str, words: Localizer) -> list[str]:
    """The text nodes that hold a letter no catalog wrote (the reader's data, and the
    date as the locale writes it, aside)."""
    parsed = _Texts()
    parsed.feed(document)
    left = []
    for text in parsed.texts:
        for value in [*DATA, words.date_time(clock.parse(EXPIRES))]:
            text = text.replace(value, "")
        if UNTRANSLATED.search(text):
            left.append(text)
    return left


def client_view(**changes: Any) -> InvitationView:
    view = {
        "email": EMAIL,
        "firm_name": FIRM,
        "account_names": ACCOUNTS,
        "existing_user": False,
        "audience": "client",
        "expires_at": EXPIRES,
    }
    return InvitationView.model_validate({**view, **changes})


def pages_of(words: Localizer) -> dict[str, str]:
    """Every server-rendered page, in `words`."""
    from crm.firms.verify_page import unusable_page as verify_unusable
    from crm.firms.verify_page import verify_page
    from crm.invitations.page import activation_page, unusable_page
    from crm.notifications import pages

    row = AccessRecord.model_validate(
        {
            "firm_id": "frm_1",
            "account_id": "acc_1",
            "account_name": ACCOUNTS[0],
            "email_id": "eml_1",
            "contact_id": "cnt_1",
            "address": EMAIL,
            "label": "Email",
            "linked": True,
            "login": True,
            "notify": True,
            "email_sync": False,
            "login_status": "invited",
            "invitation_id": None,
            "invitation_expires_at": None,
            "preferences": {},
            "version": 1,
        }
    )
    api = "https://api.example"
    found = {
        "activate new client": activation_page(client_view(), TOKEN, api, words),
        "activate existing client": activation_page(
            client_view(existing_user=True), TOKEN, api, words
        ),
        "activate without accounts": activation_page(
            client_view(account_names=[]), TOKEN, api, words
        ),
        "activate staff": activation_page(
            client_view(audience="staff", account_names=[]), TOKEN, api, words
        ),
        "activate unusable": unusable_page(words),
        "verify": verify_page(FIRM, TOKEN, words),
        "verify unusable": verify_unusable(words),
        "unsubscribe": pages.unsubscribe_question(words, row, "invoices_and_payments", TOKEN),
        "unsubscribed": pages.unsubscribed(words, row, "invoices_and_payments"),
        "activation request": pages.activation_question(words, TOKEN),
        "link invalid": pages.invalid_link(words),
    }
    for result in ("sent", "recently_sent", "active", "unavailable"):
        found[f"activation {result}"] = pages.activation_answer(words, result, EMAIL)
    return found


def test_the_pages_hold_no_text_outside_the_catalogs(pseudo: Localizer) -> None:
    for name, document in pages_of(pseudo).items():
        assert untranslated(document, pseudo) == [], name
        parsed = _Texts()
        parsed.feed(document)
        assert parsed.lang == PSEUDO, name


def test_the_control_sees_english_text_so_the_check_can_fail() -> None:
    """The same check on the English pages finds text: it is not vacuous."""
    english = localizer("en")
    for name, document in pages_of(english).items():
        assert untranslated(document, english), name


def test_the_activation_script_says_nothing_of_its_own(pseudo: Localizer) -> None:
    """Its sentences come from PAGE.texts, in the page's language; the script itself
    holds no sentence (no quoted text with a space in it)."""
    from crm.invitations.page import _SCRIPT, activation_page

    document = activation_page(client_view(), TOKEN, "https://api.example", pseudo)
    settings = json.loads(document.split("const PAGE = ", 1)[1].split(";", 1)[0])

    assert settings["lang"] == PSEUDO
    assert settings["texts"] and all(
        t.startswith("[") and not UNTRANSLATED.search(t) for t in settings["texts"].values()
    )
    sentences = re.findall(r"'([^'\n]*[A-Za-z]+ [A-Za-z][^'\n]*)'", _SCRIPT)
    assert sentences == []
