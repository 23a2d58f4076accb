"""The registry's kinds of notice (see ``unionhub.notify.kinds``): chairs read dues and transfers by SMS."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import SMS, register_kind

register_kind(
    "dues_soon",
    label=_("Dues due soon"),
    prefixes=("dues-soon:",),
    defaults={"union_chair": {SMS}},
    deadline=True,
)
register_kind(
    "dues_overdue",
    label=_("Dues overdue"),
    prefixes=("dues-overdue:",),
    defaults={"union_chair": {SMS}},
    digestible=False,
)
register_kind(
    "transfers",
    label=_("Transfer between unions"),
    prefixes=("transfer-in:", "transfer-out:", "transfers-out:", "transfer-contested:", "transfer-resolved:"),
    defaults={"union_chair": {SMS}},
)
register_kind(
    "chair_change",
    audience=("union_chair", "staff"),
    label=_("Chair handover"),
    prefixes=("chair-change:",),
    digestible=False,
)
register_kind(
    "join_application",
    audience=("union_chair",),
    label=_("Application to join the union"),
    prefixes=("join-application:",),
)
# Texts to applicants, who have no login yet (notify.service.send_text_to_phone): the outcome, never the reason.
register_kind(
    "join_approved", listed=False, label=_("Application to join approved"), prefixes=("join-approved:",)
)
register_kind(
    "join_declined", listed=False, label=_("Application to join declined"), prefixes=("join-declined:",)
)
