"""``manage.py fund_statement --year YYYY [--month MM]``: print the hardship fund's statement —
opening balance, allocations, other income, disbursements by programme, closing balance."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aid.services import fund


class Command(BaseCommand):
    help = "Print the hardship fund's statement for a year or a month."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int)

    def handle(self, *args, year, month, **options):
        if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
            raise CommandError(_("Give a year (2000–2100) and, optionally, a month (1–12)."), returncode=2)
        s = fund.statement(year=year, month=month)
        out = self.stdout.write
        out(_("Hardship fund statement, %(start)s to %(end)s") % {"start": s.start, "end": s.end})
        out(f"{_('Opening balance')}: {s.opening}")
        out(f"{_('Allocations')}: {s.allocations}")
        out(f"{_('Donations')}: {s.donations}")
        out(f"{_('Transfers from the charity federation')}: {s.charity}")
        for label, amount in s.by_programme:
            out(f"{_('Paid out: %(programme)s') % {'programme': label}}: {amount}")
        if s.unassigned:
            out(f"{_('Paid out: other')}: {s.unassigned}")
        out(f"{_('Paid out in total')}: {s.disbursed}")
        out(f"{_('Closing balance')}: {s.closing}")
