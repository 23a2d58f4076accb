"""Seed the working calendar with the years the chinesecalendar package knows (2004 onwards)."""

from django.db import migrations


def load(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("unionhub", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = []
    for source, kind in ((chinese_calendar.holidays, "holiday"), (chinese_calendar.workdays, "workday")):
        for day, name in source.items():
            if day in existing:
                continue
            try:
                label = chinese_calendar.Holiday(name).chinese
            except ValueError:
                label = name
            rows.append(CalendarDay(date=day, kind=kind, name=label[:50]))
    CalendarDay.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("unionhub", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
