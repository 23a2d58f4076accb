"""The demo's office meetings: twelve monthly meetings up to today, carried tasks followed up, and overdue tasks
for the demo ``staff`` and ``cadre`` (the demo step runs on any day: ``pytest --today``)."""

import datetime
import random

from meetings.demo import seed_meetings
from meetings.models import AgendaItem, Meeting, Task
from secondment.models import SecondmentTerm

from ..conftest import TODAY

DAY = datetime.timedelta(days=1)


def test_twelve_meetings_with_their_tasks_carried_until_closed(staff, make_user, union_a):
    cadre = make_user("cadre", name="陆一鸣")
    SecondmentTerm.objects.create(
        cadre=cadre, union=union_a, start_date=TODAY - 300 * DAY, end_date=TODAY + 60 * DAY
    )
    seed_meetings(rng=random.Random(7), today=TODAY, staff=staff, cadre=cadre)
    meetings = list(Meeting.objects.order_by("date"))
    assert len(meetings) == 12 and len({m.month for m in meetings}) == 12
    assert meetings[-1].month == TODAY.replace(day=1)
    held = [m for m in meetings if m.date <= TODAY]
    assert held[-1].status == Meeting.Status.HELD
    assert {m.status for m in held[:-1]} == {Meeting.Status.CONFIRMED}
    assert all(m.status == Meeting.Status.PLANNED for m in meetings if m.date > TODAY)
    for meeting in held:
        assert 3 <= meeting.decisions.count() <= 6
        assert not meeting.agenda_items.filter(carried_task__isnull=False, outcome="").exists()
    # Every task still open after a meeting is on the next one's agenda.
    for before, after in zip(meetings, meetings[1:], strict=False):
        still_open = set(
            Task.objects.filter(meeting__date__lte=before.date)
            .exclude(closed_at_meeting__date__lte=before.date)
            .values_list("pk", flat=True)
        )
        assert still_open <= set(after.agenda_items.values_list("carried_task", flat=True))
    overdue = Task.objects.overdue(TODAY)
    assert overdue.filter(owner=staff).exists() and overdue.filter(owner=cadre).exists()
    assert AgendaItem.objects.filter(outcome=AgendaItem.Outcome.DROPPED).exists()
