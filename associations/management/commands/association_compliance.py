"""``manage.py association_compliance [--year YYYY]``: one line per active association with its planned,
held and expected activities and its flags, then a summary line. Exit status 0.

Line format (tokens separated by two spaces, the name padded for reading)::

    职工健身协会  planned 12  held 7  expected 9  ahead 3  BEHIND

Flags: ``BELOW-MINIMUM`` (fewer plan lines than the yearly minimum), ``BEHIND`` (held fewer than
expected by now, less the grace), ``WILL-MISS`` (held plus what is still ahead stays under the
minimum; for a past year: missed it), or ``OK``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from associations import services

# Chinese names pad with the ideographic space so the columns line up.
FULL_WIDTH_SPACE = "\u3000"


class Command(BaseCommand):
    help = "Print each association's planned and held activities for a year and flag those behind."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="the year (default: this year)")

    def handle(self, *args, year, **options):
        today = timezone.localdate()
        year = year or today.year
        if not 2000 <= year <= today.year + 1:
            raise CommandError(f"Year out of range: {year}", returncode=2)
        rows = services.compliance(year, today=today)
        width = max((len(row.association.name) for row in rows), default=0)
        for row in rows:
            name = row.association.name.ljust(width, FULL_WIDTH_SPACE)
            self.stdout.write(
                f"{name}  planned {row.planned}  "
                f"held {row.held}  expected {row.expected}  ahead {row.ahead}  "
                f"{' '.join(row.flags)}"
            )
        flagged = [row for row in rows if not row.ok]
        self.stdout.write(
            f"{year}: {len(rows)} associations, {len(flagged)} flagged "
            f"(BEHIND {sum(r.behind for r in rows)}, BELOW-MINIMUM {sum(r.below_minimum for r in rows)}, "
            f"WILL-MISS {sum(r.will_miss for r in rows)}), minimum {services.rules().min_activities_per_year} "
            f"a year; planned {sum(r.planned for r in rows)}, held {sum(r.held for r in rows)}"
        )
