"""Headless Chromium for the browser tests: the Debian package, never a downloaded build."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection

from tests.conftest import service_missing

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context(tmp_path, monkeypatch):
    """A fresh Chromium profile at laptop width; skipped (or failed in CI) without a browser."""
    if not os.path.exists(CHROMIUM):
        service_missing(f"no Chromium at {CHROMIUM} (install the 'chromium' package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        service_missing("the playwright package is not installed (requirements-dev.txt)")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary blocking calls, not calls from a coroutine.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport=LAPTOP,
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


@pytest.fixture
def screenshot():
    """Save a page's screenshot when FOI_SCREENSHOTS names a folder (docs/screenshots/)."""
    folder = os.environ.get("FOI_SCREENSHOTS")

    def save(page, name: str, *, full_page: bool = True) -> None:
        if folder:
            os.makedirs(folder, exist_ok=True)
            page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=full_page)

    return save


T = TypeVar("T")


def from_database(read: Callable[[], T]) -> T:
    """Run an ORM read between page actions, then close its connection. Once Playwright's
    sync API is running, the test's ORM calls get a connection of their own (seen in
    pg_stat_activity), which would otherwise outlive the test and block the test database's
    teardown on PostgreSQL."""
    try:
        return read()
    finally:
        connection.close()


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the sign-in form, as a person does, and land on the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
