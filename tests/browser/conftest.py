"""Browser tests: the pages (/portal, /app, /activate) in Debian's Chromium, driven by
Playwright, against the local stack. One stack and one browser for the whole package; a
fresh browser context (its own sessionStorage) per person in a test.

Chromium comes from Debian (scripts/install-system-deps.sh, which `make pytest` runs),
never from `playwright install`. Without it these tests fail: they do not skip.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from local import Stack, start_stack
from local.testing import ApiSession
from tests.browser.data import Firm, new_firm, stable_key

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# `make screenshots` writes them to docs/screenshots (CRM_SCREENSHOTS); `make test` to
# build/screenshots, outside the tracked files, so a test run leaves the clone clean.
SCREENSHOTS = Path(os.environ.get("CRM_SCREENSHOTS") or ROOT / "build" / "screenshots")
WIDTHS = {1280: 800, 375: 812}  # width: height of the viewport
# axe-core's rules for WCAG 2.1 A and AA (contrast, names, labels, roles, ARIA use).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    running = start_stack(port=0, seed=False, timers=False)
    yield running
    running.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `bash scripts/install-system-deps.sh` "
            "(apt-get install chromium). Never `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def api(stack: Stack) -> Iterator[ApiSession]:
    with ApiSession(stack.api_url) as session:
        yield session


@pytest.fixture
def firm(api: ApiSession, request: pytest.FixtureRequest) -> Firm:
    """A new firm for each test, its owner signed in through the API."""
    return new_firm(api, stable_key(request.node.nodeid))


@pytest.fixture
def new_page(browser: Browser, stack: Stack) -> Iterator[Callable[..., Page]]:
    """``new_page()``: a page in a context of its own (another person, another tab set),
    whose browser speaks British English; ``new_page(locale="nl-NL")`` a Dutch one.

    A script error on any page fails the test.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make(locale: str = "en-GB") -> Page:
        context = browser.new_context(
            base_url=stack.api_url,
            viewport={"width": 1280, "height": WIDTHS[1280]},
            locale=locale,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, "script errors on the pages:\n" + "\n".join(errors)


@pytest.fixture(scope="package")
def shots() -> Callable[[Page, str], None]:
    """``shots(page, "portal-picker")``: portal-picker-1280.png and -375.png in SCREENSHOTS,
    after checking the page as it is with axe-core (WCAG 2.1 A and AA): any violation fails."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()

    def take(page: Page, name: str) -> None:
        # A modal's backdrop covers the viewport only: with a dialog open, shoot the viewport.
        full_page = page.locator("dialog[open]").count() == 0
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            results = axe.run(page, options=AXE_OPTIONS)
            report = f"{name} at {width} px:\n{results.generate_report()}"
            assert results.violations_count == 0, report
            page.screenshot(
                path=SCREENSHOTS / f"{name}-{width}.png",
                full_page=full_page,
                animations="disabled",
                caret="hide",
            )
        page.set_viewport_size({"width": 1280, "height": WIDTHS[1280]})

    return take


# ------------------------------------------------------------------------- pseudo-locale
#
# A third language that exists only in the tests: every English text of the page catalogs
# wrapped in [brackets], its letters accented, about 35% longer, its {placeholders} kept.
# A page in it shows at a glance any text that skipped the catalogs (plain English) and
# any layout that breaks on longer words. It is added the way a real language would be:
# a catalog per area (served here by page.route) and one entry in i18n.js's LANGUAGES
# (through globalThis.crmTestLanguages).

PSEUDO = "qps"
LOCALES = ROOT / "web" / "assets" / "locales"
ACCENTS = str.maketrans(
    "abcdeghiklnorstuyzABCDEGHIKLNORSTUYZ",
    "àƀçđéĝĥíķľñöŕšţüýžÅƁÇĐÉĜĤÎĶĽÑÖŔŠŢÜÝŽ",
)
PSEUDO_MARKS = frozenset("[]" + "".join(chr(c) for c in ACCENTS.values()))
PLACEHOLDER = re.compile(r"(\{\w+\})")


def pseudo_text(text: str) -> str:
    """ "Sign in {name}" -> "[Šíĝñ íñ {name} ~~~]": accented, ~35% longer, placeholders kept."""
    parts = [
        p if PLACEHOLDER.fullmatch(p) else p.translate(ACCENTS) for p in PLACEHOLDER.split(text)
    ]
    padding = "~" * max(1, round(len(PLACEHOLDER.sub("", text)) * 0.35))
    words = " ".join(padding[i : i + 6] for i in range(0, len(padding), 6))
    return f"[{''.join(parts)} {words}]"


def pseudo_catalog(area: str) -> dict[str, Any]:
    """The English catalog of `area`, every text (plural and formal forms too) pseudo."""

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return pseudo_text(value)
        return {form: convert(text) for form, text in value.items()}

    english = json.loads((LOCALES / "en" / f"{area}.json").read_text(encoding="utf-8"))
    return {key: convert(value) for key, value in english.items()}


# Every visible text node and label of the page, and what of it is not pseudo-localized:
# data (names, addresses) is passed in `allowed`; dates and amounts (<time>, <data>) are
# Intl's, and the languages in the switch are named in their own language.
UNLOCALIZED_TEXT = """([allowed, marks]) => {
  const marks_ = new Set(marks);
  const localized = (text) => [...text].some((c) => marks_.has(c));
  const leftover = (text) => allowed.reduce((rest, data) => rest.split(data).join(' '), text);
  const english = (text) => /[A-Za-z]/.test(leftover(text)) && !localized(text);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, time, data, .language-switch')) continue;
    if (!parent.checkVisibility() || !parent.getClientRects().length) continue;
    if (english(node.textContent)) found.push(node.textContent.trim());
  }
  for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (!element.checkVisibility() || element.closest('.language-switch')) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = element.getAttribute(name);
      if (value && english(value)) found.push(`${name}="${value}"`);
    }
  }
  if (english(document.title)) found.push(`<title>${document.title}`);
  return found;
}"""

# Whatever sticks out of the viewport sideways (the page then scrolls or clips).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) found.push(`page ${document.documentElement.scrollWidth}px`);
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.checkVisibility()) continue;
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      found.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent.trim().slice(0, 40)}" ends at ${Math.round(box.right)}px`);
    }
  }
  return found;
}"""


class PseudoLocale:
    """The pseudo-locale on a page: ``install(page)`` before the first goto, then
    ``assert_localized(page, allowed=[...])`` and ``assert_fits(page)`` on each screen."""

    language = PSEUDO

    def install(self, page: Page) -> None:
        def serve(route: Route) -> None:
            area = route.request.url.rsplit("/", 1)[1].removesuffix(".json")
            route.fulfill(json=pseudo_catalog(area))

        page.context.route(f"**/assets/locales/{PSEUDO}/*.json", serve)
        entry = {PSEUDO: {"locale": "en-GB", "name": pseudo_text("Pseudo")}}
        page.context.add_init_script(
            f"globalThis.crmTestLanguages = {json.dumps(entry)};"
            f"localStorage.setItem('crm.language', '{PSEUDO}');"
        )

    def unlocalized(self, page: Page, allowed: Iterable[str] = ()) -> list[str]:
        return list(page.evaluate(UNLOCALIZED_TEXT, [list(allowed), sorted(PSEUDO_MARKS)]))

    def assert_localized(self, page: Page, allowed: Iterable[str] = ()) -> None:
        left = self.unlocalized(page, allowed)
        assert not left, "texts outside the catalogs:\n" + "\n".join(left)

    def assert_fits(self, page: Page, width: int = 375) -> None:
        size = page.viewport_size or {"width": 1280, "height": WIDTHS[1280]}
        page.set_viewport_size({"width": width, "height": WIDTHS.get(width, 812)})
        try:
            sticking_out = page.evaluate(OVERFLOWING)
        finally:
            page.set_viewport_size(size)
        assert not sticking_out, f"wider than {width} px:\n" + "\n".join(sticking_out)


@pytest.fixture
def pseudo_locale() -> PseudoLocale:
    return PseudoLocale()
