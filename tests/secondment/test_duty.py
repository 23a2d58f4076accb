"""Duty-day logs, attendance, the grade rules, reminders, ending a term early, and the staff pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from secondment import services
from secondment.models import Assessment, DutyDay, DutyLog, SecondmentTerm
from secondment.rules import cycle_start, grade
from secondment.tasks import secondment_daily
from tests.factories import TODAY
from unionhub.models import CalendarDay
from unionhub.workdays import next_working_day

NINE, FIVE = datetime.time(9, 0), datetime.time(17, 0)

# Service messages are read in English here; pages are Chinese whatever the test activates.
pytestmark = pytest.mark.usefixtures("english")


def duty(term, date):
    return DutyDay.objects.create(term=term, date=date, cycle_start=cycle_start(date))


def log(user, day, today=None, **extra):
    fields = {
        "arrived_at": NINE,
        "left_at": FIVE,
        "activities": ["grievance_intake"],
        "notes": "接待来访职工 3 人",
    }
    fields.update(extra)
    return services.log_duty_day(user=user, duty_day=day, today=today, **fields)


class TestGrade:
    @pytest.mark.parametrize(
        "attendance, tasks, evaluation, score, expected",
        [
            (Decimal(100), 90, 80, Decimal("91.0"), "excellent"),
            (Decimal(100), 70, 70, Decimal("82.0"), "pass"),
            (Decimal(75), 60, 60, Decimal("66.0"), "basic_pass"),
            (Decimal(60), 50, 50, Decimal("54.0"), "fail"),
            (Decimal("49.9"), 100, 100, Decimal("80.0"), "fail"),  # attendance under half fails outright
        ],
    )
    def test_grades_by_the_configured_thresholds(self, attendance, tasks, evaluation, score, expected):
        assert grade(attendance_rate=attendance, tasks_score=tasks, evaluation_score=evaluation) == (
            score,
            expected,
        )

    @override_settings(SECONDMENT_RULES={"excellent_from": Decimal(95)})
    def test_thresholds_are_configurable(self):
        assert grade(attendance_rate=Decimal(100), tasks_score=90, evaluation_score=80)[1] == "pass"


class TestLog:
    def test_cadre_logs_a_past_duty_day_and_staff_confirm(self, staff, cadre_a, term_a):
        day = duty(term_a, TODAY - datetime.timedelta(days=2))
        entry = log(cadre_a, day)
        assert entry.status == DutyLog.Status.PENDING and entry.activities == ["grievance_intake"]
        services.review_log(by=staff, log=entry, confirm=True)
        assert services.attendance(term_a) == (1, 1)

    def test_refused_days(self, cadre_a, term_a, cadre):
        future = duty(term_a, TODAY + datetime.timedelta(days=3))
        with pytest.raises(ValidationError, match="not before"):
            log(cadre_a, future)
        with pytest.raises(ValidationError, match="not on duty"):
            log(cadre_a, None)
        others = DutyDay.objects.create(
            term=cadre.secondment_terms.get(), date=TODAY, cycle_start=cycle_start(TODAY)
        )
        with pytest.raises(ValidationError, match="not on duty"):
            log(cadre_a, others)
        old = duty(term_a, TODAY - datetime.timedelta(days=20))
        with pytest.raises(ValidationError, match="up to 7 days"):
            log(cadre_a, old)
        outside = DutyDay.objects.create(
            term=term_a,
            date=term_a.start_date - datetime.timedelta(days=3),
            cycle_start=cycle_start(term_a.start_date - datetime.timedelta(days=3)),
        )
        with pytest.raises(ValidationError, match="outside your secondment term"):
            log(cadre_a, outside, today=outside.date)
        assert not DutyLog.objects.exists()

    def test_times_and_activities_are_checked_and_a_day_is_logged_once(self, cadre_a, term_a):
        day = duty(term_a, TODAY)
        with pytest.raises(ValidationError, match="after the arrival"):
            log(cadre_a, day, left_at=NINE)
        with pytest.raises(ValidationError, match="at least one"):
            log(cadre_a, day, activities=[])
        log(cadre_a, day)
        with pytest.raises(ValidationError, match="already logged"):
            log(cadre_a, day)

    def test_a_rejected_log_can_be_logged_again(self, staff, cadre_a, term_a):
        day = duty(term_a, TODAY - datetime.timedelta(days=1))
        services.review_log(by=staff, log=log(cadre_a, day), confirm=False, note="时间不符")
        assert services.attendance(term_a) == (1, 0)
        log(cadre_a, day, notes="更正")
        assert services.attendance(term_a) == (1, 1)

    def test_missed_days_count_once_the_window_has_passed(self, cadre_a, term_a):
        duty(term_a, TODAY - datetime.timedelta(days=3))  # still inside the window: not yet due
        duty(term_a, TODAY - datetime.timedelta(days=17))  # window passed, not logged: missed
        assert services.attendance(term_a) == (1, 0)


class TestLogPages:
    def test_cadre_logs_from_the_page(self, client, cadre_a, term_a):
        day = duty(term_a, TODAY - datetime.timedelta(days=1))
        client.force_login(cadre_a)
        url = reverse("secondment:log_duty", args=[day.date.isoformat()])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "arrived_at": "08:30",
                "left_at": "17:00",
                "activities": ["office_duty", "other"],
                "notes": "整理档案",
            },
        )
        assert response.status_code == 302
        assert DutyLog.objects.get().activities == ["office_duty", "other"]
        assert (
            client.post(url, {"arrived_at": "08:30", "left_at": "17:00", "activities": ["other"]}).status_code
            == 400
        )
        assert DutyLog.objects.count() == 1

    def test_a_day_not_on_duty_is_refused_with_the_reason(self, client, cadre_a, term_a):
        client.force_login(cadre_a)
        response = client.post(
            reverse("secondment:log_duty", args=[TODAY.isoformat()]),
            {"arrived_at": "08:30", "left_at": "17:00", "activities": ["other"]},
        )
        assert response.status_code == 400 and not DutyLog.objects.exists()
        assert client.get(reverse("secondment:log_duty", args=["2026-02-30"])).status_code == 404

    def test_only_staff_review(self, client, staff, cadre_a, term_a):
        entry = log(cadre_a, duty(term_a, TODAY))
        client.force_login(cadre_a)
        assert client.get(reverse("secondment:log_list")).status_code == 403
        assert (
            client.post(
                reverse("secondment:log_review", args=[entry.pk]), {"decision": "confirm"}
            ).status_code
            == 403
        )
        client.force_login(staff)
        assert client.get(reverse("secondment:log_list")).status_code == 200
        client.post(reverse("secondment:log_review", args=[entry.pk]), {"decision": "confirm"})
        entry.refresh_from_db()
        assert entry.status == DutyLog.Status.CONFIRMED and entry.reviewed_by == staff


class TestAssessment:
    def test_assessment_takes_attendance_from_the_rota_and_logs(self, staff, cadre_a, term_a):
        for days_ago in (40, 26, 12):
            day = duty(term_a, TODAY - datetime.timedelta(days=days_ago))
            if days_ago != 26:
                DutyLog.objects.create(
                    duty_day=day,
                    arrived_at=NINE,
                    left_at=FIVE,
                    activities=["other"],
                    status=DutyLog.Status.CONFIRMED,
                )
        assessment = services.assess(
            by=staff,
            term=term_a,
            kind="mid",
            tasks_score=90,
            evaluation_score=90,
            outcomes={"recommended_for_party": True},
        )
        assert (assessment.duty_days_due, assessment.duty_days_attended) == (3, 2)
        assert assessment.attendance_rate == Decimal("66.7")
        assert (assessment.score, assessment.grade) == (Decimal("80.7"), "pass")
        term_a.refresh_from_db()
        assert term_a.recommended_for_party
        again = services.assess(by=staff, term=term_a, kind="mid", tasks_score=40, evaluation_score=40)
        assert again.pk == assessment.pk and Assessment.objects.count() == 1

    def test_out_of_range_scores_are_refused(self, staff, term_a, client):
        with pytest.raises(ValidationError):
            services.assess(by=staff, term=term_a, kind="end", tasks_score=101, evaluation_score=90)
        client.force_login(staff)
        client.post(
            reverse("secondment:term_assess", args=[term_a.pk]),
            {"kind": "end", "tasks_score": "-5", "evaluation_score": "90"},
        )
        assert not Assessment.objects.exists()


class TestReminders:
    def test_the_working_day_before_and_safe_twice(self, cadre_a, term_a):
        day = next_working_day(TODAY + datetime.timedelta(days=1))
        before = day - datetime.timedelta(days=1)
        while CalendarDay.objects.filter(date=before).exists() or before.weekday() >= 5:
            before -= datetime.timedelta(days=1)
        duty(term_a, day)
        assert secondment_daily(today=before.isoformat())["reminded"] == 1
        assert secondment_daily(today=before.isoformat())["reminded"] == 0
        assert cadre_a.notices.filter(key__startswith="duty-reminder:").count() == 1

    def test_ended_terms_are_completed(self, term_a):
        secondment_daily(today=(term_a.end_date + datetime.timedelta(days=1)).isoformat())
        term_a.refresh_from_db()
        assert term_a.status == SecondmentTerm.Status.COMPLETED


class TestTermPages:
    def test_end_early_takes_future_days_off_the_rota(self, staff, term_a):
        past, future = (
            duty(term_a, TODAY - datetime.timedelta(days=1)),
            duty(term_a, TODAY + datetime.timedelta(days=9)),
        )
        services.end_early(by=staff, term=term_a, last_day=TODAY, reason="调回企业")
        term_a.refresh_from_db()
        assert term_a.status == "ended_early" and term_a.end_date == TODAY
        assert (
            DutyDay.objects.filter(pk=past.pk).exists() and not DutyDay.objects.filter(pk=future.pk).exists()
        )

    def test_staff_see_the_overview_and_terms_the_cadre_only_their_own(
        self, client, staff, cadre_a, term_a, cadre, chair_a, outsider
    ):
        duty(term_a, TODAY)
        client.force_login(staff)
        for name in ("secondment:overview", "secondment:term_list"):
            assert client.get(reverse(name)).status_code == 200
        assert client.get(term_a.get_absolute_url()).status_code == 200
        client.force_login(cadre_a)
        assert client.get(term_a.get_absolute_url()).status_code == 200
        assert client.get(reverse("secondment:term_list")).status_code == 403
        client.force_login(cadre)  # another cadre
        assert client.get(term_a.get_absolute_url()).status_code == 404
        assert client.get(reverse("secondment:overview")).status_code == 302  # to their own duty days
        client.force_login(outsider)
        assert client.get(reverse("secondment:overview")).status_code == 403
        assert client.get(term_a.get_absolute_url()).status_code == 404
