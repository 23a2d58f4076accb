"""The associations' section of the monthly report and their headline figure on the staff dashboard."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from unionhub.contributions import Scope, headline_figure, report_section
from unionhub.reports.base import Figure, Section
from unionhub.reports.figures import ROW_LIMIT, not_applicable, period_figure, prefixed, three

from .models import Activity, Association, PlannedActivity, SignUp

# --- associations --------------------------------------------------------------------------------------


@report_section(order=60)
def associations_section(scope: Scope) -> Section:
    span, union = scope.span, scope.union
    if union is not None:
        return not_applicable(
            "associations",
            _("Associations"),
            _("Associations are run district-wide; they are not reported per union."),
        )
    held = Activity.objects.filter(Activity.COUNTS)
    totals = held.aggregate(**prefixed(three(span, "starts_at__date"), "held"))
    people = SignUp.objects.filter(
        attended=True, activity__status=Activity.Status.HELD, activity__needs_confirmation=False
    ).aggregate(**prefixed(three(span, "activity__starts_at__date"), "people"))
    planned = dict(
        PlannedActivity.objects.filter(year=span.start.year)
        .values("association")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("association", "n")
    )
    per_association = (
        held.filter(starts_at__date__range=(span.year_start, span.end))
        .values("association")
        .annotate(
            in_month=Count("pk", filter=Q(starts_at__date__range=(span.start, span.end))), ytd=Count("pk")
        )
        .order_by()
        .values_list("association", "association__name", "in_month", "ytd")
    )
    rows, seen = [], set()
    for pk, name, month, ytd in per_association:
        seen.add(pk)
        rows.append([name, month, ytd, planned.get(pk, 0)])
    if len(seen) < len(planned):
        for pk, name in Association.objects.filter(pk__in=set(planned) - seen).values_list("pk", "name"):
            rows.append([name, 0, 0, planned[pk]])
    rows.sort(key=lambda row: row[0])
    return Section(
        key="associations",
        title=_("Associations"),
        figures=[
            period_figure(_("Activities held"), totals, "held"),
            Figure(_("Activities planned for the year"), None, sum(planned.values()), None),
            period_figure(_("Participants"), people, "people"),
        ],
        header=[_("Association"), _("Held in the month"), _("Held in the year"), _("Planned for the year")],
        rows=rows[:ROW_LIMIT],
    )


@headline_figure(order=60)
def activities_headline(scope: Scope) -> Figure:
    return Figure(
        _("Activities held this month"),
        Activity.objects.filter(
            Activity.COUNTS, starts_at__date__range=(scope.day.replace(day=1), scope.day)
        ).count(),
    )
