"""The Content-Security-Policy: every page carries it, scripts come from the site only, and no template
relies on what that policy forbids (inline script, event-handler attributes, javascript: links)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Templates rendered to PDF by WeasyPrint never reach a browser; they may keep their <style> blocks, and
# nothing here runs scripts anyway.
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff", "chair_a"])
def test_every_page_carries_a_policy_with_scripts_from_the_site_only(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in (reverse("dashboard"), reverse("login"), reverse("calendar_current")):
        response = client.get(url, follow=True)
        policy = _directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_an_error_page_carries_the_policy_too(client, staff):
    client.force_login(staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_needs_inline_script(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_HANDLER.search(text), "use data-autosubmit / data-confirm (static/js/app.js)"
    assert not INLINE_SCRIPT.search(text), "scripts come from static files"
    assert "javascript:" not in text.lower()
