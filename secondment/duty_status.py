"""Which of a cadre's duty days still need logging, and what they can do about each: log it (inside the
logging window, ``DutyDay.log_deadline``, or inside an accepted late entry's ``log_by``), ask the staff for a
late entry (the window has passed), or wait for the staff's answer. Read by the cadre's to-do items
(``secondment.dashboard``) and the top of their duty page, so both say the same thing."""

import dataclasses
import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Q

from .models import DutyDay, DutyLog, LateEntryRequest, SecondmentTerm
from .rules import rules

LATE_ENTRY_OFFERED_DAYS = 30  # after its window, a missed day stays on the cadre's list this long


class State:
    LOG = "log"  # inside the logging window: log it now
    LATE = "late"  # the window has passed: ask the staff for a late entry
    PENDING = "pending"  # a late entry awaits the staff
    ACCEPTED = "accepted"  # a late entry was accepted: log it before ``deadline``


@dataclasses.dataclass
class DayToLog:
    day: DutyDay
    state: str
    deadline: datetime.date | None  # the last day to log it (LOG, ACCEPTED), or the window's (LATE)
    request: LateEntryRequest | None = None

    @property
    def can_log(self) -> bool:
        return self.state in (State.LOG, State.ACCEPTED)


def days_to_log(user, today: datetime.date) -> list[DayToLog]:
    """The user's unlogged duty days up to ``today`` (a log staff did not accept counts as unlogged): every
    day still inside its window; the days past it by at most ``LATE_ENTRY_OFFERED_DAYS`` in a term active
    today; and any day with a late entry pending or accepted and still open. A day whose late entry was refused is left out (it is a missed day).
    Two queries, whatever the number of days."""
    window_start = today - datetime.timedelta(days=rules().log_window_days)
    requests = LateEntryRequest.objects.filter(duty_day=OuterRef("pk"))
    # A missed day is offered a late entry for a while after its window, then it is simply a missed day (the
    # log form still offers one when the cadre opens it).
    recently_missed = Q(
        term__status=SecondmentTerm.Status.ACTIVE,
        term__start_date__lte=today,
        term__end_date__gte=today,
        date__gte=window_start - datetime.timedelta(days=LATE_ENTRY_OFFERED_DAYS),
    )
    days = (
        DutyDay.objects.filter(term__cadre=user, date__lte=today)
        .filter(date__gte=F("term__start_date"), date__lte=F("term__end_date"))
        .filter(Q(log__isnull=True) | Q(log__status=DutyLog.Status.REJECTED))
        .filter(
            Q(date__gte=window_start)
            | recently_missed
            | Exists(requests.filter(status=LateEntryRequest.Status.PENDING))
            | Exists(requests.filter(status=LateEntryRequest.Status.ACCEPTED, log_by__gte=today))
        )
        .select_related("term")
        .prefetch_related(
            Prefetch(
                "late_entry_requests",
                queryset=LateEntryRequest.objects.order_by("-requested_at", "-pk"),
                to_attr="requests_newest_first",
            )
        )
        .order_by("date")
    )
    found = []
    for day in days:
        latest = day.requests_newest_first[0] if day.requests_newest_first else None
        if not day.window_passed(today):
            found.append(DayToLog(day=day, state=State.LOG, deadline=day.log_deadline))
        elif latest is None:
            found.append(DayToLog(day=day, state=State.LATE, deadline=day.log_deadline))
        elif latest.status == LateEntryRequest.Status.PENDING:
            found.append(DayToLog(day=day, state=State.PENDING, deadline=None, request=latest))
        elif latest.status == LateEntryRequest.Status.ACCEPTED and latest.log_by and latest.log_by >= today:
            found.append(DayToLog(day=day, state=State.ACCEPTED, deadline=latest.log_by, request=latest))
        elif latest.status == LateEntryRequest.Status.ACCEPTED:
            # The accepted window ran out too: the cadre may ask again.
            found.append(DayToLog(day=day, state=State.LATE, deadline=day.log_deadline, request=latest))
    return found
