"""Browser tests: the pages (/portal, /app, /activate) in Debian's Chromium, driven by
Playwright, against the local stack. One stack and one browser for the whole package; a
fresh browser context (its own sessionStorage) per person in a test.

Chromium comes from Debian (scripts/install-system-deps.sh, which `make pytest` runs),
never from `playwright install`. Without it these tests fail: they do not skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

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
def new_page(browser: Browser, stack: Stack) -> Iterator[Callable[[], Page]]:
    """``new_page()``: a page in a context of its own (another person, another tab set).

    A script error on any page fails the test.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make() -> Page:
        context = browser.new_context(
            base_url=stack.api_url, viewport={"width": 1280, "height": WIDTHS[1280]}
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
