"""What the casework staff read about the caseload: open cases by stage and age, cases by category
and month, money recovered, time to close, the workers' satisfaction; the deadlines coming up (for
the overview, the deadline list, ``manage.py case_deadlines`` and the reminder task); and a period's
cases as a spreadsheet without the complainants' identities.

Each figure is one query whatever the number of cases."""

import dataclasses
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from unionhub.dates import first_of_month, months_after, next_month
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.masking import mask_name
from unionhub.workdays import cached_calendar

from .deadlines import Deadline, pending
from .models import Case
from .rules import rules

# Age of an open case in days since it was received: (first day, last day or None for no limit).
AGE_BANDS = [(0, 7), (8, 30), (31, 90), (91, None)]
AGE_BAND_LABELS = [
    gettext_lazy("0–7 days"),
    gettext_lazy("8–30 days"),
    gettext_lazy("31–90 days"),
    gettext_lazy("over 90 days"),
]
MONTHS_SHOWN = 12
LIMITATION, HANDLING, CALLBACK = "limitation", "handling", "callback"


def _age_filter(today: datetime.date, first: int, last: int | None) -> Q:
    band = Q()
    if first:
        band &= Q(received_on__lte=today - datetime.timedelta(days=first))
    if last is not None:
        band &= Q(received_on__gte=today - datetime.timedelta(days=last))
    return band


@dataclasses.dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    total: int
    by_age: list[int]


def open_by_stage_and_age(today: datetime.date) -> list[StageRow]:
    """One row per open stage (in the order of the stages), its cases counted by age band."""
    bands = {
        f"band{n}": Count("pk", filter=_age_filter(today, first, last))
        for n, (first, last) in enumerate(AGE_BANDS)
    }
    counts = {
        row["stage"]: row
        for row in Case.objects.open().order_by().values("stage").annotate(total=Count("pk"), **bands)
    }
    rows = []
    for stage, label in Case.Stage.choices:
        if stage == Case.Stage.CLOSED:
            continue
        row = counts.get(stage, {})
        rows.append(
            StageRow(
                stage, label, row.get("total", 0), [row.get(f"band{n}", 0) for n in range(len(AGE_BANDS))]
            )
        )
    return rows


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    return [months_after(first_of_month(today), -n) for n in range(count - 1, -1, -1)]


@dataclasses.dataclass(frozen=True)
class MonthlyCases:
    months: list[datetime.date]
    by_category: list[tuple[str, list[int], int]]  # label, count per month, total
    totals: list[int]

    @property
    def chart(self) -> list[tuple[datetime.date, int, int]]:
        """(month, cases, bar height in % of the busiest month)."""
        peak = max(self.totals, default=0) or 1
        return [(month, n, round(100 * n / peak)) for month, n in zip(self.months, self.totals, strict=True)]


def cases_by_category_and_month(today: datetime.date, months: int = MONTHS_SHOWN) -> MonthlyCases:
    """Cases received in each of the last ``months`` months (this one included), by category."""
    starts = _month_starts(today, months)
    counts = {
        (row["month"], row["category"]): row["n"]
        for row in Case.objects.filter(received_on__gte=starts[0], received_on__lte=today)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values("month", "category")
        .annotate(n=Count("pk"))
    }
    by_category = []
    for category, label in Case.Category.choices:
        per_month = [counts.get((start, category), 0) for start in starts]
        by_category.append((label, per_month, sum(per_month)))
    totals = [sum(row[1][n] for row in by_category) for n in range(len(starts))]
    return MonthlyCases(starts, by_category, totals)


@dataclasses.dataclass(frozen=True)
class Outcomes:
    year: int
    open_cases: int
    closed_this_year: int
    recovered_this_year: Decimal
    recovered_total: Decimal
    average_days_to_close: float | None  # cases closed this year
    satisfaction: float | None  # every rated case
    ratings: int


def outcomes(today: datetime.date) -> Outcomes:
    """Money recovered is counted when a case closes: this year's by the closing date."""
    closed = Q(stage=Case.Stage.CLOSED)
    this_year = closed & Q(
        closed_on__gte=datetime.date(today.year, 1, 1), closed_on__lt=datetime.date(today.year + 1, 1, 1)
    )
    row = Case.objects.aggregate(
        open_cases=Count("pk", filter=~closed),
        closed_this_year=Count("pk", filter=this_year),
        recovered_this_year=Sum("amount_recovered", filter=this_year),
        recovered_total=Sum("amount_recovered", filter=closed),
        time_to_close=Avg(F("closed_on") - F("received_on"), filter=this_year),
        average_satisfaction=Avg("satisfaction"),
        ratings=Count("satisfaction"),
    )
    time_to_close = row["time_to_close"]
    return Outcomes(
        year=today.year,
        open_cases=row["open_cases"],
        closed_this_year=row["closed_this_year"],
        recovered_this_year=row["recovered_this_year"] or Decimal("0.00"),
        recovered_total=row["recovered_total"] or Decimal("0.00"),
        average_days_to_close=round(time_to_close.total_seconds() / 86400, 1)
        if time_to_close is not None
        else None,
        satisfaction=round(row["average_satisfaction"], 2)
        if row["average_satisfaction"] is not None
        else None,
        ratings=row["ratings"],
    )


# --- deadlines ------------------------------------------------------------------------------------


class _Countdown:
    days_left: int

    @property
    def days_overdue(self) -> int:
        return -self.days_left


@dataclasses.dataclass(frozen=True)
class DueDeadline(_Countdown):
    """A limitation, handling or call-back deadline of an open case, from the dates stored on the case."""

    case: Case
    kind: str  # LIMITATION, HANDLING or CALLBACK
    due: datetime.date
    days_left: int  # negative once it has passed

    @property
    def label(self) -> str:
        return {
            LIMITATION: _("Arbitration limitation"),
            HANDLING: _("Handling deadline"),
            CALLBACK: _("Call the worker back by"),
        }[self.kind]


@cached_calendar()
def deadlines_ahead(*, today: datetime.date, within: int | None = None) -> list[DueDeadline]:
    """Limitation, handling and call-back deadlines of open cases due by ``today + within`` days
    (default warn_days), passed ones included, soonest first. A limitation no longer matters once
    arbitration has been applied for, a call back once it is made (as in ``grievances.deadlines``)."""
    last_day = today + datetime.timedelta(days=rules().warn_days if within is None else within)
    limitation_running = Q(limitation_on__isnull=False, arbitration_applied_on__isnull=True)
    callback_waiting = Q(callback_due__lte=last_day, called_back_on__isnull=True)
    queryset = (
        Case.objects.open()
        .filter(
            (limitation_running & Q(limitation_on__lte=last_day))
            | Q(handling_due__lte=last_day)
            | callback_waiting
        )
        .select_related("handler")
    )
    found = []
    for case in queryset:
        if case.limitation_on and case.arbitration_applied_on is None and case.limitation_on <= last_day:
            found.append(DueDeadline(case, LIMITATION, case.limitation_on, (case.limitation_on - today).days))
        if case.handling_due and case.handling_due <= last_day:
            found.append(DueDeadline(case, HANDLING, case.handling_due, (case.handling_due - today).days))
        if case.callback_due and case.called_back_on is None and case.callback_due <= last_day:
            found.append(DueDeadline(case, CALLBACK, case.callback_due, (case.callback_due - today).days))
    return sorted(found, key=lambda d: (d.due, d.case.number, d.kind))


def soonest_per_case(due: Iterable[DueDeadline]) -> list[DueDeadline]:
    """The first deadline of each case, from a list sorted soonest first."""
    seen, first = set(), []
    for deadline in due:
        if deadline.case.pk not in seen:
            seen.add(deadline.case.pk)
            first.append(deadline)
    return first


@dataclasses.dataclass(frozen=True)
class PendingDeadline(_Countdown):
    case: Case
    deadline: Deadline
    days_left: int


@cached_calendar()
def pending_deadlines(
    cases: QuerySet, *, today: datetime.date, within: int | None = None
) -> list[PendingDeadline]:
    """Every kind of pending deadline (``grievances.deadlines.pending``) of the open cases given,
    due within ``within`` days (default warn_days), passed ones included, soonest first."""
    found = [
        PendingDeadline(case, deadline, (deadline.due - today).days)
        for case in cases.open().select_related("handler")
        for deadline in pending(case, today=today, within=within)
    ]
    return sorted(found, key=lambda p: (p.deadline.due, p.case.number, p.deadline.key))


# --- export ---------------------------------------------------------------------------------------


def export_header() -> list[str]:
    return [
        _("Case number"),
        _("Received on"),
        pgettext("case", "Channel"),
        _("Type"),
        _("Category"),
        _("Complainant"),
        _("Migrant worker"),
        _("Union member"),
        _("Employer"),
        _("Workers affected"),
        _("Amount claimed"),
        _("Stage"),
        _("Handler"),
        _("Closed on"),
        _("Outcome"),
        _("Amount recovered"),
        _("Satisfaction"),
    ]


def export_rows(cases: Iterable[Case]) -> Iterator[list]:
    """One row per case with the complainant as a masked name only (nothing when anonymous): no
    phone, no ID number, no description (it may name people)."""
    yes, no = _("Yes"), _("No")
    for case in cases:
        yield [
            case.number,
            case.received_on.isoformat(),
            case.get_channel_display(),
            case.get_type_display(),
            case.get_category_display(),
            "" if case.anonymous else neutralise(mask_name(case.complainant_name)),
            yes if case.is_migrant_worker else no,
            yes if case.is_member else no,
            neutralise(case.employer_name),
            case.workers_affected,
            case.amount_claimed,
            case.get_stage_display(),
            neutralise(str(case.handler)) if case.handler else "",
            case.closed_on.isoformat() if case.closed_on else "",
            case.get_outcome_display(),
            case.amount_recovered,
            case.satisfaction,
        ]


def period_cases(*, year: int, month: int | None = None) -> QuerySet:
    """The cases received in a year, or in one month of it."""
    if month:
        start = datetime.date(year, month, 1)
        end = next_month(start)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return Case.objects.filter(received_on__gte=start, received_on__lt=end).order_by("received_on", "number")


def cases_workbook(*, year: int, month: int | None = None):
    """The cases as a write-only workbook spooled to a temporary file (the caller closes it)."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Cases"))
    sheet.append(export_header())
    for row in export_rows(
        period_cases(year=year, month=month).select_related("handler").iterator(chunk_size=1000)
    ):
        sheet.append(row)
    return spooled(workbook)
