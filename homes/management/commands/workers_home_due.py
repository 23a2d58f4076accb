"""``manage.py workers_home_due [--days N] [--remind]``: the unions whose workers'-home re-inspection
falls due within N days (default 30, 1–365), overdue ones included, soonest first.

One line per union: code, name, level, due date (YYYY-MM-DD), then ``N days left`` or ``overdue by N
days``; then a summary line, or a line saying that none is due. ``--remind`` also sends the daily
reminders (chairs and organisation staff, once per due date). Output in the active language, like the
other commands. Exit status 0, also when none is due."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homes.services import homes_due, send_due_reminders


class Command(BaseCommand):
    help = (
        "List the unions whose workers'-home re-inspection falls due within N days (overdue ones included)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="look this many days ahead, 1 to 365 (default 30)"
        )
        parser.add_argument(
            "--remind",
            action="store_true",
            help="also remind the chairs and organisation staff (once per due date)",
        )

    def handle(self, *args, days, remind, **options):
        if not 1 <= days <= 365:
            raise CommandError(_("--days must be between 1 and 365."), returncode=2)
        today = timezone.localdate()
        homes = list(homes_due(within_days=days, on=today))
        for home in homes:
            left = (home.reinspection_due_on - today).days
            when = (
                ngettext("overdue by %(n)d day", "overdue by %(n)d days", -left) % {"n": -left}
                if left < 0
                else ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}
            )
            self.stdout.write(
                f"{home.union.code} {home.union.name} {home.get_level_display()} "
                f"{home.reinspection_due_on.isoformat()} {when}"
            )
        if homes:
            self.stdout.write(
                ngettext(
                    "%(n)d union due within %(days)d days.",
                    "%(n)d unions due within %(days)d days.",
                    len(homes),
                )
                % {"n": len(homes), "days": days}
            )
        else:
            self.stdout.write(
                _("No union's workers' home falls due for re-inspection within %(days)d days.")
                % {"days": days}
            )
        if remind:
            sent = send_due_reminders(on=today)
            self.stdout.write(
                ngettext("%(n)d reminder sent.", "%(n)d reminders sent.", sent["notified"])
                % {"n": sent["notified"]}
            )
