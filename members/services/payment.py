"""The payment instructions (how unions pay union funds): edited by finance staff, audited."""

from auditlog.context import set_actor
from django.db import transaction

from unionhub.access import require

from .. import permissions
from ..models import PaymentInstructions

FIELDS = ("account_name", "bank", "account_number", "tax_channel", "note")


def update_payment_instructions(
    *,
    by,
    account_name: str = "",
    bank: str = "",
    account_number: str = "",
    tax_channel: str = "",
    note: str = "",
) -> PaymentInstructions:
    """Set the district's payment instructions (the one row, created on first use). Finance duty only
    (``by=None``: a system caller such as the demo); over-long or blank-only input is a ValidationError
    and changes nothing."""
    if by is not None:
        require(permissions.can_edit_payment_instructions(by))
    values = {
        "account_name": account_name.strip(),
        "bank": bank.strip(),
        "account_number": account_number.strip(),
        "tax_channel": tax_channel.strip(),
        "note": note.strip(),
    }
    with transaction.atomic(), set_actor(by):
        instructions = PaymentInstructions.objects.select_for_update().filter(singleton=True).first()
        if instructions is None:
            instructions = PaymentInstructions()
        for name, value in values.items():
            setattr(instructions, name, value)
        instructions.updated_by = by
        instructions.full_clean(exclude=["updated_by"])
        instructions.save()
    return instructions
