"""Honours' kinds of notice (see ``unionhub.notify.kinds``)."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "honours_window",
    audience=("union_chair", "staff"),
    label=_("Honours nominations open"),
    prefixes=("honours-window:",),
    deadline=True,
)
register_kind(
    "honours",
    audience=("union_chair", "staff"),
    label=_("Honours notice"),
    prefixes=("honour-result:", "honour-issued:"),
)
