"""Roster exports. ID numbers and phones are masked; text cells are neutralised against formulas and
the workbook is spooled as every export's is (``unionhub.exports``)."""

import csv
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from unionhub.exports import neutralise, spooled, write_only_workbook

from .models import Member


def roster_header() -> list[str]:
    return [
        _("Union code"),
        _("Union"),
        _("Enterprise"),
        _("Name"),
        _("Sex"),
        _("Birth date"),
        _("Resident ID number"),
        _("Mobile"),
        _("Education"),
        _("Political status"),
        _("Join date"),
        _("Migrant worker"),
        _("Membership status"),
    ]


def roster_rows(members: Iterable[Member]) -> Iterator[list[str]]:
    yes, no = _("Yes"), _("No")
    for m in members:
        yield [
            neutralise(v)
            for v in (
                m.union.code,
                m.union.name,
                m.enterprise.name,
                m.name,
                m.get_sex_display(),
                m.birth_date.isoformat(),
                m.masked_id_number,
                m.masked_phone,
                m.get_education_display(),
                m.get_political_status_display(),
                m.joined_on.isoformat(),
                yes if m.is_migrant_worker else no,
                m.get_status_display(),
            )
        ]


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
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Members"))
    sheet.append(roster_header())
    for row in roster_rows(members):
        sheet.append(row)
    return spooled(workbook)
