"""``python manage.py restore ARCHIVE [--force]``: restore an archive written by ``manage.py backup`` into an
empty database and MEDIA_ROOT (``--force`` replaces what is there); print the restored row counts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from unionhub import backups


class Command(BaseCommand):
    help = (
        "Restore a backup archive (checksums first) into an empty database; --force replaces a non-empty one."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive written by manage.py backup")
        parser.add_argument(
            "--force", action="store_true", help="replace a database and MEDIA_ROOT that already hold data"
        )

    def handle(self, *args, archive, force, **options):
        try:
            done = backups.restore(Path(archive), force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        for table, count in sorted(done.counts.items()):
            self.stdout.write(f"{table}: {count}")
        self.stdout.write(
            _(
                "Restored %(tables)s tables (%(rows)s rows) and %(files)s files from the backup made at "
                "%(created)s by UnionHub %(version)s."
            )
            % {
                "tables": len(done.counts),
                "rows": sum(done.counts.values()),
                "files": done.files,
                "created": done.manifest.get("created_at"),
                "version": done.manifest.get("unionhub_version"),
            }
        )
