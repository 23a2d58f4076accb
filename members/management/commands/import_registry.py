"""Check (and with --commit, import) a federation's ledgers (台账) — unions, enterprises, members and the
chairs' accounts — from one or several files: the same code path as the staff page.

Prints ``unions: N``, ``enterprises: N``, ``members: N`` (N: the rows of that kind read without error),
each followed by ``  created C, updated U, unchanged K`` (what committing writes, or wrote), then
``errors: E`` and one ``sheet S, row N, column X: message`` line per error (S the sheet's name — a CSV
file's name without its extension —, N the row number the user sees, X the column header as written).
Exit codes: 0 valid (and committed with --commit), 1 row errors (nothing saved), 2 unreadable (a file
missing, not a spreadsheet, a zip bomb, a password, no recognisable sheet; or an unknown --as user).

Without --as the import is recorded as done by the system (no actor: the operator at the server's
shell); with --as USERNAME that user must hold the organisation duty and is the audit trail's actor.
The import never issues sign-in links: staff print the chairs' letters from the page."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand
from django.db import IntegrityError

from members.ledger import KINDS, LedgerFile
from members.services import ledger
from members.sheets import SheetUnreadable


class Command(BaseCommand):
    help = "Check a federation's ledger workbook(s) of unions, enterprises and members; import with --commit."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help=".xlsx, .xls or .csv file(s)")
        parser.add_argument("--commit", action="store_true", help="write it (only when there is no error)")
        parser.add_argument(
            "--as", dest="username", default=None, help="the acting user (organisation duty); default: system"
        )

    def handle(self, *args, paths, commit, username, **options):
        by = None
        if username:
            by = get_user_model().objects.filter(username=username).first()
            if by is None:
                return self._fail(f"no user {username}")
        files = []
        for path in paths:
            file = Path(path)
            if not file.is_file():
                return self._fail(f"no such file: {path}")
            files.append(LedgerFile(file.name, file.read_bytes()))
        try:
            plan, created_chairs = ledger.import_from_command(by=by, files=files, commit=commit)
        except SheetUnreadable as error:
            return self._fail(str(error))
        except PermissionDenied:
            return self._fail(f"{username} may not import ledgers (organisation duty needed)")
        except IntegrityError:
            self.stdout.write("not committed: the registry changed while committing; run again")
            sys.exit(1)
        out = self.stdout.write
        for kind in KINDS:
            counts = plan.counts[kind]
            out(f"{kind}: {counts.read}")
            out(f"  created {counts.created}, updated {counts.updated}, unchanged {counts.unchanged}")
        out(f"errors: {len(plan.issues)}")
        for issue in plan.issues:
            out(issue.line())
        for change in plan.chair_changes:
            out(f"chair change: {change['union']}: {change['before']} → {change['after']}")
        if plan.unlisted_count:
            out(f"members not in the ledger (reported, not changed): {plan.unlisted_count}")
            for member in plan.unlisted:
                out(f"  {member['union']}: {member['name']} {member['id_number']}")
        if plan.issues:
            out("not committed: fix the errors and run again")
            sys.exit(1)
        if not commit:
            out("valid; not committed (add --commit to import)")
            return
        out(f"committed; chairs' accounts created: {len(created_chairs)}")

    def _fail(self, message: str):
        self.stderr.write(f"error: {message}")
        sys.exit(2)
