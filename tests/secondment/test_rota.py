"""The rota: one duty day per two-week cycle on working days, unavailability, evenness, terms that
start or end inside the range, stable and safe regeneration, swaps and moves, the calendar feed, the
command and access.

Dates are counted from ``C0``, the first day (a Monday) of a two-week cycle a month from now; the
working calendar is emptied first, so the only holidays are those a test adds."""

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from secondment import services
from secondment.models import DutyDay, DutyLog, SecondmentTerm, SwapRequest, Unavailability
from secondment.rules import cycle_start
from secondment.services import rota
from tests.factories import TODAY
from unionhub.models import CalendarDay, Notice

C0 = cycle_start(TODAY + datetime.timedelta(days=28))
C1 = C0 + datetime.timedelta(days=14)
BEFORE = C0 - datetime.timedelta(days=7)  # "today" for the service calls: before the cycles

# Service messages are read in English here; pages are Chinese whatever the test activates.
pytestmark = pytest.mark.usefixtures("english")


def d(n: int) -> datetime.date:
    """The n-th day from the start of cycle C0 (0 = Monday, 5 = Saturday, 7 = the next Monday)."""
    return C0 + datetime.timedelta(days=n)


WORKING_C0 = [d(n) for n in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]


def enter_years(*years):
    """Mark years as entered without changing a working day: a holiday on each year's first Sunday
    (generation stops at the last day of the calendar entered, issue 19)."""
    for year in years:
        first_sunday = datetime.date(year, 1, 1) + datetime.timedelta(
            days=(6 - datetime.date(year, 1, 1).weekday())
        )
        CalendarDay.objects.create(date=first_sunday, kind=CalendarDay.Kind.HOLIDAY, name="（周日）")


@pytest.fixture(autouse=True)
def plain_calendar(db):
    """Monday to Friday only, in years counted as entered; each test adds the holidays it needs."""
    CalendarDay.objects.all().delete()
    enter_years(*range(TODAY.year - 1, TODAY.year + 3))


def holiday(*days):
    for day in days:
        CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="国庆节")


@pytest.fixture
def make_term(make_user, union_a):
    counter = iter(range(1, 1000))

    def _make(start=C0 - datetime.timedelta(days=30), end=None, name=None):
        n = next(counter)
        user = make_user(f"cadre{n}", name=name or f"干部{n}")
        return services.start_term(cadre=user, union=union_a, start_date=start, end_date=end)

    return _make


def days_of(term) -> list[datetime.date]:
    return list(DutyDay.objects.filter(term=term).order_by("date").values_list("date", flat=True))


def generate_two_cycles(today=BEFORE):
    return rota.generate(C0, d(27), today=today)


class TestOneDayPerCycle:
    def test_each_active_term_gets_exactly_one_working_day_per_cycle(self, make_term):
        terms = [make_term() for _ in range(3)]
        result = generate_two_cycles()
        assert (result.created, result.kept, result.removed, result.problems) == (6, 0, 0, [])
        for term in terms:
            dates = days_of(term)
            assert [cycle_start(day) for day in dates] == [C0, C1]
            assert all(day.weekday() < 5 for day in dates)

    def test_the_range_is_widened_to_whole_cycles(self, make_term):
        make_term()
        result = rota.generate(d(2), d(3), today=BEFORE)
        assert (result.start, result.end, result.widened) == (C0, d(13), True)
        assert "widened" in result.notes[0]

    def test_holidays_are_never_used_and_an_adjusted_saturday_is(self, make_term):
        holiday(*[d(n) for n in range(5)])  # the whole first week off
        CalendarDay.objects.create(date=d(5), kind=CalendarDay.Kind.WORKDAY, name="国庆节调休")
        for _ in range(10):
            make_term()
        result = rota.generate(C0, d(13), today=BEFORE)
        used = Counter(DutyDay.objects.values_list("date", flat=True))
        assert not set(used) & {d(n) for n in range(5)}
        assert used[d(5)] >= 1  # the working Saturday
        assert list(result.coverage) == [d(5), *[d(n) for n in range(7, 12)]]
        assert result.spread[C0] <= 1 and result.ok

    def test_declared_unavailable_dates_are_respected(self, make_term):
        term = make_term()
        for day in WORKING_C0[1:]:
            rota.declare_unavailable(term=term, date=day, today=BEFORE)
        generate_two_cycles()
        assert days_of(term)[0] == d(0)

    def test_a_term_starting_or_ending_inside_a_cycle_gets_a_day_within_it(self, make_term):
        starting = make_term(start=d(9))  # Wednesday of the second week
        ending = make_term(start=C0 - datetime.timedelta(days=300), end=d(1))
        result = rota.generate(C0, d(13), today=BEFORE)
        assert days_of(starting)[0] in (d(9), d(10), d(11))
        assert days_of(ending) == [d(0)] or days_of(ending) == [d(1)]
        assert result.ok

    def test_a_cycle_the_term_touches_only_on_rest_days_owes_no_duty(self, make_term):
        late = make_term(start=d(12), name="周末来")  # starts on the cycle's last Saturday
        result = rota.generate(C0, d(13), today=BEFORE)
        assert days_of(late) == [] and result.ok
        note = next(note for note in result.notes if "周末来" in note)
        assert str(C0) in note and "within the term" in note

    def test_every_day_unavailable_is_a_named_problem(self, make_term):
        term = make_term(name="请假者")
        for day in WORKING_C0:
            rota.declare_unavailable(term=term, date=day, today=BEFORE)
        result = rota.generate(C0, d(13), today=BEFORE)
        assert "请假者" in result.problems[0] and "unavailable" in result.problems[0]

    def test_a_range_without_working_days_is_refused(self, make_term):
        make_term()
        with pytest.raises(ValidationError, match="no working day"):
            rota.generate(d(5), d(6), today=BEFORE)  # a weekend
        with pytest.raises(ValidationError, match="after the end date"):
            rota.generate(d(6), d(5), today=BEFORE)
        assert not DutyDay.objects.exists()


class TestEvenness:
    def test_25_cadres_spread_evenly_within_each_cycle(self, make_term):
        for _ in range(25):
            make_term()
        result = rota.generate(C0, d(55), today=BEFORE)
        assert result.ok and result.created == 100
        assert set(result.spread.values()) == {1}  # 2 or 3 a day: 25 over 10 days
        assert set(result.coverage.values()) == {2, 3}

    def test_constrained_cadres_are_placed_first_and_the_rest_even_out(self, make_term):
        rng = random.Random(3)
        terms = [make_term() for _ in range(25)]
        for term in terms[:8]:  # eight cadres can come only on Mondays or Tuesdays
            for day in WORKING_C0:
                if day.weekday() > 1:
                    rota.declare_unavailable(term=term, date=day, today=BEFORE)
        for term in terms[8:]:
            for day in rng.sample(WORKING_C0, 4):
                rota.declare_unavailable(term=term, date=day, today=BEFORE)
        result = rota.generate(C0, d(13), today=BEFORE)
        assert result.ok and result.spread[C0] <= 1
        for term in terms[:8]:
            assert days_of(term)[0].weekday() in (0, 1)

    def test_a_spread_the_constraints_forbid_is_reported(self, make_term):
        terms = [make_term() for _ in range(3)]
        for term in terms:
            for day in WORKING_C0[1:]:
                rota.declare_unavailable(term=term, date=day, today=BEFORE)
        result = rota.generate(C0, d(13), today=BEFORE)
        assert result.spread[C0] == 3
        assert any(problem.startswith("Even spread") for problem in result.problems)

    def test_a_cadre_keeps_the_same_day_of_the_cycle(self, make_term):
        terms = [make_term() for _ in range(10)]
        rota.generate(C0, d(69), today=BEFORE)
        for term in terms:
            assert len({(day - cycle_start(day)).days for day in days_of(term)}) == 1


class TestRegeneration:
    def test_regeneration_is_stable(self, make_term):
        for _ in range(12):
            make_term()
        generate_two_cycles()
        before = list(DutyDay.objects.values_list("pk", "term_id", "date"))
        again = generate_two_cycles()
        assert (again.created, again.removed, again.kept) == (0, 0, 24)
        assert list(DutyDay.objects.values_list("pk", "term_id", "date")) == before

    def test_a_new_term_is_added_without_moving_the_others(self, make_term):
        for _ in range(10):
            make_term()
        generate_two_cycles()
        before = set(DutyDay.objects.values_list("pk", "date"))
        newcomer = make_term()
        again = generate_two_cycles()
        assert (again.created, again.removed) == (2, 0)
        assert before <= set(DutyDay.objects.values_list("pk", "date"))
        assert len(days_of(newcomer)) == 2 and again.ok

    def test_past_days_are_kept_even_when_no_longer_valid(self, make_term):
        for _ in range(10):
            make_term()
        generate_two_cycles()
        first_week = dict(DutyDay.objects.filter(date__lte=d(4)).values_list("pk", "date"))
        holiday(*[d(n) for n in range(5)])  # declared a holiday afterwards
        result = generate_two_cycles(today=d(4))
        assert dict(DutyDay.objects.filter(date__lte=d(4)).values_list("pk", "date")) == first_week
        assert result.removed == 0

    def test_invalid_future_rota_days_are_removed_and_the_cycle_refilled(self, make_term):
        term = make_term()
        generate_two_cycles()
        old = days_of(term)[0]
        holiday(old)
        result = generate_two_cycles()
        new = days_of(term)[0]
        assert (result.removed, result.created) == (1, 1)
        assert new != old and cycle_start(new) == C0

    def test_logged_and_swapped_days_are_never_moved(self, make_term):
        a, b, c = make_term(), make_term(), make_term()
        generate_two_cycles()
        logged = DutyDay.objects.get(term=c, cycle_start=C0)
        DutyLog.objects.create(
            duty_day=logged,
            arrived_at=datetime.time(9),
            left_at=datetime.time(17),
            activities=["office_duty"],
        )
        request = rota.propose_swap(
            by=a.cadre,
            duty_day=DutyDay.objects.get(term=a, cycle_start=C0),
            other_day=DutyDay.objects.get(term=b, cycle_start=C0),
            today=BEFORE,
        )
        rota.accept(by=b.cadre, request=request, today=BEFORE)
        swapped = DutyDay.objects.get(term=a, cycle_start=C0)
        holiday(logged.date, swapped.date)
        result = generate_two_cycles()
        assert DutyDay.objects.get(pk=logged.pk).date == logged.date
        assert DutyDay.objects.get(pk=swapped.pk).date == swapped.date
        assert any(a.cadre.name in problem and "agreed" in problem for problem in result.problems)

    def test_a_term_ended_early_loses_its_future_days(self, make_term, staff):
        term = make_term()
        generate_two_cycles()
        SecondmentTerm.objects.filter(pk=term.pk).update(status=SecondmentTerm.Status.ENDED_EARLY)
        result = generate_two_cycles(today=d(13))
        assert days_of(term) == [DutyDay.objects.get(term=term, cycle_start=C0).date]  # the past one stays
        assert result.removed == 1 and result.created == 0

    def test_terms_of_a_long_range_get_a_day_in_every_cycle(self, make_term):
        terms = [make_term(start=C0 + datetime.timedelta(days=n * 19)) for n in range(5)]
        result = rota.generate(C0, C0 + datetime.timedelta(days=364), today=BEFORE)
        assert result.ok
        for term in terms:
            cycles = [cycle_start(day) for day in days_of(term)]
            assert (
                len(cycles)
                == len(set(cycles))
                == len(range(cycle_start(term.start_date).toordinal(), result.end.toordinal() + 1, 14))
            )


class TestUnavailability:
    def test_a_duty_day_moves_within_its_cycle(self, make_term):
        term = make_term()
        generate_two_cycles()
        old = days_of(term)[0]
        _record, new = rota.declare_unavailable(term=term, date=old, reason="出差", today=BEFORE)
        assert new is not None and new != old and cycle_start(new) == C0
        assert days_of(term)[0] == new
        assert Unavailability.objects.get(term=term).reason == "出差"

    def test_refused_when_no_other_day_of_the_cycle_is_free(self, make_term):
        term = make_term()
        for day in WORKING_C0[1:]:
            rota.declare_unavailable(term=term, date=day, today=BEFORE)
        generate_two_cycles()
        with pytest.raises(ValidationError, match="swap"):
            rota.declare_unavailable(term=term, date=d(0), today=BEFORE)
        assert days_of(term)[0] == d(0)

    def test_past_and_non_working_dates_are_refused(self, make_term):
        term = make_term()
        with pytest.raises(ValidationError, match="after today"):
            rota.declare_unavailable(term=term, date=BEFORE, today=BEFORE)
        with pytest.raises(ValidationError, match="not a working day"):
            rota.declare_unavailable(term=term, date=d(5), today=BEFORE)

    def test_removed_again(self, make_term):
        term = make_term()
        record, _new = rota.declare_unavailable(term=term, date=d(3), today=BEFORE)
        rota.remove_unavailable(unavailability=record, today=BEFORE)
        assert not Unavailability.objects.exists()


@pytest.fixture
def pair(make_term):
    """Two cadres, each with a duty day in cycles C0 and C1, on different dates."""
    a, b = make_term(name="甲干部"), make_term(name="乙干部")
    generate_two_cycles()
    return a, b


def day_of(term, cycle=C0) -> DutyDay:
    return DutyDay.objects.select_related("term__cadre").get(term=term, cycle_start=cycle)


class TestSwaps:
    def test_the_other_cadre_accepts_and_the_days_are_exchanged(self, pair):
        a, b = pair
        mine, theirs = day_of(a), day_of(b)
        request = rota.propose_swap(
            by=a.cadre, duty_day=mine, other_day=theirs, reason="孩子生病", today=BEFORE
        )
        assert Notice.objects.filter(user=b.cadre, key=f"swap-proposed:{request.pk}").exists()
        rota.accept(by=b.cadre, request=request, today=BEFORE)
        assert (day_of(a).date, day_of(b).date) == (theirs.date, mine.date)
        assert day_of(a).origin == day_of(b).origin == DutyDay.Origin.SWAP
        assert SwapRequest.objects.get(pk=request.pk).status == SwapRequest.Status.ACCEPTED
        assert Notice.objects.filter(user=a.cadre, key=f"swap-accepted:{request.pk}").exists()

    def test_staff_may_accept_a_swap_a_third_cadre_may_not(self, pair, make_term, staff):
        a, b = pair
        third = make_term()
        request = rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)
        with pytest.raises(PermissionDenied):
            rota.accept(by=third.cadre, request=request, today=BEFORE)
        with pytest.raises(PermissionDenied):
            rota.accept(by=a.cadre, request=request, today=BEFORE)  # not your own proposal
        rota.accept(by=staff, request=request, today=BEFORE)
        assert Notice.objects.filter(user=b.cadre, key=f"swap-accepted:{request.pk}").exists()

    def test_a_move_is_accepted_by_staff_only(self, pair, staff):
        a, _b = pair
        target = next(day for day in WORKING_C0 if day not in DutyDay.objects.values_list("date", flat=True))
        request = rota.propose_move(by=a.cadre, duty_day=day_of(a), target_date=target, today=BEFORE)
        assert Notice.objects.filter(user=staff, key=f"move-proposed:{request.pk}").exists()
        with pytest.raises(PermissionDenied):
            rota.accept(by=a.cadre, request=request, today=BEFORE)
        rota.accept(by=staff, request=request, today=BEFORE)
        assert (day_of(a).date, day_of(a).origin) == (target, DutyDay.Origin.MOVE)

    def test_refusals(self, pair, make_term):
        a, b = pair
        mine, theirs = day_of(a), day_of(b)
        cases = [
            (
                lambda: rota.propose_move(by=a.cadre, duty_day=mine, target_date=d(5), today=BEFORE),
                "not a working day",
            ),
            (
                lambda: rota.propose_swap(by=a.cadre, duty_day=mine, other_day=day_of(b, C1), today=BEFORE),
                "different two-week cycle",
            ),
            (
                lambda: rota.propose_move(by=a.cadre, duty_day=mine, target_date=d(14), today=BEFORE),
                "different two-week cycle",
            ),
            (
                lambda: rota.propose_swap(by=a.cadre, duty_day=mine, other_day=day_of(a, C1), today=BEFORE),
                "your own duty day",
            ),
            (
                lambda: rota.propose_move(by=a.cadre, duty_day=mine, target_date=mine.date, today=BEFORE),
                "already on duty",
            ),
            (
                lambda: rota.propose_swap(by=a.cadre, duty_day=mine, other_day=theirs, today=mine.date),
                "today or past",
            ),
        ]
        for propose, message in cases:
            with pytest.raises(ValidationError, match=message):
                propose()

    def test_no_swap_onto_a_holiday_or_a_day_the_other_is_on_duty_or_outside_a_term(self, pair, make_term):
        a, b = pair
        mine, theirs = day_of(a), day_of(b)
        holiday(theirs.date)
        with pytest.raises(ValidationError, match="not a working day"):
            rota.propose_swap(by=a.cadre, duty_day=mine, other_day=theirs, today=BEFORE)
        CalendarDay.objects.filter(date=theirs.date).delete()
        DutyDay.objects.filter(pk=theirs.pk).update(date=mine.date)  # both on the same date
        with pytest.raises(ValidationError, match="already on duty"):
            rota.propose_swap(
                by=a.cadre, duty_day=mine, other_day=DutyDay.objects.get(pk=theirs.pk), today=BEFORE
            )
        leaving = make_term(start=C0 - datetime.timedelta(days=300), end=d(1))
        rota.generate(C0, d(13), today=BEFORE)
        late = max(day_of(a).date, d(7))
        DutyDay.objects.filter(term=a, cycle_start=C0).update(date=late)
        with pytest.raises(ValidationError, match="outside"):
            rota.propose_swap(by=leaving.cadre, duty_day=day_of(leaving), other_day=day_of(a), today=BEFORE)

    def test_a_logged_day_cannot_be_swapped(self, pair):
        a, b = pair
        DutyLog.objects.create(
            duty_day=day_of(b),
            arrived_at=datetime.time(9),
            left_at=datetime.time(17),
            activities=["office_duty"],
        )
        with pytest.raises(ValidationError, match="already logged"):
            rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)

    def test_checked_again_at_acceptance(self, pair):
        a, b = pair
        request = rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)
        holiday(day_of(b).date)  # the holiday calendar changed since
        with pytest.raises(ValidationError, match="no longer be accepted"):
            rota.accept(by=b.cadre, request=request, today=BEFORE)
        assert SwapRequest.objects.get(pk=request.pk).status == SwapRequest.Status.PROPOSED

    def test_decline_cancel_and_no_second_decision(self, pair):
        a, b = pair
        request = rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)
        with pytest.raises(ValidationError, match="open request"):
            rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)
        rota.decline(by=b.cadre, request=request)
        assert Notice.objects.filter(user=a.cadre, key=f"swap-declined:{request.pk}").exists()
        with pytest.raises(ValidationError, match="already been decided"):
            rota.accept(by=b.cadre, request=request, today=BEFORE)
        again = rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)
        with pytest.raises(PermissionDenied):
            rota.cancel(by=b.cadre, request=again)
        rota.cancel(by=a.cadre, request=again)
        assert SwapRequest.objects.get(pk=again.pk).status == SwapRequest.Status.CANCELLED


# --- pages, feed, command ------------------------------------------------------------------------


@pytest.fixture
def on_rota(term_a, make_term):
    """cadre_a and a colleague on the rota for the two cycles from C0, on different days (real dates:
    the views use today)."""
    colleague = make_term(name="同事")
    rota.generate(C0, d(27))
    assert day_of(term_a).date != day_of(colleague).date  # two cadres, ten days: the spread rule
    return term_a, colleague


class TestPages:
    def test_staff_see_the_month_with_names_and_holidays(self, client, staff, on_rota):
        holiday(d(4))
        client.force_login(staff)
        response = client.get(reverse("secondment:rota_month") + f"?month={C0:%Y-%m}")
        assert response.status_code == 200
        assert "陈晓东" in response.text and "国庆节" in response.text

    def test_generate_form_twice_is_harmless(self, client, staff, on_rota):
        client.force_login(staff)
        data = {"date_from": C0.isoformat(), "date_to": d(27).isoformat()}
        count = DutyDay.objects.count()
        response = client.post(reverse("secondment:rota_generate"), data)
        assert response.status_code == 200 and response.context["result"].created == 0
        assert DutyDay.objects.count() == count

    def test_generate_form_explains_a_range_without_working_days(self, client, staff, on_rota):
        client.force_login(staff)
        response = client.post(
            reverse("secondment:rota_generate"), {"date_from": d(5).isoformat(), "date_to": d(6).isoformat()}
        )
        assert response.status_code == 400 and "没有工作日" in response.text  # the page speaks Chinese

    def test_my_duty_days_shows_own_days_feed_and_swap_choices(self, client, cadre_a, on_rota):
        term, colleague = on_rota
        client.force_login(cadre_a)
        response = client.get(reverse("secondment:my_duty_days"))
        assert response.status_code == 200
        assert [row["day"].term_id for row in response.context["upcoming"]] == [term.pk, term.pk]
        assert term.feed_token in response.text
        assert f'value="{day_of(colleague).pk}"' in response.text  # offered for a swap, same cycle

    def test_a_cadre_proposes_and_the_other_accepts_through_the_pages(self, client, cadre_a, on_rota):
        term, colleague = on_rota
        mine, theirs = day_of(term), day_of(colleague)
        client.force_login(cadre_a)
        response = client.post(
            reverse("secondment:swap_propose"),
            {"duty_day": mine.pk, "kind": "swap", "other_day": theirs.pk, "reason": "开会"},
        )
        assert response.status_code == 302
        request = SwapRequest.objects.get()
        client.force_login(colleague.cadre)
        client.post(reverse("secondment:swap_decide", args=[request.pk]), {"action": "accept"})
        assert day_of(term).date == theirs.date

    def test_unavailability_through_the_page(self, client, cadre_a, on_rota):
        term, _colleague = on_rota
        client.force_login(cadre_a)
        old = day_of(term).date
        response = client.post(
            reverse("secondment:unavailability_add"), {"date": old.isoformat(), "reason": "培训"}
        )
        assert response.status_code == 302
        assert day_of(term).date != old
        record = Unavailability.objects.get(term=term)
        client.post(reverse("secondment:unavailability_delete", args=[record.pk]))
        assert not Unavailability.objects.exists()
        response = client.post(reverse("secondment:unavailability_add"), {"date": d(5).isoformat()})
        assert response.status_code == 400 and "不是工作日" in response.text

    def test_query_counts_do_not_grow_with_the_rota(self, client, staff, cadre_a, on_rota, make_term):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def counts():
            result = []
            for user, url in (
                (staff, reverse("secondment:rota_month") + f"?month={C0:%Y-%m}"),
                (cadre_a, reverse("secondment:my_duty_days")),
            ):
                client.force_login(user)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                result.append(len(queries))
            return result

        before = counts()
        for _ in range(8):
            make_term()
        rota.generate(C0, d(27))
        term, colleague = on_rota
        rota.propose_swap(by=colleague.cadre, duty_day=day_of(colleague), other_day=day_of(term))
        rota.declare_unavailable(term=term, date=d(13 + 14 * 3 - 2))
        assert counts() == before


class TestAccess:
    @pytest.mark.parametrize("name", ["rota_month", "rota_generate"])
    def test_staff_pages(self, client, name, staff, chair_a, outsider, cadre_a):
        url = reverse(f"secondment:{name}")
        assert client.get(url).status_code == 302
        for user in (chair_a, outsider, cadre_a):
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.force_login(staff)
        assert client.get(url).status_code == 200

    def test_my_duty_days_is_for_cadres(self, client, outsider, chair_a):
        url = reverse("secondment:my_duty_days")
        assert client.get(url).status_code == 302
        for user in (outsider, chair_a):
            client.force_login(user)
            assert client.get(url).status_code == 403

    def test_a_cadre_cannot_see_or_decide_another_cadres_swap(self, client, pair, make_term, cadre_a):
        a, b = pair
        request = rota.propose_swap(by=a.cadre, duty_day=day_of(a), other_day=day_of(b), today=BEFORE)
        client.force_login(cadre_a)
        response = client.post(reverse("secondment:swap_decide", args=[request.pk]), {"action": "accept"})
        assert response.status_code == 404
        assert "甲干部" not in client.get(reverse("secondment:my_duty_days")).text
        record, _new = rota.declare_unavailable(term=a, date=d(3), today=BEFORE)
        response = client.post(reverse("secondment:unavailability_delete", args=[record.pk]))
        assert response.status_code == 404

    def test_a_cadre_cannot_propose_with_another_cadres_day(self, client, pair, cadre_a):
        a, b = pair
        client.force_login(cadre_a)
        response = client.post(
            reverse("secondment:swap_propose"),
            {"duty_day": day_of(a).pk, "kind": "swap", "other_day": day_of(b).pk},
        )
        assert response.status_code == 404


class TestFeed:
    def test_public_by_token_and_valid(self, client, on_rota):
        term, _colleague = on_rota
        response = client.get(reverse("secondment:rota_feed", args=[term.feed_token]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        body = response.content.decode()
        assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
        assert "\n" not in body.replace("\r\n", "")
        assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
        assert body.count("BEGIN:VEVENT") == 2
        first = day_of(term).date
        assert f"DTSTART;VALUE=DATE:{first:%Y%m%d}\r\n" in body
        assert f"DTEND;VALUE=DATE:{first + datetime.timedelta(days=1):%Y%m%d}\r\n" in body
        assert f"UID:duty-day-{day_of(term).pk}@" in body

    def test_unknown_token(self, client, on_rota):
        assert client.get(reverse("secondment:rota_feed", args=["not-a-token"])).status_code == 404

    def test_long_lines_are_folded_and_text_escaped(self):
        from secondment.views.rota import _ics_escape, _ics_fold

        assert _ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
        folded = _ics_fold("LOCATION:" + "区总工会" * 20)
        lines = folded.split("\r\n")
        assert len(lines) > 1 and all(len(line.encode()) <= 75 for line in lines)
        assert all(line.startswith(" ") for line in lines[1:])
        assert (
            "".join(line[1:] if n else line for n, line in enumerate(lines)) == "LOCATION:" + "区总工会" * 20
        )


class TestCommand:
    @pytest.fixture(autouse=True)
    def english(self):
        # The command speaks the active language (Chinese by default); these tests read English.
        with translation.override("en"):
            yield

    def run(self, *args):
        out = io.StringIO()
        call_command("generate_rota", *args, stdout=out)
        return out.getvalue()

    def test_prints_the_coverage_and_exits_0(self, make_term):
        for _ in range(3):
            make_term()
        output = self.run("--from", C0.isoformat(), "--to", d(13).isoformat())
        lines = output.splitlines()
        assert lines[0] == f"{C0.isoformat()} Mon 1"
        assert len([line for line in lines if line[:4].isdigit()]) == 10
        assert "Every rule is met." in output
        assert DutyDay.objects.count() == 3

    def test_dry_run_saves_nothing(self, make_term):
        make_term()
        output = self.run("--from", C0.isoformat(), "--to", d(13).isoformat(), "--dry-run")
        assert "dry run" in output and not DutyDay.objects.exists()

    def test_exits_1_naming_each_problem(self, make_term):
        term = make_term(name="周末来")
        for day in WORKING_C0:
            rota.declare_unavailable(term=term, date=day, today=BEFORE)
        out = io.StringIO()
        with pytest.raises(CommandError) as raised:
            call_command("generate_rota", "--from", C0.isoformat(), "--to", d(13).isoformat(), stdout=out)
        assert raised.value.returncode == 1
        problems = [line for line in out.getvalue().splitlines() if line.startswith("PROBLEM")]
        assert (
            len(problems) == 1 and "One duty day every two weeks" in problems[0] and "周末来" in problems[0]
        )

    @pytest.mark.parametrize(
        "args",
        [
            ("--from", "2027-02-30", "--to", "2027-03-01"),
            ("--from", "2027-03-10", "--to", "2027-03-01"),
            ("--from", "next monday", "--to", "2027-03-01"),
        ],
    )
    def test_exits_2_for_bad_dates(self, db, args):
        with pytest.raises(CommandError) as raised:
            call_command("generate_rota", *args)
        assert raised.value.returncode == 2

    def test_exits_2_for_a_range_without_working_days(self, db):
        with pytest.raises(CommandError, match="no working day") as raised:
            call_command("generate_rota", "--from", d(5).isoformat(), "--to", d(6).isoformat())
        assert raised.value.returncode == 2
