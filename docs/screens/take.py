"""Take the screenshots in this folder from a running demo (``make demo`` in another terminal):

    .venv/bin/python docs/screens/take.py [http://127.0.0.1:8000] [name ...]

Names (``news``, ``meeting``…) take only those shots; none takes them all.

Each page is shot at a phone width (390 px) and an office-PC width (1280 px) with Debian's Chromium,
as ``<name>-390.png`` and ``<name>-1280.png``. The demo's logins share the password ``unionhub-demo``."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
ONLY = set(sys.argv[2:])
OUT = Path(__file__).resolve().parent
PASSWORD = "unionhub-demo"  # noqa: S105 - the demo's published password, printed by make demo
WIDTHS = (390, 1280)


def login(page, username):
    page.goto(BASE + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


SMS_LOG = OUT.parent.parent / "var" / "sms.log"  # the demo's text messages (the embedded default)


def member_login(page, phone):
    """The member area's sign-in: the number, then the code from the line of the SMS log that begins with it."""
    page.goto(BASE + "/m/login/")
    page.fill("input[name=phone]", phone)
    page.click("form.m-form button[type=submit]")
    page.wait_for_url("**/m/login/code/**")
    line = [text for text in SMS_LOG.read_text(encoding="utf-8").splitlines() if text.startswith(phone)][-1]
    code = "".join(ch for ch in line.split("\t")[-1] if ch.isdigit())[:6]
    page.fill("input[name=code]", code)
    page.click("form.m-form button[type=submit]")
    page.wait_for_load_state("load")
    if "/m/privacy/" in page.url:
        page.check("input[name=accept]")
        page.click("form.m-form button[type=submit]")
        page.wait_for_load_state("load")


def complaint_with_errors(page):
    page.goto(BASE + "/complaint/")
    page.fill("textarea[name=description]", "工资拖欠")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")


def phone_menu(page):
    page.goto(BASE + "/")
    toggle = page.locator("label[for=navtoggle]")
    if toggle.is_visible():
        toggle.click()


def counter_typo(page):
    page.goto(BASE + "/perks/check/")
    page.fill("input[name=number]", "8860 0000 0000 3708")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")


def union_handover(page):
    page.goto(BASE + "/unions/")
    page.locator("main a", has_text="HN003").first.click()
    page.wait_for_load_state("load")
    page.goto(page.url + "handover/")
    page.wait_for_load_state("load")


def signin_letter(page):
    page.goto(BASE + "/accounts/")
    page.locator("main form button", has_text="打印登录函").first.click()
    page.wait_for_load_state("load")


def first_article(page):
    page.goto(BASE + "/news/")
    page.locator("main a[href^='/news/'][href$='/']").filter(has_not_text="新闻").first.click()
    page.wait_for_load_state("load")


def latest_meeting(page):
    page.goto(BASE + "/meetings/")
    page.locator("main table a[href^='/meetings/']").first.click()
    page.wait_for_load_state("load")


def chair_rectification(page):
    """Chair1's own audits, then the first rectification listed (the open one of this year's audit)."""
    page.goto(BASE + "/audits/mine/")
    page.locator("main table a").first.click()
    page.wait_for_load_state("load")


SHOTS = [
    # (file name, login or None, path or callable)
    ("cadre-menu", "cadre", phone_menu),
    ("counter-typo", "merchant", counter_typo),
    ("cadre-dashboard", "cadre", "/"),
    ("former-cadre", "formercadre", "/"),
    ("staff-dashboard", "staff", "/"),
    ("reports", "staff", "/reports/"),
    ("complaint-errors", None, complaint_with_errors),
    ("accounts", "staff", "/accounts/"),
    ("signin-letter", "staff", signin_letter),
    ("union-handover", "staff", union_handover),
    ("ledger-import", "staff", "/ledger-imports/"),
    ("notice-preferences", "chair1", "/notices/preferences/"),
    ("delivery-log", "staff", "/notices/deliveries/"),
    # The members' home (/m/), signed in with a code; "member:<mobile>" is a demo member's number.
    ("member-home", "member:19957100001", "/m/"),
    ("member-card", "member:19957100001", "/m/card/"),
    ("member-activities", "member:19957100001", "/m/activities/"),
    ("member-applications", "member:19957100001", "/m/applications/"),
    ("member-complaints", "member:19957100001", "/m/complaints/"),
    ("member-join", None, "/m/join/"),
    ("join-applications", "chair1", "/join-applications/"),
    ("audits", "auditor", "/audits/"),
    ("audit-chair", "chair1", chair_rectification),
    ("news", None, "/news/"),
    ("news-article", None, first_article),
    ("info-ranking", "staff", "/news/assessment/"),
    ("meeting", "staff", latest_meeting),
    ("meeting-tasks", "cadre", "/meetings/tasks/?mine=1"),
]


PHONE_ONLY = {"cadre-menu"}  # the menu button shows at phone widths only


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        signed_in = {}  # a member's session, reused: one code a minute per number
        for name, username, target in SHOTS:
            if ONLY and name not in ONLY:
                continue
            for width in WIDTHS[:1] if name in PHONE_ONLY else WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 844 if width < 600 else 900},
                    storage_state=signed_in.get(username),
                )
                page = context.new_page()
                if username and username.startswith("member:"):
                    if username not in signed_in:
                        member_login(page, username.removeprefix("member:"))
                        signed_in[username] = context.storage_state()
                elif username:
                    login(page, username)
                if callable(target):
                    target(page)
                else:
                    page.goto(BASE + target)
                    page.wait_for_load_state("load")
                page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=width >= 600)
                print(OUT / f"{name}-{width}.png")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
