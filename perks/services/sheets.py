"""The printable sheet of a card batch: A4 pages of ten cards (two columns of five, each the size of
a bank card), with the holder's name, masked ID number, the number in groups of four and its QR
code. Rendered by WeasyPrint, always in Chinese, and stored in ``batch.sheet``."""

from celery.result import AsyncResult
from django.utils.safestring import mark_safe

from unionhub.certificates import federation_name, qr_code_svg, save_pdf
from unionhub.enqueue import enqueue_now
from unionhub.pdf import render_template_pdf

from ..models import Card, CardBatch
from .cards import group_number

CARDS_PER_PAGE = 10
SHEET_TEMPLATE = "perks/card_sheet.html"
# By name: perks/tasks.py imports this module (unionhub/enqueue.py).
RENDER_TASK = "perks.tasks.render_card_sheet"


def sheet_context(batch: CardBatch) -> dict:
    cards = Card.objects.filter(batch=batch).select_related("member").order_by("number")
    printed = [
        {
            "name": card.member.name,
            "masked_id": card.member.masked_id_number,
            "number": group_number(card.number),
            "qr_code": mark_safe(qr_code_svg(card.number)),  # noqa: S308 — SVG made by qrcode from digits
        }
        for card in cards.iterator(chunk_size=1000)
    ]
    pages = [printed[i : i + CARDS_PER_PAGE] for i in range(0, len(printed), CARDS_PER_PAGE)]
    return {
        "batch": batch,
        "pages": pages,
        "federation_name": federation_name(),
        "union_name": batch.union.name if batch.union_id else "",
    }


def sheet_filename(batch: CardBatch) -> str:
    return f"cards-{batch.issued_on:%Y%m%d}-{batch.pk}.pdf"


def render_sheet(batch: CardBatch) -> str:
    """Render the batch's sheet, store it in ``batch.sheet`` (replacing any earlier file) and return
    the file's storage name."""
    data = render_template_pdf(SHEET_TEMPLATE, sheet_context(batch))
    return save_pdf(batch, data, sheet_filename(batch), field="sheet").name


def ensure_sheet(batch: CardBatch) -> str:
    """The sheet's storage name, rendering it first if its file is missing."""
    if batch.sheet and batch.sheet.storage.exists(batch.sheet.name):
        return batch.sheet.name
    return render_sheet(batch)


def start_rendering(*, batch_id: int) -> AsyncResult:
    """Render a batch's missing sheet in a worker and return the task's result handle: the download
    page serves the sheet at once when it is ready (always, when tasks run in process), and otherwise
    asks the user to come back. Queued at once: the batch was committed when it was issued."""
    return enqueue_now(RENDER_TASK, batch_id)
