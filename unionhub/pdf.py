"""The one WeasyPrint renderer of the process: certificates, card sheets and monthly reports all
come through here, so a worker holds one font configuration, not one per kind of document.

``write_pdf(hinting=True)`` keeps the fonts' hints when subsetting: about 0.13 s an A4 page
instead of about 6.5 s spent stripping the hints of the large CJK font (DESIGN.md). Renders are
serialised, because WeasyPrint's font configuration is not meant for concurrent use."""

import threading
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation

_lock = threading.Lock()


@cache
def font_configuration():
    """The process's font configuration, created on the first render (loading fonts is slow)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: Iterable = ()) -> bytes:
    """``html`` as PDF bytes. Relative URLs in it resolve against ``base_url``, by default the
    project directory (where ``static/`` is)."""
    from weasyprint import HTML

    stylesheets = list(stylesheets) or None
    with _lock:
        return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf(
            stylesheets=stylesheets, font_config=font_configuration(), hinting=True
        )


def render_template_pdf(template_name: str, context: dict) -> bytes:
    """A template rendered in Chinese, then as PDF: certificates and reports are official documents."""
    with translation.override("zh-hans"):
        html = get_template(template_name).render(context)
    return render_pdf(html)
