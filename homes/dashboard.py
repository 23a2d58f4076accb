"""Workers' homes on the dashboard and a grid area's page (see ``unionhub/contributions.py``): the homes
due for re-inspection (staff), the level of each of a chair's unions' home, and the rated homes of an area."""

import datetime

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    TodoItem,
    area_figures,
    district_figures,
    severity_for,
    todo_items,
    union_card,
)

from .models import HomeLevel, SelfAssessment, WorkersHome


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


@todo_items(order=60, shows=gettext_lazy("the workers' home self-assessment when it is due"))
def self_assessment_due(scope: Scope) -> list[TodoItem] | None:
    """A chair's self-assessment of the year: due when the home's re-inspection falls due within the
    reminder window (the inspectors read it first) and this year's is not submitted; and a draft of this
    year's, to finish by the year's end."""
    user, day = scope.user, scope.day
    if not user.is_union_chair:
        return None
    year = day.year
    assessments = dict(
        SelfAssessment.objects.filter(union__chair=user, year=year).values_list("union_id", "status")
    )
    homes = (
        WorkersHome.objects.filter(union__chair=user)
        .due_by(day + datetime.timedelta(days=settings.WORKERS_HOME_REMINDER_DAYS))
        .select_related("union")
    )
    many = user.chaired_unions.count() > 1
    items, listed = [], set()
    for home in homes:
        if assessments.get(home.union_id) == SelfAssessment.Status.SUBMITTED:
            continue
        listed.add(home.union_id)
        values = {"year": year, "date": home.reinspection_due_on.isoformat(), "code": home.union.code}
        items.append(
            TodoItem(
                due=home.reinspection_due_on,
                title=(_("%(code)s · ") % values if many else "")
                + _("Workers' home self-assessment %(year)d") % values,
                detail=_(
                    "Re-inspection due on %(date)s: the inspectors read this year's self-assessment first."
                )
                % values,
                url=reverse("homes:self_assessment", kwargs={"union_pk": home.union_id}),
                action=_("Self-assessment"),
                severity=severity_for(home.reinspection_due_on, day),
                sort_key=home.union.code,
                kind="homes.self_assessment",
            )
        )
    drafts = [
        pk for pk, status in assessments.items() if status == SelfAssessment.Status.DRAFT and pk not in listed
    ]
    year_end = datetime.date(year, 12, 31)
    for assessment in SelfAssessment.objects.filter(union_id__in=drafts, year=year).select_related("union"):
        values = {"year": year, "code": assessment.union.code}
        items.append(
            TodoItem(
                due=year_end,
                title=(_("%(code)s · ") % values if many else "")
                + _("Finish the %(year)d self-assessment") % values,
                detail=_("Saved as a draft: submit it before the year ends."),
                url=reverse("homes:self_assessment", kwargs={"union_pk": assessment.union_id}),
                action=_("Self-assessment"),
                severity=severity_for(year_end, day),
                sort_key=assessment.union.code,
                kind="homes.self_assessment",
            )
        )
    return items


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
