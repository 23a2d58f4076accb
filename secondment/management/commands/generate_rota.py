"""``manage.py generate_rota --from YYYY-MM-DD --to YYYY-MM-DD [--dry-run]``: generate the duty rota
(see ``secondment.services.rota.generate``) and print the number of cadres on duty per working day.

Exit status: 0 when every rule is met; 1 when a rule cannot be met (each problem printed on its own
line); 2 for bad dates, a reversed range or a range without a working day."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from secondment.services import rota


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

    def handle(self, *args, date_from, date_to, dry_run, **options):
        start, end = _date(date_from), _date(date_to)
        try:
            with transaction.atomic():
                result = rota.generate(start, end)
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        for day, count in result.coverage.items():
            self.stdout.write(f"{day.isoformat()} {day:%a} {count}")
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
