"""Aid's kinds of notice (see ``unionhub.notify.kinds``): about a person's hardship, so texts carry the kind and a
link only."""

from django.utils.translation import gettext_lazy as _

from unionhub.notify.kinds import register_kind

register_kind(
    "aid_decisions",
    audience=("union_chair", "staff"),
    label=_("Aid application decision"),
    prefixes=("aid-application:", "aid-member-application:", "ticket-issued:", "ticket-declined:"),
    sensitive=True,
)
register_kind(
    "hardship_decisions",
    audience=("union_chair", "staff"),
    label=_("Hardship file decision"),
    prefixes=("hardship-file-approved:",),
    sensitive=True,
)
register_kind(
    "school_places",
    audience=("union_chair", "staff"),
    label=_("School place"),
    prefixes=("school-place-outcome:", "school-place-returned:"),
    sensitive=True,
)
register_kind(
    "school_place_deadline",
    audience=("union_chair", "staff"),
    label=_("School place deadline"),
    prefixes=("enrolment-deadline:",),
    deadline=True,
    sensitive=True,
)
