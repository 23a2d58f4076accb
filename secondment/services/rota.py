"""The duty rota (值班表) of seconded cadres: generation, unavailable dates, swaps and moves.

The rules, and the decisions taken where the brief left room:

* **One duty day per two-week cycle.** Cycles are counted from ``rules().cycle_anchor`` (a Monday),
  so every cadre's cycles share the same boundaries. ``generate(start, end)`` widens the requested
  range to whole cycles and says so in the result. Every *active* term gets exactly one duty day in
  each cycle that overlaps the term, on a working day of the overlap (the holiday calendar decides:
  statutory holidays never, an adjusted working Saturday yes) that the cadre has not declared
  unavailable. When no such day exists, that is a problem named in a sentence, never silently skipped.
* **Frozen days.** A day dated today or earlier is never moved or deleted (today's duty is already
  being served), nor is a day with a ``DutyLog``. New days are placed from tomorrow on; a cycle with
  no working day after today is left exactly as it is (reported in ``RotaResult.notes``).
* **Stable regeneration.** Existing future rota days that are still valid (term active on that date,
  working day, not declared unavailable) are kept, so re-running the generator changes nothing.
  Invalid ones are removed and their cycle refilled. Days that came from a swap or a move are the
  cadres' own agreement: they are kept even when no longer valid, and that is reported as a problem
  for staff to resolve by hand. A term that is no longer active (ended early, or completed) loses
  its future days, whatever their origin. Removing a day also removes the swap requests made on it
  (the model cascades).
* **Evenness.** Within each cycle, the number of cadres on duty per working day is as even as the
  constraints allow: most-constrained cadre first, each to the least-loaded day it can take
  (ties go to the same day of the cycle as the cadre's previous duty, so a cadre keeps a regular
  weekday), then an improvement pass that moves newly placed cadres along chains of days, from a
  fullest day to a day holding at least two fewer, until no chain exists. Only days placed in this
  run move: kept days stay put. ``RotaResult.spread`` is max − min over the cycle's working days
  after today; a spread above 1 is reported as a problem, with its cause.
* **Speed.** One ``working_days`` call, one query each for terms, existing days (with their log
  flag) and unavailable dates, one bulk delete and one ``bulk_create``: no per-day queries.
  Generation runs in one transaction and locks the terms it plans (PostgreSQL), so a double-submitted
  form waits for the first run and then keeps everything it created.
* **The calendar's horizon.** Without ``beyond_calendar=True`` generation stops at the last day of the
  holiday calendar entered (``unionhub.workdays.known_until``): a cycle reaching into a year nobody
  entered is planned on its known days only, later cycles not at all, and days already on the rota
  beyond that day are left as they are. The result says where it stopped and which years are missing
  (``RotaResult.calendar_missing``). When the range starts in such a year, nothing is planned
  (``CalendarNotEntered``). With ``beyond_calendar=True`` the whole range is planned on an ordinary
  week, and the days planned in missing years are listed as unconfirmed (``RotaResult.unconfirmed``).
* **Cadres are told.** Each cadre whose future days a run removes or adds gets one notice listing them;
  a run that changes nothing for a cadre sends them nothing (so running it twice sends nothing twice).
* **A schedule entered later.** When staff enter or change a calendar day (the core's
  ``calendar_changed`` signal), future duty days now falling on a rest day move to the least-loaded,
  then nearest, working day of the same cycle that the cadre can take (``follow_calendar``); a day with
  nowhere to go stays and is named to staff. Each moved cadre is told old → new date.
* **Swaps and moves** stay inside one cycle (so the one-per-cycle rule holds afterwards), only on
  future, unlogged days, on working days within both terms and not declared unavailable. They are
  re-checked when accepted, under row locks (terms first, then days, the same order as the
  generator). A swap is accepted by the other cadre or by staff, a move by staff only. Accepting a
  request cancels the other open requests on the same days, which were made against the old dates.
* **Unavailable dates** are future working days within an active term. Declaring one on a day the
  cadre is on duty moves that duty to the least-loaded other available day of the same cycle; when
  there is none, the declaration is refused and the cadre is told to propose a swap instead.
"""

import dataclasses
import datetime
import hashlib
from collections import Counter, defaultdict, deque

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.notices import notify
from unionhub.workdays import known_until, missing_years, working_days

from .. import permissions
from ..models import DutyDay, DutyLog, SecondmentTerm, SwapRequest, Unavailability
from ..rules import cycle_start, rules

ONE_DAY = datetime.timedelta(days=1)


def cycle_span(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the two-week cycle that ``day`` falls in."""
    first = cycle_start(day)
    return first, first + datetime.timedelta(days=rules().cycle_days - 1)


# --- generation ----------------------------------------------------------------------------------


@dataclasses.dataclass
class RotaResult:
    requested_start: datetime.date
    requested_end: datetime.date
    start: datetime.date  # widened to whole cycles
    end: datetime.date
    created: int = 0
    kept: int = 0
    removed: int = 0
    coverage: dict[datetime.date, int] = dataclasses.field(default_factory=dict)  # working day → on duty
    spread: dict[datetime.date, int] = dataclasses.field(default_factory=dict)  # cycle start → max − min
    problems: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    planned_until: datetime.date | None = None  # the last day planned: ``end`` unless the calendar stopped it
    calendar_missing: list[int] = dataclasses.field(default_factory=list)  # years of the range not entered
    beyond_calendar: bool = False
    unconfirmed: list[datetime.date] = dataclasses.field(default_factory=list)  # planned days in those years
    notified: int = 0  # cadres told that their days changed

    @property
    def stopped(self) -> bool:
        """Whether the calendar stopped the plan before the end of the (widened) range."""
        return self.planned_until is not None and self.planned_until < self.end

    def calendar_message(self) -> str:
        """Why the plan stops where it does, or which planned days are unconfirmed ("" when neither)."""
        years = "、".join(str(year) for year in self.calendar_missing)
        if self.stopped:
            return _(
                "Planned up to %(until)s: the holiday calendar for %(years)s has not been entered. Enter it, or "
                "confirm planning beyond the calendar."
            ) % {"until": self.planned_until, "years": years}
        if self.unconfirmed:
            return _(
                "%(count)d working days were planned in %(years)s, whose holiday calendar has not been entered: "
                "they are unconfirmed and may turn out to be holidays."
            ) % {"count": len(self.unconfirmed), "years": years}
        return ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def widened(self) -> bool:
        return (self.start, self.end) != (self.requested_start, self.requested_end)

    @property
    def cycles(self) -> int:
        until = self.planned_until or self.end
        return -(-((until - self.start).days + 1) // rules().cycle_days)  # a cycle planned in part counts

    def summary(self) -> str:
        return _(
            "%(cycles)d cycles from %(start)s to %(end)s: %(created)d duty days created, %(kept)d kept, "
            "%(removed)d removed."
        ) % {
            "cycles": self.cycles,
            "start": self.start,
            "end": self.planned_until or self.end,
            "created": self.created,
            "kept": self.kept,
            "removed": self.removed,
        }


@dataclasses.dataclass
class _ExistingDay:
    pk: int
    term_id: int
    date: datetime.date
    cycle_start: datetime.date
    origin: str
    logged: bool


class CalendarNotEntered(ValidationError):
    """Nothing can be planned: the range starts in a year whose holiday calendar is not entered (or the
    part of it the calendar knows has no working day). ``years`` are the missing years."""

    def __init__(self, message: str, *, years: list[int], planned_until: datetime.date | None = None):
        super().__init__(message)
        self.years, self.planned_until = years, planned_until


def generate(
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
    by=None,
    beyond_calendar: bool = False,
    tell_cadres: bool = True,
) -> RotaResult:
    """Generate (or regenerate) the rota for the cycles covering ``start``–``end``. Raises
    ValidationError for a reversed range or a range without a working day, and CalendarNotEntered when
    the calendar knows none of it (unless ``beyond_calendar``). ``by`` is the staff member asking from
    the rota page (who must plan the rota); None for the command and the demo. ``tell_cadres=False``
    only for the demo, which seeds years of history nobody needs telling about."""
    if by is not None:
        require(permissions.can_plan_rota(by))
    today = today or timezone.localdate()
    if start > end:
        raise ValidationError(
            _("The start date %(start)s is after the end date %(end)s.") % {"start": start, "end": end}
        )
    widened_start, widened_end = cycle_start(start), cycle_span(end)[1]
    missing = missing_years(start, widened_end)
    planned_until = widened_end
    if missing and not beyond_calendar:
        known = known_until(start)
        if known is None or known < start:
            raise _not_entered(start, end, missing, known)
        planned_until = min(known, widened_end)
    workdays = list(working_days(widened_start, planned_until))
    if not any(start <= day <= end for day in workdays):
        if planned_until < widened_end:
            raise _not_entered(start, end, missing, planned_until)
        raise ValidationError(
            _("There is no working day from %(start)s to %(end)s: nothing to put on the rota.")
            % {"start": start, "end": end}
        )
    result = RotaResult(
        requested_start=start,
        requested_end=end,
        start=widened_start,
        end=widened_end,
        planned_until=planned_until,
        calendar_missing=missing,
        beyond_calendar=beyond_calendar,
    )
    if result.widened:
        result.notes.append(
            _("The range was widened to whole two-week cycles: %(start)s to %(end)s.")
            % {"start": widened_start, "end": widened_end}
        )
    if beyond_calendar and missing:
        result.unconfirmed = [day for day in workdays if day.year in missing]
    with transaction.atomic():
        _Generator(result, workdays, today, tell_cadres=tell_cadres).run()
    return result


def _not_entered(start, end, missing: list[int], known: datetime.date | None) -> CalendarNotEntered:
    years = "、".join(str(year) for year in missing)
    return CalendarNotEntered(
        _(
            "Nothing was planned: the holiday calendar for %(years)s has not been entered, and the calendar knows "
            "no working day from %(start)s to %(end)s. Enter the schedule, or confirm planning beyond the calendar."
        )
        % {"years": years, "start": start, "end": end},
        years=missing,
        planned_until=known,
    )


class _Generator:
    def __init__(
        self,
        result: RotaResult,
        workdays: list[datetime.date],
        today: datetime.date,
        *,
        tell_cadres: bool = True,
    ):
        self.result, self.today, self.tell_cadres = result, today, tell_cadres
        self.working = set(workdays)
        step = rules().cycle_days
        self.limit = result.planned_until or result.end
        self.cycles: dict[datetime.date, list[datetime.date]] = {}
        first = result.start
        while first <= self.limit:
            self.cycles[first] = []
            first += datetime.timedelta(days=step)
        for day in workdays:
            self.cycles[cycle_start(day)].append(day)

    def run(self) -> None:
        start, end = self.result.start, self.result.end
        # Lock the terms first (days next), in the same order as swaps: a second run waits for the first.
        terms = (
            SecondmentTerm.objects.select_for_update(of=("self",))
            .select_related("cadre")
            .filter(start_date__lte=end, end_date__gte=start)
            .order_by("pk")
        )
        self.terms = {term.pk: term for term in terms}
        existing = [
            _ExistingDay(pk, term_id, date, first, origin, logged=log_pk is not None)
            for pk, term_id, date, first, origin, log_pk in DutyDay.objects.filter(
                date__range=(start, end)
            ).values_list("pk", "term_id", "date", "cycle_start", "origin", "log__pk")
        ]
        strays = {day.term_id for day in existing} - self.terms.keys()
        if strays:  # days outside their term's dates (the term was shortened)
            for term in (
                SecondmentTerm.objects.select_for_update(of=("self",))
                .select_related("cadre")
                .filter(pk__in=strays)
                .order_by("pk")
            ):
                self.terms[term.pk] = term
        self.unavailable = set(
            Unavailability.objects.filter(term_id__in=self.terms, date__range=(start, end)).values_list(
                "term_id", "date"
            )
        )

        kept, removed = self._sort_existing(existing)
        self.load: Counter[datetime.date] = Counter(day.date for day in kept)
        self.occupied = {(day.term_id, day.cycle_start) for day in kept}
        kept_by_cycle = defaultdict(list)
        for day in kept:
            kept_by_cycle[day.cycle_start].append(day)
        # Where each term's previous duty fell in its cycle, to keep a cadre on a regular weekday.
        self.preferred_offset: dict[int, int] = {}
        new_days: list[DutyDay] = []
        closed_cycles = 0
        for first, days in self.cycles.items():
            placed = []
            if any(day > self.today for day in days):
                placed = self._fill_cycle(first, days)
                new_days.extend(placed)
            else:
                closed_cycles += 1
            for day in [*kept_by_cycle[first], *placed]:
                self.preferred_offset[day.term_id] = (day.date - first).days
        if closed_cycles:
            self.result.notes.append(
                _("%(count)d cycles have no working day after today; they were left as they are.")
                % {"count": closed_cycles}
            )

        if removed:
            DutyDay.objects.filter(pk__in=[day.pk for day in removed]).delete()
        DutyDay.objects.bulk_create(new_days, batch_size=500)
        self.result.kept, self.result.removed, self.result.created = len(kept), len(removed), len(new_days)
        self.result.coverage = {day: self.load[day] for day in sorted(self.working)}
        if self.tell_cadres:
            self.result.notified = self._tell_cadres(removed, new_days)

    def _tell_cadres(self, removed: list[_ExistingDay], created: list[DutyDay]) -> int:
        """One notice per cadre whose future days this run removed or added."""
        changes: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
        for day in removed:
            if day.date > self.today:
                changes[day.term_id][0].add(day.date)
        for day in created:
            changes[day.term_id][1].add(day.date)
        told = 0
        for term_id, (gone, added) in sorted(changes.items()):
            gone, added = sorted(gone - added), sorted(added - gone)
            if gone or added:
                told += notify_rota_change(self.terms[term_id], removed=gone, added=added)
        return told

    def _valid(self, term: SecondmentTerm, day: datetime.date) -> bool:
        return term.is_active_on(day) and day in self.working and (term.pk, day) not in self.unavailable

    def _sort_existing(self, existing: list[_ExistingDay]) -> tuple[list[_ExistingDay], list[_ExistingDay]]:
        kept, removed = [], []
        for day in existing:
            term = self.terms[day.term_id]
            # Past, logged, or beyond the calendar's horizon (planned by an earlier run beyond it): kept.
            if day.date <= self.today or day.logged or day.date > self.limit:
                kept.append(day)
            elif term.status != SecondmentTerm.Status.ACTIVE:
                removed.append(day)
            elif day.origin != DutyDay.Origin.ROTA:
                kept.append(day)
                if not self._valid(term, day.date):
                    self.result.problems.append(
                        _(
                            "%(cadre)s: the duty day on %(date)s (%(origin)s) is no longer valid (%(why)s) but is kept "
                            "because the cadres agreed it; change it by hand."
                        )
                        % {
                            "cadre": term.cadre,
                            "date": day.date,
                            "origin": DutyDay.Origin(day.origin).label,
                            "why": self._invalid_because(term, day.date),
                        }
                    )
            elif self._valid(term, day.date):
                kept.append(day)
            else:
                removed.append(day)
        return kept, removed

    def _invalid_because(self, term: SecondmentTerm, day: datetime.date) -> str:
        if day not in self.working:
            return _("not a working day")
        if (term.pk, day) in self.unavailable:
            return _("declared unavailable")
        return _("outside the term")

    def _fill_cycle(self, first: datetime.date, days: list[datetime.date]) -> list[DutyDay]:
        last = first + datetime.timedelta(days=rules().cycle_days - 1)
        open_days = [day for day in days if day > self.today]
        candidates: dict[int, list[datetime.date]] = {}
        for term in self.terms.values():
            if (
                term.status != SecondmentTerm.Status.ACTIVE
                or term.start_date > last
                or term.end_date < first
                or (term.pk, first) in self.occupied
            ):
                continue
            choices = [
                day
                for day in open_days
                if term.start_date <= day <= term.end_date and (term.pk, day) not in self.unavailable
            ]
            if choices:
                candidates[term.pk] = choices
                continue
            message = _(
                "One duty day every two weeks: %(cadre)s has none in cycle %(start)s–%(end)s because %(why)s."
            ) % {
                "cadre": term.cadre,
                "start": first,
                "end": last,
                "why": self._unplaceable_because(term, days),
            }
            # A cycle the term touches only on rest days (a term starting on the cycle's last weekend)
            # owes no duty, and a cycle already past cannot be helped: notes. Only a cycle the cadre
            # could still serve but declared wholly unavailable breaks the rule.
            if any(term.start_date <= day <= term.end_date and day > self.today for day in days):
                self.result.problems.append(message)
            else:
                self.result.notes.append(message)

        placed: dict[int, datetime.date] = {}
        # Most constrained first; each to the least-loaded day it can take.
        for term_id in sorted(candidates, key=lambda pk: (len(candidates[pk]), pk)):
            preferred = self.preferred_offset.get(term_id)
            day = min(
                candidates[term_id],
                key=lambda d: (
                    self.load[d],
                    abs((d - first).days - preferred) if preferred is not None else 0,
                    d,
                ),
            )
            placed[term_id] = day
            self.load[day] += 1
        self._even_out(open_days, candidates, placed)
        self._check_spread(first, last, open_days)
        return [
            DutyDay(term_id=term_id, date=day, cycle_start=first, origin=DutyDay.Origin.ROTA)
            for term_id, day in placed.items()
        ]

    def _unplaceable_because(self, term: SecondmentTerm, days: list[datetime.date]) -> str:
        in_term = [day for day in days if term.start_date <= day <= term.end_date]
        if not in_term:
            return _("no working day of that cycle falls within the term (%(start)s to %(end)s)") % {
                "start": term.start_date,
                "end": term.end_date,
            }
        if all(day <= self.today for day in in_term):
            return _("the cycle's working days within the term have already passed")
        return _("the cadre declared every remaining working day of the cycle unavailable (%(dates)s)") % {
            "dates": ", ".join(str(day) for day in in_term if day > self.today)
        }

    def _even_out(
        self,
        open_days: list[datetime.date],
        candidates: dict[int, list[datetime.date]],
        placed: dict[int, datetime.date],
    ) -> None:
        """Move newly placed cadres along chains day → day (each move to a day that cadre can take)
        from a fullest day to a day holding at least two fewer. Each chain lowers the sum of squared
        loads, so the loop ends; it stops when no chain is left."""
        while True:
            loads = {day: self.load[day] for day in open_days}
            highest, lowest = max(loads.values()), min(loads.values())
            if highest - lowest <= 1:
                return
            path = self._chain(
                [d for d in open_days if loads[d] == highest],
                {d for d in open_days if loads[d] <= highest - 2},
                candidates,
                placed,
            ) or self._chain(
                [d for d in open_days if loads[d] >= lowest + 2],
                {d for d in open_days if loads[d] == lowest},
                candidates,
                placed,
            )
            if not path:
                return
            for term_id, source, target in path:
                placed[term_id] = target
                self.load[source] -= 1
                self.load[target] += 1

    @staticmethod
    def _chain(sources, targets, candidates, placed):
        """Breadth-first search for a chain of moves [(term, from day, to day), …] from one of the
        ``sources`` to one of the ``targets``."""
        on_day = defaultdict(list)
        for term_id, day in placed.items():
            on_day[day].append(term_id)
        came_from = dict.fromkeys(sources)
        queue = deque(sources)
        while queue:
            day = queue.popleft()
            for term_id in on_day[day]:
                for target in candidates[term_id]:
                    if target in came_from:
                        continue
                    came_from[target] = (term_id, day)
                    if target in targets:
                        path, step = [], target
                        while came_from[step] is not None:
                            moved, source = came_from[step]
                            path.append((moved, source, step))
                            step = source
                        return path
                    queue.append(target)
        return None

    def _check_spread(
        self, first: datetime.date, last: datetime.date, open_days: list[datetime.date]
    ) -> None:
        loads = {day: self.load[day] for day in open_days}
        fullest, emptiest = (
            max(open_days, key=lambda d: (loads[d], d)),
            min(open_days, key=lambda d: (loads[d], d)),
        )
        spread = loads[fullest] - loads[emptiest]
        self.result.spread[first] = spread
        if spread > 1:
            self.result.problems.append(
                _(
                    "Even spread: in cycle %(start)s–%(end)s, %(most)d cadres are on duty on %(fullest)s but %(least)d "
                    "on %(emptiest)s; the days already fixed (logged, swapped, moved or kept) and the cadres' terms and "
                    "unavailable dates allow no evener rota."
                )
                % {
                    "start": first,
                    "end": last,
                    "most": loads[fullest],
                    "fullest": fullest,
                    "least": loads[emptiest],
                    "emptiest": emptiest,
                }
            )


# --- telling cadres, following the calendar -----------------------------------------------------


def _dates(days) -> str:
    return "、".join(day.isoformat() for day in days)


def notify_rota_change(term: SecondmentTerm, *, removed: list, added: list) -> bool:
    """Tell the cadre which of their future duty days a regeneration removed and added. The key names
    the change itself, so the same change is never announced twice."""
    digest = hashlib.sha256(f"{_dates(removed)}|{_dates(added)}".encode()).hexdigest()[:16]
    parts = []
    if removed:
        parts.append(_("no longer on duty on %(dates)s") % {"dates": _dates(removed)})
    if added:
        parts.append(_("now on duty on %(dates)s") % {"dates": _dates(added)})
    return notify(
        user=term.cadre,
        key=f"rota-changed:{term.pk}:{digest}",
        title=_("Your duty days changed"),
        body=_("The rota was planned again: you are %(changes)s.") % {"changes": _("; ").join(parts)},
        url=reverse("secondment:my_duty_days"),
    )


@dataclasses.dataclass
class CalendarFollowUp:
    moved: list[tuple[DutyDay, datetime.date]] = dataclasses.field(default_factory=list)  # (day, old date)
    stuck: list[DutyDay] = dataclasses.field(default_factory=list)  # on a rest day, with nowhere to go

    def message(self) -> str:
        if not self.moved and not self.stuck:
            return ""
        text = _(
            "%(count)d future duty days now falling on a rest day were moved; their cadres were told."
        ) % {"count": len(self.moved)}
        if self.stuck:
            text += " " + _(
                "%(count)d could not be moved within their cycle and need a decision on the rota page: %(days)s."
            ) % {
                "count": len(self.stuck),
                "days": "; ".join(f"{day.term.cadre} {day.date}" for day in self.stuck),
            }
        return text


def follow_calendar(*, dates, today: datetime.date | None = None) -> CalendarFollowUp:
    """After the calendar changed on ``dates``: move each future, unlogged duty day now on a rest day to
    the least-loaded, then nearest, working day of its cycle that its cadre can take; tell the cadre.
    Runs inside the calendar edit's transaction, so the calendar and the rota never disagree."""
    today = today or timezone.localdate()
    follow_up = CalendarFollowUp()
    dates = sorted({day for day in dates if day > today})
    if not dates:
        return follow_up
    displaced = list(
        DutyDay.objects.select_for_update(of=("self",))
        .filter(date__in=dates, log__isnull=True)
        .select_related("term__cadre")
        .order_by("date", "pk")
    )
    working_now = set(working_days(dates[0], dates[-1]))
    displaced = [day for day in displaced if day.date not in working_now]
    if not displaced:
        return follow_up
    for duty in displaced:
        new_date = _replacement_day(duty.term, duty, today=today)
        if new_date is None:
            follow_up.stuck.append(duty)
            continue
        old = duty.date
        _cancel_open_requests([duty])
        duty.date = new_date
        duty.save(update_fields=["date"])
        follow_up.moved.append((duty, old))
        notify(
            user=duty.term.cadre,
            key=f"calendar-move:{duty.pk}:{old}:{new_date}",
            title=_("Duty day moved: %(old)s → %(new)s") % {"old": old, "new": new_date},
            body=_(
                "%(old)s is now a rest day in the holiday calendar, so your duty day moved to %(new)s (same "
                "two-week cycle)."
            )
            % {"old": old, "new": new_date},
            url=reverse("secondment:my_duty_days"),
        )
    return follow_up


def on_calendar_changed(sender, *, dates, **kwargs) -> str:
    """Receiver of ``unionhub.signals.calendar_changed``: the message staff see on the calendar page."""
    return follow_calendar(dates=dates).message()


# --- unavailable dates ---------------------------------------------------------------------------


def _day_load(first: datetime.date, last: datetime.date) -> Counter:
    return Counter(
        dict(
            DutyDay.objects.filter(date__range=(first, last))
            .order_by()
            .values("date")
            .annotate(n=Count("pk"))
            .values_list("date", "n")
        )
    )


def _cancel_open_requests(duty_days: list[DutyDay], *, except_pk: int | None = None) -> None:
    pks = [day.pk for day in duty_days]
    (
        SwapRequest.objects.filter(
            Q(duty_day__in=pks) | Q(other_day__in=pks), status=SwapRequest.Status.PROPOSED
        )
        .exclude(pk=except_pk)
        .update(status=SwapRequest.Status.CANCELLED, decided_at=timezone.now())
    )


def declare_unavailable(
    *, term: SecondmentTerm, date: datetime.date, reason: str = "", today: datetime.date | None = None
) -> tuple[Unavailability, datetime.date | None]:
    """Record that the cadre cannot come on ``date``. When they are on duty that day, the duty moves
    to another available day of the same cycle. Returns (the record, the new duty date or None)."""
    today = today or timezone.localdate()
    if date <= today:
        raise ValidationError(_("Only a date after today can be declared unavailable."))
    if not term.is_active_on(date):
        raise ValidationError(_("%(date)s is outside your secondment term.") % {"date": date})
    if date not in set(working_days(date, date)):
        raise ValidationError(_("%(date)s is not a working day: there is no duty to avoid.") % {"date": date})
    with transaction.atomic():
        term = SecondmentTerm.objects.select_for_update().get(pk=term.pk)
        if Unavailability.objects.filter(term=term, date=date).exists():
            raise ValidationError(_("%(date)s is already declared unavailable.") % {"date": date})
        duty = DutyDay.objects.select_for_update().filter(term=term, date=date).first()
        new_date = None
        if duty is not None:
            new_date = _replacement_day(term, duty, today=today)
            if new_date is None:
                first, last = cycle_span(date)
                raise ValidationError(
                    _(
                        "You are on duty on %(date)s and no other working day of that cycle (%(start)s–%(end)s) is "
                        "available to you. Propose a swap with another cadre, or ask the federation staff."
                    )
                    % {"date": date, "start": first, "end": last}
                )
            _cancel_open_requests([duty])
            duty.date, duty.origin = new_date, DutyDay.Origin.ROTA
            duty.save(update_fields=["date", "origin"])
        unavailability = Unavailability.objects.create(term=term, date=date, reason=reason.strip()[:200])
    return unavailability, new_date


def _replacement_day(term: SecondmentTerm, duty: DutyDay, *, today: datetime.date) -> datetime.date | None:
    first, last = cycle_span(duty.date)
    unavailable = set(term.unavailable_dates.filter(date__range=(first, last)).values_list("date", flat=True))
    choices = [
        day
        for day in working_days(max(first, today + ONE_DAY), last)
        if day != duty.date and term.is_active_on(day) and day not in unavailable
    ]
    if not choices:
        return None
    load = _day_load(first, last)
    offset = (duty.date - first).days
    return min(choices, key=lambda d: (load[d], abs((d - first).days - offset), d))


def remove_unavailable(*, unavailability: Unavailability, today: datetime.date | None = None) -> None:
    """Withdraw a future unavailable date (the rota is not changed: the next generation may use it)."""
    today = today or timezone.localdate()
    if unavailability.date <= today:
        raise ValidationError(_("A past unavailable date cannot be withdrawn."))
    unavailability.delete()


# --- swaps and moves -----------------------------------------------------------------------------


def _swap_problem(duty_day: DutyDay, other_day: DutyDay, *, today: datetime.date) -> str | None:
    """Why these two duty days cannot be exchanged now (None when they can)."""
    if other_day.term.cadre_id == duty_day.term.cadre_id:
        return _("That is your own duty day; choose another cadre's.")
    for day in (duty_day, other_day):
        problem = _day_problem(day, today=today)
        if problem:
            return problem
    if cycle_start(duty_day.date) != cycle_start(other_day.date):
        return _(
            "%(date)s is in a different two-week cycle; a swap must stay within the cycle (one duty day "
            "each per cycle)."
        ) % {"date": other_day.date}
    if duty_day.date == other_day.date:
        return _("Both of you are already on duty on %(date)s.") % {"date": duty_day.date}
    for day, new_date in ((duty_day, other_day.date), (other_day, duty_day.date)):
        problem = _date_problem(day.term, new_date, today=today, exclude=[duty_day.pk, other_day.pk])
        if problem:
            return problem
    return None


def _move_problem(duty_day: DutyDay, target_date: datetime.date, *, today: datetime.date) -> str | None:
    problem = _day_problem(duty_day, today=today)
    if problem:
        return problem
    if target_date == duty_day.date:
        return _("You are already on duty on %(date)s.") % {"date": target_date}
    if cycle_start(target_date) != cycle_start(duty_day.date):
        first, last = cycle_span(duty_day.date)
        return _(
            "%(date)s is in a different two-week cycle; the duty day can move only within %(start)s–%(end)s "
            "(one duty day per cycle)."
        ) % {"date": target_date, "start": first, "end": last}
    return _date_problem(duty_day.term, target_date, today=today, exclude=[duty_day.pk])


def _day_problem(day: DutyDay, *, today: datetime.date) -> str | None:
    if day.date <= today:
        return _("The duty day of %(date)s is today or past; only future days can change.") % {
            "date": day.date
        }
    if DutyLog.objects.filter(duty_day=day).exists():
        return _("The duty day of %(date)s is already logged.") % {"date": day.date}
    return None


def _date_problem(
    term: SecondmentTerm, date: datetime.date, *, today: datetime.date, exclude: list[int]
) -> str | None:
    """Why ``term``'s cadre cannot be on duty on ``date``."""
    name = {"name": term.cadre, "date": date}
    if date <= today:
        return _("%(date)s is today or in the past.") % name
    if date not in set(working_days(date, date)):
        return _("%(date)s is not a working day (holiday or weekend).") % name
    if not term.is_active_on(date):
        return _("%(date)s is outside %(name)s's secondment term.") % name
    if term.unavailable_dates.filter(date=date).exists():
        return _("%(name)s declared %(date)s unavailable.") % name
    if DutyDay.objects.filter(term__cadre_id=term.cadre_id, date=date).exclude(pk__in=exclude).exists():
        return _("%(name)s is already on duty on %(date)s.") % name
    return None


def _open_request_exists(duty_day: DutyDay) -> bool:
    return SwapRequest.objects.filter(duty_day=duty_day, status=SwapRequest.Status.PROPOSED).exists()


def propose_swap(
    *, by, duty_day: DutyDay, other_day: DutyDay, reason: str = "", today: datetime.date | None = None
) -> SwapRequest:
    """Propose to exchange ``duty_day`` with another cadre's ``other_day`` (same cycle); the other
    cadre, or staff, accepts."""
    today = today or timezone.localdate()
    require(permissions.can_act_for(by, duty_day))
    problem = _swap_problem(duty_day, other_day, today=today)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        DutyDay.objects.select_for_update().filter(pk=duty_day.pk).first()
        if _open_request_exists(duty_day):
            raise ValidationError(
                _("There is already an open request for your duty day of %(date)s; cancel it first.")
                % {"date": duty_day.date}
            )
        request = SwapRequest.objects.create(
            kind=SwapRequest.Kind.SWAP,
            duty_day=duty_day,
            other_day=other_day,
            reason=reason.strip()[:200],
            proposed_by=by,
        )
    notify(
        user=other_day.term.cadre,
        key=f"swap-proposed:{request.pk}",
        title=_("Duty swap proposed"),
        body=_("%(name)s proposes to take your duty day of %(theirs)s and give you %(mine)s. %(reason)s")
        % {
            "name": duty_day.term.cadre,
            "theirs": other_day.date,
            "mine": duty_day.date,
            "reason": request.reason,
        },
        url=reverse("secondment:my_duty_days"),
    )
    return request


def propose_move(
    *, by, duty_day: DutyDay, target_date: datetime.date, reason: str = "", today: datetime.date | None = None
) -> SwapRequest:
    """Propose to move ``duty_day`` to another working day of the same cycle; staff accept."""
    today = today or timezone.localdate()
    require(permissions.can_act_for(by, duty_day))
    problem = _move_problem(duty_day, target_date, today=today)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        DutyDay.objects.select_for_update().filter(pk=duty_day.pk).first()
        if _open_request_exists(duty_day):
            raise ValidationError(
                _("There is already an open request for your duty day of %(date)s; cancel it first.")
                % {"date": duty_day.date}
            )
        request = SwapRequest.objects.create(
            kind=SwapRequest.Kind.MOVE,
            duty_day=duty_day,
            target_date=target_date,
            reason=reason.strip()[:200],
            proposed_by=by,
        )
    url = reverse("secondment:rota_month") + f"?month={target_date:%Y-%m}"
    for staff in get_user_model().objects.filter(is_active=True, is_staff=True).exclude(pk=by.pk):
        notify(
            user=staff,
            key=f"move-proposed:{request.pk}",
            title=_("Duty day move proposed"),
            body=_("%(name)s asks to move their duty day from %(from)s to %(to)s. %(reason)s")
            % {
                "name": duty_day.term.cadre,
                "from": duty_day.date,
                "to": target_date,
                "reason": request.reason,
            },
            url=url,
        )
    return request


def _lock_request(request: SwapRequest) -> SwapRequest:
    """Lock the terms, then the days, then the request (the generator's order: no deadlock)."""
    days = [request.duty_day_id] + ([request.other_day_id] if request.other_day_id else [])
    list(SecondmentTerm.objects.select_for_update().filter(duty_days__in=days).order_by("pk"))
    list(DutyDay.objects.select_for_update().filter(pk__in=days).order_by("pk"))
    return (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("duty_day__term__cadre", "other_day__term__cadre")
        .get(pk=request.pk)
    )


def _audit(request: SwapRequest, by, old_status: str, **details) -> None:
    LogEntry.objects.log_create(
        request,
        action=LogEntry.Action.UPDATE,
        actor=by,
        force_log=True,
        changes={"status": [old_status, request.status]},
        additional_data={key: str(value) for key, value in details.items()},
    )


def _decide(request: SwapRequest, by, status: str) -> None:
    old = request.status
    request.status, request.decided_by, request.decided_at = status, by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(request, by, old)


def accept(*, by, request: SwapRequest, today: datetime.date | None = None) -> SwapRequest:
    """Accept a swap (the other cadre or staff) or a move (staff), after checking it again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        request = _lock_request(request)
        if request.status != SwapRequest.Status.PROPOSED:
            raise ValidationError(_("This request has already been decided."))
        duty_day, other_day = request.duty_day, request.other_day
        require(permissions.can_accept(by, request))
        if request.kind == SwapRequest.Kind.SWAP:
            problem = _swap_problem(duty_day, other_day, today=today)
        else:
            problem = _move_problem(duty_day, request.target_date, today=today)
        if problem:
            raise ValidationError(
                _("The request can no longer be accepted: %(problem)s") % {"problem": problem}
            )
        old_date = duty_day.date
        if request.kind == SwapRequest.Kind.SWAP:
            # Both terms keep their cycle (same cycle), and (term, date) stays unique: no interim clash.
            duty_day.date, other_day.date = other_day.date, duty_day.date
            duty_day.origin = other_day.origin = DutyDay.Origin.SWAP
            other_day.save(update_fields=["date", "origin"])
            changed = [duty_day, other_day]
        else:
            duty_day.date, duty_day.origin = request.target_date, DutyDay.Origin.MOVE
            changed = [duty_day]
        duty_day.save(update_fields=["date", "origin"])
        _cancel_open_requests(changed, except_pk=request.pk)
        _decide(request, by, SwapRequest.Status.ACCEPTED)
    # Who now serves when: the proposer takes the new date; in a swap the other cadre takes the old one.
    changes = {duty_day.term.cadre: (old_date, duty_day.date)}
    if other_day:
        changes[other_day.term.cadre] = (duty_day.date, other_day.date)
    for user, (was, now) in changes.items():
        if user != by:
            notify(
                user=user,
                key=f"swap-accepted:{request.pk}",
                title=_("Duty change accepted"),
                body=_("Your duty day of %(from)s is now on %(to)s.") % {"from": was, "to": now},
                url=reverse("secondment:my_duty_days"),
            )
    return request


def decline(*, by, request: SwapRequest) -> SwapRequest:
    """The other cadre (swap) or staff decline a proposal."""
    with transaction.atomic():
        request = _lock_request(request)
        if request.status != SwapRequest.Status.PROPOSED:
            raise ValidationError(_("This request has already been decided."))
        require(permissions.can_decline(by, request))
        _decide(request, by, SwapRequest.Status.DECLINED)
    cadre = request.duty_day.term.cadre
    if cadre != by:
        notify(
            user=cadre,
            key=f"swap-declined:{request.pk}",
            title=_("Duty change declined"),
            body=_("%(name)s declined to change your duty day of %(date)s.")
            % {"name": by, "date": request.duty_day.date},
            url=reverse("secondment:my_duty_days"),
        )
    return request


def cancel(*, by, request: SwapRequest) -> SwapRequest:
    """The proposing cadre withdraws their proposal."""
    with transaction.atomic():
        request = _lock_request(request)
        if request.status != SwapRequest.Status.PROPOSED:
            raise ValidationError(_("This request has already been decided."))
        require(permissions.can_cancel(by, request))
        _decide(request, by, SwapRequest.Status.CANCELLED)
    if request.other_day and request.other_day.term.cadre != by:
        notify(
            user=request.other_day.term.cadre,
            key=f"swap-cancelled:{request.pk}",
            title=_("Duty swap withdrawn"),
            body=_("%(name)s withdrew the proposal to swap duty days %(mine)s and %(theirs)s.")
            % {"name": by, "mine": request.duty_day.date, "theirs": request.other_day.date},
            url=reverse("secondment:my_duty_days"),
        )
    return request
