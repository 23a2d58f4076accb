"""Spreadsheet exports (unionhub.exports): formulas neutralised, write-only workbooks spooled for FileResponse."""

import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from unionhub.exports import exact_number, neutralise, spooled, write_only_workbook


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 138", "'+86 138"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("王小明", "王小明"),
        ("a=b", "a=b"),
        (None, ""),
        (12, "12"),
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(value, cell):
    assert neutralise(value) == cell


def test_a_workbook_is_spooled_rewound_and_readable():
    workbook = write_only_workbook()
    sheet = workbook.create_sheet("会员")
    sheet.append(["姓名", "会费"])
    sheet.append([neutralise("=1+1"), 12.5])
    spool = spooled(workbook)
    try:
        assert spool.tell() == 0
        rows = list(load_workbook(spool).active.values)
    finally:
        spool.close()
    assert rows == [("姓名", "会费"), ("'=1+1", 12.5)]


def test_a_decimal_is_written_digit_for_digit_as_a_number():
    workbook = write_only_workbook()
    sheet = workbook.create_sheet("经费")
    sheet.append(["金额", exact_number(sheet, Decimal("73.35")), exact_number(sheet, Decimal("1234567.89"))])
    spool = spooled(workbook)
    try:
        with zipfile.ZipFile(spool) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        spool.seek(0)
        row = next(load_workbook(spool).active.values)
    finally:
        spool.close()
    assert '<c r="B1" t="n"><v>73.35</v></c>' in xml
    assert "<v>1234567.89</v>" in xml
    assert row == ("金额", 73.35, 1234567.89)
