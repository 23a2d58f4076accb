"""``manage.py post_allocation --year YYYY [--adjust]``: post the year's hardship-fund allocation
(5% of the union funds received that year) and print ``posted: AMOUNT``. A second run posts
nothing and prints ``posted: 0``; ``--adjust`` posts the difference when late remittances have
arrived since. Exit 2, without a traceback, for a bad year or a refused adjustment."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from aid.services import fund


class Command(BaseCommand):
    help = "Post a year's hardship-fund allocation from the union funds received."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--adjust",
            action="store_true",
            help="post the difference between the allocation due today and what was posted",
        )

    def handle(self, *args, year, adjust, **options):
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError(_("The year must be between 2000 and this year."), returncode=2)
        try:
            amount = fund.post_adjustment(year=year) if adjust else fund.post_allocation(year=year)
        except (ValidationError, LookupError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)])), returncode=2) from None
        self.stdout.write(f"posted: {amount if amount else 0}")
        self.stdout.write(
            f"allocated for {year}: {fund.allocated(year)} (due today: {fund.allocation_due(year)})"
        )
        self.stdout.write(f"balance: {fund.balance()}")
