"""The figures of a monthly report, for the district or for one grassroots union.

Each programme contributes its section (``@report_section`` in ``<app>/reports.py``) and its headline
figure for the dashboard (``@headline_figure``); this module holds what they share (the span of months, the
aggregate helpers) and puts the report together in the contributed order.

Every section reads its programme's tables with a fixed number of aggregate queries (conditional
``Count``/``Sum`` over the month, the year to date and the same month a year earlier), so that a
report costs the same number of queries whatever the amount of data. Figures are as they stood
at the month's end: a membership, a card or a case that changed later is counted as it was then."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..contributions import Scope, contributions
from ..dates import Span, last_of_month, months_after
from ..money import money
from .base import Figure, Report, Section

ZERO = Decimal("0.00")
ROW_LIMIT = 500
YUAN = "¥"


# --- dates -------------------------------------------------------------------------------------------


def month_end(first: datetime.date) -> datetime.date:
    return last_of_month(first)


def months_back(first: datetime.date, n: int) -> datetime.date:
    """The first day of the month ``n`` months before ``first``'s."""
    return months_after(first.replace(day=1), -n)


def money_or_zero(value) -> Decimal:
    return money(value if value is not None else 0)


def three(span: Span, field: str, extra: Q | None = None, total: str | None = None) -> dict:
    """Aggregate arguments counting (or summing ``total``) the rows whose ``field`` falls in each range."""
    out = {}
    for name, bounds in span.ranges():
        condition = Q(**{f"{field}__range": bounds})
        if extra is not None:
            condition &= extra
        out[name] = Sum(total, filter=condition) if total else Count("pk", filter=condition)
    return out


def prefixed(values: dict, prefix: str) -> dict:
    return {f"{prefix}_{key}": agg for key, agg in values.items()}


def period_figure(label: str, totals: dict, prefix: str, *, money: bool = False, ytd: bool = True) -> Figure:
    def value(key):
        raw = totals.get(f"{prefix}_{key}")
        return money_or_zero(raw) if money else (raw or 0)

    return Figure(label, value("m"), value("y") if ytd else None, value("l"), YUAN if money else "")


def not_applicable(key: str, title: str, note: str) -> Section:
    return Section(key=key, title=title, available=False, note=note)


# --- the report and the dashboard ------------------------------------------------------------------------


def build_report(month: datetime.date, union=None) -> Report:
    """The monthly report for the month containing ``month``: the district's, or one union's."""
    scope = Scope(day=month, union=union)
    sections = [contribution.func(scope) for contribution in contributions("report_section")]
    # No title: the renderer writes the official Chinese one ("2026年10月工作报告", a union's name first).
    return Report(month=scope.span.start, union=union, generated_at=timezone.now(), sections=sections)


def headline(today: datetime.date) -> list[Figure]:
    """This month's headline figures for the staff dashboard, as of ``today``: the whole district."""
    scope = Scope(day=today)
    return [contribution.func(scope) for contribution in contributions("headline_figure")]
