"""Browser tests: Debian's Chromium, driven by Playwright, against a live server with the demo data.

One Chromium for the whole folder; each test gets fresh browser contexts (no cache,
no cookies), closed when it ends.
"""

import os
import re

import pytest
from playwright.sync_api import sync_playwright

from convene.core.models import User
from tests.browser.pages import DESKTOP
from tests.conftest import CHROMIUM_PATH

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Fail in seconds, not Playwright's default 30 s, when an element never shows up.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def chromium():
    """Debian's Chromium, launched once for all the browser tests.

    From start to stop, Playwright's sync API keeps an asyncio event loop running in
    the test thread, and Django refuses ORM calls from such a thread unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Package scope ends the loop and the variable
    with the browser tests: the rest of the suite, and the subprocesses it starts
    (`check --deploy` rejects the variable), run without them.
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def site_url(live_server, transactional_db, demo_data):
    """Root URL of a live server holding the reference data and the Paris 2021 meeting."""
    return live_server.url


@pytest.fixture
def open_context(chromium, site_url):
    """Factory for fresh browser contexts on the live server; all are closed after the test.

    Keyword arguments go to `Browser.new_context` (viewport, java_script_enabled,
    bypass_csp…); relative URLs resolve against the live server.
    """
    contexts = []

    def open_(**options):
        options.setdefault("viewport", DESKTOP)
        context = chromium.new_context(base_url=site_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context):
    """A page in a fresh desktop-sized context."""
    return open_context().new_page()


DEMO_OFFICER = "secretariat@demo.convene.test"


@pytest.fixture
def back_office(open_context):
    """Opens a desktop page signed in to the back-office as the demo Secretariat officer,
    in the language asked for (the page lands on the admin's index); other keyword
    arguments go to the context (bypass_csp for axe-core)."""
    password = "back-office-password-1234"
    officer = User.objects.get(email=DEMO_OFFICER)
    officer.set_password(password)
    officer.save()

    def signed_in(language="en", **options):
        page = open_context(viewport=DESKTOP, **options).new_page()
        page.goto(f"/{language}/admin/login/")
        page.locator("#id_username").fill(DEMO_OFFICER)
        page.locator("#id_password").fill(password)
        page.locator("input[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{language}/admin/$"))
        return page

    return signed_in
