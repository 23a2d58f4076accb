"""Issue 19 (the calendar): the staff's to-do item for duty days planned into years whose holiday calendar
is not entered. Registered through ``secondment/dashboard.py`` (which the core discovers), kept in a module
of its own so that the cadre's items there stay apart."""

from django.db.models import Count, Min
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub import workdays
from unionhub.contributions import Scope, Severity, TodoItem, todo_items

from .models import DutyDay
from .permissions import can_plan_rota


@todo_items(order=85, shows=gettext_lazy("duty days planned in years without a holiday calendar"))
def duty_days_beyond_calendar(scope: Scope) -> list[TodoItem] | None:
    """Staff: future duty days in years nobody has entered the holiday calendar of, per year: two queries (the
    future duty days per year, the entered years). Entering the schedule moves the days it turns into holidays
    (``rota.follow_calendar``). Not one query with a correlated "is the year entered" subquery: on SQLite that
    runs the year extraction once per duty day and calendar day pair (about a second at 350 future days)."""
    user = scope.user
    if user is None or not can_plan_rota(user):
        return None
    per_year = list(
        DutyDay.objects.filter(date__gt=scope.day)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("year")
        .annotate(count=Count("pk"), first=Min("date"))
        .order_by("year")
    )
    entered = set(workdays.known_years()) if per_year else set()
    years = [row for row in per_year if row["year"] not in entered]
    return [
        TodoItem(
            due=row["first"],
            title=_("%(count)d duty days planned in %(year)s, whose holiday calendar is not entered")
            % {"count": row["count"], "year": row["year"]},
            detail=_(
                "They are unconfirmed and may fall on holidays. Enter the %(year)s schedule: the duty days it turns "
                "into holidays move to another working day of their cycle, and their cadres are told."
            )
            % {"year": row["year"]},
            url=reverse("calendar", kwargs={"year": row["year"]}),
            action=_("Enter the schedule"),
            severity=Severity.WARNING,
            sort_key=str(row["year"]),
            kind="secondment.beyond_calendar",
        )
        for row in years
    ]
