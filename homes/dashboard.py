"""Workers' homes on the dashboard and a grid area's page (see ``unionhub/contributions.py``): the homes
due for re-inspection (staff), the level of each of a chair's unions' home, and the rated homes of an area."""

import datetime

from django.db.models import Count, OuterRef, Subquery

from unionhub.areas import filter_by_area
from unionhub.contributions import Scope, area_figures, district_figures, union_card

from .models import HomeLevel, WorkersHome


@union_card(order=10, template="homes/dashboard/union_home.html")
def union_home(scope: Scope) -> dict:
    """The level and re-inspection date of each union's workers' home, as annotations of the union."""
    homes = WorkersHome.objects.filter(union=OuterRef("pk"))
    return {
        "annotations": {
            "home_level": Subquery(homes.values("level")[:1]),
            "home_due": Subquery(homes.values("reinspection_due_on")[:1]),
        },
        "home_levels": dict(HomeLevel.choices),
    }


@district_figures(order=80, template="homes/dashboard/district_homes.html")
def homes_due(scope: Scope) -> dict:
    # The workers'-home list's "due soon" filter.
    return {
        "homes_due": filter_by_area(WorkersHome.objects.all(), scope.area, "union")
        .due_by(scope.day + datetime.timedelta(days=30))
        .count()
    }


@area_figures(order=30)
def area_homes(scope: Scope) -> dict:
    rated = dict(
        WorkersHome.objects.filter(union__area=scope.area, level__gte=HomeLevel.QUALIFIED)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
        .order_by()
    )
    return {
        "homes": [
            (label, rated.get(level, 0)) for level, label in HomeLevel.choices if level >= HomeLevel.QUALIFIED
        ],
        "homes_rated": sum(rated.values()),
    }
