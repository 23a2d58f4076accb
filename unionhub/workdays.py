"""The Chinese working calendar: "is this a working day?" for the rest of the project.

Saturdays and Sundays are rest days and Monday to Friday working days, except where a
``CalendarDay`` says otherwise (statutory holidays, and the weekend days worked in exchange).
"""

import contextlib
import contextvars
import datetime
from collections.abc import Iterator

from .models import CalendarDay

# Within ``cached_calendar()``, next_working_day reads the calendar once per year instead of once per
# call: pages and commands that compute many deadlines stay at a fixed number of queries.
_cached_years: contextvars.ContextVar[dict | None] = contextvars.ContextVar("calendar_years", default=None)


@contextlib.contextmanager
def cached_calendar():
    token = _cached_years.set({})
    try:
        yield
    finally:
        _cached_years.reset(token)


def _ordinary(day: datetime.date) -> bool:
    return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    kind = CalendarDay.objects.filter(date=day).values_list("kind", flat=True).first()
    if kind is None:
        return _ordinary(day)
    return kind == CalendarDay.Kind.WORKDAY


def working_days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """Every working day from ``start`` to ``end`` inclusive, in one query."""
    overrides = dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))
    day = start
    while day <= end:
        kind = overrides.get(day)
        if (kind == CalendarDay.Kind.WORKDAY) if kind else _ordinary(day):
            yield day
        day += datetime.timedelta(days=1)


def next_working_day(day: datetime.date, *, include_today: bool = True) -> datetime.date:
    start = day if include_today else day + datetime.timedelta(days=1)
    years = _cached_years.get()
    if years is not None:
        return _next_working_day_cached(start, years)
    # Chinese holidays never run longer than nine days in a row; a month is ample.
    for candidate in working_days(start, start + datetime.timedelta(days=31)):
        return candidate
    raise ValueError(f"No working day within a month of {day}")


def next_working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """The first ``count`` working days after ``start`` (``start`` itself not counted), in one query.
    Rest days never run more than nine in a row in China: three times the count and a fortnight is ample.
    Should a calendar hold fewer (a year entered wrongly), the list is filled with the span's last day
    rather than fail."""
    end = start + datetime.timedelta(days=3 * count + 14)
    days = list(working_days(start + datetime.timedelta(days=1), end))[:count]
    return days + [end] * (count - len(days))


def working_days_after(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted), in one query."""
    return next_working_days(start, count)[count - 1]


def previous_working_day(day: datetime.date, *, include_today: bool = True) -> datetime.date:
    """The last working day on or before ``day`` (strictly before it with ``include_today=False``)."""
    end = day if include_today else day - datetime.timedelta(days=1)
    for candidate in reversed(list(working_days(end - datetime.timedelta(days=31), end))):
        return candidate
    raise ValueError(f"No working day within a month before {day}")


def _next_working_day_cached(day: datetime.date, years: dict) -> datetime.date:
    while True:
        overrides = years.get(day.year)
        if overrides is None:
            overrides = years[day.year] = dict(
                CalendarDay.objects.filter(date__year=day.year).values_list("date", "kind")
            )
        kind = overrides.get(day)
        if (kind == CalendarDay.Kind.WORKDAY) if kind else _ordinary(day):
            return day
        day += datetime.timedelta(days=1)


def known_years() -> list[int]:
    return sorted({d.year for d in CalendarDay.objects.dates("date", "year")})


# --- Which years the calendar knows -------------------------------------------------------------
# A year's calendar counts as entered once it holds at least one CalendarDay: every year has statutory
# holidays, so a year without any row is a year whose schedule nobody has entered yet. Such days are
# "unconfirmed": the ordinary week is assumed for them, and every page that plans or counts into them
# says so (see templates/_calendar_warning.html and the ``unconfirmed`` template filter).


def missing_years(start: datetime.date, end: datetime.date) -> list[int]:
    """The years from ``start`` to ``end`` (inclusive, either order) whose holiday calendar is not entered."""
    first, last = sorted((start.year, end.year))
    entered = CalendarDay.objects.filter(date__year__gte=first, date__year__lte=last).dates("date", "year")
    known = {d.year for d in entered}
    return [year for year in range(first, last + 1) if year not in known]


def known_until(start: datetime.date) -> datetime.date | None:
    """The last day of the unbroken run of entered years beginning with ``start``'s year: the last day on
    which a plan starting at ``start`` can rely on the calendar. ``None`` when ``start``'s own year is
    not entered."""
    years = set(known_years())
    if start.year not in years:
        return None
    year = start.year
    while year + 1 in years:
        year += 1
    return datetime.date(year, 12, 31)


def is_confirmed(day: datetime.date, known: set[int] | None = None) -> bool:
    """Whether ``day`` falls in a year whose calendar is entered (pass ``known`` to avoid a query)."""
    return day.year in (known if known is not None else set(known_years()))
