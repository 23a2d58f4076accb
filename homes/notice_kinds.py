"""Workers' homes' kinds of notice (see ``unionhub.notify.kinds``)."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "home_reinspection",
    audience=("union_chair", "staff"),
    label=_("Workers' home re-inspection"),
    prefixes=("workers-home-due:",),
)
