"""Roster exports. ID numbers and phones are masked; cells that a spreadsheet would read as a
formula (starting with = + - @, or a tab/carriage return) are neutralised with a leading quote."""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Member

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def roster_header() -> list[str]:
    return [_("Union code"), _("Union"), _("Enterprise"), _("Name"), _("Sex"), _("Birth date"),
            _("Resident ID number"), _("Mobile"), _("Education"), _("Political status"), _("Join date"),
            _("Migrant worker"), _("Membership status")]


def roster_rows(members: Iterable[Member]) -> Iterator[list[str]]:
    yes, no = _("Yes"), _("No")
    for m in members:
        yield [neutralise(v) for v in (
            m.union.code, m.union.name, m.enterprise.name, m.name, m.get_sex_display(),
            m.birth_date.isoformat(), m.masked_id_number, m.masked_phone, m.get_education_display(),
            m.get_political_status_display(), m.joined_on.isoformat(), yes if m.is_migrant_worker else no,
            m.get_status_display(),
        )]


class _Echo:
    def write(self, value):
        return value


def roster_csv(members: Iterable[Member]) -> Iterator[str]:
    """CSV lines with a UTF-8 BOM so that Excel on Chinese Windows opens it correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(roster_header())
    for row in roster_rows(members):
        yield writer.writerow(row)


def roster_xlsx(members: Iterable[Member]):
    """A write-only workbook spooled to a temporary file (constant memory for 40,000 rows)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Members"))
    sheet.append(roster_header())
    for row in roster_rows(members):
        sheet.append(row)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(spool)
    spool.seek(0)
    return spool
