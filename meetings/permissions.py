"""Who may do what with the office meetings: the named checks that views and services ask.

Meetings are internal. Seeing is being federation staff (every meeting and task) or a seconded cadre on
an active term (the meetings they attended, the tasks they own); managing meetings — planning them,
recording and confirming minutes, recording decisions, closing or dropping any task — needs the
organisation duty: the office (办公室) is under the organisation duty here. A task's owner may mark
their own task done."""

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant


def can_use_meetings(user) -> bool:
    """Federation staff and seconded cadres; union chairs, association chairs and the rest are refused."""
    return has_role(user, "staff", "cadre")


def can_manage_meetings(user) -> bool:
    return has_duty(user, "meetings.change_meeting")


def can_close_task(user, task) -> bool:
    """Mark the task done: its owner, or whoever manages the meetings."""
    return task.is_open and (
        can_manage_meetings(user) or (user.is_authenticated and task.owner_id == user.pk)
    )


def can_drop_task(user, task) -> bool:
    """Drop a task, with a reason: a decision of the meeting, so whoever manages the meetings."""
    return task.is_open and can_manage_meetings(user)


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "meetings.add_meeting",
        "meetings.change_meeting",
        "meetings.view_meeting",
        "meetings.add_task",
        "meetings.change_task",
        "meetings.view_task",
    ],
)
