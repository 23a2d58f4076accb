"""``manage.py case_deadlines [--days N]``: the open cases whose arbitration limitation or handling
deadline falls within N days (default: the rules' warn_days), passed ones included, soonest first.

One line per case, with its soonest such deadline: case number, ``limitation`` or ``handling``, the
date, days left (negative once passed), stage, the handler's username or ``unassigned``. No
complainant's identity is printed. Exit status 0, also when there is none."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from grievances.overview import deadlines_ahead, soonest_per_case
from grievances.rules import rules


class Command(BaseCommand):
    help = "List the open cases whose limitation or handling deadline falls within N days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="look this many days ahead (default: the casework rules' warn_days)",
        )

    def handle(self, *args, days, **options):
        within = rules().warn_days if days is None else days
        if within < 0:
            raise CommandError(_("--days must be zero or more."), returncode=2)
        due = soonest_per_case(deadlines_ahead(today=timezone.localdate(), within=within))
        if not due:
            self.stdout.write(
                _("No open case has a limitation or handling deadline within %(days)d days.")
                % {"days": within}
            )
            return
        for d in due:
            handler = d.case.handler.username if d.case.handler else "unassigned"
            self.stdout.write(
                f"{d.case.number:<12} {d.kind:<10} {d.due.isoformat()} {d.days_left:>5} "
                f"{d.case.stage:<13} {handler}"
            )
