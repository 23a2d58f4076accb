"""The printable sheet of a card batch: A4 pages of ten cards (two columns of five, each the size of
a bank card), with the holder's name, masked ID number, the number in groups of four and its QR
code. Rendered by WeasyPrint, always in Chinese, and stored in ``batch.sheet``."""

import threading
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from secondment.services.certificates import federation_name, qr_code_svg

from ..models import Card, CardBatch
from .cards import group_number

CARDS_PER_PAGE = 10


class _Renderer:
    """One per process: the template and the font configuration are loaded once; renders are
    serialised (WeasyPrint's font configuration is not meant for concurrent use)."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.template = get_template("perks/card_sheet.html")
        self.lock = threading.Lock()

    def pdf(self, context: dict) -> bytes:
        from weasyprint import HTML

        with translation.override("zh-hans"):
            html = self.template.render(context)
        with self.lock:
            # hinting=True keeps the fonts' hints when subsetting: ~0.13 s a page instead of ~6.5 s.
            return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
                font_config=self.font_config, hinting=True)


@cache
def _renderer() -> _Renderer:
    return _Renderer()


def sheet_context(batch: CardBatch) -> dict:
    cards = Card.objects.filter(batch=batch).select_related("member").order_by("number")
    printed = [{"name": card.member.name, "masked_id": card.member.masked_id_number,
                "number": group_number(card.number),
                "qr_code": mark_safe(qr_code_svg(card.number))}   # noqa: S308 — SVG made by qrcode from digits
               for card in cards.iterator(chunk_size=1000)]
    pages = [printed[i:i + CARDS_PER_PAGE] for i in range(0, len(printed), CARDS_PER_PAGE)]
    return {"batch": batch, "pages": pages, "federation_name": federation_name(),
            "union_name": batch.union.name if batch.union_id else ""}


def sheet_filename(batch: CardBatch) -> str:
    return f"cards-{batch.issued_on:%Y%m%d}-{batch.pk}.pdf"


def render_sheet(batch: CardBatch) -> str:
    """Render the batch's sheet, store it in ``batch.sheet`` (replacing any earlier file) and return
    the file's storage name."""
    data = _renderer().pdf(sheet_context(batch))
    if batch.sheet:
        batch.sheet.delete(save=False)
    name = batch.sheet.field.generate_filename(batch, sheet_filename(batch))
    if batch.sheet.storage.exists(name):
        batch.sheet.storage.delete(name)   # a leftover of a database that was reset
    batch.sheet.save(sheet_filename(batch), ContentFile(data), save=False)
    batch.save(update_fields=["sheet"])
    return batch.sheet.name


def ensure_sheet(batch: CardBatch) -> str:
    """The sheet's storage name, rendering it first if its file is missing."""
    if batch.sheet and batch.sheet.storage.exists(batch.sheet.name):
        return batch.sheet.name
    return render_sheet(batch)
