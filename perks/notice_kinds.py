"""The discount card's kinds of notice (see ``unionhub.notify.kinds``)."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "cards", label=_("Discount card issued or cancelled"), prefixes=("card-issued:", "card-cancelled:")
)
register_kind(
    "merchant_agreements",
    audience=("staff",),
    label=_("Merchant agreement ending"),
    prefixes=("perks-agreement:",),
)
register_kind(
    "card_lost_reports",
    audience=("union_chair",),
    label=_("A member reported their card lost"),
    prefixes=("card-lost:",),
)
