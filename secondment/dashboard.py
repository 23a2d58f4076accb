"""The secondment scheme's contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``). "Cadres active" is computed here only (``active_terms``)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    TodoItem,
    area_figures,
    dashboard_panel,
    district_figures,
    todo_items,
)

from .models import Nomination, SecondmentTerm, SwapRequest

RETURNED_SHOWN_DAYS = 30  # a returned nomination stays on the chair's to-do list this long


def active_terms(scope: Scope):
    """The terms active on the scope's day, in its grid area or the whole district."""
    return filter_by_area(SecondmentTerm.objects.active_on(scope.day), scope.area, "union")


@district_figures(order=20, template="secondment/dashboard/district_cadres.html")
def cadre_figures(scope: Scope) -> dict:
    return {"cadres": active_terms(scope).count()}


@dashboard_panel(order=40, template="secondment/dashboard/my_secondment.html")
def my_secondment(scope: Scope) -> dict | None:
    user = scope.user
    if not user.is_seconded_cadre:
        return None
    term = user.active_secondment
    return {
        "secondment": term,
        "next_duty": term.duty_days.filter(date__gte=scope.day).order_by("date").first(),
        "swaps_waiting": SwapRequest.objects.filter(
            other_day__term__cadre=user, status=SwapRequest.Status.PROPOSED
        ).count(),
    }


@todo_items(order=70, shows=gettext_lazy("requests returned to you"))
def returned_nominations(scope: Scope) -> list[TodoItem] | None:
    """A chair's cadre nominations that staff returned in the last ``RETURNED_SHOWN_DAYS`` days, unless the
    person has been nominated again since: read the reason, nominate again if it still stands."""
    user = scope.user
    if not user.is_union_chair:
        return None
    since = timezone.make_aware(
        datetime.datetime.combine(scope.day - datetime.timedelta(days=RETURNED_SHOWN_DAYS), datetime.time.min)
    )
    later = Nomination.objects.filter(
        member=OuterRef("member"), created_at__gt=OuterRef("decided_at")
    ).exclude(status=Nomination.Status.RETURNED)
    returned = (
        Nomination.objects.filter(union__chair=user, status=Nomination.Status.RETURNED, decided_at__gte=since)
        .exclude(Exists(later))
        .select_related("member")
        .order_by("-decided_at")
    )
    return [
        TodoItem(
            due=None,
            title=_("Nomination of %(name)s returned") % {"name": n.member.name},
            detail=Truncator(n.decision_note).chars(80)
            or _("Read the reason; nominate again if it still stands."),
            url=n.get_absolute_url(),
            action=_("See why"),
            sort_key=timezone.localtime(n.decided_at).isoformat(),
            kind="secondment.returned",
        )
        for n in returned
    ]


@area_figures(order=70)
def area_cadres(scope: Scope) -> dict:
    return {"cadres": active_terms(scope).count()}


# Issue 19 (the calendar): the staff's item for duty days planned into years without a holiday calendar.
from .dashboard_calendar import duty_days_beyond_calendar  # noqa: E402, F401
