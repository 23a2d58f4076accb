"""Seed the working calendar with the years the chinesecalendar package knows (2004 onwards)."""

from django.db import migrations


def load(apps, schema_editor):
    from unionhub.services import load_package_calendar

    load_package_calendar(model=apps.get_model("unionhub", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("unionhub", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
