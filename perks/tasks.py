"""Celery tasks of the discount card: thin wrappers over services; each is safe to run twice."""

from celery import shared_task

from .models import CardBatch
from .services import counter
from .services.cards import cancel_for_ended_memberships
from .services.sheets import ensure_sheet


@shared_task
def render_card_sheet(batch_id: int) -> str | None:
    """Render a batch's printable sheet if its file is missing; returns the file's storage name."""
    batch = CardBatch.objects.select_related("union").filter(pk=batch_id).first()
    return ensure_sheet(batch) if batch else None


@shared_task
def cancel_cards_for_ended_memberships() -> int:
    """Daily: cancel the active cards of members whose membership has ended."""
    return cancel_for_ended_memberships()


@shared_task
def remind_agreements_ending() -> int:
    """Remind staff of partner agreements ending within the warning period (once per merchant and date)."""
    return counter.remind_agreements_ending()
