"""Browser fixtures: Debian's chromium driven by Playwright, against a real daphne server.

The server runs for the whole module (one start), on the test database; tests run with
@pytest.mark.django_db(transaction=True), so what they write is committed and seen by
the server. Each test starts its own qcluster when it wants a job to run, so the job
page can be watched from "waiting for a worker" to the end.

Every page collects console errors and uncaught exceptions; a test fails on any.
Screenshots of every page go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connections

from tests.browser.chromium import CHROMIUM
from tests.jobs.cluster import web_server

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
VIEWPORT = {"width": 1366, "height": 800}  # a laptop screen


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    """daphne serving the app on the test database, for every test of the module."""
    logs = tmp_path_factory.mktemp("browser-logs")
    with web_server(logs / "daphne.log") as base:
        yield SimpleNamespace(base=base, logs=logs)


@pytest.fixture
def browser(monkeypatch):
    """A headless chromium. Playwright's sync API keeps an event loop in this thread,
    so Django's async-safety check is relaxed for the test's own ORM calls."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
            # Connections the test opened while Playwright ran belong to that context:
            # closed here, or PostgreSQL refuses to drop the test database at the end.
            connections.close_all()


class Console:
    """Errors a page reported: console.error lines and uncaught exceptions."""

    def __init__(self):
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        text = f"console.error: {message.text} ({message.location.get('url', '')})"
        if not any(pattern.search(message.text) for pattern in self.allowed):
            self.errors.append(text)

    def allow(self, pattern: str):
        """Expect errors matching `pattern` (e.g. the 400 of a refused upload) for a while."""
        console = self

        class Allowed:
            def __enter__(self):
                console.allowed.append(re.compile(pattern))

            def __exit__(self, *exc):
                console.allowed.pop()

        return Allowed()


@pytest.fixture
def console():
    return Console()


@pytest.fixture
def page(browser, server, console):
    context = browser.new_context(viewport=VIEWPORT, base_url=server.base, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    console.watch(page)
    try:
        yield page
    finally:
        context.close()
    assert console.errors == [], "the browser reported errors:\n" + "\n".join(console.errors)


@pytest.fixture
def shoot(request):
    """shoot(page, "name"): a full-page screenshot into test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = request.node.name.removeprefix("test_").split("_")[0]  # "upload", "admin"
    for old in SCREENSHOTS.glob(f"{prefix}-*.png"):  # a previous run's
        old.unlink()
    counter = iter(range(1, 100))

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{prefix}-{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
