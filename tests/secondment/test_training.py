"""Training: courses and their validation, enrolment (twice is harmless), hours credited on
completion only, the hours ledger for staff and for a cadre, and who may use which page."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secondment import services
from secondment.models import Course, Enrolment, SecondmentTerm
from secondment.services import training
from tests.factories import TODAY


def make_course(title="劳动法律法规专题培训", track=Course.Track.SPECIALIST, hours="16", days_ago=10, days=2):
    starts_on = TODAY - datetime.timedelta(days=days_ago)
    return Course.objects.create(
        title=title,
        track=track,
        provider="区总工会",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        hours=Decimal(hours),
    )


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def other_term(cadre):
    """The conftest cadre's term (union B), active since 30 days ago."""
    return SecondmentTerm.objects.get(cadre=cadre)


def course_data(**overrides):
    data = {
        "title": "工会财务实务",
        "track": "central",
        "provider": "市总工会干部学校",
        "starts_on": "2026-05-11",
        "ends_on": "2026-05-12",
        "hours": "12",
        "location": "市工人文化宫",
        "description": "",
    }
    data.update(overrides)
    return data


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class TestCourses:
    def test_staff_create_a_course(self, login, staff):
        response = login(staff).post(reverse("secondment:course_create"), course_data())
        course = Course.objects.get()
        assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
        assert (course.title, course.hours, course.ends_on) == (
            "工会财务实务",
            Decimal(12),
            datetime.date(2026, 5, 12),
        )

    @pytest.mark.parametrize(
        "overrides, field, message",
        [
            ({"ends_on": "2026-05-10"}, "ends_on", "The course cannot end before it starts."),
            ({"hours": "0"}, "hours", "The hours must be more than zero."),
            ({"hours": "-2"}, "hours", "The hours must be more than zero."),
        ],
    )
    def test_bad_dates_and_hours_are_form_errors(self, login, staff, overrides, field, message):
        response = english(login(staff)).post(reverse("secondment:course_create"), course_data(**overrides))
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert message.encode() in response.content
        assert not Course.objects.exists()

    def test_errors_are_in_the_users_language(self, login, staff):
        url = reverse("secondment:course_create")
        chinese = login(staff).post(url, course_data(hours="十二"))
        assert chinese.context["form"].errors["hours"] == ["输入一个数字。"]
        assert english(login(staff)).post(url, course_data(hours="十二")).context["form"].errors["hours"] == [
            "Enter a number."
        ]

    def test_correcting_the_hours_re_credits_completed_enrolments(
        self, login, staff, course, term_a, other_term
    ):
        training.enrol(by=staff, course=course, terms=[term_a, other_term])
        done, missed = course.enrolments.order_by("pk")
        training.record_attendance(by=staff, enrolment=done, completed=True)
        training.record_attendance(by=staff, enrolment=missed, completed=False)
        data = course_data(title=course.title, starts_on=course.starts_on, ends_on=course.ends_on, hours="18")
        assert login(staff).post(reverse("secondment:course_edit", args=[course.pk]), data).status_code == 302
        done.refresh_from_db()
        missed.refresh_from_db()
        assert (done.hours_credited, missed.hours_credited) == (Decimal(18), Decimal(0))

    def test_the_list_counts_enrolments(self, login, staff, course, term_a, other_term):
        training.enrol(by=staff, course=course, terms=[term_a, other_term])
        training.record_attendance(by=staff, enrolment=course.enrolments.get(term=term_a), completed=True)
        row = login(staff).get(reverse("secondment:course_list")).context["page"][0]
        assert (row.enrolled, row.completed) == (2, 1)


class TestEnrolmentAndHours:
    def test_enrolling_twice_is_harmless(self, login, staff, course, term_a):
        client = login(staff)
        url = reverse("secondment:course_enrol", args=[course.pk])
        assert client.post(url, {"terms": [term_a.pk]}).status_code == 302
        assert client.post(url, {"terms": [term_a.pk]}).status_code == 302
        assert course.enrolments.get().status == Enrolment.Status.ENROLLED

    def test_only_terms_active_during_the_course_can_be_enrolled(self, staff, course, term_a):
        ended = SecondmentTerm.objects.create(
            cadre=staff,
            union=term_a.union,
            status=SecondmentTerm.Status.COMPLETED,
            start_date=TODAY - datetime.timedelta(days=400),
            end_date=TODAY - datetime.timedelta(days=35),
        )
        assert list(training.enrollable_terms(course)) == [term_a]
        with pytest.raises(ValidationError):
            training.enrol(by=staff, course=course, terms=[term_a, ended])
        assert not course.enrolments.exists()

    def test_hours_are_credited_on_completion_only(self, login, staff, course, term_a):
        training.enrol(by=staff, course=course, terms=[term_a])
        enrolment = course.enrolments.get()
        assert enrolment.hours_credited == 0
        url = reverse("secondment:enrolment_attendance", args=[enrolment.pk])
        client = login(staff)
        client.post(url, {"status": "completed"})
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.hours_credited) == ("completed", Decimal(16))
        client.post(url, {"status": "absent"})  # a correction takes the hours back
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.hours_credited) == ("absent", Decimal(0))
        client.post(url, {"status": "enrolled"})  # not a mark staff can give
        enrolment.refresh_from_db()
        assert enrolment.status == "absent"

    def test_nobody_is_marked_before_the_course_begins(self, staff, term_a):
        future = make_course(days_ago=-5)
        training.enrol(by=staff, course=future, terms=[term_a])
        with pytest.raises(ValidationError):
            training.record_attendance(by=staff, enrolment=future.enrolments.get(), completed=True)
        assert future.enrolments.get().hours_credited == 0


@pytest.fixture
def trained(staff, term_a, other_term):
    """term_a: specialist 16 h completed, rotation 8 h completed, central 6 h only enrolled.
    other_term: specialist absent, rotation 8 h completed."""
    specialist = make_course()
    rotation = make_course(title="信访接待轮训", track=Course.Track.ROTATION, hours="8", days_ago=20, days=1)
    central = make_course(title="工会干部集中培训", track=Course.Track.CENTRAL, hours="6", days_ago=3, days=1)
    for course in (specialist, rotation, central):
        training.enrol(by=staff, course=course, terms=[term_a, other_term])
    for course, term, completed in (
        (specialist, term_a, True),
        (rotation, term_a, True),
        (specialist, other_term, False),
        (rotation, other_term, True),
    ):
        training.record_attendance(by=staff, enrolment=course.enrolments.get(term=term), completed=completed)
    return {"specialist": specialist, "rotation": rotation, "central": central}


def ledger_rows(response):
    return {row.term.pk: (row.by_track, row.total) for row in response.context["page"]}


class TestLedger:
    def test_staff_see_every_cadre_by_track(self, login, staff, trained, term_a, other_term):
        response = login(staff).get(reverse("secondment:training_ledger"))
        tracks = list(Course.Track.values)  # rotation, specialist, central, induction
        assert tracks == ["rotation", "specialist", "central", "induction"]
        assert ledger_rows(response) == {
            term_a.pk: ([Decimal(8), Decimal(16), Decimal(0), Decimal(0)], Decimal(24)),
            other_term.pk: ([Decimal(8), Decimal(0), Decimal(0), Decimal(0)], Decimal(8)),
        }

    def test_a_cadre_sees_only_their_own_courses_and_hours(self, login, cadre_a, trained, term_a):
        response = login(cadre_a).get(reverse("secondment:training_ledger"))
        assert response.status_code == 200
        assert ledger_rows(response) == {
            term_a.pk: ([Decimal(8), Decimal(16), Decimal(0), Decimal(0)], Decimal(24))
        }
        assert {e.term_id for e in response.context["enrolments"]} == {term_a.pk}
        assert len(response.context["enrolments"]) == 3
        assert "乙片区联合工会" not in response.content.decode()  # the other cadre's union

    def test_the_ledger_costs_the_same_queries_however_many_cadres(
        self, login, staff, trained, union_b, make_user
    ):
        client = login(staff)
        url = reverse("secondment:training_ledger")
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for n in range(3):
            user = make_user(f"extra{n}", name=f"新人{n}")
            term = services.start_term(
                cadre=user, union=union_b, start_date=TODAY - datetime.timedelta(days=5)
            )
            training.enrol(by=staff, course=trained["central"], terms=[term])
        with CaptureQueriesContext(connection) as more:
            client.get(url)
        assert len(more.captured_queries) == len(few.captured_queries)

    @pytest.mark.parametrize("who", ["chair_a", "outsider"])
    def test_other_roles_cannot_use_the_ledger(self, login, request, db, who):
        assert (
            login(request.getfixturevalue(who)).get(reverse("secondment:training_ledger")).status_code == 403
        )


class TestAccess:
    """Who may open the course pages is in the access matrix (tests/access/matrix.py); here, what a
    refused action leaves behind."""

    def test_a_cadre_cannot_mark_attendance(self, login, staff, cadre_a, course, term_a):
        training.enrol(by=staff, course=course, terms=[term_a])
        enrolment = course.enrolments.get()
        url = reverse("secondment:enrolment_attendance", args=[enrolment.pk])
        assert login(cadre_a).post(url, {"status": "completed"}).status_code == 403
        enrolment.refresh_from_db()
        assert enrolment.hours_credited == 0

    def test_pages_need_a_login(self, client):
        response = client.get(reverse("secondment:training_ledger"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
