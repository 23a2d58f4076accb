"""Spreadsheet exports (unionhub.exports): formulas neutralised, write-only workbooks spooled for FileResponse."""

import pytest
from openpyxl import load_workbook

from unionhub.exports import neutralise, spooled, write_only_workbook


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
