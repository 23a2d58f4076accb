"""The browser every end-to-end test drives: Debian's Chromium through Playwright."""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15_000)
        # The Content-Security-Policy allows scripts from the site only: any page that still relies on
        # inline script shows up here as a violation reported on the console.
        violations = []
        page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
        yield page
        browser.close()
        assert not violations, violations
