"""``python manage.py export_all DIR [--unmasked --as USERNAME]``: the federation's whole copy of its data,
readable without UnionHub (see ``unionhub.export_all``). Prints a line per workbook, then the manifest's path."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from unionhub.export_all import export_everything, find_requester


class Command(BaseCommand):
    help = (
        "Export every table (one XLSX workbook per programme) and every stored file into an empty directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write; created if missing, refused unless empty")
        parser.add_argument(
            "--unmasked", action="store_true", help="ID numbers and phones in full (audited; needs --as)"
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="the staff user asking (organisation duty for --unmasked)",
        )

    def handle(self, *args, directory, unmasked, username, **options):
        def progress(label, path, sheets):
            rows = sum(sheet["rows"] for sheet in sheets)
            self.stdout.write(
                _("%(path)s: %(sheets)d sheets, %(rows)d rows")
                % {"path": path, "sheets": len(sheets), "rows": rows}
            )

        try:
            by = find_requester(username.strip()) if username.strip() else None
            manifest = export_everything(directory=directory, unmasked=unmasked, by=by, progress=progress)
        except (PermissionDenied, FileExistsError) as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(str(manifest))
