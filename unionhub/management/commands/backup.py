"""``python manage.py backup [--to DIR]``: write one dated archive of the database and the stored files (see
``unionhub.backups``) and print its path as the last line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from unionhub import backups


class Command(BaseCommand):
    help = "Back up the database and the stored files into one dated archive; print its path last."

    def add_arguments(self, parser):
        parser.add_argument("--to", default="", help="the directory for the archive (default: BACKUP_DIR)")

    def handle(self, *args, to, **options):
        run = backups.run_backup(to=Path(to) if to else None)
        if run.status != run.Status.OK:
            raise CommandError(_("The backup failed: %(error)s") % {"error": run.message})
        self.stdout.write(f"{run.size:,} bytes")
        self.stdout.write(run.path)
