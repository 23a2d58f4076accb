"""The monthly office meeting (三部一室): planning, minutes, decisions as tasks, the carry-over of open tasks
from meeting to meeting, the tasks' states, the owner's to-do, access, bad input, the PDF and query counts."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings import services
from meetings.dashboard import minutes_to_record, my_meeting_tasks, office_meeting
from meetings.models import AgendaItem, Meeting, Task
from secondment.models import DutyDay
from secondment.rules import cycle_start
from unionhub import workdays
from unionhub.contributions import Scope
from unionhub.dates import months_after

from ..conftest import TODAY

DAY = datetime.timedelta(days=1)
DONE, OPEN, DROPPED = AgendaItem.Outcome.DONE, AgendaItem.Outcome.OPEN, AgendaItem.Outcome.DROPPED


def due(days=10) -> datetime.date:
    return workdays.next_working_day(TODAY + days * DAY)


def month_day(months_back: int) -> datetime.date:
    """A working day in the month ``months_back`` before today's (today's own month: today or earlier)."""
    if months_back == 0:
        return TODAY
    return workdays.previous_working_day(months_after(TODAY.replace(day=15), -months_back))


def meet(by, day, *, attendees=(), agenda=("经费收缴情况",), kind=Meeting.Kind.REGULAR):
    return services.plan_meeting(
        by=by,
        date=day,
        place="区总工会三楼会议室",
        host=by,
        recorder=by,
        attendees=attendees,
        agenda=agenda,
        kind=kind,
    )


def decide(by, meeting, title="公布值班表", owner=None, days=10, department="organisation"):
    return services.add_decision(
        by=by, meeting=meeting, title=title, owner=owner or by, department=department, due_on=due(days)
    )


def hold(by, meeting, outcomes=None):
    return services.record_minutes(by=by, meeting=meeting, summary="会议纪要", minutes={}, outcomes=outcomes)


def carried(meeting) -> list[Task]:
    return [
        item.carried_task
        for item in meeting.agenda_items.filter(carried_task__isnull=False).order_by("position")
    ]


def outcome_for(meeting, task, outcome, note="", new_due=None):
    item = meeting.agenda_items.get(carried_task=task)
    return {item.pk: (outcome, note, new_due)}


# --- carry-over -------------------------------------------------------------------------------------------


class TestCarryOver:
    def test_an_open_task_opens_the_next_agenda_and_leaves_it_when_closed_there(self, staff):
        first = meet(staff, month_day(2))
        hold(staff, first)
        task = decide(staff, first)
        second = meet(staff, month_day(1), agenda=["职工之家复查"])
        items = list(second.agenda_items.order_by("position"))
        assert [(i.position, i.carried_task_id, i.title) for i in items] == [
            (1, task.pk, "公布值班表"),
            (2, None, "职工之家复查"),
        ]
        hold(staff, second, outcome_for(second, task, DONE, "已在公告栏公布"))
        task.refresh_from_db()
        assert (task.status, task.closed_note, task.closed_at_meeting) == (
            Task.Status.DONE,
            "已在公告栏公布",
            second,
        )
        third = meet(staff, month_day(0))
        assert carried(third) == []

    def test_a_task_never_closed_is_carried_to_every_following_meeting(self, staff):
        first = meet(staff, month_day(2))
        hold(staff, first)
        task = decide(staff, first)
        second = meet(staff, month_day(1))
        hold(staff, second, outcome_for(second, task, OPEN, "进度滞后", due(20)))
        task.refresh_from_db()
        assert task.is_open and task.due_on == due(20)
        assert second.agenda_items.get(carried_task=task).new_due_on == due(20)
        third = meet(staff, month_day(0))
        assert carried(third) == [task]

    def test_carried_tasks_come_first_in_due_date_order(self, staff):
        first = meet(staff, month_day(1))
        hold(staff, first)
        late = decide(staff, first, "年度总结", days=30)
        early = decide(staff, first, "送温暖名单", days=5)
        second = meet(staff, month_day(0), agenda=["新议题"])
        assert carried(second) == [early, late]
        assert second.agenda_items.get(carried_task__isnull=True).position == 3

    def test_a_planned_meeting_follows_decisions_made_after_it_was_planned(self, staff):
        first = meet(staff, month_day(1))
        second = meet(staff, months_after(TODAY, 1))
        hold(staff, first)
        task = decide(staff, first)
        assert carried(second) == [task]
        services.close_task(by=staff, task=task, status=Task.Status.DROPPED, note="上级统一部署")
        # Closed between meetings: it stays on the planned meeting, whose minutes record how it closed.
        assert carried(second) == [task]

    def test_closed_at_a_meeting_it_leaves_a_later_planned_one(self, staff):
        first = meet(staff, month_day(2))
        hold(staff, first)
        task = decide(staff, first)
        second = meet(staff, month_day(1))
        third = meet(staff, month_day(0))
        assert carried(third) == [task]
        hold(staff, second, outcome_for(second, task, DROPPED, "情况变化"))
        assert carried(third) == []

    def test_the_owner_closing_it_between_meetings_is_recorded_at_the_next(self, staff, cadre):
        first = meet(staff, month_day(1))
        hold(staff, first)
        task = decide(staff, first, owner=cadre)
        second = meet(staff, month_day(0))
        services.close_task(by=cadre, task=task, status=Task.Status.DONE, note="已公布")
        hold(staff, second)  # nothing to ask: it was closed
        item = second.agenda_items.get(carried_task=task)
        assert (item.outcome, item.outcome_note) == (DONE, "已公布")

    def test_extraordinary_meetings_carry_nothing_and_their_tasks_go_to_the_next_monthly(self, staff):
        first = meet(staff, month_day(1))
        hold(staff, first)
        task = decide(staff, first)
        special = meet(staff, month_day(1) + DAY, kind=Meeting.Kind.EXTRAORDINARY)
        assert carried(special) == []
        hold(staff, special)
        urgent = decide(staff, special, "台风应急值守")
        nxt = meet(staff, month_day(0))
        assert set(carried(nxt)) == {task, urgent}

    def test_every_open_carried_task_needs_its_outcome(self, staff):
        first = meet(staff, month_day(1))
        hold(staff, first)
        task = decide(staff, first)
        second = meet(staff, month_day(0))
        with pytest.raises(ValidationError, match="公布值班表"):
            hold(staff, second)
        with pytest.raises(ValidationError, match="reason|理由|原因"):
            hold(staff, second, outcome_for(second, task, DROPPED, ""))
        with pytest.raises(ValidationError):
            hold(staff, second, outcome_for(second, task, OPEN, "", TODAY - DAY))
        second.refresh_from_db()
        task.refresh_from_db()
        assert second.status == Meeting.Status.PLANNED and task.is_open

    def test_close_carried_task_once(self, staff):
        first = meet(staff, month_day(1))
        hold(staff, first)
        task = decide(staff, first)
        second = meet(staff, month_day(0))
        item = second.agenda_items.get(carried_task=task)
        services.close_carried_task(by=staff, item=item, outcome=DONE, note="完成")
        with pytest.raises(ValidationError):
            services.close_carried_task(by=staff, item=item, outcome=DONE, note="完成")


# --- states and refusals -----------------------------------------------------------------------------------


class TestStates:
    def test_one_monthly_meeting_a_month_but_extraordinary_ones_any_time(self, staff):
        meet(staff, month_day(0))
        with pytest.raises(ValidationError, match="extraordinary|临时"):
            meet(staff, TODAY.replace(day=1))
        assert meet(staff, TODAY, kind=Meeting.Kind.EXTRAORDINARY).kind == Meeting.Kind.EXTRAORDINARY

    def test_minutes_wait_for_the_meeting_and_lock_once_confirmed(self, staff):
        later = meet(staff, months_after(TODAY, 1))
        with pytest.raises(ValidationError):
            hold(staff, later)
        with pytest.raises(ValidationError):
            services.confirm_minutes(by=staff, meeting=later)
        meeting = meet(staff, month_day(0))
        hold(staff, meeting)
        services.confirm_minutes(by=staff, meeting=meeting)
        with pytest.raises(ValidationError):
            services.confirm_minutes(by=staff, meeting=meeting)  # a double submit
        with pytest.raises(ValidationError):
            hold(staff, meeting)
        with pytest.raises(ValidationError):
            decide(staff, meeting)
        with pytest.raises(ValidationError):
            services.update_meeting(
                by=staff, meeting=meeting, date=meeting.date, place="x", host=staff, recorder=staff
            )

    def test_task_states(self, staff, cadre, finance_staff):
        meeting = meet(staff, month_day(0), attendees=[cadre])
        hold(staff, meeting)
        task = decide(staff, meeting, owner=cadre)
        with pytest.raises(PermissionDenied):
            services.close_task(by=cadre, task=task, status=Task.Status.DROPPED, note="不做了")
        with pytest.raises(PermissionDenied):
            services.close_task(by=finance_staff, task=task, status=Task.Status.DONE, note="完成")
        with pytest.raises(ValidationError):
            services.close_task(by=cadre, task=task, status=Task.Status.DONE, note="  ")
        services.close_task(by=cadre, task=task, status=Task.Status.DONE, note="已公布")
        with pytest.raises(ValidationError):
            services.close_task(by=cadre, task=task, status=Task.Status.DONE, note="已公布")  # double submit
        task.refresh_from_db()
        assert (task.status, task.closed_by, task.closed_on) == (Task.Status.DONE, cadre, TODAY)
        other = decide(staff, meeting, "另一项")
        with pytest.raises(ValidationError):
            services.close_task(by=staff, task=other, status=Task.Status.DROPPED, note="")
        services.close_task(by=staff, task=other, status=Task.Status.DROPPED, note="上级统一部署")
        assert Task.objects.get(pk=other.pk).status == Task.Status.DROPPED

    def test_only_the_organisation_duty_manages(self, staff, finance_staff, cadre):
        with pytest.raises(PermissionDenied):
            meet(finance_staff, month_day(0))
        meeting = meet(staff, month_day(0))
        for call in (
            lambda: hold(finance_staff, meeting),
            lambda: services.confirm_minutes(by=cadre, meeting=meeting),
            lambda: decide(finance_staff, meeting, owner=staff),
        ):
            with pytest.raises(PermissionDenied):
                call()
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


class TestBadInput:
    def test_a_decision_refuses_a_past_or_rest_day_a_stranger_and_a_double(self, staff, chair_a, outsider):
        meeting = meet(staff, month_day(0))
        hold(staff, meeting)
        base = {
            "by": staff,
            "meeting": meeting,
            "title": "公布值班表",
            "owner": staff,
            "department": "office",
        }
        with pytest.raises(ValidationError, match="passed|已过"):
            services.add_decision(**base | {"due_on": TODAY - DAY})
        # The next rest day by the working calendar: a Saturday can be a working day (调休, e.g. 2026-10-10).
        rest_day = next(d for d in (TODAY + n * DAY for n in range(1, 30)) if not workdays.is_working_day(d))
        with pytest.raises(ValidationError, match="working day|工作日"):
            services.add_decision(**base | {"due_on": rest_day})
        for stranger in (chair_a, outsider):
            with pytest.raises(ValidationError):
                services.add_decision(**base | {"owner": stranger, "due_on": due()})
        with pytest.raises(ValidationError):
            services.add_decision(**base | {"department": "sales", "due_on": due()})
        services.add_decision(**base | {"due_on": due()})
        with pytest.raises(ValidationError, match="already|已"):
            services.add_decision(**base | {"due_on": due()})
        assert meeting.decisions.count() == 1

    def test_people_must_be_staff_or_cadres(self, staff, chair_a, cadre):
        with pytest.raises(ValidationError):
            meet(staff, month_day(0), attendees=[chair_a])
        with pytest.raises(ValidationError):
            services.plan_meeting(
                by=staff, date=month_day(0), place="会议室", host=cadre, recorder=staff, attendees=[]
            )
        assert not Meeting.objects.exists()

    def test_forms_answer_bad_dates_and_ids_with_errors(self, staff, login):
        client = login(staff)
        for date in ("9999-01-01", "2024-02-30", "²", "\x00"):
            response = client.post(
                reverse("meetings:meeting_create"),
                {
                    "kind": "regular",
                    "date": date,
                    "place": "x",
                    "host": staff.pk,
                    "recorder": "99999999999999",
                },
            )
            assert response.status_code == 200 and response.context["form"].errors
        assert not Meeting.objects.exists()
        meeting = meet(staff, month_day(0))
        hold(staff, meeting)
        response = client.post(
            reverse("meetings:decision_create", kwargs={"pk": meeting.pk}),
            {"title": "x", "owner": staff.pk, "department": "office", "due_on": (TODAY - DAY).isoformat()},
        )
        assert (
            response.status_code == 200
            and "due_on" in response.context["form"].errors
            or (response.context["form"].non_field_errors())
        )
        assert not meeting.decisions.exists()

    @pytest.mark.parametrize(
        "query", ["?year=²", "?year=9999", "?page=-1", "?show=<script>", "?department=\x00x", "?mine=2"]
    )
    def test_hostile_query_params(self, staff, cadre, login, query):
        client = login(staff)
        for name in ("meetings:meeting_list", "meetings:task_list"):
            assert client.get(reverse(name) + query).status_code == 200


# --- pages, access and the to-do -----------------------------------------------------------------------------


@pytest.fixture
def minutes(staff, cadre):
    """A meeting held this month, attended by the cadre, with a task each for the cadre and staff."""
    meeting = meet(staff, month_day(0), attendees=[cadre], agenda=["经费收缴", "职工之家复查"])
    hold(staff, meeting)
    decide(staff, meeting, "上挂干部值班表公布", owner=cadre)
    decide(staff, meeting, "送温暖名单汇总", owner=staff, department="rights")
    return meeting


class TestPages:
    def test_staff_plan_record_decide_and_confirm_through_the_pages(self, staff, cadre, login):
        client = login(staff)
        day = month_day(0)
        response = client.get(reverse("meetings:meeting_create") + f"?date={day.isoformat()}")
        assert response.status_code == 200
        response = client.post(
            reverse("meetings:meeting_create"),
            {
                "kind": "regular",
                "date": day.isoformat(),
                "place": "三楼会议室",
                "host": staff.pk,
                "recorder": staff.pk,
                "attendees": [cadre.pk],
                "agenda": "经费收缴\n\n职工之家复查",
            },
        )
        meeting = Meeting.objects.get()
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert list(meeting.agenda_items.values_list("title", flat=True)) == ["经费收缴", "职工之家复查"]
        assert set(meeting.attendees.all()) == {staff, cadre}
        items = list(meeting.agenda_items.all())
        response = client.post(
            reverse("meetings:minutes_form", kwargs={"pk": meeting.pk}),
            {"summary": "**会议**纪要", f"minutes_{items[0].pk}": "收缴进度 *正常*"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("meetings:decision_create", kwargs={"pk": meeting.pk}),
            {
                "title": "公布值班表",
                "owner": cadre.pk,
                "department": "organisation",
                "due_on": due().isoformat(),
            },
        )
        assert response.status_code == 302 and meeting.decisions.get().owner == cadre
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "<em>正常</em>" in page and "公布值班表" in page
        client.post(reverse("meetings:minutes_confirm", kwargs={"pk": meeting.pk}))
        client.post(
            reverse("meetings:minutes_confirm", kwargs={"pk": meeting.pk})
        )  # double submit: a message
        assert Meeting.objects.get().status == Meeting.Status.CONFIRMED
        assert client.get(reverse("meetings:minutes_form", kwargs={"pk": meeting.pk})).status_code == 403

    def test_editing_a_planned_meeting_keeps_the_carried_items_first(self, staff, login):
        first = meet(staff, month_day(1))
        hold(staff, first)
        task = decide(staff, first)
        second = meet(staff, months_after(TODAY, 1), agenda=["旧议题", "保留议题"])
        response = login(staff).post(
            reverse("meetings:meeting_edit", kwargs={"pk": second.pk}),
            {
                "date": second.date.isoformat(),
                "place": "职工服务中心",
                "host": staff.pk,
                "recorder": staff.pk,
                "agenda": "保留议题\n新议题",
            },
        )
        assert response.status_code == 302
        items = list(second.agenda_items.order_by("position").values_list("carried_task", "title"))
        assert items == [(task.pk, "公布值班表"), (None, "保留议题"), (None, "新议题")]
        assert Meeting.objects.get(pk=second.pk).place == "职工服务中心"
        with pytest.raises(ValidationError, match="date|日期"):
            services.update_meeting(
                by=staff, meeting=first, date=first.date - DAY, place="x", host=staff, recorder=staff
            )

    def test_a_script_in_the_minutes_never_runs(self, staff, login, minutes):
        services.record_minutes(by=staff, meeting=minutes, summary="<script>alert(1)</script>", minutes={})
        page = login(staff).get(minutes.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in page

    def test_the_cadre_sees_the_meetings_they_attended_and_their_own_tasks(
        self, staff, cadre, login, minutes
    ):
        other = meet(staff, month_day(1))
        client = login(cadre)
        assert client.get(minutes.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 404
        assert client.get(reverse("meetings:minutes_pdf", kwargs={"pk": other.pk})).status_code == 404
        listed = client.get(reverse("meetings:meeting_list")).context["page"].object_list
        assert [m.pk for m in listed] == [minutes.pk]
        tasks = client.get(reverse("meetings:task_list")).context["page"].object_list
        assert [t.title for t in tasks] == ["上挂干部值班表公布"]
        staffs = Task.objects.get(owner=staff)
        assert client.get(staffs.get_absolute_url()).status_code == 404
        mine = Task.objects.get(owner=cadre)
        response = client.post(
            reverse("meetings:task_close", kwargs={"pk": mine.pk}), {"status": "done", "note": "已公布"}
        )
        assert response.status_code == 302 and not Task.objects.get(pk=mine.pk).is_open
        response = client.post(
            reverse("meetings:task_close", kwargs={"pk": mine.pk}), {"status": "done", "note": "已公布"}
        )
        assert response.status_code == 302  # a double submit: told it was closed already
        assert client.get(reverse("meetings:meeting_create")).status_code == 403

    def test_others_are_refused(self, client, login, minutes, chair_a, outsider, assoc_chair, staff):
        task = Task.objects.get(owner=staff)
        for user in (chair_a, outsider, assoc_chair):
            c = login(user)
            for url in (
                reverse("meetings:meeting_list"),
                reverse("meetings:task_list"),
                minutes.get_absolute_url(),
                task.get_absolute_url(),
            ):
                assert c.get(url).status_code == 403, (user, url)
            c.logout()
        assert client.get(reverse("meetings:meeting_list")).status_code == 302

    def test_the_minutes_as_a_chinese_pdf(self, staff, cadre, login, minutes, tmp_path):
        response = login(staff).get(reverse("meetings:minutes_pdf", kwargs={"pk": minutes.pk}))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        path = tmp_path / "minutes.pdf"
        path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
        text = subprocess.run(
            ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        for expected in ("三部一室", "月办公会议纪要", "上挂干部值班表公布", "权益保障部", "经费收缴"):
            assert expected in text


class TestQueries:
    def test_the_meeting_list(self, staff, login, minutes, django_assert_num_queries):
        client = login(staff)
        for n in range(1, 4):
            meet(staff, month_day(n))
        client.get(reverse("meetings:meeting_list"))
        # session, user, count, years, two for the duties, roles, notices, the page
        with django_assert_num_queries(9):
            client.get(reverse("meetings:meeting_list"))

    def test_a_meeting_page(self, staff, cadre, login, minutes, django_assert_num_queries):
        client = login(staff)
        nxt = meet(staff, months_after(TODAY, 1), attendees=[cadre])
        assert len(carried(nxt)) == 2
        client.get(nxt.get_absolute_url())
        with django_assert_num_queries(12):
            client.get(nxt.get_absolute_url())
        with django_assert_num_queries(11):
            client.get(minutes.get_absolute_url())

    def test_the_task_list(self, staff, login, minutes, django_assert_num_queries):
        client = login(staff)
        client.get(reverse("meetings:task_list"))
        with django_assert_num_queries(9):
            client.get(reverse("meetings:task_list"))


class TestDashboard:
    def test_owners_see_their_open_tasks_overdue_first(self, staff, cadre, minutes):
        cadre_task = Task.objects.get(owner=cadre)
        Task.objects.filter(pk=cadre_task.pk).update(due_on=TODAY - 3 * DAY)
        later = decide(staff, minutes, "年度总结", owner=cadre, days=3)
        items = my_meeting_tasks(Scope(day=TODAY, user=type(cadre).objects.get(pk=cadre.pk)))
        assert [i.title for i in items] == ["上挂干部值班表公布", "年度总结"]
        assert items[0].overdue and not items[1].overdue and later.title == items[1].title
        services.close_task(by=cadre, task=later, status=Task.Status.DONE, note="完成")
        assert len(my_meeting_tasks(Scope(day=TODAY, user=cadre))) == 1

    def test_not_for_chairs(self, chair_a):
        assert my_meeting_tasks(Scope(day=TODAY, user=chair_a)) is None
        assert minutes_to_record(Scope(day=TODAY, user=chair_a)) is None
        assert office_meeting(Scope(day=TODAY, user=chair_a)) is None

    def test_minutes_to_record_and_confirm(self, staff, minutes, finance_staff):
        waiting = meet(staff, month_day(1))
        items = minutes_to_record(Scope(day=TODAY, user=staff))
        assert [i.kind for i in items] == ["meetings.minutes", "meetings.minutes"]
        assert (
            str(waiting.date) in items[0].title
            and minutes_to_record(Scope(day=TODAY, user=finance_staff)) is None
        )

    def test_the_staff_panel(self, staff, minutes):
        panel = office_meeting(Scope(day=TODAY, user=staff))["meeting_panel"]
        assert panel["open"] == 2 and panel["overdue"] == 0

    def test_cadres_on_duty_are_suggested(self, staff, cadre, login):
        term = cadre.secondment_terms.get()
        day = due(3)
        DutyDay.objects.create(term=term, date=day, cycle_start=cycle_start(day))
        assert list(services.on_duty(day)) == [cadre]
        form = (
            login(staff).get(reverse("meetings:meeting_create") + f"?date={day.isoformat()}").context["form"]
        )
        assert cadre in form.initial["attendees"]


# --- every state change checks the organisation duty in the service -----------------------------------------


@pytest.mark.parametrize("duty", ["finance_staff", "aid_staff", "casework_staff", "audit_staff"])
def test_every_service_refuses_staff_without_the_organisation_duty(request, duty, staff, minutes):
    user = request.getfixturevalue(duty)
    task = Task.objects.get(owner=staff)
    nxt = meet(staff, months_after(TODAY, 1))
    item = nxt.agenda_items.filter(carried_task__isnull=False).first()
    calls = [
        lambda: meet(user, months_after(TODAY, 2)),
        lambda: services.update_meeting(
            by=user, meeting=minutes, date=minutes.date, place="x", host=staff, recorder=staff
        ),
        lambda: hold(user, minutes),
        lambda: services.confirm_minutes(by=user, meeting=minutes),
        lambda: decide(user, minutes, owner=staff),
        lambda: services.close_carried_task(by=user, item=item, outcome=DONE, note="完成"),
        lambda: services.close_task(by=user, task=task, status=Task.Status.DONE, note="完成"),
        lambda: services.close_task(by=user, task=task, status=Task.Status.DROPPED, note="不办"),
    ]
    before = (
        Meeting.objects.count(),
        list(Meeting.objects.values_list("status", "place")),
        Task.objects.open().count(),
    )
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (
        Meeting.objects.count(),
        list(Meeting.objects.values_list("status", "place")),
        Task.objects.open().count(),
    ) == before


def test_the_command_lists_open_tasks(staff, minutes):
    from io import StringIO

    from django.core.management import call_command

    Task.objects.filter(owner=staff).update(due_on=TODAY - DAY)
    out = StringIO()
    call_command("meeting_tasks", "--overdue", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{TODAY - DAY:%Y-%m-%d} rights staff 送温暖名单汇总 overdue",
        "open: 1",
    ]
    out = StringIO()
    call_command("meeting_tasks", stdout=out)
    assert out.getvalue().splitlines()[-1] == "open: 2"
