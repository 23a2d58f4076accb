"""The user's own dues sheet handed back with its problems marked: each cell with an issue
coloured and commented, and a list of every issue on a sheet of its own."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.utils.translation import gettext as _

from unionhub.exports import write_only_workbook

from .dues_sheet import ERROR, ParsedSheet, RowIssue
from .sheets import (  # the reader's own helpers: a rebuilt sheet is read exactly as it was checked
    SheetUnreadable,
    calamine_sources,
    check_zip,
    csv_source,
    unreadable_message,
)

# --- the annotated copy ----------------------------------------------------------------------

_ERROR_FILL = "FFC7CE"  # light red
_WARNING_FILL = "FFEB9C"  # light yellow


def annotate_errors(data: bytes, filename: str, parsed: ParsedSheet) -> bytes:
    """An .xlsx copy of the user's sheet with every cell that has an issue filled (light red for errors,
    light yellow for warnings) and commented with the message(s), at the same row numbers; a second
    sheet lists every issue. An .xlsx upload is annotated in place so its formatting is kept; an .xls
    or CSV upload is rebuilt from its cell values at the same positions."""
    import openpyxl  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    by_cell: dict[tuple[int, int], list[RowIssue]] = {}
    first_col = min((col for col, _text in parsed.columns.values()), default=0)
    for issue in parsed.issues:
        col = issue.col_index if issue.col_index >= 0 else first_col
        by_cell.setdefault((issue.row, col), []).append(issue)

    book = None
    if parsed.file_type == "xlsx":
        check_zip(data)
        try:
            book = openpyxl.load_workbook(io.BytesIO(data))
            sheet = book[parsed.sheet_name] if parsed.sheet_name in book.sheetnames else book.worksheets[0]
        except Exception:  # openpyxl is stricter than calamine: rebuild from the values instead
            book = None
        else:
            _annotate_in_place(sheet, by_cell)
            position = book.index(sheet) + 1
            book.active = book.index(sheet)
    if book is None:
        book = write_only_workbook()
        _rebuild(book, data, filename, parsed, by_cell)
        position = 1
    _issue_list(book, parsed, position)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _comment(issues: list[RowIssue]):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated
    from openpyxl.comments import Comment  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    text = ILLEGAL_CHARACTERS_RE.sub("", "\n".join(issue.message for issue in issues))
    comment = Comment(text, "UnionHub")
    comment.width = 320
    comment.height = min(60 + 18 * (len(text) // 24 + len(issues)), 400)
    return comment


def _fill(issues: list[RowIssue]):
    from openpyxl.styles import PatternFill  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    color = _ERROR_FILL if any(issue.severity == ERROR for issue in issues) else _WARNING_FILL
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


def _annotate_in_place(sheet, by_cell: dict[tuple[int, int], list[RowIssue]]) -> None:
    from openpyxl.cell.cell import MergedCell  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    merged = list(sheet.merged_cells.ranges)
    for (row, col), issues in by_cell.items():
        cell = sheet.cell(row=row, column=col + 1)
        if isinstance(cell, MergedCell):
            for area in merged:
                if cell.coordinate in area:
                    cell = sheet.cell(row=area.min_row, column=area.min_col)
                    break
        comment = _comment(issues)
        if cell.comment is not None:
            comment.text = f"{cell.comment.text}\n—\n{comment.text}"
        cell.comment = comment
        cell.fill = _fill(issues)


def _rebuild(
    book, data: bytes, filename: str, parsed: ParsedSheet, by_cell: dict[tuple[int, int], list[RowIssue]]
) -> None:
    """Write the sheet's values into a write-only workbook, row by row, at their original positions."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    if parsed.file_type == "csv":
        source = csv_source(data)
        title = PurePath(filename).stem or "Sheet1"
    else:
        sources = calamine_sources(data)
        source = next((s for s in sources if s.name == parsed.sheet_name), None)
        if source is None:
            raise SheetUnreadable(unreadable_message())
        title = parsed.sheet_name
    title = "".join(c for c in title if c not in "[]:*?/\\")[:31].strip("'") or "Sheet1"
    sheet = book.create_sheet(title)
    by_row: dict[int, list[tuple[int, list[RowIssue]]]] = {}
    for (row, col), issues in by_cell.items():
        by_row.setdefault(row, []).append((col, issues))
    current = 0
    for number, cells in source.rows:
        while current < number - 1:
            sheet.append([])
            current += 1
        values = [None] * source.first_col + [
            None if v == "" else (ILLEGAL_CHARACTERS_RE.sub("", v) if type(v) is str else v) for v in cells
        ]
        for col, issues in by_row.get(number, ()):
            if col >= len(values):
                values.extend([None] * (col + 1 - len(values)))
            cell = _text_cell(sheet, values[col])
            cell.comment = _comment(issues)
            cell.fill = _fill(issues)
            values[col] = cell
        out = [
            _text_cell(sheet, value) if type(value) is str and value.startswith("=") else value
            for value in values
        ]
        sheet.append(out)
        current = number


def _text_cell(sheet, value):
    """A write-only cell; text that starts with "=" stays text instead of becoming a formula."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    cell = WriteOnlyCell(sheet, value=value)
    if type(value) is str and value.startswith("="):
        cell.data_type = "s"
    return cell


def _issue_list(book, parsed: ParsedSheet, position: int) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 — openpyxl is loaded only when a sheet is annotated

    errors, warnings = len(parsed.errors), len(parsed.warnings)
    summary = _("%(rows)d data rows: %(errors)d errors, %(warnings)d warnings.") % {
        "rows": parsed.data_rows,
        "errors": errors,
        "warnings": warnings,
    }
    book.properties.description = summary
    title = _("Error list")
    if getattr(book, "write_only", False):
        sheet = book.create_sheet(title)
    else:
        sheet = book.create_sheet(title, index=position)
        sheet.column_dimensions["A"].width = 100
    sheet.append([summary])
    for issue in parsed.issues:
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub("", str(issue)),
                _("Error") if issue.severity == ERROR else _("Warning"),
            ]
        )
