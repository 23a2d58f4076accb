"""Operations on the working calendar; each audited (CalendarDay is registered with auditlog)."""

import datetime

from auditlog.context import set_actor
from django.db import transaction

from .models import CalendarDay


def save_calendar_day(*, by, date: datetime.date, kind: str, name: str, note: str = "",
                      instance: CalendarDay | None = None) -> CalendarDay:
    with transaction.atomic(), set_actor(by):
        day = instance or CalendarDay()
        day.date, day.kind, day.name, day.note = date, kind, name, note
        day.save()
    return day


def delete_calendar_day(*, by, day: CalendarDay) -> None:
    with transaction.atomic(), set_actor(by):
        day.delete()


def load_package_calendar(*, years: set[int] | None = None) -> int:
    """Add the holidays and adjusted working days that the ``chinesecalendar`` package knows.
    Days staff have already entered are kept as they are. Returns the number of days added."""
    import chinese_calendar

    existing = set(CalendarDay.objects.values_list("date", flat=True))
    new = []
    for source, kind in ((chinese_calendar.holidays, CalendarDay.Kind.HOLIDAY),
                         (chinese_calendar.workdays, CalendarDay.Kind.WORKDAY)):
        for day, name in source.items():
            if day in existing or (years and day.year not in years):
                continue
            label = chinese_calendar.Holiday(name).chinese if _known(chinese_calendar, name) else name
            new.append(CalendarDay(date=day, kind=kind, name=label[:50]))
    CalendarDay.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _known(module, name) -> bool:
    try:
        module.Holiday(name)
    except ValueError:
        return False
    return True
