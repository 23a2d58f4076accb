"""Money: yuan as ``Decimal`` rounded to the fen (0.01, half up), and amounts written for people with two
decimals and thousands separators (``49,429.92``) whatever the database. SQLite's ``Sum`` returns
Decimals with ten places (``49429.9200000000``), PostgreSQL's with two: rounding here makes the pages
read the same on both. Templates use the ``money`` filter (``{% load money %}``): ``¥{{ amount|money }}``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """``value`` in yuan, rounded to the fen (half up)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, places: int = 2) -> str:
    """``49,429.92`` (in the active language's separators); ``places=0`` for whole yuan (``49,430``).
    Anything that is not a number (None, ``"—"``) comes back as it is, as text."""
    try:
        # A float goes through its repr, as Django's floatformat does: 2.675 is 2.68, not 2.67.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return "" if value is None else str(value)
    if not rounded:
        rounded = abs(rounded)  # no "-0.00"
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
