"""Casework's section of the monthly report and its headline figure on the staff dashboard."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from unionhub.contributions import Scope, headline_figure, report_section
from unionhub.reports.base import Chart, Figure, Section
from unionhub.reports.figures import money_or_zero, period_figure, prefixed, three

from .dashboard import open_cases
from .models import Case

# --- grievances ----------------------------------------------------------------------------------------


def _open_at(day: datetime.date) -> Q:
    still_open = Q(closed_on__isnull=True) & ~Q(stage=Case.Stage.CLOSED)
    return Q(received_on__lte=day) & (still_open | Q(closed_on__gt=day))


@report_section(order=40)
def grievances_section(scope: Scope) -> Section:
    span, union = scope.span, scope.union
    cases = Case.objects.all()
    if union is not None:
        cases = cases.filter(enterprise__union=union)
    soon = span.end + datetime.timedelta(days=30)
    totals = cases.aggregate(
        **prefixed(three(span, "received_on"), "opened"),
        **prefixed(three(span, "closed_on"), "closed"),
        **prefixed(three(span, "closed_on", total="amount_recovered"), "recovered"),
        open_m=Count("pk", filter=_open_at(span.end)),
        open_l=Count("pk", filter=_open_at(span.ly_end)),
        limitation_m=Count(
            "pk", filter=_open_at(span.end) & Q(limitation_on__gt=span.end, limitation_on__lte=soon)
        ),
    )
    per_category = {
        row["category"]: row
        for row in cases.values("category")
        .annotate(
            opened=Count("pk", filter=Q(received_on__range=(span.start, span.end))),
            closed=Count("pk", filter=Q(closed_on__range=(span.start, span.end))),
            open_at_end=Count("pk", filter=_open_at(span.end)),
            recovered=Sum("amount_recovered", filter=Q(closed_on__range=(span.start, span.end))),
        )
        .order_by()
    }
    labels = dict(Case.Category.choices)
    categories = [c for c in Case.Category.values if c in per_category]
    rows = [
        [
            str(labels[c]),
            per_category[c]["opened"],
            per_category[c]["closed"],
            per_category[c]["open_at_end"],
            money_or_zero(per_category[c]["recovered"]),
        ]
        for c in categories
    ]
    return Section(
        key="grievances",
        title=_("Grievances and legal aid"),
        note=_("Cases whose employer is an enterprise of this union.") if union is not None else "",
        figures=[
            period_figure(_("Cases opened"), totals, "opened"),
            period_figure(_("Cases closed"), totals, "closed"),
            period_figure(_("Money recovered"), totals, "recovered", money=True),
            Figure(_("Open at month end"), totals["open_m"], None, totals["open_l"]),
            Figure(_("Limitation deadlines in the next 30 days"), totals["limitation_m"]),
        ],
        charts=[
            Chart(
                "bar",
                _("Cases opened by category"),
                [str(labels[c]) for c in categories],
                [(_("Cases"), [per_category[c]["opened"] for c in categories])],
            )
        ],
        header=[_("Category"), _("Opened"), _("Closed"), _("Open at month end"), _("Money recovered")],
        rows=rows,
    )


@headline_figure(order=40)
def open_cases_headline(scope: Scope) -> Figure:
    return Figure(_("Open cases"), open_cases(scope).count())
