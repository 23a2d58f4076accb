"""Statutory dates at their boundaries: calendar days and years, the end moved past a rest day, the
wage-arrears rule, petitions, arbitration and the handling deadline by difficulty."""

import datetime

import pytest
from django.test import override_settings

from grievances import deadlines
from grievances.models import Case
from unionhub.models import CalendarDay

D = datetime.date


def case(**fields):
    defaults = {
        "number": "WQ-T",
        "channel": "hotline",
        "category": "dismissal",
        "employer_name": "甲公司",
        "description": "被辞退",
        "received_on": D(2026, 3, 2),
    }
    defaults.update(fields)
    return Case(**defaults)


@pytest.fixture
def national_day(db):
    """2026: 1–7 October off, Sunday 11 October worked in exchange (as the State Council sets it)."""
    CalendarDay.objects.filter(date__range=(D(2026, 9, 26), D(2026, 10, 11))).delete()
    for n in range(1, 8):
        CalendarDay.objects.create(date=D(2026, 10, n), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 11), kind="workday", name="国庆节调休")


class TestPeriodEnd:
    def test_calendar_days_the_start_not_counted(self, db):
        assert deadlines.period_end(D(2026, 3, 2), days=15) == D(2026, 3, 17)

    def test_an_end_on_a_weekend_moves_to_monday(self, db):
        assert deadlines.period_end(D(2026, 3, 6), days=15) == D(2026, 3, 23)  # 21 March is a Saturday

    def test_an_end_in_a_holiday_moves_past_it(self, national_day):
        assert deadlines.period_end(D(2026, 9, 20), days=15) == D(2026, 10, 8)  # 5 October is a holiday

    def test_an_adjusted_working_sunday_is_a_working_day(self, national_day):
        assert deadlines.period_end(D(2026, 9, 25), days=16) == D(2026, 10, 11)

    def test_a_year_and_29_february(self, db):
        assert deadlines.period_end(D(2025, 5, 20), years=1) == D(2026, 5, 20)
        assert deadlines.period_end(D(2024, 2, 29), years=1) == D(2025, 2, 28)


class TestLimitation:
    def test_one_year_from_learning_of_the_harm(self, db):
        assert deadlines.limitation_date(case(harm_known_on=D(2025, 6, 10))) == D(2026, 6, 10)

    def test_no_date_known_no_limitation(self, db):
        assert deadlines.limitation_date(case()) is None

    def test_wage_arrears_do_not_run_during_employment(self, db):
        arrears = case(category="wage_arrears", harm_known_on=D(2024, 1, 5))
        assert deadlines.limitation_date(arrears) is None
        arrears.employment_ended_on = D(2025, 11, 30)
        assert deadlines.limitation_date(arrears) == D(2026, 11, 30)

    def test_a_limitation_ending_in_the_national_day_holiday(self, national_day):
        assert deadlines.limitation_date(case(harm_known_on=D(2025, 10, 3))) == D(2026, 10, 8)

    @override_settings(GRIEVANCE_RULES={"limitation_years": 2})
    def test_configurable(self, db):
        assert deadlines.limitation_date(case(harm_known_on=D(2024, 6, 10))) == D(2026, 6, 10)


class TestProcedure:
    def test_handling_deadline_by_difficulty_from_acceptance(self, db):
        assert deadlines.handling_due(case()) == D(2026, 3, 17)  # from receipt, 15 days
        assert deadlines.handling_due(case(accepted_on=D(2026, 3, 4), difficulty="difficult")) == D(
            2026, 4, 3
        )
        assert deadlines.handling_due(case(accepted_on=D(2026, 6, 1), difficulty="complex")) == D(2026, 7, 31)

    def test_petition_dates_and_their_one_extension(self, db):
        petition = case(channel="petition", received_on=D(2026, 3, 2))
        keys = {d.key: d.due for d in deadlines.deadlines(petition)}
        assert keys["petition_accept"] == D(2026, 3, 17)
        petition.accepted_on = D(2026, 3, 16)
        assert {d.key: d.due for d in deadlines.deadlines(petition)}["petition_conclude"] == D(2026, 5, 15)
        petition.petition_extended = True
        assert {d.key: d.due for d in deadlines.deadlines(petition)}["petition_conclude"] == D(
            2026, 6, 15
        )  # 14 June Sun

    def test_mediation_arbitration_award_and_suing(self, db):
        c = case(mediation_on=D(2026, 4, 1), mediation_agreed=False)
        assert {d.key: d.due for d in deadlines.deadlines(c)}["mediation"] == D(2026, 4, 16)
        c.arbitration_applied_on = D(2026, 4, 20)
        assert {d.key: d.due for d in deadlines.deadlines(c)}["arbitration_accept"] == D(
            2026, 4, 27
        )  # 25 Apr Sat
        c.arbitration_accepted_on = D(2026, 4, 24)
        assert {d.key: d.due for d in deadlines.deadlines(c)}["award"] == D(2026, 6, 8)  # 45 days: 8 June
        c.arbitration_extended = True
        assert {d.key: d.due for d in deadlines.deadlines(c)}["award"] == D(2026, 6, 23)
        c.award_on = D(2026, 6, 19)
        assert {d.key: d.due for d in deadlines.deadlines(c)}["sue"] == D(2026, 7, 6)  # 4 July Sat

    def test_a_reached_agreement_sets_no_mediation_deadline(self, db):
        keys = {d.key for d in deadlines.deadlines(case(mediation_on=D(2026, 4, 1), mediation_agreed=True))}
        assert "mediation" not in keys

    def test_pending_lists_what_is_due_soon_and_not_done(self, db):
        c = case(harm_known_on=D(2025, 4, 1), received_on=D(2026, 3, 2))
        due = deadlines.pending(c, today=D(2026, 3, 10))
        assert [d.key for d in due] == ["handling", "limitation"]
        c.arbitration_applied_on = D(2026, 3, 9)
        assert [d.key for d in deadlines.pending(c, today=D(2026, 3, 10))] == [
            "arbitration_accept",
            "handling",
        ]

    def test_saving_a_case_stores_its_dates(self, db):
        c = case(harm_known_on=D(2025, 6, 10))
        c.save()
        c.refresh_from_db()
        assert (c.limitation_on, c.handling_due) == (D(2026, 6, 10), D(2026, 3, 17))
