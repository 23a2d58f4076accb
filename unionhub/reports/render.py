"""The monthly report rendered for people: a Chinese A4 PDF (cover, contents, one section per programme
with its figures and charts) and an XLSX workbook (a summary sheet and one sheet of rows per section).

The PDF is an official document and always in Chinese, so its fixed words live in the template
(``reports/monthly_report.html``) rather than going through gettext. The PDF comes from the process's
one WeasyPrint renderer (``unionhub.pdf``), as certificates do."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import mark_safe
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ..certificates import federation_name
from ..exports import exact_number, neutralise, sheet_name, write_only_workbook
from ..pdf import render_template_pdf
from .base import Figure, Report, Section
from .charts import chart_svg

TEMPLATE = "reports/monthly_report.html"
MISSING = "—"
SUMMARY_SHEET = "汇总"


# --- words and numbers ----------------------------------------------------------------------------


def report_title(report: Report) -> str:
    """``2026年3月工作报告``, or ``甲公司工会委员会2026年3月工作报告`` for a union's report; the report's own
    title when the figures gave it one."""
    if report.title:
        return report.title
    month = f"{report.month.year}年{report.month.month}月工作报告"
    union = getattr(report.union, "name", "") if report.union is not None else ""
    return f"{union}{month}"


def federation(report: Report) -> str:
    if report.federation:
        return report.federation
    return federation_name()


def format_figure(value, unit: str = "") -> str:
    """``¥1,234.50`` for money, ``12.5%`` for a percentage, ``1,234`` for a count, ``—`` when unknown."""
    if value is None or isinstance(value, bool):
        return MISSING
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if unit == "¥":
        sign = "-" if number < 0 else ""
        return f"{sign}¥{abs(number):,.2f}"
    if unit == "%":
        text = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"
        return f"{text}%"
    text = f"{number:,.0f}"
    return f"{text}{unit}" if unit else text


def generated_at(report: Report) -> datetime.datetime:
    moment = report.generated_at or timezone.now()
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


# --- PDF ------------------------------------------------------------------------------------------


def _figure_row(figure: Figure) -> dict:
    return {
        "label": figure.label,
        "month": format_figure(figure.month, figure.unit),
        "year_to_date": format_figure(figure.year_to_date, figure.unit),
        "last_year": format_figure(figure.last_year, figure.unit),
    }


def _section_context(number: int, section: Section) -> dict:
    return {
        "anchor": f"section-{number}",
        "number": number,
        "title": section.title,
        "available": section.available,
        "note": section.note,
        "figures": [_figure_row(figure) for figure in section.figures],
        # SVG drawn by charts.py from numbers, every piece of text in it escaped there.
        "charts": [mark_safe(chart_svg(chart, width=640, height=260)) for chart in section.charts],  # noqa: S308
    }


def report_context(report: Report) -> dict:
    return {
        "title": report_title(report),
        "federation_name": federation(report),
        "month": report.month,
        "generated_at": generated_at(report),
        "sections": [_section_context(n, section) for n, section in enumerate(report.sections, start=1)],
    }


def render_pdf(report: Report) -> bytes:
    """The report as a Chinese A4 PDF."""
    return render_template_pdf(TEMPLATE, report_context(report))


# --- XLSX -----------------------------------------------------------------------------------------


def _number_format(unit: str) -> str:
    return {"¥": '"¥"#,##0.00', "%": '0.0"%"'}.get(unit, "#,##0")


def _cell_value(value):
    """Numbers and dates stay what they are; everything else is text, neutralised against formulas."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return neutralise(value)


def _cell(sheet, value) -> WriteOnlyCell:
    """A cell for ``value``; money (Decimal) digit for digit, not through a float (``exact_number``)."""
    if isinstance(value, Decimal) and value.is_finite():
        return exact_number(sheet, value)
    return WriteOnlyCell(sheet, value=_cell_value(value))


def render_xlsx(report: Report) -> bytes:
    """A workbook: ``汇总`` with every section's figures, then one sheet per section with its rows."""
    workbook = write_only_workbook()
    bold = Font(bold=True)
    used: set[str] = set()

    def header_cells(sheet, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=neutralise(name))
            cell.font = bold
            cells.append(cell)
        return cells

    summary = workbook.create_sheet(sheet_name(SUMMARY_SHEET, used))
    for column, width in zip("ABCDEFG", (18, 28, 16, 16, 16, 8), strict=False):
        summary.column_dimensions[column].width = width
    title = WriteOnlyCell(summary, value=neutralise(report_title(report)))
    title.font = Font(bold=True, size=14)
    summary.append([title])
    summary.append([neutralise(f"{federation(report)}　生成于 {generated_at(report):%Y-%m-%d %H:%M}")])
    summary.append([])
    summary.append(header_cells(summary, ["板块", "指标", "本月", "本年累计", "去年同月", "单位"]))
    for section in report.sections:
        if not section.available:
            summary.append([neutralise(section.title), neutralise(section.note or "暂无数据")])
            continue
        for figure in section.figures:
            row = [neutralise(section.title), neutralise(figure.label)]
            for value in (figure.month, figure.year_to_date, figure.last_year):
                cell = _cell(summary, value)
                cell.number_format = _number_format(figure.unit)
                row.append(cell)
            row.append(neutralise(figure.unit))
            summary.append(row)

    for section in report.sections:
        sheet = workbook.create_sheet(sheet_name(section.title, used))
        width = max([len(section.header)] + [len(row) for row in section.rows] + [1])
        for n in range(min(width, 26)):
            sheet.column_dimensions[chr(ord("A") + n)].width = 16
        if not section.available:
            note = WriteOnlyCell(sheet, value=neutralise(section.note or "暂无数据"))
            note.alignment = Alignment(wrap_text=True)
            sheet.append([note])
            continue
        if section.header:
            sheet.freeze_panes = "A2"
            sheet.append(header_cells(sheet, section.header))
        for row in section.rows:
            sheet.append([_cell(sheet, value) for value in row])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
