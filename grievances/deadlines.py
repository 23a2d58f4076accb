"""Statutory and handling deadlines of a case.

The law counts calendar days (and years): a period "within 15 days" of an event ends 15 days after
it, the day of the event not counted; a year ends on the same date a year later (29 February →
28 February). When the last day falls on a rest day (a statutory holiday or a weekend not worked in
exchange), the period ends on the next working day (Civil Procedure Law, art. 85; the arbitration
rules follow it). So the holiday calendar moves a deadline's end, never its count.

- Arbitration limitation (art. 27): one year from the day the worker learned of the harm; for wage
  arrears during employment it does not run until employment ends, then one year from that day.
- Mediation without agreement after 15 days opens arbitration (art. 14).
- Arbitration: acceptance within 5 days of the application (art. 29); the award within 45 days of
  acceptance, 15 more when extended (art. 43); 15 days to sue after the award (art. 48, 50).
- Petitions (信访): acceptance decided within 15 days of receipt, concluded within 60 days of
  acceptance, extendable once by 30.
- Handling (our own): days by difficulty from acceptance (from receipt before acceptance).
- Call back (our own promise on the public form): a complaint sent through the web is called back
  within ``CALLBACK_WORKING_DAYS`` working days, the day it came in not counted. Unlike the statutory
  periods this one counts working days, so the holiday calendar changes its length.

Urgency (``urgency``): every pending deadline falls in one of four tiers, counted in working days from
today: overdue; due within 3 working days; due within 10; later.
"""

import dataclasses
import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from unionhub.workdays import next_working_day, next_working_days, working_days_after

from .rules import rules


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def period_end(start: datetime.date, *, days: int = 0, years: int = 0) -> datetime.date:
    """The last day of a statutory period that starts the day after ``start``; moved to the next
    working day when it falls on a rest day."""
    end = _add_years(start, years) + datetime.timedelta(days=days)
    return next_working_day(end)


# What the public form promises: the service station calls back within this many working days.
CALLBACK_WORKING_DAYS = 3
# Urgency tiers, in working days from today (see ``urgency``).
URGENT_WORKING_DAYS, SOON_WORKING_DAYS = 3, 10


def callback_due(case) -> datetime.date | None:
    """The day by which a web complaint must be called back; None for other channels."""
    if case.channel != "web" or case.received_on is None:
        return None
    return working_days_after(case.received_on, CALLBACK_WORKING_DAYS)


def limitation_date(case) -> datetime.date | None:
    r = rules()
    if case.category == "wage_arrears":
        if case.employment_ended_on is None:
            return None  # wage arrears during employment: the limitation does not run yet
        return period_end(case.employment_ended_on, years=r.limitation_years)
    if case.harm_known_on is None:
        return None
    return period_end(case.harm_known_on, years=r.limitation_years)


def handling_due(case) -> datetime.date | None:
    r = rules()
    days = {"ordinary": r.ordinary_days, "difficult": r.difficult_days, "complex": r.complex_days}
    start = case.accepted_on or case.received_on
    if start is None:
        return None
    return period_end(start, days=days.get(case.difficulty, r.ordinary_days))


@dataclasses.dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: datetime.date
    done: bool = False  # the step it waits for has happened


def deadlines(case) -> list[Deadline]:
    """Every deadline that applies to the case at its stage, in date order."""
    r = rules()
    found: list[Deadline] = []
    limitation = limitation_date(case)
    if limitation:
        found.append(
            Deadline(
                "limitation",
                _("Arbitration must be applied for by"),
                limitation,
                done=case.arbitration_applied_on is not None,
            )
        )
    callback = case.callback_due  # set at intake (``Case.save``); none for cases older than the promise
    if callback:
        found.append(
            Deadline(
                "callback",
                _("Call the worker back by"),
                callback,
                done=case.called_back_on is not None,
            )
        )
    handling = handling_due(case)
    if handling:
        found.append(Deadline("handling", _("Handling deadline"), handling, done=case.stage == "closed"))
    if case.channel == "petition":
        found.append(
            Deadline(
                "petition_accept",
                _("Petition: decide on acceptance by"),
                period_end(case.received_on, days=r.petition_accept_days),
                done=case.accepted_on is not None,
            )
        )
        if case.accepted_on:
            days = r.petition_conclude_days + (r.petition_extension_days if case.petition_extended else 0)
            found.append(
                Deadline(
                    "petition_conclude",
                    _("Petition: conclude by"),
                    period_end(case.accepted_on, days=days),
                    done=case.stage == "closed",
                )
            )
    if case.mediation_on and not case.mediation_agreed:
        found.append(
            Deadline(
                "mediation",
                _("Mediation: without agreement, arbitration opens on"),
                period_end(case.mediation_on, days=r.mediation_days),
                done=case.arbitration_applied_on is not None,
            )
        )
    if case.arbitration_applied_on:
        found.append(
            Deadline(
                "arbitration_accept",
                _("Arbitration commission to accept by"),
                period_end(case.arbitration_applied_on, days=r.arbitration_accept_days),
                done=case.arbitration_accepted_on is not None,
            )
        )
    if case.arbitration_accepted_on:
        days = r.award_days + (r.award_extension_days if case.arbitration_extended else 0)
        found.append(
            Deadline(
                "award",
                _("Arbitration award due by"),
                period_end(case.arbitration_accepted_on, days=days),
                done=case.award_on is not None,
            )
        )
    if case.award_on:
        found.append(
            Deadline(
                "sue",
                _("Last day to sue after the award"),
                period_end(case.award_on, days=r.sue_days),
                done=case.litigation_on is not None,
            )
        )
    return sorted(found, key=lambda d: d.due)


def pending(case, *, today: datetime.date, within: int | None = None) -> list[Deadline]:
    """The deadlines still waiting for their step, due within ``within`` days (default warn_days)."""
    horizon = today + datetime.timedelta(days=rules().warn_days if within is None else within)
    return [d for d in deadlines(case) if not d.done and d.due <= horizon]


# --- urgency -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Urgency:
    tier: str  # one of TIERS
    label: str

    @property
    def css(self) -> str:
        return f"urgency-{self.tier}"


TIERS = ("overdue", "urgent", "soon", "later")
TIER_LABELS = {
    "overdue": pgettext_lazy("deadline urgency", "overdue"),
    "urgent": pgettext_lazy("deadline urgency", "within 3 working days"),
    "soon": pgettext_lazy("deadline urgency", "within 10 working days"),
    "later": pgettext_lazy("deadline urgency", "later"),
}


@dataclasses.dataclass(frozen=True)
class UrgencyScale:
    """The bounds of the tiers as of ``today``: computed once per page (one query), then asked per date."""

    today: datetime.date
    urgent_until: datetime.date  # the 3rd working day after today
    soon_until: datetime.date  # the 10th

    @classmethod
    def on(cls, today: datetime.date) -> "UrgencyScale":
        days = next_working_days(today, SOON_WORKING_DAYS)
        return cls(today, days[URGENT_WORKING_DAYS - 1], days[SOON_WORKING_DAYS - 1])

    def tier(self, due: datetime.date) -> str:
        if due < self.today:
            return "overdue"
        if due <= self.urgent_until:
            return "urgent"
        if due <= self.soon_until:
            return "soon"
        return "later"

    def of(self, due: datetime.date | None) -> Urgency | None:
        if due is None:
            return None
        tier = self.tier(due)
        return Urgency(tier, str(TIER_LABELS[tier]))


def urgency(due: datetime.date | None, today: datetime.date) -> Urgency | None:
    """The tier of one date (pages with many dates build one ``UrgencyScale``)."""
    return UrgencyScale.on(today).of(due)
