"""Issue 19: the staff dashboard warns of holiday calendars not entered: the core's item when this year's,
or within 60 days next year's, calendar is missing, and secondment's when future duty days fall in such a
year. Both link to the calendar page of that year; a chair sees neither. The last year entered is read
from ``workdays.known_years()``, never assumed."""

import datetime

import pytest
from django.urls import reverse

from secondment import services as secondment_services
from secondment.services import rota
from tests.factories import TODAY
from unionhub import services, workdays
from unionhub.contributions import Scope, Severity
from unionhub.dashboard import CALENDAR_NOTICE_DAYS, calendar_to_enter
from unionhub.models import CalendarDay

DAY = datetime.timedelta(days=1)


@pytest.fixture
def last(db):
    services.load_package_calendar()
    return max(workdays.known_years())


def test_next_years_calendar_is_asked_for_within_sixty_days(last, staff):
    near = datetime.date(last + 1, 1, 1) - CALENDAR_NOTICE_DAYS * DAY
    items = calendar_to_enter(Scope(day=near, user=staff))
    assert [item.kind for item in items] == ["calendar.missing"]
    assert items[0].url == reverse("calendar", kwargs={"year": last + 1})
    assert items[0].severity == Severity.WARNING and str(last + 1) in items[0].title
    assert calendar_to_enter(Scope(day=near - DAY, user=staff)) == []


def test_a_year_already_begun_without_its_calendar_is_overdue(last, staff):
    items = calendar_to_enter(Scope(day=datetime.date(last + 1, 3, 1), user=staff))
    assert [item.url for item in items] == [reverse("calendar", kwargs={"year": last + 1})]
    assert items[0].severity == Severity.OVERDUE


def test_not_a_source_for_chairs(last, chair_a):
    assert calendar_to_enter(Scope(day=datetime.date(last, 12, 1), user=chair_a)) is None


@pytest.fixture
def this_year_missing(db):
    """On the project clock, whatever the day: this year's calendar (and later ones) not entered."""
    CalendarDay.objects.filter(date__year__gte=TODAY.year).delete()
    return TODAY.year


def test_staff_see_it_on_the_dashboard_chairs_do_not(login, staff, chair_a, union_a, this_year_missing):
    url = reverse("calendar", kwargs={"year": this_year_missing})
    assert url in login(staff).get("/").content.decode()
    assert url not in login(chair_a).get("/").content.decode()


def test_duty_days_in_a_year_without_calendar_are_an_item_for_staff(
    login, staff, chair_a, union_a, make_user, this_year_missing
):
    next_year = this_year_missing + 1
    cadre = make_user("dashcadre", name="日历干部")
    secondment_services.start_term(
        cadre=cadre, union=union_a, start_date=TODAY - 30 * DAY, end_date=datetime.date(next_year, 3, 31)
    )
    rota.generate(TODAY + DAY, datetime.date(next_year, 1, 31), beyond_calendar=True, tell_cadres=False)
    response = login(staff).get("/")
    items = [item for item in response.context["todo"].items if item.kind == "secondment.beyond_calendar"]
    # This year is missing too: its remaining duty days (if any are left) are an item of their own.
    assert reverse("calendar", kwargs={"year": next_year}) in [item.url for item in items]
    assert all(item.url in response.content.decode() for item in items)
    chair_page = login(chair_a).get("/")
    assert reverse("calendar", kwargs={"year": next_year}) not in chair_page.content.decode()


def test_the_secondment_source_counts_per_year(last, staff, union_a, make_user):
    from secondment.dashboard_calendar import duty_days_beyond_calendar

    cadre = make_user("countcadre", name="计数干部")
    secondment_services.start_term(
        cadre=cadre,
        union=union_a,
        start_date=datetime.date(last, 6, 1),
        end_date=datetime.date(last + 1, 6, 30),
    )
    today = datetime.date(last, 11, 20)
    rota.generate(
        datetime.date(last, 12, 1),
        datetime.date(last + 1, 2, 28),
        today=today,
        beyond_calendar=True,
        tell_cadres=False,
    )
    items = duty_days_beyond_calendar(Scope(day=today, user=staff))
    planned = cadre.secondment_terms.get().duty_days.filter(date__year=last + 1)
    assert len(items) == 1 and str(planned.count()) in items[0].title
    assert items[0].due == planned.order_by("date").first().date
    assert items[0].url == reverse("calendar", kwargs={"year": last + 1})
    assert duty_days_beyond_calendar(Scope(day=today, user=union_a.chair)) is None
