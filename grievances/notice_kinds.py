"""Casework's kinds of notice (see ``unionhub.notify.kinds``): staff read new cases in WeCom; texts never carry a
case's details."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import WECOM, register_kind

register_kind(
    "case_new",
    label=_("New unassigned case"),
    prefixes=("case-new:",),
    defaults={"staff": {WECOM}},
    sensitive=True,
    digestible=False,
)
register_kind(
    "case_deadline",
    label=_("Case deadline"),
    prefixes=("case-deadline:",),
    defaults={"staff": {WECOM}},
    deadline=True,
    sensitive=True,
)
register_kind(
    "case_assigned",
    audience=("staff", "cadre", "union_chair"),
    label=_("Case assigned"),
    prefixes=("case-assigned:", "case-help:"),
    sensitive=True,
)
