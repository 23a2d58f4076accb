"""The hardship fund's section of the monthly report and its headline figure on the staff dashboard."""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from unionhub.contributions import Scope, headline_figure, report_section
from unionhub.reports.base import Chart, Figure, Section
from unionhub.reports.charts import YUAN_UNIT
from unionhub.reports.figures import YUAN, ZERO, money_or_zero, period_figure, prefixed, three

from .models import Application, Programme
from .services import fund

GRANTED = (Application.Status.APPROVED, Application.Status.PAID)


# --- hardship fund -------------------------------------------------------------------------------------


@report_section(order=30)
def hardship_section(scope: Scope) -> Section:
    span, union = scope.span, scope.union
    month = fund.statement(year=span.start.year, month=span.start.month)
    last_year = fund.statement(year=span.ly_start.year, month=span.ly_start.month)
    # The year to date is the sum of the months so far: statement() covers a month or a whole year.
    months = [
        month if n == span.start.month else fund.statement(year=span.start.year, month=n)
        for n in range(1, span.start.month + 1)
    ]

    def total(attr):
        return sum((getattr(s, attr) for s in months), ZERO)

    applications = Application.objects.filter(status__in=GRANTED)
    if union is not None:
        applications = applications.filter(union=union)
    granted = applications.aggregate(
        **prefixed(three(span, "decided_on", total="approved_amount"), "amt"),
        **prefixed(three(span, "decided_on"), "n"),
    )
    by_kind = {
        kind: (n, money_or_zero(amount))
        for kind, n, amount in applications.filter(decided_on__range=(span.start, span.end))
        .values("programme__kind")
        .annotate(n=Count("pk"), amount=Sum("approved_amount"))
        .order_by()
        .values_list("programme__kind", "n", "amount")
    }
    paid = dict(month.by_programme)
    labels = dict(Programme.Kind.choices)
    rows = [
        [
            str(labels[kind]),
            by_kind.get(kind, (0, ZERO))[0],
            by_kind.get(kind, (0, ZERO))[1],
            paid.get(str(labels[kind]), ZERO),
        ]
        for kind in Programme.Kind.values
    ]

    figures = [
        Figure(_("Fund: opening balance"), month.opening, months[0].opening, last_year.opening, YUAN),
        Figure(_("Fund: allocations"), month.allocations, total("allocations"), last_year.allocations, YUAN),
        Figure(
            _("Fund: other income"), month.other_income, total("other_income"), last_year.other_income, YUAN
        ),
        Figure(_("Fund: paid out"), month.disbursed, total("disbursed"), last_year.disbursed, YUAN),
        Figure(_("Fund: closing balance"), month.closing, month.closing, last_year.closing, YUAN),
        period_figure(_("Aid granted"), granted, "amt", money=True),
        period_figure(_("Applications granted"), granted, "n"),
    ]
    if union is None:
        chart = Chart(
            "bar",
            _("Paid out by programme"),
            [label for label, _amount in month.by_programme],
            [(_("Paid out"), [float(amount) for _label, amount in month.by_programme])],
            unit=YUAN_UNIT,
        )
        note = ""
    else:
        kinds = [kind for kind in Programme.Kind.values if kind in by_kind]
        chart = Chart(
            "bar",
            _("Aid granted by programme"),
            [str(labels[k]) for k in kinds],
            [(_("Granted"), [float(by_kind[k][1]) for k in kinds])],
            unit=YUAN_UNIT,
        )
        note = _(
            "The hardship fund is district-wide: its statement is the federation's. Aid granted counts "
            "only this union's members."
        )
    return Section(
        key="hardship",
        title=_("Hardship fund"),
        note=note,
        figures=figures,
        charts=[chart],
        header=[_("Programme"), _("Applications granted"), _("Amount granted"), _("Paid out by the fund")],
        rows=rows,
    )


@headline_figure(order=30)
def fund_headline(scope: Scope) -> Figure:
    return Figure(_("Hardship fund balance"), fund.balance(until=scope.day), unit=YUAN)
