"""Spreadsheet exports, the same way everywhere: text cells that a spreadsheet would read as a formula
(starting with = + - @, or a tab/carriage return) are neutralised with a leading quote, and workbooks
are write-only (rows streamed, constant memory for 40,000 members) and spooled to a temporary file
that the caller hands to FileResponse, which closes it."""

import tempfile

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
