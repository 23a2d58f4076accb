"""Issue 19, casework: every new case reaches the casework duty; the staff dashboard lists the cases
waiting for a handler ("未分派 N 件"); the web form's promised call back is a deadline met by recording
the call (已回电); deadlines fall in four urgency tiers; pages computing deadlines warn about years whose
holiday calendar is missing; one set of stage names; the public form on a phone."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from grievances import services, tasks
from grievances.dashboard import unassigned_todo
from grievances.deadlines import CALLBACK_WORKING_DAYS, UrgencyScale, callback_due, deadlines
from grievances.demo import _stage_word
from grievances.models import Case, CaseEvent
from grievances.overview import CALLBACK, deadlines_ahead
from grievances.rules import rules
from grievances.services import public
from tests.factories import PDF, TODAY, make_staff
from unionhub.contributions import Scope
from unionhub.duties import CASEWORK
from unionhub.models import CalendarDay, Notice
from unionhub.workdays import working_days

NAME, PHONE = "王小明", "13812345678"
DESCRIPTION = "公司拖欠我们车间十二名工人三个月工资，共计约三万六千元，多次找老板都说再等等。"
UNASSIGNED = re.compile(r">未分派 (\d+) 件<")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def casework_colleague(make_user):
    return make_staff("casework2", CASEWORK, name="沈佳怡")


def web_case(on=TODAY, **changes) -> Case:
    values = {
        "type": "complaint",
        "category": "wage_arrears",
        "description": DESCRIPTION,
        "employer_name": "甲精密机械有限公司",
        "complainant_name": NAME,
        "complainant_phone": PHONE,
    }
    values.update(changes)
    case, _code = public.submit_public(data=values, on=on)
    return case


def hotline_case(by, **changes) -> Case:
    values = {
        "channel": "hotline",
        "type": "complaint",
        "category": "dismissal",
        "description": "被违法辞退，要求支付赔偿金。",
        "employer_name": "乙公司",
        "complainant_name": NAME,
        "complainant_phone": PHONE,
    }
    values.update(changes)
    return services.open_case(by=by, **values)


def form_post(form_token="token-1", **changes):  # noqa: S107 — a form id, not a secret
    posted = {
        "form_token": form_token,
        "type": "complaint",
        "category": "wage_arrears",
        "description": DESCRIPTION,
        "employer_name": "甲精密机械有限公司",
        "complainant_name": NAME,
        "complainant_phone": PHONE,
    }
    posted.update(changes)
    return {k: v for k, v in posted.items() if v is not None}


def new_case_notices():
    return Notice.objects.filter(key__startswith="case-new:")


# --- 1. every new case reaches the casework duty -----------------------------------------------------


class TestNewCaseNotices:
    def test_a_web_complaint_notifies_the_casework_duty_once_on_commit(
        self, client, casework_staff, casework_colleague, chair_a, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post("/complaint/", form_post())
        assert response.status_code == 302 and len(callbacks) == 1
        case = Case.objects.get()
        notices = new_case_notices()
        assert sorted(n.user.username for n in notices) == ["casework", "casework2"]
        notice = notices.first()
        assert notice.key == f"case-new:{case.pk}" and notice.url == case.get_absolute_url()
        assert case.number in notice.title
        # The notice names the case, never the complainant (it is also e-mailed).
        assert NAME not in notice.title + notice.body and PHONE not in notice.body
        assert not Notice.objects.filter(user=chair_a).exists()
        # Once per case: a second run of the task sends nothing.
        assert tasks.notify_new_case(case.pk) == 0
        assert new_case_notices().count() == 2

    @pytest.mark.parametrize("channel", ["hotline", "letter", "walk_in"])
    def test_staff_intake_of_a_call_a_letter_or_a_visit_notifies_the_others_on_the_duty(
        self, casework_staff, casework_colleague, channel, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            case = hotline_case(casework_staff, channel=channel)
        # Whoever took it in knows; the rest of the duty is told.
        assert [(n.user, n.key) for n in new_case_notices()] == [(casework_colleague, f"case-new:{case.pk}")]

    def test_a_cadre_taking_a_case_in_tells_the_whole_duty(
        self, cadre, casework_staff, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            hotline_case(cadre)
        assert [n.user for n in new_case_notices()] == [casework_staff]

    def test_nothing_is_sent_before_the_intake_commits(self, casework_staff, casework_colleague):
        with translation.override("en"):
            hotline_case(casework_staff)
        # Without a commit (the test's transaction) the task never ran.
        assert not new_case_notices().exists()

    def test_a_refused_complaint_notifies_nobody(
        self, client, casework_staff, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post("/complaint/", form_post(description="太短"))
        assert response.status_code == 200 and callbacks == [] and not Case.objects.exists()
        assert not new_case_notices().exists()

    def test_a_forged_case_id_notifies_nobody(self, casework_staff):
        assert tasks.notify_new_case(987654) == 0


# --- 2. the staff dashboard: 未分派 N 件 ---------------------------------------------------------------


class TestUnassignedOnTheDashboard:
    def test_none_waiting_reads_0(self, client, casework_staff):
        client.force_login(casework_staff)
        html = client.get("/").content.decode()
        assert UNASSIGNED.search(html)[1] == "0"

    def test_the_count_and_the_cases_oldest_first_each_linking_to_the_case(
        self, client, casework_staff, cadre
    ):
        newer = web_case(on=TODAY)
        older = web_case(on=TODAY - datetime.timedelta(days=2))
        assigned = hotline_case(casework_staff)
        services.assign(by=casework_staff, case=assigned, handler=casework_staff, difficulty="ordinary")
        closed = hotline_case(casework_staff)
        services.close(
            by=casework_staff,
            case=closed,
            outcome="withdrawn",
            amount_recovered=None,
            other_outcome="",
            satisfaction=None,
        )
        client.force_login(casework_staff)
        html = client.get("/").content.decode()
        assert UNASSIGNED.search(html)[1] == "2"
        panel = html[html.index('id="unassigned-cases"') :]
        panel = panel[: panel.index("</section>")]
        assert panel.index(older.get_absolute_url()) < panel.index(newer.get_absolute_url())
        assert assigned.number not in panel and closed.number not in panel
        # Date, channel and a short subject; never who complained.
        assert "网上表单" in panel or "Web form" in panel or "网上" in panel
        assert NAME not in panel and PHONE not in panel and DESCRIPTION[:10] not in panel

    def test_a_chair_and_a_cadre_see_no_unassigned_cases(self, client, chair_a, cadre, enterprise_a):
        web_case(employer_name=enterprise_a.name)
        for user in (chair_a, cadre):
            client.force_login(user)
            html = client.get("/").content.decode()
            assert "未分派" not in html and NAME not in html and "unassigned-cases" not in html

    def test_staff_without_the_casework_duty_see_the_count_but_no_case(self, client, staff):
        case = web_case()
        client.force_login(staff)
        html = client.get("/").content.decode()
        assert "未分派 1 件" in html
        assert case.number not in html and NAME not in html and "?unassigned=on" not in html

    def test_the_to_do_card_carries_one_item_dated_by_the_first_call_back(self, casework_staff, chair_a):
        case = web_case(on=TODAY - datetime.timedelta(days=1))
        [item] = unassigned_todo(Scope(day=TODAY, user=casework_staff))
        assert item.kind == "cases.unassigned" and item.due == case.callback_due
        assert item.url.endswith("?unassigned=on")
        assert unassigned_todo(Scope(day=TODAY, user=chair_a)) is None

    def test_the_case_list_filters_the_unassigned_oldest_first(self, client, casework_staff):
        newer, older = web_case(), web_case(on=TODAY - datetime.timedelta(days=3))
        services.assign(
            by=casework_staff,
            case=hotline_case(casework_staff),
            handler=casework_staff,
            difficulty="ordinary",
        )
        client.force_login(casework_staff)
        response = client.get(reverse("grievances:case_list"), {"unassigned": "on"})
        assert [c.pk for c in response.context["page"].object_list] == [older.pk, newer.pk]

    def test_the_dashboard_queries_do_not_grow_with_the_unassigned_cases(self, client, casework_staff):
        client.force_login(casework_staff)
        web_case()
        with CaptureQueriesContext(connection) as small:
            client.get("/")
        for _ in range(12):
            web_case()
        with CaptureQueriesContext(connection) as large:
            html = client.get("/").content.decode()
        assert UNASSIGNED.search(html)[1] == "13"
        assert len(small) + 1 >= len(large)  # at most the count beyond the first ten shown


# --- 3. the call back the web form promises ----------------------------------------------------------


def nth_working_day_after(day, n):
    return list(working_days(day + datetime.timedelta(days=1), day + datetime.timedelta(days=40)))[n - 1]


class TestCallBack:
    def test_a_web_case_owes_a_call_back_within_3_working_days(self, db):
        case = web_case()
        assert case.callback_due == nth_working_day_after(TODAY, CALLBACK_WORKING_DAYS)
        [callback] = [d for d in deadlines(case) if d.key == "callback"]
        assert callback.due == case.callback_due and not callback.done

    def test_a_holiday_moves_the_call_back(self, db):
        monday = datetime.date(2030, 9, 30)
        CalendarDay.objects.create(
            date=datetime.date(2030, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节"
        )
        CalendarDay.objects.create(
            date=datetime.date(2030, 10, 2), kind=CalendarDay.Kind.HOLIDAY, name="国庆节"
        )
        case = Case(channel="web", received_on=monday)
        assert callback_due(case) == datetime.date(2030, 10, 7)  # Thu 3, Fri 4, then Monday 7

    def test_a_case_taken_in_before_the_promise_was_tracked_gains_no_call_back(self, casework_staff):
        case = web_case(on=TODAY - datetime.timedelta(days=40))
        Case.objects.filter(pk=case.pk).update(callback_due=None)  # as the migration leaves older cases
        case.refresh_from_db()
        case = services.assign(by=casework_staff, case=case, handler=casework_staff, difficulty="ordinary")
        case.refresh_from_db()
        assert case.callback_due is None and all(d.key != "callback" for d in deadlines(case))

    def test_other_channels_owe_no_call_back(self, casework_staff):
        case = hotline_case(casework_staff)
        assert case.callback_due is None and all(d.key != "callback" for d in deadlines(case))

    def test_the_call_back_is_escalated_like_the_statutory_deadlines(self, casework_staff):
        case = web_case(on=TODAY - datetime.timedelta(days=10))
        due = [d for d in deadlines_ahead(today=TODAY) if d.case.pk == case.pk and d.kind == CALLBACK]
        assert due and due[0].days_left < 0
        # Nobody handles it yet: the whole casework duty is reminded.
        tasks.remind_case_deadlines(TODAY.isoformat())
        assert Notice.objects.filter(
            user=casework_staff, key=f"case-deadline:{case.pk}:callback:{case.callback_due.isoformat()}"
        ).exists()

    def test_recording_the_call_meets_the_deadline_with_an_audited_timeline_entry(self, casework_staff):
        case = web_case()
        case = services.record_callback(by=casework_staff, case=case, note="核实了欠薪月份。")
        assert case.called_back_on == TODAY
        [callback] = [d for d in deadlines(case) if d.key == "callback"]
        assert callback.done
        event = case.events.get(kind=CaseEvent.Kind.CALL)
        assert "核实了欠薪月份。" in event.text and event.by == casework_staff
        entry = LogEntry.objects.get_for_object(case).filter(actor=casework_staff).latest("pk")
        assert "called_back_on" in entry.changes_dict
        assert not any(d.case.pk == case.pk and d.kind == CALLBACK for d in deadlines_ahead(today=TODAY))

    @pytest.mark.parametrize(
        "note, on",
        [
            ("", None),
            ("   ", None),
            ("通话", TODAY + datetime.timedelta(days=1)),
            ("通话", TODAY - datetime.timedelta(days=5)),
        ],
    )
    def test_bad_calls_are_refused_and_write_nothing(self, casework_staff, note, on):
        case = web_case()
        events = case.events.count()
        with pytest.raises(ValidationError):
            services.record_callback(by=casework_staff, case=case, note=note, on=on)
        case.refresh_from_db()
        assert case.called_back_on is None and case.events.count() == events

    def test_a_call_is_recorded_once_and_only_for_web_cases(self, casework_staff):
        case = services.record_callback(by=casework_staff, case=web_case(), note="已联系")
        with pytest.raises(ValidationError):
            services.record_callback(by=casework_staff, case=case, note="再次联系")
        with pytest.raises(ValidationError):
            services.record_callback(by=casework_staff, case=hotline_case(casework_staff), note="已联系")

    def test_outsiders_cannot_record_it(self, chair_a, cadre, enterprise_a, casework_staff):
        case = web_case(employer_name=enterprise_a.name)
        for user in (chair_a, cadre):
            with pytest.raises(PermissionDenied):
                services.record_callback(by=user, case=case, note="已联系")

    def test_the_page_offers_it_and_the_view_records_it(self, client, casework_staff, chair_a):
        case = web_case()
        client.force_login(casework_staff)
        html = client.get(case.get_absolute_url()).content.decode()
        assert (
            'data-deadline="callback"' in html and reverse("grievances:case_callback", args=[case.pk]) in html
        )
        response = client.post(reverse("grievances:case_callback", args=[case.pk]), {"note": "已联系职工"})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.called_back_on == TODAY
        # A forged id and an outsider: 404.
        assert (
            client.post(reverse("grievances:case_callback", args=[case.pk + 999]), {"note": "x"}).status_code
            == 404
        )
        client.force_login(chair_a)
        assert (
            client.post(reverse("grievances:case_callback", args=[case.pk]), {"note": "x"}).status_code == 404
        )

    def test_the_deadline_list_shows_the_call_back(self, client, casework_staff):
        case = web_case()
        client.force_login(casework_staff)
        rows = client.get(reverse("grievances:deadline_list")).context["rows"]
        assert any(row.case.pk == case.pk and row.deadline.key == "callback" for row, _urgency in rows)


# --- 4. one set of stage names -------------------------------------------------------------------------


class TestStageNames:
    def test_the_badge_the_timeline_and_the_tracking_page_say_the_same(self, client, casework_staff):
        with translation.override("zh-hans"):
            assert _stage_word(Case.Stage.RECEIVED) == str(Case.Stage.RECEIVED.label) == "已登记"
            assert _stage_word(Case.Stage.INVESTIGATING) == str(Case.Stage.INVESTIGATING.label) == "调查中"
        case, code = public.submit_public(
            data={
                "category": "wage_arrears",
                "description": DESCRIPTION,
                "employer_name": "甲公司",
                "complainant_name": NAME,
                "complainant_phone": PHONE,
            }
        )
        tracked = client.post("/complaint/track/", {"number": case.number, "code": code}).content.decode()
        assert 'id="case-stage">已登记<' in tracked
        client.force_login(casework_staff)
        assert 'status-received">已登记<' in client.get(case.get_absolute_url()).content.decode()
        case = services.change_stage(by=casework_staff, case=case, to="accepted")
        stage_entry = case.events.filter(kind=CaseEvent.Kind.STAGE).last()
        assert stage_entry.text.startswith("已登记 → 已受理")


# --- 5. urgency tiers ---------------------------------------------------------------------------------


class TestUrgency:
    MONDAY = datetime.date(2031, 3, 3)  # a year with no holiday entered: Monday to Friday work

    def test_four_tiers_counted_in_working_days(self, db):
        scale = UrgencyScale.on(self.MONDAY)
        day = lambda n: self.MONDAY + datetime.timedelta(days=n)  # noqa: E731
        assert scale.tier(day(-1)) == "overdue"
        assert scale.tier(day(0)) == scale.tier(day(3)) == "urgent"  # today … Thursday, the 3rd working day
        assert scale.tier(day(4)) == scale.tier(day(8)) == "soon"
        assert scale.tier(day(14)) == "soon"  # Monday 17th, the 10th working day
        assert scale.tier(day(15)) == "later"
        # 8 days away no longer looks like 15 days away.
        assert scale.of(day(8)).css != scale.of(day(15)).css

    def test_a_holiday_pushes_the_bounds(self, db):
        CalendarDay.objects.create(date=datetime.date(2031, 3, 4), kind=CalendarDay.Kind.HOLIDAY, name="测试")
        assert UrgencyScale.on(self.MONDAY).tier(datetime.date(2031, 3, 6)) == "urgent"
        assert UrgencyScale.on(self.MONDAY).tier(datetime.date(2031, 3, 7)) == "urgent"

    def test_the_case_list_case_page_and_deadline_list_carry_the_tiers(self, client, casework_staff):
        case = web_case()
        client.force_login(casework_staff)
        tier = UrgencyScale.on(TODAY).of(case.callback_due).css
        assert tier == "urgency-urgent"
        for url in (
            reverse("grievances:case_list"),
            case.get_absolute_url(),
            reverse("grievances:deadline_list"),
        ):
            assert f'class="due {tier}"' in client.get(url).content.decode(), url


# --- 6. the calendar warning on pages computing deadlines ---------------------------------------------


class TestCalendarWarning:
    def test_a_deadline_in_a_year_without_a_calendar_is_flagged(self, client, casework_staff):
        CalendarDay.objects.filter(date__year__gte=TODAY.year).delete()  # this year's schedule not entered
        case = web_case()
        client.force_login(casework_staff)
        for url in (reverse("grievances:deadline_list"), case.get_absolute_url()):
            html = client.get(url).content.decode()
            assert "calendar-warning" in html and "unconfirmed" in html, url

    def test_no_warning_once_the_years_are_entered(self, client, casework_staff):
        case = web_case()
        for year in range(TODAY.year - 1, TODAY.year + 3):
            CalendarDay.objects.get_or_create(
                date=datetime.date(year, 1, 1), defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "元旦"}
            )
        client.force_login(casework_staff)
        html = client.get(reverse("grievances:deadline_list")).content.decode()
        assert "calendar-warning" not in html
        assert case.number in html


# --- 7. the public form on a phone ---------------------------------------------------------------------


class TestPublicFormOnAPhone:
    def test_a_refused_form_has_a_linked_summary_the_script_and_the_counter(self, client, db):
        response = client.post("/complaint/", form_post(description="太短了"))
        html = response.content.decode()
        assert response.status_code == 200 and not Case.objects.exists()
        assert 'id="error-summary"' in html and 'href="#id_description"' in html
        assert "js/complaint_form.js" in html and "<script>" not in html
        assert 'data-min-length="20"' in html

    def test_a_refused_form_with_a_photo_says_it_was_not_kept(self, client, db):
        photo = SimpleUploadedFile("工资条.pdf", PDF, content_type="application/pdf")
        html = client.post(
            "/complaint/", {**form_post(description="太短了"), "evidence": photo}
        ).content.decode()
        field = html[html.index('id="id_evidence"') :]
        assert "照片未保存，请重新选择" in field[:1500]

    def test_a_wrong_type_or_an_oversized_photo_is_refused(self, client, db, settings):
        exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\0" * 64, content_type="image/jpeg")
        response = client.post("/complaint/", {**form_post(), "evidence": exe})
        assert response.status_code == 200 and not Case.objects.exists()
        assert "照片未保存，请重新选择" in response.content.decode()
        big = SimpleUploadedFile(
            "big.pdf", PDF + b"\0" * rules().public_max_file_bytes, content_type="application/pdf"
        )
        response = client.post("/complaint/", {**form_post(form_token="token-2"), "evidence": big})
        assert response.status_code == 200 and not Case.objects.exists()

    def test_a_form_sent_twice_makes_one_case_and_one_notice_each(
        self, client, casework_staff, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post("/complaint/", form_post(form_token="same"))
            second = client.post("/complaint/", form_post(form_token="same"))
        assert first.status_code == second.status_code == 302
        assert Case.objects.count() == 1 and new_case_notices().count() == 1


# --- the demo ------------------------------------------------------------------------------------------


def test_the_demo_shows_new_complaints_waiting_with_a_call_back_late(casework_staff):
    import random
    import types

    from grievances.demo import new_complaints

    new_complaints(types.SimpleNamespace(rng=random.Random(1), today=TODAY, staff=casework_staff))
    waiting = Case.objects.unassigned()
    assert waiting.count() == 4 and waiting.filter(channel="web").count() == 3
    assert waiting.filter(callback_due__lt=TODAY).exists()  # one call back already late
