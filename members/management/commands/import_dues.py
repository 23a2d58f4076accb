"""Check (and with --commit, import) a union's dues sheet from the command line — the same code
path as the upload page. Exit codes: 0 the file is valid, 1 a row has an error (or ``--commit`` for
a period that is already declared, without ``--replace``: the ``declared:`` line says what replacing
would change; or the roster changed while committing), 2 the file cannot be read as a dues sheet (or
the union/period is wrong). People on another union's active roster (same name) are transfers in, not
errors: ``transfers: N`` says how many, and ``--commit`` performs them."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import IntegrityError

from members.dues_sheet import SheetUnreadable
from members.models import DuesPeriod, GrassrootsUnion
from members.periods import parse_period
from members.services import declarations, dues


class Command(BaseCommand):
    help = "Check a dues spreadsheet for a union's period; import it with --commit."

    def add_arguments(self, parser):
        parser.add_argument("path", help=".xlsx, .xls or .csv file")
        parser.add_argument("--union", required=True, help="the union's code, e.g. HN001")
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q3, 2026-H2 or 2026")
        parser.add_argument("--commit", action="store_true", help="write it (only when there is no error)")
        parser.add_argument(
            "--replace", action="store_true", help="replace the sheet already committed for the period"
        )

    def handle(self, *args, path, union, period, commit, replace, **options):
        try:
            the_period = parse_period(period)
        except ValueError as error:
            return self._fail(str(error))
        the_union = GrassrootsUnion.objects.filter(code__iexact=union.strip()).first()
        if the_union is None:
            return self._fail(f"no union with the code {union}")
        file = Path(path)
        if not file.is_file():
            return self._fail(f"no such file: {path}")
        data = file.read_bytes()
        try:
            plan = dues.read_and_plan(union=the_union, period=the_period, data=data, filename=file.name)
        except SheetUnreadable as error:
            return self._fail(str(error))
        out = self.stdout.write
        summary = plan.summary()
        out(f"union: {the_union.code} {the_union.name}")
        out(
            f"period: {the_period.label} ({the_period.start} – {the_period.end}), due {the_period.due_date()}"
        )
        sheet = f', sheet "{summary["sheet_name"]}"' if summary["sheet_name"] else ""
        out(f"file: {file.name} ({summary['file_type']}{sheet}, header on row {summary['header_row']})")
        out(f"rows: {summary['rows']}")
        out(f"errors: {len(plan.errors)}")
        out(f"warnings: {len(plan.warnings)}")
        out(f"members matched: {summary['matched']}")
        out(f"new members: {summary['new']}")
        out(f"transfers: {summary['transfers']}")
        for source in summary["transfers_from"]:
            out(f"transfers from {source['code']} {source['name']}: {source['count']}")
        out(f"members missing from the sheet: {summary['missing']}")
        out(f"monthly payroll: {summary['payroll_total']}")
        out(f"union funds due ({summary['months']} month(s)): {summary['funds_due']}")
        out(f"member dues due: {summary['dues_due']}")
        existing = (
            DuesPeriod.objects.with_received()
            .filter(union=the_union, start=the_period.start, end=the_period.end)
            .first()
        )
        comparison = declarations.compare(existing, summary) if existing else None
        if comparison:
            out(comparison.line())
        if existing is not None:
            for warning in declarations.declaration_warnings(existing, summary):
                if warning.code != "paid" or comparison is None:
                    out(f"check: {warning.title}")
        for issue in plan.errors:
            out(f"row {issue.row}, column {issue.column}: {issue.message}")
        for issue in plan.warnings:
            out(f"warning: row {issue.row}, column {issue.column}: {issue.message}")
        if plan.errors:
            out("not committed: fix the errors and run again")
            sys.exit(1)
        if not commit:
            out("valid; not committed (add --commit to import)")
            return
        if comparison and not replace and not dues.is_declared_by(existing, data):
            out("not committed: the period is already declared; add --replace to replace the declaration")
            sys.exit(1)
        try:
            _upload, outcome = dues.import_from_command(
                union=the_union, period=the_period, filename=file.name, data=data, plan=plan, replace=replace
            )
        except IntegrityError:
            # Someone moved or registered one of the sheet's people meanwhile: nothing was written.
            out("not committed: the roster changed while committing; run again")
            sys.exit(1)
        out(outcome)

    def _fail(self, message: str):
        self.stderr.write(f"error: {message}")
        sys.exit(2)
