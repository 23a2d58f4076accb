"""Spreadsheet exports, the same way everywhere: text cells that a spreadsheet would read as a formula
(starting with = + - @, or a tab/carriage return) are neutralised with a leading quote, and workbooks
are write-only (rows streamed, constant memory for 40,000 members) and spooled to a temporary file
that the caller hands to FileResponse, which closes it."""

import re
import tempfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_only_workbook():
    """A new openpyxl workbook in write-only mode: add sheets with ``create_sheet``, rows with ``append``."""
    return Workbook(write_only=True)


def spooled(workbook):
    """``workbook`` saved to a temporary file, rewound; the caller (FileResponse) closes it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(spool)
    spool.seek(0)
    return spool


def exact_number(sheet, value: Decimal) -> WriteOnlyCell:
    """A number cell for a write-only ``sheet`` holding ``value`` digit for digit. openpyxl writes every
    number through ``"%.16g"``, i.e. through a float, so ``Decimal("73.35")`` would be stored as
    ``73.34999999999999``; the cell keeps the number type and is given the Decimal's own text."""
    cell = WriteOnlyCell(sheet, value=value)
    cell._value = format(value, "f")  # noqa: SLF001 - the text written between <v> and </v>
    return cell


def sheet_name(title: str, used: set[str]) -> str:
    """A legal, unique worksheet name: no ``[]:*?/\\``, at most 31 characters, unique ignoring case (as
    Excel compares); ``used`` grows."""
    base = _SHEET_FORBIDDEN.sub(" ", " ".join(str(title).split())).strip("' ") or "Sheet"
    name, n = base[:SHEET_NAME_LIMIT], 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    used.add(name.casefold())
    return name
