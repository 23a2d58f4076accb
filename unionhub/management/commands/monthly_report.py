"""``python manage.py monthly_report --month 2025-04 [--union HN001] [--replace]``: produce one month's report
now (without the worker) and print the paths of the PDF and the workbook, one per line."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from unionhub.contributions import union_model
from unionhub.reports import runs


class Command(BaseCommand):
    help = "Produce a month's report for the district or one union and print the paths of its PDF and XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month, as YYYY-MM")
        parser.add_argument("--union", default="", help="a union's code; the district when left out")
        parser.add_argument("--replace", action="store_true", help="produce it again even if it is ready")

    def handle(self, *args, month, union, replace, **options):
        try:
            first_day = runs.parse_month(month)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        scope = None
        if union:
            # The union is the registry's model, contributed to the core (which imports no programme app).
            scope = union_model().objects.filter(code=union.strip()).first()
            if scope is None:
                raise CommandError(_("No union has the code %(code)s.") % {"code": union}, returncode=2)
        try:
            report = runs.produce(month=first_day, union=scope, replace=replace)
        except Exception as error:  # noqa: BLE001 - recorded on the report; a sentence here, not a traceback
            raise CommandError(
                _("The report could not be produced: %(error)s")
                % {"error": str(error) or error.__class__.__name__}
            ) from None
        self.stdout.write(report.pdf.path)
        self.stdout.write(report.xlsx.path)
