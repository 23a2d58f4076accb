"""Associations' kinds of notice (see ``unionhub.notify.kinds``)."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "waiting_list", label=_("Waiting list moved up"), prefixes=("activity-promoted-",), digestible=False
)
register_kind("activity_cancelled", label=_("Activity cancelled"), prefixes=("activity-cancelled-",))
register_kind(
    "association_members",
    audience=("association_chair",),
    label=_("Association membership"),
    prefixes=("association-join-", "association-decision-"),
)
register_kind(
    "association_behind",
    audience=("association_chair",),
    label=_("Association behind its plan"),
    prefixes=("association-behind-",),
)
