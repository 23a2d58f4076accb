"""``{% payment_instructions %}``: how unions pay (the federation's account, the tax bureau's channel),
read from the one ``PaymentInstructions`` row, with an edit link for finance staff."""

from django import template

from ..models import PaymentInstructions
from ..permissions import can_edit_payment_instructions

register = template.Library()


@register.inclusion_tag("dues/_payment_instructions.html", takes_context=True)
def payment_instructions(context, instructions=None, compact=False):
    user = context.get("user")
    return {
        "instructions": instructions if instructions is not None else PaymentInstructions.current(),
        "can_edit": user is not None and can_edit_payment_instructions(user),
        "compact": compact,
    }
