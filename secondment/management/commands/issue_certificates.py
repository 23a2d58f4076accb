"""``manage.py issue_certificates --month 2026-03``: issue and render the certificates of every
eligible term ending in that month, printing ``<number> <absolute path of the PDF>`` per
certificate; terms not eligible are reported on stderr with the reason. Running it again issues
nothing new: it prints the same lines, rendering a PDF again only if its file is missing."""

from django.core.management.base import BaseCommand, CommandError

from secondment.services.certificates import holder_name, issue_for_month, parse_month


class Command(BaseCommand):
    help = "Issue and render the completion certificates of the terms ending in a month."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM: the month in which the terms end.")

    def handle(self, *args, month, **options):
        try:
            year, month_number = parse_month(month)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        outcome = issue_for_month(year, month_number)
        for certificate in outcome.certificates:
            self.stdout.write(f"{certificate.number} {certificate.pdf.path}")
        for term, reason in outcome.skipped:
            self.stderr.write(
                f"{holder_name(term)} ({term.union.code}, {term.start_date}–{term.end_date}): {reason}"
            )
