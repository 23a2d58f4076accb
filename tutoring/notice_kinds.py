"""The tutoring classes' kinds of notice (see ``unionhub.notify.kinds``): a guardian is told when their child
moves up from the waiting list, and when a class is cancelled."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "tutoring_place",
    audience=("member",),
    label=_("Tutoring class: a place freed"),
    prefixes=("tutoring-promoted-",),
    digestible=False,
)
register_kind(
    "tutoring_cancelled",
    audience=("member",),
    label=_("Tutoring class cancelled"),
    prefixes=("tutoring-cancelled-",),
)
