"""Casework's contributions to the dashboard and to a grid area's page (see ``unionhub/contributions.py``).
"Open cases" is computed here only: the staff's district tile, an area's page and the monthly report's
headline all read ``open_cases``."""

import datetime

from unionhub.areas import filter_by_area
from unionhub.contributions import Scope, area_figures, dashboard_panel, district_figures

from .models import Case
from .rules import rules


def open_cases(scope: Scope):
    """The cases still open, in the scope's grid area (employer's union) or the whole district."""
    return filter_by_area(Case.objects.open(), scope.area, "enterprise__union")


@district_figures(order=70, template="grievances/dashboard/district_cases.html")
def case_figures(scope: Scope) -> dict:
    if not scope.user.has_perm("grievances.view_case"):
        return {}
    soon = scope.day + datetime.timedelta(days=rules().warn_days)
    cases = open_cases(scope)
    return {
        "cases_open": cases.count(),
        "limitation_soon": cases.filter(limitation_on__lte=soon, arbitration_applied_on__isnull=True).count(),
    }


@dashboard_panel(order=30, template="grievances/dashboard/my_cases.html", role=False)
def my_cases(scope: Scope) -> dict:
    """The open cases the user handles, whatever their role (staff or a seconded cadre)."""
    return {"my_cases": list(Case.objects.open().filter(handler=scope.user).order_by("handling_due")[:10])}


@area_figures(order=50)
def area_cases(scope: Scope) -> dict:
    return {"cases_open": open_cases(scope).count()}
