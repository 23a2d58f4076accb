"""Issue 19, seconded cadres: a former cadre keeps "My secondment" (certificates, duty history, training hours);
an active cadre sees when their certificate will be issued; the day still to log is the first thing on the
dashboard and the duty page; a day past the logging window offers a late entry that staff accept or refuse."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from secondment import services
from secondment.dashboard import duty_days_to_log, late_entries_to_decide
from secondment.duty_status import State, days_to_log
from secondment.models import (
    Assessment,
    Certificate,
    Course,
    DutyDay,
    DutyLog,
    Enrolment,
    LateEntryRequest,
    SecondmentTerm,
)
from secondment.rules import cycle_start, rules
from secondment.services.certificates import certificate_outlook
from secondment.services.late_entry import accept_late_entry, refuse_late_entry, request_late_entry
from tests.factories import PDF, TODAY, make_staff
from unionhub.contributions import Scope
from unionhub.duties import FINANCE
from unionhub.models import Notice

DAY = datetime.timedelta(days=1)
WINDOW = rules().log_window_days
NINE, FIVE = datetime.time(9), datetime.time(17)


def duty(term, date):
    return DutyDay.objects.create(term=term, date=date, cycle_start=cycle_start(date))


def log(user, day, today=TODAY):
    return services.log_duty_day(
        user=user,
        duty_day=day,
        arrived_at=NINE,
        left_at=FIVE,
        activities=["office_duty"],
        notes="",
        today=today,
    )


@pytest.fixture
def former(make_user, union_a):
    """A cadre whose year ended five weeks ago: passed, certificate issued, one course completed."""
    user = make_user("former", name="林晓华")
    term = SecondmentTerm.objects.create(
        cadre=user,
        union=union_a,
        start_date=TODAY - 400 * DAY,
        end_date=TODAY - 36 * DAY,
        status=SecondmentTerm.Status.COMPLETED,
    )
    for offset in (100, 114):
        day = duty(term, TODAY - offset * DAY)
        DutyLog.objects.create(
            duty_day=day, arrived_at=NINE, left_at=FIVE, activities=["office_duty"], status="confirmed"
        )
    Assessment.objects.create(
        term=term,
        kind="end",
        duty_days_due=2,
        duty_days_attended=2,
        attendance_rate=Decimal(100),
        tasks_score=90,
        evaluation_score=90,
        score=Decimal(94),
        grade="excellent",
        assessed_on=term.end_date,
    )
    course = Course.objects.create(
        title="上挂干部轮训班",
        track="rotation",
        provider="区总工会",
        starts_on=TODAY - 200 * DAY,
        ends_on=TODAY - 199 * DAY,
        hours=Decimal(16),
    )
    Enrolment.objects.create(course=course, term=term, status="completed", hours_credited=Decimal(16))
    user.certificate = Certificate.objects.create(
        term=term, number="SG-2026-0056", issued_on=term.end_date + 10 * DAY, grade="excellent"
    )
    user.certificate.pdf.save("SG-2026-0056.pdf", ContentFile(PDF))
    user.term = term
    return user


# --- a former cadre -----------------------------------------------------------------------------------


class TestFormerCadre:
    def test_is_a_former_cadre_from_the_same_one_roles_query(self, former, django_assert_num_queries):
        user = type(former).objects.get(pk=former.pk)
        with django_assert_num_queries(1):
            assert user.is_former_cadre and not user.is_seconded_cadre and not user.is_union_chair
        assert [str(label) for label in user.role_labels] == ["原上挂干部"]

    def test_an_active_cadre_is_not_a_former_one(self, cadre_a):
        user = type(cadre_a).objects.get(pk=cadre_a.pk)
        assert user.is_seconded_cadre and not user.is_former_cadre

    def test_dashboard_points_to_my_secondment_instead_of_no_role(self, former, login):
        page = login(former).get("/").content.decode()
        assert "您的账号尚未分配角色" not in page
        assert 'id="my-secondment"' in page
        assert "SG-2026-0056" in page
        assert reverse("secondment:my_secondment") in page
        assert reverse("secondment:certificate_download", args=[former.certificate.pk]) in page

    def test_menu_keeps_my_secondment(self, former, login):
        page = login(former).get(reverse("secondment:my_duty_days")).content.decode()
        menu = page[page.index('class="mainnav"') : page.index("</nav>")]
        assert "我的上挂" in menu and reverse("secondment:my_secondment") in menu

    def test_my_secondment_lists_certificates_duty_history_and_training(self, former, login):
        client = login(former)
        response = client.get(reverse("secondment:my_secondment"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "SG-2026-0056" in page
        assert reverse("secondment:certificate_download", args=[former.certificate.pk]) in page
        assert reverse("secondment:certificate_verify", args=[former.certificate.token]) in page
        for offset in (100, 114):
            assert (TODAY - offset * DAY).isoformat() in page
        assert "上挂干部轮训班" in page and "16" in page
        assert (
            client.get(reverse("secondment:certificate_download", args=[former.certificate.pk])).status_code
            == 200
        )

    def test_the_former_cadre_reaches_only_their_own(self, former, cadre_a, login):
        other = Certificate.objects.create(term=cadre_a.term, number="SG-2026-0099", issued_on=TODAY)
        client = login(former)
        assert client.get(reverse("secondment:certificate_download", args=[other.pk])).status_code == 404
        assert client.get(reverse("secondment:term_detail", args=[cadre_a.term.pk])).status_code == 404
        page = client.get(reverse("secondment:my_secondment")).content.decode()
        assert "SG-2026-0099" not in page

    def test_others_do_not_reach_the_former_cadres_things(self, former, cadre, chair_a, outsider, login):
        url = reverse("secondment:certificate_download", args=[former.certificate.pk])
        for user in (cadre, chair_a, outsider):
            assert login(user).get(url).status_code == 404
        assert login(outsider).get(reverse("secondment:my_secondment")).status_code == 403
        assert "SG-2026-0056" not in login(cadre).get(reverse("secondment:my_secondment")).content.decode()


# --- the certificate's outlook ----------------------------------------------------------------------


class TestCertificateOutlook:
    def test_an_active_cadre_sees_when_and_on_what_condition(self, cadre_a, login):
        expected = (cadre_a.term.end_date + DAY).isoformat()
        page = login(cadre_a).get("/").content.decode()
        assert f"期满并考核合格后颁发，预计 {expected}" in page
        assert (
            f"期满并考核合格后颁发，预计 {expected}"
            in login(cadre_a).get(reverse("secondment:my_secondment")).content.decode()
        )

    def test_expected_the_day_after_the_term_and_no_promise_when_it_cannot_be_issued(self, cadre_a, staff):
        term = cadre_a.term
        outlook = certificate_outlook(term)
        assert outlook.expected_on == term.end_date + DAY and not outlook.assessed and outlook.problem is None
        services.end_early(by=staff, term=term, last_day=TODAY, reason="调回企业")
        term.refresh_from_db()
        assert certificate_outlook(term).problem


# --- the day still to log, first ----------------------------------------------------------------------


class TestDaysToLog:
    def test_the_day_to_log_is_the_first_thing_on_the_dashboard(self, cadre_a, login):
        day = duty(cadre_a.term, TODAY - 2 * DAY)
        page = login(cadre_a).get("/").content.decode()
        title = f"{day.date:%m-%d} 值班待登记（{day.log_deadline:%m-%d} 前）"
        assert title in page
        assert page.index('id="todo"') < page.index(title) < page.index('id="my-secondment"')
        assert reverse("secondment:log_duty", args=[day.date.isoformat()]) in page
        assert "立即登记" in page

    def test_a_day_past_the_window_offers_a_late_entry(self, cadre_a, login):
        day = duty(cadre_a.term, TODAY - (WINDOW + 5) * DAY)
        page = login(cadre_a).get("/").content.decode()
        assert f"已超过 {WINDOW} 天登记期限" in page
        assert reverse("secondment:late_entry_request", args=[day.date.isoformat()]) in page
        assert "申请补登" in page

    def test_the_duty_page_puts_them_at_the_top(self, cadre_a, login):
        duty(cadre_a.term, TODAY - 2 * DAY)
        late = duty(cadre_a.term, TODAY - (WINDOW + 12) * DAY)
        page = login(cadre_a).get(reverse("secondment:my_duty_days")).content.decode()
        # The card is the page's first section, before the rota's "Upcoming" (即将到来的值班日).
        assert page.index('id="to-log"') < page.index('class="card"') < page.index("即将到来的值班日")
        assert reverse("secondment:late_entry_request", args=[late.date.isoformat()]) in page

    def test_logged_days_and_old_missed_days_are_not_listed(self, cadre_a):
        logged = duty(cadre_a.term, TODAY - 2 * DAY)
        log(cadre_a, logged)
        duty(cadre_a.term, TODAY - 58 * DAY)  # missed long ago: no longer offered on the list
        assert days_to_log(cadre_a, TODAY) == []

    def test_a_rejected_log_puts_the_day_back(self, cadre_a, staff):
        day = duty(cadre_a.term, TODAY - 2 * DAY)
        services.review_log(by=staff, log=log(cadre_a, day), confirm=False)
        assert [e.state for e in days_to_log(cadre_a, TODAY)] == [State.LOG]

    def test_source_applies_only_to_cadres(self, cadre_a, chair_a, outsider, former):
        assert duty_days_to_log(Scope(day=TODAY, user=cadre_a)) == []
        assert duty_days_to_log(Scope(day=TODAY, user=chair_a)) is None
        assert duty_days_to_log(Scope(day=TODAY, user=outsider)) is None
        assert duty_days_to_log(Scope(day=TODAY, user=former)) is None  # nothing open: no empty card

    def test_a_cadre_sees_only_their_own_days(self, cadre_a, cadre):
        duty(cadre_a.term, TODAY - 2 * DAY)
        assert days_to_log(cadre, TODAY) == []

    def test_the_duty_card_comes_before_union_statistics(self, chair_a, union_a, member_a, login):
        services.start_term(cadre=chair_a, union=union_a, start_date=TODAY - 30 * DAY)
        page = login(chair_a).get("/").content.decode()
        assert page.index('id="todo"') < page.index('id="my-secondment"') < page.index("我的工会")


# --- late entries ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
class TestLateEntry:
    @pytest.fixture
    def late_day(self, cadre_a):
        return duty(cadre_a.term, TODAY - (WINDOW + 5) * DAY)

    def test_logging_past_the_window_without_an_accepted_request_is_refused(self, cadre_a, late_day, login):
        with pytest.raises(ValidationError):
            log(cadre_a, late_day)
        response = login(cadre_a).post(
            reverse("secondment:log_duty", args=[late_day.date.isoformat()]),
            {"arrived_at": "09:00", "left_at": "17:00", "activities": ["office_duty"]},
        )
        assert response.status_code == 400 and not DutyLog.objects.exists()
        assert "申请补登" in response.content.decode()

    def test_request_accept_then_log(self, cadre_a, late_day, staff):
        request = request_late_entry(
            by=cadre_a, duty_day=late_day, reason="当天直接去企业处理纠纷", today=TODAY
        )
        assert request.status == "pending"
        assert LogEntry.objects.get_for_object(request).filter(actor=cadre_a).exists()
        todo = late_entries_to_decide(Scope(day=TODAY, user=staff))
        assert [item.kind for item in todo] == ["secondment.late_entry"]

        accepted = accept_late_entry(by=staff, request=request, today=TODAY)
        assert accepted.log_by == TODAY + WINDOW * DAY
        assert LogEntry.objects.get_for_object(request).filter(actor=staff).exists()
        notice = Notice.objects.get(user=cadre_a)
        assert late_day.date.isoformat() in notice.body and accepted.log_by.isoformat() in notice.body
        assert [e.state for e in days_to_log(cadre_a, TODAY)] == [State.ACCEPTED]
        assert late_entries_to_decide(Scope(day=TODAY, user=staff)) == []
        log(cadre_a, late_day)
        assert DutyLog.objects.filter(duty_day=late_day).exists()

    def test_an_accepted_entry_has_a_window_of_its_own(self, cadre_a, late_day, staff):
        request = request_late_entry(by=cadre_a, duty_day=late_day, reason="忘记登记", today=TODAY)
        accept_late_entry(by=staff, request=request, today=TODAY)
        with pytest.raises(ValidationError):
            log(cadre_a, late_day, today=TODAY + (WINDOW + 1) * DAY)

    def test_refuse_with_a_reason_and_the_cadre_is_told(self, cadre_a, late_day, staff):
        request = request_late_entry(by=cadre_a, duty_day=late_day, reason="忘记登记", today=TODAY)
        with pytest.raises(ValidationError):
            refuse_late_entry(by=staff, request=request, reason="  ")
        refuse_late_entry(by=staff, request=request, reason="当天未到岗")
        request.refresh_from_db()
        assert request.status == "refused" and request.decision_note == "当天未到岗"
        assert "当天未到岗" in Notice.objects.get(user=cadre_a).body
        with pytest.raises(ValidationError):
            accept_late_entry(by=staff, request=request)  # decided once
        assert days_to_log(cadre_a, TODAY) == []

    def test_no_request_inside_the_window_or_for_a_logged_day(self, cadre_a):
        recent = duty(cadre_a.term, TODAY - 2 * DAY)
        with pytest.raises(ValidationError):
            request_late_entry(by=cadre_a, duty_day=recent, reason="x", today=TODAY)
        with pytest.raises(ValidationError):
            request_late_entry(by=cadre_a, duty_day=recent, reason="", today=TODAY + 30 * DAY)
        assert not LateEntryRequest.objects.exists()

    def test_a_double_submitted_request_leaves_one(self, cadre_a, late_day, login):
        client = login(cadre_a)
        url = reverse("secondment:late_entry_request", args=[late_day.date.isoformat()])
        assert client.post(url, {"reason": "忘记登记"}).status_code == 302
        second = client.post(url, {"reason": "忘记登记"})
        assert second.status_code == 400
        assert LateEntryRequest.objects.count() == 1

    def test_forged_days_and_ids_answer_404(self, cadre_a, cadre, late_day, staff, login):
        client = login(cadre)
        assert (
            client.get(reverse("secondment:late_entry_request", args=[late_day.date.isoformat()])).status_code
            == 404
        )
        assert client.get(reverse("secondment:late_entry_request", args=["2026-02-31"])).status_code == 404
        assert client.get(reverse("secondment:late_entry_request", args=["nonsense"])).status_code == 404
        assert login(staff).post(reverse("secondment:late_entry_decide", args=[99999])).status_code == 404

    def test_outsiders_cannot_request_or_decide(self, cadre_a, cadre, chair_a, late_day, make_user, login):
        with pytest.raises(PermissionDenied):
            request_late_entry(by=cadre, duty_day=late_day, reason="冒名", today=TODAY)
        request = request_late_entry(by=cadre_a, duty_day=late_day, reason="忘记登记", today=TODAY)
        url = reverse("secondment:late_entry_decide", args=[request.pk])
        for user in (cadre, chair_a):
            assert login(user).post(url, {"decision": "accept"}).status_code == 404
        assert (
            login(cadre_a).post(url, {"decision": "accept"}).status_code == 403
        )  # their own: not theirs to decide
        finance = make_staff("finance", FINANCE)
        assert login(finance).post(url, {"decision": "accept"}).status_code == 403
        with pytest.raises(PermissionDenied):
            accept_late_entry(by=finance, request=request)
        request.refresh_from_db()
        assert request.status == "pending"

    def test_staff_decide_from_the_list(self, cadre_a, late_day, staff, login):
        request = request_late_entry(by=cadre_a, duty_day=late_day, reason="忘记登记", today=TODAY)
        client = login(staff)
        page = client.get(reverse("secondment:late_entry_list")).content.decode()
        assert f'id="late-{request.pk}"' in page and "忘记登记" in page
        url = reverse("secondment:late_entry_decide", args=[request.pk])
        assert (
            client.post(url, {"decision": "refuse", "note": ""}).status_code == 400
        )  # a refusal needs a reason
        assert client.post(url, {"decision": "accept"}).status_code == 302
        request.refresh_from_db()
        assert request.status == "accepted"
        assert (
            client.post(url, {"decision": "accept"}).status_code == 302
        )  # twice: told it is decided, no 500

    def test_staff_see_pending_requests_on_their_dashboard(self, cadre_a, late_day, staff, login):
        request_late_entry(by=cadre_a, duty_day=late_day, reason="忘记登记", today=TODAY)
        page = login(staff).get("/").content.decode()
        assert reverse("secondment:late_entry_list") in page and "忘记登记" in page


def test_the_former_cadres_panel_is_one_query(former, django_assert_num_queries):
    """As the other panels (tests/unionhub/test_contributions.py): fixed, whatever the number of terms."""
    from django.template.loader import render_to_string

    from secondment.dashboard import my_former_secondment

    user = type(former).objects.get(pk=former.pk)
    assert user.role_labels is not None
    with django_assert_num_queries(1):
        data = my_former_secondment(Scope(day=TODAY, user=user))
        render_to_string(
            "secondment/dashboard/former_secondment.html", {**data, "today": TODAY, "user": user}
        )


def test_a_former_cadre_asking_for_the_secondment_pages_lands_on_theirs(former, login):
    response = login(former).get(reverse("secondment:overview"))
    assert response.status_code == 302 and response["Location"] == reverse("secondment:my_secondment")


def test_past_days_past_the_window_link_to_a_late_entry(cadre_a, login):
    late = duty(cadre_a.term, TODAY - 50 * DAY)  # beyond the to-do list's reach, still in the table
    page = login(cadre_a).get(reverse("secondment:my_duty_days")).content.decode()
    assert reverse("secondment:late_entry_request", args=[late.date.isoformat()]) in page
