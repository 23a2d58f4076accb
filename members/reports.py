"""The registry's sections of the monthly report (membership, union funds) and its headline figures on the
staff dashboard."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from unionhub.contributions import Scope, headline_chart, headline_figure, report_section
from unionhub.reports.base import Chart, Figure, Section
from unionhub.reports.charts import YUAN_UNIT
from unionhub.reports.figures import (
    ROW_LIMIT,
    YUAN,
    ZERO,
    money_or_zero,
    month_end,
    months_back,
    period_figure,
    prefixed,
    three,
)

from .models import (
    CreditSettlement,
    DuesPeriod,
    Enterprise,
    GrassrootsUnion,
    Member,
    MembershipEvent,
    Remittance,
)

JOINING = (MembershipEvent.Kind.JOINED, MembershipEvent.Kind.TRANSFERRED_IN)
LEAVING = (
    MembershipEvent.Kind.TRANSFERRED_OUT,
    MembershipEvent.Kind.WITHDREW,
    MembershipEvent.Kind.STRUCK_OFF,
)


# --- membership ----------------------------------------------------------------------------------------


def _member_at(day: datetime.date, prefix: str = "") -> Q:
    """A member on ``day``: joined by then, and either still a member or left after it."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}status__in": Member.ACTIVE_STATUSES}) | Q(**{f"{prefix}status_changed_on__gt": day})
    )


@report_section(order=10)
def membership_section(scope: Scope) -> Section:
    span, union = scope.span, scope.union
    members = Member.objects.all()
    events = MembershipEvent.objects.all()
    unions = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE, founded_on__lte=span.end)
    enterprises = Enterprise.objects.filter(union__isnull=False).exclude(status=Enterprise.Status.CLOSED)
    if union is not None:
        members, events = members.filter(union=union), events.filter(union=union)
        unions, enterprises = unions.filter(pk=union.pk), enterprises.filter(union=union)

    chart_months = [months_back(span.start, n) for n in range(11, -1, -1)]
    counts = members.aggregate(
        last_year=Count("pk", filter=_member_at(span.ly_end)),
        **{
            f"at{i}": Count("pk", filter=_member_at(month_end(first))) for i, first in enumerate(chart_months)
        },
    )
    moves = events.aggregate(
        **prefixed(three(span, "on", Q(kind__in=JOINING)), "in"),
        **prefixed(three(span, "on", Q(kind__in=LEAVING)), "out"),
    )
    series = [counts[f"at{i}"] for i in range(len(chart_months))]

    rows_by_union = {
        pk: [code, name, at_end]
        for pk, code, name, at_end in unions.annotate(
            at_end=Count("members", filter=_member_at(span.end, "members__"))
        )
        .order_by("code")
        .values_list("pk", "code", "name", "at_end")[:ROW_LIMIT]
    }
    union_moves = (
        events.filter(on__range=(span.start, span.end))
        .values("union")
        .annotate(
            joins=Count("pk", filter=Q(kind__in=JOINING)), leaves=Count("pk", filter=Q(kind__in=LEAVING))
        )
        .order_by()
    )
    moves_by_union = {row["union"]: (row["joins"], row["leaves"]) for row in union_moves}
    rows = [[*row, *moves_by_union.get(pk, (0, 0))] for pk, row in rows_by_union.items()]

    return Section(
        key="membership",
        title=_("Membership"),
        figures=[
            Figure(_("Members at month end"), series[-1], None, counts["last_year"]),
            Figure(_("Grassroots unions"), unions.count()),
            Figure(_("Enterprises covered"), enterprises.count()),
            period_figure(_("Joined (incl. transfers in)"), moves, "in"),
            period_figure(_("Left (transfers out, withdrawals, struck off)"), moves, "out"),
        ],
        charts=[
            Chart(
                "line",
                _("Members at each month end"),
                [f"{m:%Y-%m}" for m in chart_months],
                [(_("Members"), series)],
            )
        ],
        header=[
            _("Union code"),
            _("Union"),
            _("Members at month end"),
            _("Joined"),
            pgettext("report", "Left"),
        ],
        rows=rows,
    )


# --- dues ----------------------------------------------------------------------------------------------


@report_section(order=20)
def dues_section(scope: Scope) -> Section:
    span, union = scope.span, scope.union
    periods = DuesPeriod.objects.all()
    remittances = Remittance.objects.all()
    settlements = CreditSettlement.objects.all()
    if union is not None:
        periods, remittances = periods.filter(union=union), remittances.filter(period__union=union)
        settlements = settlements.filter(period__union=union)

    due = periods.aggregate(**three(span, "end", total="funds_due"))
    received = remittances.aggregate(**three(span, "received_on", total="amount"))
    carried = settlements.filter(kind=CreditSettlement.Kind.CARRIED).aggregate(
        **three(span, "on", total="amount")
    )
    refunded = settlements.filter(kind=CreditSettlement.Kind.REFUNDED).aggregate(
        **three(span, "on", total="amount")
    )
    # Credits (多缴) settled by month end move what counts as received between periods: few rows, summed here.
    credit_net: dict[int, object] = {}
    for source, target, amount in settlements.filter(on__lte=span.end).values_list(
        "period_id", "to_period_id", "amount"
    ):
        credit_net[source] = credit_net.get(source, ZERO) - amount
        if target is not None:
            credit_net[target] = credit_net.get(target, ZERO) + amount
    by_month = dict(
        remittances.filter(received_on__range=(span.year_start, span.end))
        .annotate(m=TruncMonth("received_on"))
        .values("m")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("m", "total")
    )

    # What was owed at month end: past due by then, net of what had been received by then.
    past_due = (
        periods.filter(due_date__lt=span.end)
        .select_related("union")
        .annotate(
            received_by_end=Sum("remittances__amount", filter=Q(remittances__received_on__lte=span.end))
        )
        .order_by("due_date", "pk")
    )
    outstanding, arrears, rows = ZERO, 0, []
    for period in past_due:
        got = money_or_zero(period.received_by_end) + credit_net.get(period.pk, ZERO)
        owed = period.outstanding(got)
        if owed is not None:
            outstanding += owed
        if (owed is None or owed > 0) and period.payment_order_due(span.end):
            arrears += 1
            if len(rows) < ROW_LIMIT:
                rows.append(
                    [
                        period.union.code,
                        period.union.name,
                        period.label,
                        period.due_date,
                        period.funds_due,
                        got,
                        owed,
                    ]
                )

    months = [datetime.date(span.start.year, n, 1) for n in range(1, span.start.month + 1)]
    return Section(
        key="dues",
        title=_("Union funds"),
        figures=[
            Figure(
                _("Funds due (periods ending in the month)"),
                money_or_zero(due["m"]),
                money_or_zero(due["y"]),
                money_or_zero(due["l"]),
                YUAN,
            ),
            Figure(
                _("Funds received"),
                money_or_zero(received["m"]),
                money_or_zero(received["y"]),
                money_or_zero(received["l"]),
                YUAN,
            ),
            Figure(
                _("Overpaid credits carried to a later period"),
                money_or_zero(carried["m"]),
                money_or_zero(carried["y"]),
                money_or_zero(carried["l"]),
                YUAN,
            ),
            Figure(
                _("Overpaid credits refunded"),
                money_or_zero(refunded["m"]),
                money_or_zero(refunded["y"]),
                money_or_zero(refunded["l"]),
                YUAN,
            ),
            Figure(_("Outstanding at month end"), outstanding, unit=YUAN),
            Figure(_("Periods in arrears over three months"), arrears),
        ],
        charts=[
            Chart(
                "bar",
                _("Funds received by month"),
                [f"{m:%Y-%m}" for m in months],
                [(_("Received"), [float(by_month.get(m) or 0) for m in months])],
                unit=YUAN_UNIT,
            )
        ],
        header=[
            _("Union code"),
            _("Union"),
            _("Period"),
            _("Due date"),
            _("Funds due"),
            _("Received by month end"),
            _("Outstanding"),
        ],
        rows=rows,
    )


# --- headline figures ----------------------------------------------------------------------------------


@headline_figure(order=10)
def members_headline(scope: Scope) -> Figure:
    return Figure(_("Members"), Member.objects.active().count())


@headline_figure(order=20)
def funds_headline(scope: Scope) -> Figure:
    received = Remittance.objects.filter(received_on__range=(scope.day.replace(day=1), scope.day)).aggregate(
        total=Sum("amount")
    )["total"]
    return Figure(_("Funds received this month"), money_or_zero(received), unit=YUAN)


@headline_chart(order=10)
def funds_by_month(scope: Scope) -> Chart:
    """Union funds received in each month of the year so far: one grouped query."""
    today = scope.day
    totals = {
        row["month"].month: float(row["total"])
        for row in Remittance.objects.filter(received_on__year=today.year)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    months = list(range(1, today.month + 1))
    return Chart(
        kind="bar",
        title=_("Union funds received by month"),
        labels=[f"{m}月" for m in months],
        series=[(_("received"), [totals.get(m, 0.0) for m in months])],
        unit=YUAN_UNIT,
    )
