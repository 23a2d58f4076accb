"""The secondment scheme's contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``). "Cadres active" is computed here only (``active_terms``)."""

from unionhub.areas import filter_by_area
from unionhub.contributions import Scope, area_figures, dashboard_panel, district_figures

from .models import SecondmentTerm, SwapRequest


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


@area_figures(order=70)
def area_cadres(scope: Scope) -> dict:
    return {"cadres": active_terms(scope).count()}
