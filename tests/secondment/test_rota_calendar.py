"""Issue 19, the calendar: rota generation stops at the last day the holiday calendar knows unless staff
plan beyond it; ``generate_rota`` exits 3 with CALENDAR lines; days in years without a calendar are marked
unconfirmed; entering next year's schedule moves the duty days it turns into holidays and tells the cadres;
a regeneration tells each cadre whose days changed, once.

Which year is the last one entered is never assumed: the service tests read it from
``workdays.known_years()`` (the package calendar the migration loads); the page tests, which run on the
project clock, set the November scene themselves (this year entered, next year not)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from secondment import services
from secondment.models import DutyDay, Unavailability
from secondment.rules import cycle_start
from secondment.services import rota
from tests.factories import TODAY
from unionhub import services as calendar_services
from unionhub import workdays
from unionhub.models import CalendarDay, Notice

pytestmark = pytest.mark.usefixtures("english")
DAY = datetime.timedelta(days=1)


def enter_year(year: int) -> None:
    """Count ``year`` as entered without changing a working day: a holiday on its first Sunday."""
    first = datetime.date(year, 1, 1)
    CalendarDay.objects.get_or_create(
        date=first + datetime.timedelta(days=6 - first.weekday()),
        defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "（周日）"},
    )


@pytest.fixture
def last(db):
    """The last year of the package calendar (the migration loads it; a flush elsewhere may have emptied it)."""
    calendar_services.load_package_calendar()
    return max(workdays.known_years())


@pytest.fixture
def next_year(db):
    """The November scene on the project clock: this year's calendar entered, next year's not. Returns next year."""
    calendar_services.load_package_calendar()
    CalendarDay.objects.filter(date__year__gt=TODAY.year).delete()
    enter_year(TODAY.year)
    return TODAY.year + 1


@pytest.fixture
def make_term(make_user, union_a):
    counter = iter(range(1, 1000))

    def _make(start, end, name=None):
        n = next(counter)
        user = make_user(f"rc{n}", name=name or f"日历干部{n}")
        return services.start_term(cadre=user, union=union_a, start_date=start, end_date=end)

    return _make


def dates_of(term) -> list[datetime.date]:
    return list(DutyDay.objects.filter(term=term).order_by("date").values_list("date", flat=True))


# --- the service ---------------------------------------------------------------------------------------


class TestGenerationStops:
    @pytest.fixture
    def terms(self, last, make_term):
        return [make_term(datetime.date(last, 6, 1), datetime.date(last + 1, 6, 30)) for _ in range(4)]

    def test_it_stops_at_the_last_day_the_calendar_knows_and_says_so(self, last, terms):
        result = rota.generate(
            datetime.date(last, 12, 1), datetime.date(last + 1, 2, 28), today=datetime.date(last, 11, 20)
        )
        assert result.stopped and result.planned_until == datetime.date(last, 12, 31)
        assert result.calendar_missing == [last + 1]
        assert not DutyDay.objects.filter(date__year=last + 1).exists()
        assert DutyDay.objects.filter(date__year=last).exists()
        assert f"Planned up to {last}-12-31" in result.calendar_message()
        assert str(last + 1) in result.calendar_message()
        assert max(result.coverage) <= datetime.date(last, 12, 31)

    def test_beyond_the_calendar_plans_the_whole_range_and_lists_the_unconfirmed_days(self, last, terms):
        result = rota.generate(
            datetime.date(last, 12, 1),
            datetime.date(last + 1, 2, 28),
            today=datetime.date(last, 11, 20),
            beyond_calendar=True,
        )
        assert not result.stopped and result.ok
        assert result.unconfirmed and {day.year for day in result.unconfirmed} == {last + 1}
        assert DutyDay.objects.filter(date__year=last + 1).exists()
        assert "unconfirmed" in result.calendar_message()

    def test_nothing_is_planned_when_the_range_starts_in_a_missing_year(self, last, terms):
        with pytest.raises(rota.CalendarNotEntered) as raised:
            rota.generate(
                datetime.date(last + 1, 2, 1),
                datetime.date(last + 1, 3, 31),
                today=datetime.date(last, 11, 20),
            )
        assert raised.value.years == [last + 1] and not DutyDay.objects.exists()

    def test_a_later_run_within_the_calendar_keeps_days_planned_beyond_it(self, last, terms):
        today = datetime.date(last, 11, 20)
        rota.generate(
            datetime.date(last, 12, 1), datetime.date(last + 1, 1, 31), today=today, beyond_calendar=True
        )
        before = sorted(DutyDay.objects.values_list("term_id", "date"))
        result = rota.generate(datetime.date(last, 12, 1), datetime.date(last + 1, 1, 31), today=today)
        assert sorted(DutyDay.objects.values_list("term_id", "date")) == before
        assert result.created == 0 and result.stopped
        for term in terms:  # still one day per cycle, the straddling cycle included
            cycles = [cycle_start(day) for day in dates_of(term)]
            assert len(cycles) == len(set(cycles))

    def test_a_reversed_range_is_refused(self, last, terms):
        with pytest.raises(Exception, match="after the end date"):
            rota.generate(datetime.date(last, 12, 1), datetime.date(last, 11, 1))

    def test_only_rota_planners_generate(self, last, terms, chair_a):
        with pytest.raises(PermissionDenied):
            rota.generate(datetime.date(last, 12, 1), datetime.date(last, 12, 31), by=chair_a)
        assert not DutyDay.objects.exists()


# --- the command (the contract) ----------------------------------------------------------------


class TestCommand:
    @pytest.fixture(autouse=True)
    def cadres(self, last, make_term):
        for _ in range(3):
            make_term(datetime.date(last, 6, 1), datetime.date(last + 1, 6, 30))

    @staticmethod
    def run(*args):
        out = io.StringIO()
        try:
            call_command("generate_rota", *args, stdout=out)
        except CommandError as error:
            return error.returncode, out.getvalue()
        return 0, out.getvalue()

    def test_a_range_past_the_calendar_exits_3_with_a_calendar_line_and_saves_nothing(self, last):
        code, output = self.run("--from", f"{last}-12-01", "--to", f"{last + 1}-03-31")
        assert code == 3
        lines = [line for line in output.splitlines() if line.startswith("CALENDAR")]
        assert len(lines) == 1 and str(last + 1) in lines[0]
        assert not DutyDay.objects.exists()

    def test_each_missing_year_has_its_line(self, last):
        code, output = self.run("--from", f"{last}-12-01", "--to", f"{last + 2}-01-31")
        assert code == 3
        assert [
            line.split()[1].rstrip(":") for line in output.splitlines() if line.startswith("CALENDAR")
        ] == [
            str(last + 1),
            str(last + 2),
        ]

    def test_beyond_the_calendar_plans_the_range_and_names_the_unconfirmed_days(self, last):
        code, output = self.run("--from", f"{last}-12-01", "--to", f"{last + 1}-02-28", "--beyond-calendar")
        assert code in (0, 1)  # 1 only if a rule cannot be met (days already past on the real clock)
        assert not any(line.startswith("CALENDAR") for line in output.splitlines())
        january = [line for line in output.splitlines() if line.startswith(f"{last + 1}-01-")]
        assert january and all(line.endswith("unconfirmed") for line in january)
        assert not any(
            line.endswith("unconfirmed") for line in output.splitlines() if line.startswith(f"{last}-")
        )

    def test_a_range_within_the_calendar_is_not_refused(self, last):
        code, output = self.run("--from", f"{last}-12-01", "--to", f"{last}-12-31", "--dry-run")
        assert code != 3 and "CALENDAR" not in output

    def test_a_reversed_range_still_exits_2(self, last):
        code, _output = self.run("--from", f"{last + 1}-03-01", "--to", f"{last}-12-01")
        assert code == 2


# --- entering next year's schedule ---------------------------------------------------------------------


@pytest.fixture
def planned_into_next_year(next_year, make_term):
    """Six cadres planned beyond the calendar into next year's first weeks (on the project clock)."""
    terms = [make_term(TODAY - 30 * DAY, datetime.date(next_year, 12, 31)) for _ in range(6)]
    rota.generate(TODAY + DAY, datetime.date(next_year, 1, 31), beyond_calendar=True, tell_cadres=False)
    return terms


def busiest_day(year: int) -> datetime.date:
    """The New Year's Day of the scene: next year's earliest working day holding the most duty days."""
    counts = {}
    for day in DutyDay.objects.filter(date__year=year, date__month=1).values_list("date", flat=True):
        counts[day] = counts.get(day, 0) + 1
    return min(counts, key=lambda day: (-counts[day], day))


class TestScheduleEntered:
    def test_new_years_day_moves_its_duty_days_within_the_cycle_and_tells_the_cadres(
        self, client, staff, next_year, planned_into_next_year
    ):
        holiday = busiest_day(next_year)
        on_it = list(DutyDay.objects.filter(date=holiday).select_related("term__cadre"))
        client.force_login(staff)
        response = client.post(
            reverse("calendar_day_create"),
            {"date": holiday.isoformat(), "kind": "holiday", "name": "元旦", "note": ""},
            follow=True,
        )
        assert response.status_code == 200
        assert not DutyDay.objects.filter(date=holiday).exists()
        shown = " ".join(str(m) for m in response.context["messages"])
        assert f"{len(on_it)} " in shown  # "N future duty days … were moved"
        for duty in on_it:
            moved = DutyDay.objects.get(pk=duty.pk)
            assert cycle_start(moved.date) == cycle_start(holiday) and moved.date > TODAY
            assert workdays.is_working_day(moved.date)
            notice = Notice.objects.get(user=duty.term.cadre, key__startswith="calendar-move:")
            assert holiday.isoformat() in notice.title and moved.date.isoformat() in notice.title
        # The other days of the cycle stay as even as the rule wants.
        loads = {}
        for day in DutyDay.objects.filter(cycle_start=cycle_start(holiday)).values_list("date", flat=True):
            loads[day] = loads.get(day, 0) + 1
        assert max(loads.values()) - min(loads.values()) <= 1

    def test_a_day_with_nowhere_to_go_stays_and_is_named_to_staff(
        self, next_year, planned_into_next_year, staff
    ):
        term = planned_into_next_year[0]
        duty = DutyDay.objects.filter(term=term, date__year=next_year).order_by("date").first()
        for day in workdays.working_days(
            max(TODAY + DAY, cycle_start(duty.date)), rota.cycle_span(duty.date)[1]
        ):
            if day != duty.date:
                Unavailability.objects.create(term=term, date=day)
        day = calendar_services.save_calendar_day(by=staff, date=duty.date, kind="holiday", name="元旦")
        assert DutyDay.objects.get(pk=duty.pk).date == duty.date
        assert any(str(term.cadre) in text and duty.date.isoformat() in text for text in day.follow_up)
        assert not Notice.objects.filter(user=term.cadre, key__startswith="calendar-move:").exists()

    def test_a_chair_cannot_enter_the_schedule_and_nothing_moves(
        self, client, chair_a, next_year, planned_into_next_year
    ):
        holiday = busiest_day(next_year)
        before = DutyDay.objects.filter(date=holiday).count()
        client.force_login(chair_a)
        response = client.post(
            reverse("calendar_day_create"), {"date": holiday.isoformat(), "kind": "holiday", "name": "元旦"}
        )
        assert response.status_code == 403
        assert DutyDay.objects.filter(date=holiday).count() == before and not Notice.objects.exists()

    def test_a_working_saturday_entered_moves_nothing(self, staff, next_year, planned_into_next_year):
        before = sorted(DutyDay.objects.values_list("pk", "date"))
        saturday = next(
            datetime.date(next_year, 1, 1) + n * DAY
            for n in range(7)
            if (datetime.date(next_year, 1, 1) + n * DAY).weekday() == 5
        )
        day = calendar_services.save_calendar_day(by=staff, date=saturday, kind="workday", name="调休")
        assert sorted(DutyDay.objects.values_list("pk", "date")) == before and day.follow_up == []


# --- regeneration tells the cadres whose days changed ----------------------------------------------------


class TestRegenerationNotices:
    def test_each_changed_cadre_is_told_once_and_the_others_not_at_all(self, last, make_term):
        today = datetime.date(last, 10, 20)
        a = make_term(datetime.date(last, 6, 1), datetime.date(last + 1, 6, 30), name="甲")
        b = make_term(datetime.date(last, 6, 1), datetime.date(last + 1, 6, 30), name="乙")
        start, end = datetime.date(last, 11, 1), datetime.date(last, 12, 20)
        first = rota.generate(start, end, today=today)
        assert first.notified == 2  # both learn their new days
        told = Notice.objects.count()
        again = rota.generate(start, end, today=today)
        assert again.notified == 0 and Notice.objects.count() == told  # twice: nothing sent twice
        lost = dates_of(a)[-1]
        CalendarDay.objects.create(
            date=lost, kind=CalendarDay.Kind.HOLIDAY, name="临时调整"
        )  # no signal: raw row
        result = rota.generate(start, end, today=today)
        assert result.notified == 1
        notice = Notice.objects.filter(user=a.cadre).latest("pk")
        assert lost.isoformat() in notice.body and dates_of(a)[-1].isoformat() in notice.body
        assert Notice.objects.filter(user=b.cadre).count() == 1
        rota.generate(start, end, today=today)
        assert Notice.objects.count() == told + 1


# --- the pages -----------------------------------------------------------------------------------------


class TestGeneratePage:
    @pytest.fixture
    def cadres(self, next_year, make_term):
        return [make_term(TODAY - 30 * DAY, datetime.date(next_year, 12, 31)) for _ in range(3)]

    def post(self, client, **data):
        return client.post(reverse("secondment:rota_generate"), data)

    def test_it_stops_and_explains_without_the_checkbox(self, client, staff, next_year, cadres):
        client.force_login(staff)
        response = self.post(client, date_from=(TODAY + DAY).isoformat(), date_to=f"{next_year}-02-28")
        assert response.status_code == 200
        page = response.content.decode()
        assert "calendar-warning" in page and "calendar-stop" in page
        assert f"{next_year - 1}-12-31" in page and str(next_year) in page
        assert not DutyDay.objects.filter(date__year=next_year).exists()

    def test_the_checkbox_plans_beyond_and_marks_the_days_unconfirmed(self, client, staff, next_year, cadres):
        client.force_login(staff)
        response = self.post(
            client, date_from=(TODAY + DAY).isoformat(), date_to=f"{next_year}-02-28", beyond_calendar="on"
        )
        assert response.status_code == 200
        assert DutyDay.objects.filter(date__year=next_year).exists()
        page = response.content.decode()
        assert "calendar-warning" in page and 'class="badge warn unconfirmed"' in page
        assert 'name="beyond_calendar"' in page

    def test_a_range_starting_in_a_missing_year_is_explained(self, client, staff, next_year, cadres):
        client.force_login(staff)
        response = self.post(client, date_from=f"{next_year}-03-01", date_to=f"{next_year}-03-31")
        assert response.status_code == 400 and "calendar-warning" in response.content.decode()
        assert not DutyDay.objects.exists()

    @pytest.mark.parametrize(
        "data",
        [
            {"date_from": "2027-03-10", "date_to": "2027-03-01"},  # reversed
            {"date_from": "2027-13-45", "date_to": "2027-03-01"},
            {"date_from": "2027-03-01", "date_to": "9999-12-31", "beyond_calendar": "on"},
            {
                "date_from": "2027-03-01",
                "date_to": "2027-03-31",
                "beyond_calendar": "<script>alert(1)</script>" * 50,
            },
            {"date_from": ["2027-03-01", "x"], "date_to": "' OR 1=1 --"},
        ],
    )
    def test_bad_input_is_a_form_error_never_a_5xx(self, client, staff, next_year, cadres, data):
        client.force_login(staff)
        response = self.post(client, **data)
        assert response.status_code in (200, 400)

    def test_a_chair_posting_the_form_is_refused(self, client, chair_a, next_year, cadres):
        client.force_login(chair_a)
        response = self.post(
            client, date_from=(TODAY + DAY).isoformat(), date_to=f"{next_year}-02-28", beyond_calendar="on"
        )
        assert response.status_code in (403, 404) and not DutyDay.objects.exists()


class TestRotaMonth:
    def test_a_month_in_a_missing_year_warns_and_marks_its_days(
        self, client, staff, next_year, planned_into_next_year
    ):
        client.force_login(staff)
        page = client.get(reverse("secondment:rota_month") + f"?month={next_year}-01").content.decode()
        assert "calendar-warning" in page and 'class="badge warn unconfirmed"' in page

    def test_a_month_the_calendar_knows_has_neither(self, client, staff, next_year):
        client.force_login(staff)
        page = client.get(reverse("secondment:rota_month") + f"?month={next_year - 1}-06").content.decode()
        assert "calendar-warning" not in page and "badge warn unconfirmed" not in page
