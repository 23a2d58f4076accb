"""Perks' stored files: a card batch's printable sheet (full names and card numbers): staff, and a union's
chair for their own union's batches (a district-wide batch holds other unions' members: staff only)."""

from unionhub.files import register_stored_file

from .models import CardBatch
from .permissions import can_manage_cards


def _can_read_sheet(user, batch: CardBatch) -> bool:
    if not can_manage_cards(user):
        return False
    return user.is_federation_staff or (batch.union_id is not None and batch.union.chair_id == user.pk)


register_stored_file("perks.card_sheet", CardBatch, "sheet", can_read=_can_read_sheet)
