"""Operations on the working calendar; each audited (CalendarDay is registered with auditlog)."""

import datetime

import chinese_calendar
from auditlog.context import set_actor
from django.db import transaction

from .access import has_duty, require
from .models import CalendarDay
from .signals import calendar_changed, follow_ups


def save_calendar_day(
    *, by, date: datetime.date, kind: str, name: str, note: str = "", instance: CalendarDay | None = None
) -> CalendarDay:
    """Enter or change a day. The programmes follow the change (``calendar_changed``); what they report
    for the staff member is left on the day as ``follow_up`` (a list of sentences)."""
    require(has_duty(by, "unionhub.change_calendarday" if instance else "unionhub.add_calendarday"))
    with transaction.atomic(), set_actor(by):
        day = instance or CalendarDay()
        # A bound ModelForm has already written the new date onto the instance: read the former one.
        former = (
            CalendarDay.objects.filter(pk=day.pk).values_list("date", flat=True).first() if day.pk else None
        )
        day.date, day.kind, day.name, day.note = date, kind, name, note
        day.save()
        dates = {date} | ({former} if former else set())
        day.follow_up = follow_ups(calendar_changed.send(sender=CalendarDay, dates=dates, by=by))
    return day


def delete_calendar_day(*, by, day: CalendarDay) -> list[str]:
    """Remove a day; returns what the programmes that follow the calendar report (see save_calendar_day)."""
    require(has_duty(by, "unionhub.delete_calendarday"))
    with transaction.atomic(), set_actor(by):
        date = day.date
        day.delete()
        return follow_ups(calendar_changed.send(sender=CalendarDay, dates={date}, by=by))


def package_calendar_days():
    """(date, kind, Chinese name) of every holiday and adjusted working day ``chinesecalendar`` knows."""
    for source, kind in ((chinese_calendar.holidays, "holiday"), (chinese_calendar.workdays, "workday")):
        for day, name in source.items():
            try:
                label = chinese_calendar.Holiday(name).chinese
            except ValueError:
                label = name
            yield day, kind, label[:50]


def load_package_calendar(*, model=CalendarDay) -> int:
    """Add the days the package knows; days already entered (perhaps edited by staff) are kept.
    Returns the number of days added. ``model`` lets the data migration pass its historical model."""
    existing = set(model.objects.values_list("date", flat=True))
    new = [
        model(date=day, kind=kind, name=name)
        for day, kind, name in package_calendar_days()
        if day not in existing
    ]
    model.objects.bulk_create(new, batch_size=500)
    return len(new)
