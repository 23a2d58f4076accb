"""``manage.py generate_rota --from YYYY-MM-DD --to YYYY-MM-DD [--dry-run] [--beyond-calendar]``: generate
the duty rota (see ``secondment.services.rota.generate``) and print the number of cadres on duty per
working day.

Exit status: 0 when every rule is met; 1 when a rule cannot be met (each problem printed on its own
line beginning ``PROBLEM``); 2 for bad dates, a reversed range or a range without a working day;
3 when the range reaches past the last year whose holiday calendar is entered and ``--beyond-calendar``
is not given: nothing is saved, and each missing year is named on a line beginning ``CALENDAR``
(3 wins over 1). With ``--beyond-calendar`` the whole range is planned on an ordinary week; the days
planned in years without a calendar carry ``unconfirmed`` on their line and are counted in a closing
line."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from secondment.services import rota
from unionhub import workdays

CALENDAR_EXIT = 3


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(text)s") % {"text": text}, returncode=2) from None


class Command(BaseCommand):
    help = "Generate the secondment duty rota for a date range (widened to whole two-week cycles)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="show the result, then roll everything back"
        )
        parser.add_argument(
            "--beyond-calendar",
            action="store_true",
            help="plan into years whose holiday calendar is not entered (their days are unconfirmed)",
        )

    def handle(self, *args, date_from, date_to, dry_run, beyond_calendar, **options):
        start, end = _date(date_from), _date(date_to)
        if start > end:
            raise CommandError(
                _("The start date %(start)s is after the end date %(end)s.") % {"start": start, "end": end},
                returncode=2,
            )
        missing = workdays.missing_years(start, end)
        if missing and not beyond_calendar:
            self._refuse(start, end, missing)
        try:
            with transaction.atomic():
                result = rota.generate(start, end, beyond_calendar=beyond_calendar)
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        unconfirmed = set(result.unconfirmed)
        mark = " " + _("unconfirmed")
        for day, count in result.coverage.items():
            self.stdout.write(f"{day.isoformat()} {day:%a} {count}{mark if day in unconfirmed else ''}")
        if result.calendar_message():
            self.stdout.write(result.calendar_message())
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(result.summary() + (_(" (dry run: nothing saved)") if dry_run else ""))
        worst = max(result.spread.values(), default=0)
        self.stdout.write(_("largest difference between days within a cycle: %(worst)s") % {"worst": worst})
        if result.problems:
            for problem in result.problems:
                self.stdout.write(f"PROBLEM {problem}")
            raise CommandError(
                _("%(count)d rule(s) cannot be met.") % {"count": len(result.problems)}, returncode=1
            )
        self.stdout.write(self.style.SUCCESS(_("Every rule is met.")))

    def _refuse(self, start: datetime.date, end: datetime.date, missing: list[int]) -> None:
        known = workdays.known_until(start)
        for year in missing:
            self.stdout.write(
                "CALENDAR "
                + _(
                    "%(year)s: the holiday calendar is not entered; the range %(start)s to %(end)s reaches into it. "
                    "Nothing was planned."
                )
                % {"year": year, "start": start, "end": end}
            )
        hint = (
            _("Enter the schedule, plan up to %(known)s (--to %(known)s), or pass --beyond-calendar.")
            % {"known": known}
            if known
            else _("Enter the schedule, or pass --beyond-calendar.")
        )
        raise CommandError(hint, returncode=CALENDAR_EXIT)
