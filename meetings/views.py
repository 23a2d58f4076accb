"""The office meeting's pages (三部一室月办公会议): the list of meetings, a meeting with its agenda, minutes,
decisions and carried tasks, the forms that plan it, record and confirm its minutes and add decisions, its
minutes as a PDF, and the tasks (every task for staff, their own for a cadre) with the page that closes one.

Staff and seconded cadres use these pages (others: 403); a cadre sees the meetings they attended and the
tasks they own (anything else: 404); managing needs the organisation duty (403 without it)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub import workdays
from unionhub.access import check_required, require
from unionhub.paging import page_of
from unionhub.params import choice_param, date_param, year_param
from unionhub.posted import add_errors, error_messages
from unionhub.rules_library import render_markdown

from . import permissions, services
from .forms import CloseTaskForm, DecisionForm, MeetingForm, MinutesForm
from .models import AgendaItem, Department, Meeting, Task


def _meeting_for(user, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("host", "recorder", "confirmed_by"), pk=pk
    )


@check_required(permissions.can_use_meetings)
def meeting_list(request):
    """Every meeting for staff, the meetings they attended for a cadre; by year, newest first."""
    meetings = Meeting.objects.visible_to(request.user)
    year = year_param(request, "year")
    if year is not None:
        meetings = meetings.filter(date__year=year)
    rows = meetings.select_related("host").annotate(
        n_decisions=Count("decisions", distinct=True),
        n_open=Count("decisions", filter=Q(decisions__status=Task.Status.OPEN), distinct=True),
    )
    page = page_of(request, rows.order_by("-date", "-pk"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "year": year,
            "years": [d.year for d in Meeting.objects.visible_to(request.user).dates("date", "year", "DESC")],
            "can_manage": permissions.can_manage_meetings(request.user),
        },
    )


@check_required(permissions.can_use_meetings)
def meeting_detail(request, pk):
    meeting = _meeting_for(request.user, pk)
    items = list(
        meeting.agenda_items.select_related("carried_task__owner", "carried_task__meeting").order_by(
            "position", "pk"
        )
    )
    for item in items:
        item.minutes_html = render_markdown(item.minutes) if item.minutes else ""
    decisions = list(meeting.decisions.select_related("owner").order_by("due_on", "pk"))
    today = timezone.localdate()
    can_manage = permissions.can_manage_meetings(request.user)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "summary_html": render_markdown(meeting.summary) if meeting.summary else "",
            "attendees": list(meeting.attendees.order_by("-is_staff", "name", "username")),
            "on_duty": list(services.on_duty(meeting.date))
            if meeting.status == Meeting.Status.PLANNED
            else [],
            "decisions": decisions,
            "today": today,
            "can_manage": can_manage,
            "can_record": can_manage and not meeting.locked and meeting.date <= today,
            "can_decide": can_manage and not meeting.locked and meeting.date <= today,
        },
    )


def _meeting_form(request, meeting: Meeting | None):
    if meeting is None:
        day = date_param(request, "date") or workdays.next_working_day(timezone.localdate())
        initial = {
            "date": day,
            "kind": Meeting.Kind.REGULAR,
            "place": _("Federation meeting room"),
            "host": request.user if request.user.is_federation_staff else None,
            "recorder": request.user,
            "attendees": [
                *services.people_on(day).filter(is_staff=True),
                *services.on_duty(day),
            ],
        }
    else:
        day = meeting.date
        initial = {
            "date": meeting.date,
            "place": meeting.place,
            "host": meeting.host,
            "recorder": meeting.recorder,
            "attendees": list(meeting.attendees.all()),
            "agenda": "\n".join(
                meeting.agenda_items.filter(carried_task__isnull=True).values_list("title", flat=True)
            ),
        }
    return MeetingForm(
        request.POST or None, day=_posted_day(request) or day, editing=meeting, initial=initial
    )


def _posted_day(request) -> datetime.date | None:
    """The posted date, read as the form would, so that the people offered are those of that day."""
    if request.method != "POST":
        return None
    field = MeetingForm.base_fields["date"]
    try:
        return field.clean(request.POST.get("date", ""))
    except ValidationError:
        return None


@check_required(permissions.can_manage_meetings)
def meeting_create(request):
    form = _meeting_form(request, None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                by=request.user,
                kind=data["kind"],
                date=data["date"],
                place=data["place"],
                host=data["host"],
                recorder=data["recorder"],
                attendees=data["attendees"],
                agenda=form.agenda_lines() or [],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Meeting planned."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@check_required(permissions.can_use_meetings)
def meeting_edit(request, pk):
    meeting = _meeting_for(request.user, pk)
    require(permissions.can_manage_meetings(request.user) and not meeting.locked)
    form = _meeting_form(request, meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_meeting(
                by=request.user,
                meeting=meeting,
                date=data["date"],
                place=data["place"],
                host=data["host"],
                recorder=data["recorder"],
                attendees=data["attendees"],
                agenda=form.agenda_lines(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@check_required(permissions.can_use_meetings)
def minutes_form(request, pk):
    meeting = _meeting_for(request.user, pk)
    require(permissions.can_manage_meetings(request.user) and not meeting.locked)
    items = list(meeting.agenda_items.select_related("carried_task__owner").order_by("position", "pk"))
    form = MinutesForm(request.POST or None, meeting=meeting, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minutes(
                by=request.user,
                meeting=meeting,
                summary=form.cleaned_data["summary"],
                minutes=form.minutes(),
                outcomes=form.outcomes(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Minutes recorded."))
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_form.html",
        {"form": form, "meeting": meeting, "not_yet": meeting.date > timezone.localdate()},
    )


@check_required(permissions.can_use_meetings)
@require_POST
def minutes_confirm(request, pk):
    meeting = _meeting_for(request.user, pk)
    require(permissions.can_manage_meetings(request.user))
    try:
        services.confirm_minutes(by=request.user, meeting=meeting)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Minutes confirmed: they are now locked."))
    return redirect(meeting)


@check_required(permissions.can_use_meetings)
def decision_create(request, pk):
    meeting = _meeting_for(request.user, pk)
    require(permissions.can_manage_meetings(request.user) and not meeting.locked)
    today = timezone.localdate()
    form = DecisionForm(request.POST or None, day=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_decision(
                by=request.user,
                meeting=meeting,
                title=data["title"],
                owner=data["owner"],
                department=data["department"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            if "another" in request.POST:
                return redirect("meetings:decision_create", pk=meeting.pk)
            return redirect(meeting)
    return render(request, "meetings/decision_form.html", {"form": form, "meeting": meeting, "today": today})


@check_required(permissions.can_use_meetings)
def minutes_pdf(request, pk):
    """The minutes as a Chinese PDF, generated on request for those who may see the meeting."""
    meeting = _meeting_for(request.user, pk)
    response = HttpResponse(services.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.date:%Y-%m-%d}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- tasks ----------------------------------------------------------------------------------------------


SHOW = ("open", "overdue", "closed", "all")


@check_required(permissions.can_use_meetings)
def task_list(request):
    """Staff: every task, or their own (``?mine=1``); a cadre: their own. Open ones by default, overdue
    first, then by due date."""
    user, today = request.user, timezone.localdate()
    tasks = Task.objects.visible_to(user)
    mine = choice_param(request, "mine", ("1",)) == "1" or not user.is_federation_staff
    if mine:
        tasks = tasks.filter(owner=user)
    show = choice_param(request, "show", SHOW, default="open")
    if show == "open":
        tasks = tasks.open()
    elif show == "overdue":
        tasks = tasks.overdue(today)
    elif show == "closed":
        tasks = tasks.exclude(status=Task.Status.OPEN)
    department = choice_param(request, "department", Department.values)
    if department:
        tasks = tasks.filter(department=department)
    tasks = tasks.select_related("owner", "meeting").order_by("due_on", "pk")
    page = page_of(request, tasks)
    return render(
        request,
        "meetings/task_list.html",
        {
            "page": page,
            "today": today,
            "mine": mine,
            "show": show,
            "department": department,
            "departments": Department.choices,
            "staff": user.is_federation_staff,
        },
    )


def _task_for(user, pk) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(user).select_related("owner", "meeting", "closed_by", "closed_at_meeting"),
        pk=pk,
    )


@check_required(permissions.can_use_meetings)
def task_detail(request, pk):
    task = _task_for(request.user, pk)
    can_close = permissions.can_close_task(request.user, task)
    visible = set(Meeting.objects.visible_to(request.user).values_list("pk", flat=True))
    carried = list(
        AgendaItem.objects.filter(carried_task=task).select_related("meeting").order_by("meeting__date")
    )
    return render(
        request,
        "meetings/task_detail.html",
        {
            "task": task,
            "carried": carried,
            "visible_meetings": visible,
            "today": timezone.localdate(),
            "form": CloseTaskForm(can_drop=permissions.can_drop_task(request.user, task))
            if can_close
            else None,
        },
    )


@check_required(permissions.can_use_meetings)
@require_POST
def task_close(request, pk):
    task = _task_for(request.user, pk)
    require(permissions.can_close_task(request.user, task) or not task.is_open)
    form = CloseTaskForm(request.POST, can_drop=permissions.can_drop_task(request.user, task))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(task)
    try:
        services.close_task(by=request.user, task=task, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Task closed."))
    return redirect(task)
