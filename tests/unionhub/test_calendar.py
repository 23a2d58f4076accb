import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from unionhub import services, workdays
from unionhub.models import CalendarDay


@pytest.fixture(autouse=True)
def calendar(db):
    """The migration loads the calendar; a transactional test elsewhere may have flushed it."""
    services.load_package_calendar()


def test_package_years_are_loaded_and_reloading_keeps_staff_edits(db):
    assert CalendarDay.objects.filter(date__year=2026).exists()
    assert 2004 in workdays.known_years()
    CalendarDay.objects.filter(date="2026-10-01").update(name="国庆节（本区）")
    assert services.load_package_calendar() == 0
    assert CalendarDay.objects.get(date="2026-10-01").name == "国庆节（本区）"


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2026, 10, 1), False),  # National Day
        (datetime.date(2026, 2, 17), False),  # Spring Festival
        (datetime.date(2026, 9, 20), True),  # Sunday worked in exchange (调休)
        (datetime.date(2026, 11, 25), True),  # ordinary Wednesday
        (datetime.date(2026, 11, 28), False),  # ordinary Saturday
    ],
)
def test_is_working_day(db, day, expected):
    assert workdays.is_working_day(day) is expected


def test_working_days_in_national_day_week(db):
    days = list(workdays.working_days(datetime.date(2026, 9, 28), datetime.date(2026, 10, 11)))
    assert datetime.date(2026, 10, 5) not in days and datetime.date(2026, 10, 10) in days
    assert workdays.next_working_day(datetime.date(2026, 10, 1)) == datetime.date(2026, 10, 8)


@pytest.mark.parametrize(
    ("day", "include_today", "expected"),
    [
        (datetime.date(2025, 5, 30), True, datetime.date(2025, 5, 30)),  # a Friday: itself
        (datetime.date(2025, 6, 2), True, datetime.date(2025, 5, 30)),  # 端午 Monday: back over the weekend
        (datetime.date(2025, 6, 3), False, datetime.date(2025, 5, 30)),
        (datetime.date(2025, 10, 1), True, datetime.date(2025, 9, 30)),  # National Day
        (datetime.date(2025, 9, 29), False, datetime.date(2025, 9, 28)),  # a Sunday worked in exchange (调休)
    ],
)
def test_previous_working_day(db, day, include_today, expected):
    assert workdays.previous_working_day(day, include_today=include_today) == expected


def test_staff_enters_next_years_schedule(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("calendar_day_create"), {"date": "2031-01-01", "kind": "holiday", "name": "元旦", "note": ""}
    )
    assert response.status_code == 302
    assert not workdays.is_working_day(datetime.date(2031, 1, 1))
    day = CalendarDay.objects.get(date="2031-01-01")
    assert LogEntry.objects.get_for_object(day).get().actor == staff


def test_duplicate_day_is_a_form_error(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("calendar_day_create"), {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}
    )
    assert response.status_code == 200 and CalendarDay.objects.filter(date="2026-10-01").count() == 1


def test_staff_removes_a_day(client, staff):
    client.force_login(staff)
    day = CalendarDay.objects.get(date="2026-09-20")
    assert client.post(reverse("calendar_day_delete", args=[day.pk])).status_code == 302
    assert not workdays.is_working_day(datetime.date(2026, 9, 20))


def test_chair_sees_the_calendar_but_cannot_change_it(client, chair_a):
    client.force_login(chair_a)
    assert "国庆节" in client.get(reverse("calendar", args=[2026])).content.decode()
    day = CalendarDay.objects.get(date="2026-10-01")
    assert client.post(reverse("calendar_day_delete", args=[day.pk])).status_code == 403
    assert client.get(reverse("calendar", args=[1800])).status_code == 404


def test_reminder_task_warns_until_next_year_is_entered(db, monkeypatch):
    from unionhub import tasks

    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2026, 11, 20))
    assert tasks.check_next_year_calendar.delay().get() is False
    CalendarDay.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
    assert tasks.check_next_year_calendar.delay().get() is True


def test_missing_years_names_the_years_without_a_calendar(db):
    last = max(workdays.known_years())
    after = datetime.date(last + 1, 1, 1)
    assert workdays.missing_years(datetime.date(last, 12, 1), after + datetime.timedelta(days=400)) == [
        last + 1,
        last + 2,
    ]
    assert workdays.missing_years(datetime.date(last, 12, 31), datetime.date(last, 1, 1)) == []


def test_known_until_stops_at_the_first_year_nobody_entered(db):
    last = max(workdays.known_years())
    assert workdays.known_until(datetime.date(last, 3, 1)) == datetime.date(last, 12, 31)
    assert workdays.known_until(datetime.date(last + 1, 3, 1)) is None
    CalendarDay.objects.create(date=datetime.date(last + 2, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    # a later year entered does not bridge the gap
    assert workdays.known_until(datetime.date(last, 3, 1)) == datetime.date(last, 12, 31)


def test_unconfirmed_mark_only_on_days_of_unentered_years(db, django_assert_num_queries):
    from django.template import Context, Template

    last = max(workdays.known_years())
    template = Template("{% load calendar_marks %}{% for d in days %}[{% unconfirmed d %}]{% endfor %}")
    days = [datetime.date(last, 5, 1), datetime.date(last + 1, 1, 1), datetime.date(last + 1, 2, 1), None]
    with django_assert_num_queries(1):
        html = template.render(Context({"days": days}))
    parts = html.split("][")
    assert "unconfirmed" not in parts[0]
    assert "unconfirmed" in parts[1] and "unconfirmed" in parts[2]
    assert parts[3] == "]"


def test_working_days_after_skips_the_national_day_week(db):
    # 2026-09-30 is a Wednesday; 1–7 October are holidays, and Saturday 10 October is worked (调休).
    assert workdays.next_working_days(datetime.date(2026, 9, 29), 3) == [
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 8),
        datetime.date(2026, 10, 9),
    ]
    assert workdays.working_days_after(datetime.date(2026, 9, 29), 4) == datetime.date(2026, 10, 10)
