"""Secondment's kinds of notice (see ``unionhub.notify.kinds``): cadres read the duty day by SMS."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import SMS, register_kind

register_kind(
    "duty_tomorrow",
    label=_("Duty day tomorrow"),
    prefixes=("duty-reminder:",),
    defaults={"cadre": {SMS}},
    deadline=True,
)
register_kind(
    "duty_log_missing",
    label=_("Duty log missing"),
    prefixes=("duty-log-missing:",),
    defaults={"cadre": {SMS}},
    deadline=True,
)
register_kind(
    "duty_swaps",
    audience=("cadre",),
    label=_("Duty swap"),
    prefixes=("swap-proposed:", "swap-accepted:", "swap-declined:", "swap-cancelled:", "move-proposed:"),
)
register_kind(
    "rota_changes", audience=("cadre",), label=_("Rota change"), prefixes=("rota-changed:", "calendar-move:")
)
register_kind(
    "nominations",
    audience=("union_chair", "cadre"),
    label=_("Cadre nomination"),
    prefixes=("nomination-approved:", "nomination-returned:"),
)
register_kind(
    "late_entries",
    audience=("cadre",),
    label=_("Late duty entry"),
    prefixes=("late-entry-accepted:", "late-entry-refused:"),
)
