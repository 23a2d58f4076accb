"""Discount-card rules. ``PERKS_RULES`` in the settings (a dict of the fields below) overrides them."""

import dataclasses
from decimal import Decimal

from django.conf import settings


@dataclasses.dataclass(frozen=True)
class Rules:
    # Card numbers: this prefix, then digits, then a Luhn check digit — 16 digits in all.
    card_prefix: str = "8860"
    # Staff are reminded this many days before a merchant's agreement ends.
    agreement_warning_days: int = 30
    # Counter checks allowed per merchant account per minute.
    checks_per_minute: int = 30
    # A redemption larger than this is refused as absurd.
    max_redemption: Decimal = Decimal("50000.00")
    # The estimate where a merchant records no redemptions: the saving per active card per month across
    # all merchants (¥3.6M a year for 10,000 cards is ¥30), shared equally among the active merchants.
    estimated_saving_per_card_month: Decimal = Decimal("30.00")


def rules() -> Rules:
    overrides = getattr(settings, "PERKS_RULES", None) or {}
    return dataclasses.replace(Rules(), **overrides)
