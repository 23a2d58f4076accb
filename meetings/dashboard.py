"""The office meeting on the dashboard (see ``unionhub/contributions.py``): each owner's open tasks in the
to-do card (overdue first: the core sorts by date), the minutes waiting to be recorded or confirmed for the
staff who manage the meetings, and a panel for staff with the next meeting and the open tasks by department."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import Scope, Severity, TodoItem, dashboard_panel, severity_for, todo_items

from .models import Department, Meeting, Task
from .permissions import can_manage_meetings


@todo_items(order=97, shows=gettext_lazy("the office meeting's tasks you own"))
def my_meeting_tasks(scope: Scope) -> list[TodoItem] | None:
    user, day = scope.user, scope.day
    if not (user.is_federation_staff or user.is_seconded_cadre):
        return None
    tasks = Task.objects.open().filter(owner=user).select_related("meeting").order_by("due_on", "pk")[:20]
    # None, not an empty list, when they own no open task: being staff does not by itself make a to-do card
    # (staff without a duty that lists anything get none).
    return [
        TodoItem(
            due=task.due_on,
            title=task.title,
            detail=_("%(department)s · decided at the meeting of %(date)s")
            % {"department": task.get_department_display(), "date": task.meeting.date.isoformat()},
            url=task.get_absolute_url(),
            action=_("Report it done"),
            severity=severity_for(task.due_on, day),
            sort_key=f"{task.pk:010d}",
            kind="meetings.task",
        )
        for task in tasks
    ] or None


@todo_items(order=98, shows=gettext_lazy("office meetings' minutes to record or confirm"))
def minutes_to_record(scope: Scope) -> list[TodoItem] | None:
    """For the staff who manage the meetings: a meeting that has taken place without minutes, and minutes
    recorded but not yet confirmed."""
    user, day = scope.user, scope.day
    if not can_manage_meetings(user):
        return None
    items = []
    waiting = Meeting.objects.filter(
        Q(status=Meeting.Status.PLANNED, date__lte=day) | Q(status=Meeting.Status.HELD)
    ).order_by("date")[:10]
    for meeting in waiting:
        planned = meeting.status == Meeting.Status.PLANNED
        values = {"date": meeting.date.isoformat(), "kind": meeting.get_kind_display()}
        items.append(
            TodoItem(
                due=meeting.date,
                title=(
                    _("Minutes of the %(kind)s of %(date)s")
                    if planned
                    else _("Confirm the minutes of %(date)s")
                )
                % values,
                detail=_("The meeting has taken place: record its minutes, decisions and carried tasks.")
                if planned
                else _("Recorded, not yet confirmed: confirming locks them."),
                url=reverse(
                    "meetings:minutes_form" if planned else "meetings:meeting_detail",
                    kwargs={"pk": meeting.pk},
                ),
                action=_("Record the minutes") if planned else _("Confirm"),
                severity=severity_for(meeting.date, day) if planned else Severity.NORMAL,
                sort_key=f"{meeting.pk:010d}",
                kind="meetings.minutes",
            )
        )
    return items


@dashboard_panel(order=80, template="meetings/dashboard/office_meeting.html", role=False)
def office_meeting(scope: Scope) -> dict | None:
    """Staff: the next meeting (or the last), and the open and overdue tasks of each department."""
    if not scope.user.is_federation_staff:
        return None
    day = scope.day
    upcoming = Meeting.objects.filter(date__gte=day).order_by("date", "pk").first() or (
        Meeting.objects.order_by("-date", "-pk").first()
    )
    counts = {
        row["department"]: row
        for row in Task.objects.open()
        .values("department")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=day)))
        .order_by()
    }
    departments = [
        (value, label, counts.get(value, {}).get("open", 0), counts.get(value, {}).get("overdue", 0))
        for value, label in Department.choices
    ]
    return {
        "meeting_panel": {
            "meeting": upcoming,
            "departments": departments,
            "open": sum(row[2] for row in departments),
            "overdue": sum(row[3] for row in departments),
            "today": day,
        }
    }
