"""The monthly office meeting (三部一室月办公会议): planning a meeting, recording and confirming its minutes,
its decisions as tasks, and the follow-up of each open task from meeting to meeting.

Carry-over: a planned regular meeting's agenda begins with every task still open from earlier meetings
(one item each, linked to the task, in due-date order), then its own items. The carried items of every
planned regular meeting are brought up to date whenever a task changes (``_sync_planned``): a task decided
or left open at a meeting joins the next planned one; a task closed at a meeting leaves the later ones. A
task its owner closed between meetings stays on the planned meeting that already carried it, so that the
minutes record how it was closed. When the minutes are recorded, each carried task still open gets its
outcome there (``close_carried_task``): done with a note, still open (with a new due date or the same),
or dropped with a reason; one still open is carried again to the following meeting. Extraordinary
meetings carry nothing: their decisions are followed up at the next monthly meeting.

Every write is one transaction run with the acting user set (django-auditlog records who changed what);
the meeting's row is locked first, so a form posted twice finds the first post's result. Who may do what
is asked of ``permissions``; a refusal for lack of permission is PermissionDenied, a refusal of the data a
ValidationError naming every problem; nothing is written then. Confirmed minutes are locked: a correction
is a matter for the next meeting's minutes, never an edit."""

import datetime
from collections.abc import Iterable, Mapping

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from secondment.models import DutyDay, SecondmentTerm
from unionhub import workdays
from unionhub.certificates import federation_name
from unionhub.pdf import render_template_pdf

from .models import AgendaItem, Department, Meeting, Task
from .permissions import can_close_task, can_drop_task, can_manage_meetings

PDF_TEMPLATE = "meetings/minutes_pdf.html"
TITLE_LENGTH = Task._meta.get_field("title").max_length
ITEM_LENGTH = AgendaItem._meta.get_field("title").max_length
TEXT_LENGTH = 20_000


def _clean(text: str | None, length: int = TEXT_LENGTH) -> str:
    return (text or "").replace("\x00", "").strip()[:length]


# --- who may attend, own a task, chair or take the minutes ----------------------------------------------


def people_on(day: datetime.date):
    """Federation staff and the cadres whose term is active on ``day``: the people a meeting may have."""
    terms = SecondmentTerm.objects.active_on(day).filter(cadre=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Exists(terms))
        .order_by("-is_staff", "name", "username")
    )


def on_duty(day: datetime.date):
    """The seconded cadres on duty on ``day`` (the rota's duty days of active terms): suggested attendees."""
    duty = DutyDay.objects.filter(
        date=day, term__cadre=OuterRef("pk"), term__status=SecondmentTerm.Status.ACTIVE
    )
    return get_user_model().objects.filter(Exists(duty)).order_by("name", "username")


def _check_people(day, *, host, recorder, attendees) -> list[str]:
    allowed = set(people_on(day).values_list("pk", flat=True))
    problems = []
    if host is None or host.pk not in allowed or not host.is_federation_staff:
        problems.append(_("The meeting is chaired by a member of the federation's staff."))
    if recorder is None or recorder.pk not in allowed:
        problems.append(_("The minutes are taken by a member of staff or a cadre on an active term."))
    strangers = [str(user) for user in attendees if user.pk not in allowed]
    if strangers:
        problems.append(
            _("Only federation staff and cadres on an active term attend: %(names)s.")
            % {"names": "、".join(strangers)}
        )
    return problems


# --- the carried tasks ----------------------------------------------------------------------------------


def _carried_task_ids(meeting: Meeting) -> set[int]:
    """The tasks still open from meetings before this one: what its agenda begins with."""
    if meeting.kind != Meeting.Kind.REGULAR:
        return set()
    return set(
        Task.objects.open()
        .filter(meeting__date__lt=meeting.date)
        .exclude(meeting=meeting)
        .values_list("pk", flat=True)
    )


def _sync_carried(meeting: Meeting) -> None:
    """Bring a planned meeting's carried items up to date and number the agenda: carried tasks first, by due
    date, then the meeting's own items in their order."""
    if meeting.status != Meeting.Status.PLANNED:
        return
    wanted = _carried_task_ids(meeting)
    items = list(meeting.agenda_items.select_related("carried_task"))
    carried, own, gone = [], [], []
    for item in items:
        task = item.carried_task
        if task is None:
            own.append(item)
        elif item.outcome or task.pk in wanted or (not task.is_open and task.closed_at_meeting_id is None):
            carried.append(item)
            wanted.discard(task.pk)
        else:
            gone.append(item.pk)
    if gone:
        AgendaItem.objects.filter(pk__in=gone).delete()
    for task in Task.objects.filter(pk__in=wanted):
        carried.append(
            AgendaItem.objects.create(
                meeting=meeting, position=0, title=task.title[:ITEM_LENGTH], carried_task=task
            )
        )
    carried.sort(key=lambda item: (item.carried_task.due_on, item.carried_task.pk))
    own.sort(key=lambda item: (item.position, item.pk))
    for position, item in enumerate([*carried, *own], start=1):
        item.position = position
    AgendaItem.objects.bulk_update([*carried, *own], ["position"])


def _sync_planned() -> None:
    for meeting in Meeting.objects.regular().filter(status=Meeting.Status.PLANNED).order_by("date"):
        _sync_carried(meeting)


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


# --- planning -------------------------------------------------------------------------------------------


def _agenda_lines(agenda: Iterable[str]) -> list[str]:
    return [line for line in (_clean(line, ITEM_LENGTH) for line in agenda) if line]


def _month_taken(kind, date, exclude_pk=None) -> str | None:
    if kind != Meeting.Kind.REGULAR:
        return None
    clash = Meeting.objects.regular().filter(month=date.replace(day=1)).exclude(pk=exclude_pk).first()
    if clash is None:
        return None
    return _(
        "The monthly meeting of %(month)s is already planned for %(date)s: move that one, or call an "
        "extraordinary meeting."
    ) % {"month": date.strftime("%Y-%m"), "date": clash.date.isoformat()}


def plan_meeting(
    *,
    by,
    date: datetime.date,
    place: str,
    host,
    recorder,
    attendees: Iterable = (),
    agenda: Iterable[str] = (),
    kind: str = Meeting.Kind.REGULAR,
) -> Meeting:
    """A new meeting, planned: its agenda begins with the tasks still open from earlier meetings."""
    if not can_manage_meetings(by):
        raise PermissionDenied
    attendees = list(attendees)
    lines = _agenda_lines(agenda)
    with transaction.atomic(), set_actor(by):
        # Serialise planning: two regular meetings of one month are refused here, not by the constraint.
        list(
            Meeting.objects.select_for_update().filter(month=date.replace(day=1)).values_list("pk", flat=True)
        )
        problems = []
        if kind not in Meeting.Kind.values:
            problems.append(_("Choose the kind of meeting."))
        if not _clean(place):
            problems.append(_("Say where the meeting is held."))
        if clash := _month_taken(kind, date):
            problems.append(clash)
        problems += _check_people(date, host=host, recorder=recorder, attendees=attendees)
        if problems:
            raise ValidationError(problems)
        meeting = Meeting.objects.create(
            kind=kind,
            date=date,
            month=date.replace(day=1),
            place=_clean(place, 100),
            host=host,
            recorder=recorder,
        )
        meeting.attendees.set({*attendees, host, recorder})
        AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, position=n, title=line) for n, line in enumerate(lines, start=1)]
        )
        _sync_carried(meeting)
        return meeting


def update_meeting(
    *,
    by,
    meeting: Meeting,
    date: datetime.date,
    place: str,
    host,
    recorder,
    attendees: Iterable = (),
    agenda: Iterable[str] | None = None,
) -> Meeting:
    """Change a meeting's date, place, people and (while planned) its own agenda items. Confirmed minutes
    are locked; a held meeting keeps its date (its decisions and carried outcomes hang on it)."""
    if not can_manage_meetings(by):
        raise PermissionDenied
    attendees = list(attendees)
    with transaction.atomic(), set_actor(by):
        meeting = _lock(meeting)
        if meeting.locked:
            raise ValidationError(_("The minutes are confirmed: the meeting can no longer be changed."))
        problems = []
        if meeting.status != Meeting.Status.PLANNED and date != meeting.date:
            problems.append(_("The meeting has been held: its date can no longer be changed."))
        if not _clean(place):
            problems.append(_("Say where the meeting is held."))
        if clash := _month_taken(meeting.kind, date, exclude_pk=meeting.pk):
            problems.append(clash)
        problems += _check_people(date, host=host, recorder=recorder, attendees=attendees)
        if problems:
            raise ValidationError(problems)
        meeting.date, meeting.month, meeting.place = date, date.replace(day=1), _clean(place, 100)
        meeting.host, meeting.recorder = host, recorder
        meeting.save(update_fields=["date", "month", "place", "host", "recorder"])
        meeting.attendees.set({*attendees, host, recorder})
        if agenda is not None and meeting.status == Meeting.Status.PLANNED:
            own = {item.title: item for item in meeting.agenda_items.filter(carried_task__isnull=True)}
            lines = _agenda_lines(agenda)
            AgendaItem.objects.filter(
                pk__in=[item.pk for title, item in own.items() if title not in lines]
            ).delete()
            for n, line in enumerate(lines, start=1000):
                if line in own:
                    own[line].position = n
                    own[line].save(update_fields=["position"])
                else:
                    AgendaItem.objects.create(meeting=meeting, position=n, title=line)
        _sync_planned()
        return meeting


# --- the minutes ------------------------------------------------------------------------------------------


def _outcome_problems(item: AgendaItem, outcome: str, note: str, new_due_on, today) -> list[str]:
    label = item.carried_task.title
    if outcome not in AgendaItem.Outcome.values:
        return [_("“%(task)s”: say how the task stands (done, still open or dropped).") % {"task": label}]
    if outcome in (AgendaItem.Outcome.DONE, AgendaItem.Outcome.DROPPED) and not note:
        return [
            _("“%(task)s”: say how it was done.") % {"task": label}
            if outcome == AgendaItem.Outcome.DONE
            else _("“%(task)s”: give the reason for dropping it.") % {"task": label}
        ]
    if outcome == AgendaItem.Outcome.OPEN and new_due_on is not None:
        return [f"“{label}”：{p}" for p in _due_problems(new_due_on, today)]
    return []


def _apply_outcome(item: AgendaItem, outcome: str, note: str, new_due_on, *, by, meeting: Meeting) -> None:
    task = Task.objects.select_for_update().get(pk=item.carried_task_id)
    item.outcome, item.outcome_note, item.new_due_on = outcome, note, None
    if outcome == AgendaItem.Outcome.OPEN:
        if new_due_on is not None and new_due_on != task.due_on:
            item.new_due_on = task.due_on = new_due_on
            task.save(update_fields=["due_on"])
    else:
        task.status = Task.Status.DONE if outcome == AgendaItem.Outcome.DONE else Task.Status.DROPPED
        task.closed_note, task.closed_on, task.closed_by, task.closed_at_meeting = (
            note,
            meeting.date,
            by,
            meeting,
        )
        task.save(update_fields=["status", "closed_note", "closed_on", "closed_by", "closed_at_meeting"])
    item.save(update_fields=["outcome", "outcome_note", "new_due_on"])


def close_carried_task(
    *, by, item: AgendaItem, outcome: str, note: str = "", new_due_on: datetime.date | None = None
) -> AgendaItem:
    """Record how a carried task stands at the meeting that carried it: done (with how), still open (with a
    new due date, or the same one) or dropped (with the reason). Once recorded it stays as recorded."""
    if not can_manage_meetings(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        meeting = _lock(item.meeting)
        item = AgendaItem.objects.select_related("carried_task").get(pk=item.pk)
        if item.carried_task is None:
            raise ValidationError(_("This agenda item carries no task."))
        if meeting.locked:
            raise ValidationError(_("The minutes are confirmed: they can no longer be changed."))
        if item.outcome:
            raise ValidationError(_("How this task stands was already recorded at this meeting."))
        if not item.carried_task.is_open:
            raise ValidationError(_("The task was closed already."))
        if meeting.date > timezone.localdate():
            raise ValidationError(_("The meeting has not taken place yet."))
        note = _clean(note)
        problems = _outcome_problems(item, outcome, note, new_due_on, timezone.localdate())
        if problems:
            raise ValidationError(problems)
        _apply_outcome(item, outcome, note, new_due_on, by=by, meeting=meeting)
        _sync_planned()
        return item


def record_minutes(
    *,
    by,
    meeting: Meeting,
    summary: str,
    minutes: Mapping[int, str],
    outcomes: Mapping[int, tuple[str, str, datetime.date | None]] | None = None,
) -> Meeting:
    """Record (or, until they are confirmed, correct) the minutes: the overall text and each agenda item's,
    and how each carried task stands (``outcomes``: agenda item pk → (outcome, note, new due date)); every
    carried task still open must get its outcome. The meeting is then held."""
    if not can_manage_meetings(by):
        raise PermissionDenied
    outcomes = outcomes or {}
    today = timezone.localdate()
    with transaction.atomic(), set_actor(by):
        meeting = _lock(meeting)
        if meeting.locked:
            raise ValidationError(_("The minutes are confirmed: they can no longer be changed."))
        if meeting.date > today:
            raise ValidationError(
                _("The meeting is planned for %(date)s: its minutes are recorded once it has taken place.")
                % {"date": meeting.date.isoformat()}
            )
        items = list(meeting.agenda_items.select_related("carried_task"))
        problems, to_apply = [], []
        for item in items:
            task = item.carried_task
            if task is None or item.outcome:
                continue
            if not task.is_open:
                # Closed by its owner since it was carried: the minutes record it as it was closed.
                outcome = (
                    AgendaItem.Outcome.DONE if task.status == Task.Status.DONE else AgendaItem.Outcome.DROPPED
                )
                item.outcome, item.outcome_note = outcome, task.closed_note
                item.save(update_fields=["outcome", "outcome_note"])
                continue
            outcome, note, new_due_on = outcomes.get(item.pk, ("", "", None))
            note = _clean(note)
            item_problems = _outcome_problems(item, outcome, note, new_due_on, today)
            problems += item_problems
            if not item_problems:
                to_apply.append((item, outcome, note, new_due_on))
        if problems:
            raise ValidationError(problems)
        for item, outcome, note, new_due_on in to_apply:
            _apply_outcome(item, outcome, note, new_due_on, by=by, meeting=meeting)
        for item in items:
            text = _clean(minutes.get(item.pk, item.minutes))
            if text != item.minutes:
                item.minutes = text
                item.save(update_fields=["minutes"])
        meeting.summary = _clean(summary)
        meeting.status = Meeting.Status.HELD
        meeting.held_recorded_by = by
        meeting.save(update_fields=["summary", "status", "held_recorded_by"])
        _sync_planned()
        return meeting


def confirm_minutes(*, by, meeting: Meeting) -> Meeting:
    """Confirm the minutes of a held meeting: from now on they are locked."""
    if not can_manage_meetings(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        meeting = _lock(meeting)
        if meeting.status == Meeting.Status.CONFIRMED:
            raise ValidationError(_("The minutes were confirmed already."))
        if meeting.status != Meeting.Status.HELD:
            raise ValidationError(_("Record the minutes before confirming them."))
        meeting.status = Meeting.Status.CONFIRMED
        meeting.confirmed_by, meeting.confirmed_at = by, timezone.now()
        meeting.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        return meeting


# --- decisions and tasks ---------------------------------------------------------------------------------


def _due_problems(due_on: datetime.date | None, today: datetime.date) -> list[str]:
    if due_on is None:
        return [_("Give the due date.")]
    if due_on < today:
        return [
            _("The due date %(date)s has passed: choose today or a later day.") % {"date": due_on.isoformat()}
        ]
    if not workdays.is_working_day(due_on):
        return [
            _("%(date)s is not a working day: the next one is %(next)s.")
            % {"date": due_on.isoformat(), "next": workdays.next_working_day(due_on).isoformat()}
        ]
    return []


def add_decision(
    *, by, meeting: Meeting, title: str, owner, department: str, due_on: datetime.date | None
) -> Task:
    """A decision of the meeting, as a task with its owner (staff or a cadre on an active term), department
    and due date (today or later, a working day)."""
    if not can_manage_meetings(by):
        raise PermissionDenied
    today = timezone.localdate()
    title = _clean(title, TITLE_LENGTH)
    with transaction.atomic(), set_actor(by):
        meeting = _lock(meeting)
        if meeting.locked:
            raise ValidationError(_("The minutes are confirmed: no decision can be added to them."))
        if meeting.date > today:
            raise ValidationError(
                _("The meeting has not taken place yet: its decisions come when it is held.")
            )
        problems = []
        if not title:
            problems.append(_("Say what was decided."))
        if department not in Department.values:
            problems.append(_("Choose the department."))
        if owner is None or not people_on(today).filter(pk=owner.pk).exists():
            problems.append(_("A task is owned by a member of staff or a cadre on an active term."))
        problems += _due_problems(due_on, today)
        if not problems and meeting.decisions.filter(title=title, owner=owner).exists():
            problems.append(_("This decision is recorded already."))
        if problems:
            raise ValidationError(problems)
        task = Task.objects.create(
            meeting=meeting, title=title, owner=owner, department=department, due_on=due_on, created_by=by
        )
        _sync_planned()
        return task


def close_task(*, by, task: Task, status: str, note: str) -> Task:
    """Close a task between meetings: done (its owner or the meetings' managers), with how; or dropped
    (the managers), with the reason. A closed task stays closed."""
    note = _clean(note)
    with transaction.atomic(), set_actor(by):
        task = Task.objects.select_for_update().get(pk=task.pk)
        if not task.is_open:
            raise ValidationError(_("The task was closed already."))
        if status == Task.Status.DONE:
            allowed = can_close_task(by, task)
        elif status == Task.Status.DROPPED:
            allowed = can_drop_task(by, task)
        else:
            raise ValidationError(_("Choose done or dropped."))
        if not allowed:
            raise PermissionDenied
        if not note:
            raise ValidationError(
                _("Say how it was done.")
                if status == Task.Status.DONE
                else _("Give the reason for dropping it.")
            )
        task.status, task.closed_note, task.closed_on, task.closed_by = status, note, timezone.localdate(), by
        task.save(update_fields=["status", "closed_note", "closed_on", "closed_by"])
        _sync_planned()
        return task


# --- the minutes as a PDF -----------------------------------------------------------------------------------


def minutes_context(meeting: Meeting) -> dict:
    items = list(meeting.agenda_items.select_related("carried_task__owner"))
    return {
        "federation_name": federation_name(),
        "meeting": meeting,
        "attendees": list(meeting.attendees.order_by("-is_staff", "name", "username")),
        "carried": [item for item in items if item.carried_task_id],
        "own_items": [item for item in items if not item.carried_task_id],
        "decisions": list(meeting.decisions.select_related("owner").order_by("department", "due_on", "pk")),
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as a Chinese PDF (an official record, always in Chinese)."""
    return render_template_pdf(PDF_TEMPLATE, minutes_context(meeting))
