"""Reading a chair's dues spreadsheet: file types recognised by content, the header found wherever
it is, every row validated, issues reported at the row number Excel shows — and the annotated copy.

Every sheet is built here, in code. No database: ``members.dues_sheet`` is pure functions.
Messages are asserted as English msgids (an autouse fixture activates English); the zh_Hans
catalogue translates them."""

import csv
import datetime
import io
import random
import time
import tracemalloc
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlwt
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl.styles import Font

from members import dues_sheet
from members.dues_annotate import annotate_errors
from members.dues_sheet import (
    ParsedSheet,
    RowIssue,
    SheetRow,
    SheetUnreadable,
    expected_dues,
    read_dues_sheet,
)
from members.validators import checksum_message, clean_resident_id
from tests.factories import make_id

HEADER = ["姓名", "身份证号码", "手机号码", "月工资基数", "会费"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- building sheets ----------------------------------------------------------------------------


def unique_ids(count: int) -> list[str]:
    """``count`` distinct valid ID numbers (make_id's own counter repeats after 500 per birth date)."""
    start = datetime.date(1965, 1, 1)
    return [
        make_id(birth=(start + datetime.timedelta(days=i // 400)).strftime("%Y%m%d"), seq=i % 400 * 2 + 1)
        for i in range(count)
    ]


def member(name="王小明", id_number=None, phone="13812345678", wage=5000, dues=25):
    return [name, id_number or make_id(), phone, wage, dues]


def xlsx(rows, *, title="会费明细", before=None, at="A1", setup=None) -> bytes:
    """A workbook whose sheet holds ``rows`` from cell ``at`` (None and "" leave a cell empty);
    ``before`` is a list of (title, rows) sheets put in front of it; ``setup(ws)`` may merge cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for other_title, other_rows in before or []:
        sheet = book.create_sheet(other_title)
        for row in other_rows:
            sheet.append(row)
    sheet = book.create_sheet(title)
    top = openpyxl.utils.cell.coordinate_to_tuple(at)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                sheet.cell(row=top[0] + r, column=top[1] + c, value=value)
    if setup:
        setup(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(rows, *, title="会费明细", top=0, left=0) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                sheet.write(top + r, left + c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, *, encoding="utf-8", delimiter=",", bom=False) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return (b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode(encoding)


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def only(issues: list[RowIssue]) -> RowIssue:
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def unreadable(data: bytes, filename: str) -> str:
    with pytest.raises(SheetUnreadable) as info:
        read_dues_sheet(data, filename)
    return str(info.value)


# --- plain sheets ------------------------------------------------------------------------------


def test_plain_xlsx_gives_validated_rows():
    first, second = make_id(), make_id(sex="F")
    parsed = read_dues_sheet(
        xlsx([HEADER, ["王小明", first, "13812345678", 5678.9, 28.35], ["李小红", second, "", 3000, 15]]),
        "会费.xlsx",
    )
    assert isinstance(parsed, ParsedSheet)
    assert (parsed.file_type, parsed.sheet_name, parsed.header_row, parsed.data_rows) == (
        "xlsx",
        "会费明细",
        1,
        2,
    )
    assert parsed.columns == {
        "name": (0, "姓名"),
        "id_number": (1, "身份证号码"),
        "phone": (2, "手机号码"),
        "wage": (3, "月工资基数"),
        "dues_paid": (4, "会费"),
    }
    assert parsed.issues == []
    assert parsed.rows == [
        SheetRow(2, "王小明", first, "13812345678", Decimal("5678.90"), Decimal("28.35"), ""),
        SheetRow(3, "李小红", second, "", Decimal("3000.00"), Decimal("15.00"), ""),
    ]
    assert str(parsed.rows[0].wage) == "5678.90"


def test_chinese_headers_with_units_stars_and_spaces():
    header = ["* 职工姓名", "公民身份号码（18位）", "联系电话", "缴费基数(元)", "实缴会费（元）", "所在企业"]
    parsed = read_dues_sheet(
        xlsx([header, ["王小明", make_id(), "13812345678", 5000, 25, "甲精密机械有限公司"]]), "x.xlsx"
    )
    assert {field: col for field, (col, _text) in parsed.columns.items()} == {
        "name": 0,
        "id_number": 1,
        "phone": 2,
        "wage": 3,
        "dues_paid": 4,
        "enterprise": 5,
    }
    assert parsed.columns["id_number"][1] == "公民身份号码（18位）"  # the header as the user wrote it
    assert parsed.rows[0].enterprise == "甲精密机械有限公司"


def test_english_headers():
    header = ["Full Name", "ID Number", "Mobile", "Monthly Wage", "Dues Paid", "Company"]
    parsed = read_dues_sheet(
        xlsx([header, ["Mary Smith", make_id(), "13812345678", 5000, 25, "ACME Ltd"]]), "x.xlsx"
    )
    assert set(parsed.columns) == {"name", "id_number", "phone", "wage", "dues_paid", "enterprise"}
    assert parsed.rows[0].name == "Mary Smith"
    assert parsed.rows[0].enterprise == "ACME Ltd"


SYNONYM_CASES = [(field, synonym) for field, synonyms in dues_sheet.SYNONYMS.items() for synonym in synonyms]


@pytest.mark.parametrize(("field", "synonym"), SYNONYM_CASES, ids=[f"{f}-{s}" for f, s in SYNONYM_CASES])
def test_every_synonym_of_every_column_is_recognised(field, synonym):
    defaults = {
        "name": "姓名",
        "id_number": "身份证号码",
        "phone": "手机号码",
        "wage": "月工资基数",
        "dues_paid": "会费",
        "enterprise": "所在企业",
    }
    defaults[field] = synonym
    header = list(defaults.values())
    parsed = read_dues_sheet(
        xlsx([header, ["王小明", make_id(), "13812345678", 5000, 25, "甲公司"]]), "x.xlsx"
    )
    assert parsed.columns[field] == (header.index(synonym), synonym)
    assert len(parsed.rows) == 1


def test_columns_in_another_order_and_extra_columns_are_ignored():
    number = make_id()
    header = ["序号", "月工资基数", "部门", "身份证号码", "性别", "姓名", "备注"]
    parsed = read_dues_sheet(xlsx([header, [1, 6000, "生产部", number, "男", "王小明", "新入职"]]), "x.xlsx")
    assert parsed.columns == {"wage": (1, "月工资基数"), "id_number": (3, "身份证号码"), "name": (5, "姓名")}
    assert parsed.rows == [SheetRow(2, "王小明", number, "", Decimal("6000.00"), None, "")]


def test_title_rows_notes_and_blank_rows_above_the_header():
    rows = [
        ["嘉兴市某某区总工会"],
        ["2026年3月工会会费缴纳明细表"],
        [],
        ["填报单位：甲精密机械有限公司", None, "填报日期：2026-03-31"],
        [],
        HEADER,
        member(),
        member(),
    ]
    parsed = read_dues_sheet(xlsx(rows), "x.xlsx")
    assert parsed.header_row == 6
    assert [row.row for row in parsed.rows] == [7, 8]


def test_merged_title_cells_above_the_header():
    def merge(sheet):
        sheet.merge_cells("A1:E1")
        sheet.merge_cells("A2:E2")

    rows = [["2026年3月工会会费缴纳明细表"], ["单位：甲精密机械有限公司（盖章）"], HEADER, member(), member()]
    parsed = read_dues_sheet(xlsx(rows, setup=merge), "x.xlsx")
    assert parsed.header_row == 3
    assert [row.row for row in parsed.rows] == [4, 5]
    assert parsed.issues == []


def test_total_signature_and_note_rows_below_are_skipped():
    rows = [
        HEADER,
        member(),
        member(),
        [],
        ["合计", None, None, 10000, 50],
        [None, "小 计", None, 10000, 50],
        ["制表人：张三", None, "审核：李四", None, "日期：2026-03-31"],
        ["注：会费按工资基数的0.5%计算"],
        ["TOTAL", None, None, 10000, 50],
        ["负责人签字："],
    ]
    parsed = read_dues_sheet(xlsx(rows), "x.xlsx")
    assert parsed.issues == []
    assert parsed.data_rows == 2
    assert [row.row for row in parsed.rows] == [2, 3]


def test_data_on_the_second_sheet_after_a_cover_page():
    cover = [["工会会费缴纳表"], ["填表说明：每位会员一行"], ["单位", "甲精密机械有限公司"]]
    parsed = read_dues_sheet(xlsx([HEADER, member()], title="明细", before=[("封面", cover)]), "x.xlsx")
    assert parsed.sheet_name == "明细"
    assert len(parsed.rows) == 1


def test_a_hidden_sheet_comes_after_the_visible_ones():
    def hide_first(sheet):
        sheet.parent["上月"].sheet_state = "hidden"

    last_month = [HEADER, member(name="上月的人")]
    parsed = read_dues_sheet(
        xlsx(
            [HEADER, member(name="本月的人")], title="本月", before=[("上月", last_month)], setup=hide_first
        ),
        "x.xlsx",
    )
    assert parsed.sheet_name == "本月"
    assert [row.name for row in parsed.rows] == ["本月的人"]


def test_empty_leading_rows_and_columns_keep_the_row_numbers_excel_shows():
    """The header is in C5 (rows 1–4 and columns A–B empty): rows and columns are counted from A1."""
    bad = make_id()[:17] + "Z"
    rows = [HEADER, member(), member(id_number=bad), member(wage="abc")]
    data = xlsx(rows, at="C5")
    parsed = read_dues_sheet(data, "x.xlsx")
    assert parsed.header_row == 5
    assert parsed.columns["name"] == (2, "姓名")
    assert [row.row for row in parsed.rows] == [6]
    assert [(i.row, i.col_index, i.column) for i in parsed.issues] == [
        (7, 3, "身份证号码"),
        (8, 5, "月工资基数"),
    ]
    # Check against the workbook itself: the cells the issues name hold the values that are wrong.
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.cell(row=7, column=3 + 1).value == bad
    assert sheet.cell(row=8, column=5 + 1).value == "abc"


def test_a_title_in_b2_and_the_header_in_b4():
    rows = [["会费明细表"], [], HEADER, member(wage=-1)]
    parsed = read_dues_sheet(xlsx(rows, at="B2"), "x.xlsx")
    assert parsed.header_row == 4
    issue = only(parsed.errors)
    assert (issue.row, issue.col_index) == (5, 4)


def test_legacy_xls():
    first = make_id()
    rows = [
        ["会费明细表"],
        [],
        HEADER,
        ["王小明", first, "13812345678", 5678.9, 28.35],
        ["李小红", make_id(), "", "abc", None],
    ]
    parsed = read_dues_sheet(xls(rows, top=1, left=1), "会费.xls")
    assert (parsed.file_type, parsed.sheet_name, parsed.header_row) == ("xls", "会费明细", 4)
    assert parsed.rows == [
        SheetRow(5, "王小明", first, "13812345678", Decimal("5678.90"), Decimal("28.35"), "")
    ]
    issue = only(parsed.issues)
    assert (issue.row, issue.col_index, issue.column) == (6, 4, "月工资基数")


# --- CSV ---------------------------------------------------------------------------------------


def csv_rows():
    return [
        ["会费明细表"],
        HEADER,
        member(name="王小明", wage="5678.90", dues="28.35"),
        member(name="李小红", wage="abc", dues=""),
    ]


def check_csv(parsed: ParsedSheet) -> None:
    assert (parsed.file_type, parsed.sheet_name, parsed.header_row) == ("csv", "", 2)
    assert [(row.row, row.name, row.wage) for row in parsed.rows] == [(3, "王小明", Decimal("5678.90"))]
    issue = only(parsed.issues)
    assert (issue.row, issue.column, issue.col_index) == (4, "月工资基数", 3)


def test_csv_utf8():
    check_csv(read_dues_sheet(csv_bytes(csv_rows()), "会费.csv"))


def test_csv_utf8_with_bom():
    data = csv_bytes(csv_rows(), bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    check_csv(read_dues_sheet(data, "会费.csv"))


def test_csv_gbk():
    data = csv_bytes(csv_rows(), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    check_csv(read_dues_sheet(data, "会费.csv"))


def test_csv_tab_delimited():
    check_csv(read_dues_sheet(csv_bytes(csv_rows(), delimiter="\t"), "会费.txt"))


def test_csv_semicolon_delimited():
    check_csv(read_dues_sheet(csv_bytes(csv_rows(), delimiter=";"), "会费.csv"))


def test_utf16_unicode_text_export():
    """Excel's "Unicode text" export: UTF-16 with a BOM, tab-delimited."""
    text = "\r\n".join("\t".join(str(v) for v in row) for row in csv_rows())
    check_csv(read_dues_sheet(b"\xff\xfe" + text.encode("utf-16-le"), "会费.txt"))


def test_utf16_without_a_bom():
    text = "\r\n".join("\t".join(str(v) for v in row) for row in csv_rows())
    check_csv(read_dues_sheet(text.encode("utf-16-le"), "会费.txt"))


def test_csv_row_numbers_are_line_numbers_with_blank_lines():
    data = csv_bytes([["会费明细表"], [], HEADER, [], member(), member(wage="")])
    parsed = read_dues_sheet(data, "x.csv")
    assert parsed.header_row == 3
    assert [row.row for row in parsed.rows] == [5]
    assert only(parsed.issues).row == 6


def test_file_type_is_detected_by_content_not_by_extension():
    assert read_dues_sheet(csv_bytes([HEADER, member()]), "会费.xlsx").file_type == "csv"
    assert read_dues_sheet(xlsx([HEADER, member()]), "会费.csv").file_type == "xlsx"
    assert read_dues_sheet(xls([HEADER, member()]), "会费.xlsx").file_type == "xls"


# --- cleaning values ------------------------------------------------------------------------------


def test_full_width_digits_and_letters():
    number = make_id(birth="19880808")
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    parsed = read_dues_sheet(
        xlsx(
            [
                HEADER,
                ["Ｍａｒｙ　Ｗａｎｇ", full_width, "１３８１２３４５６７８", "５６７８．９０", "２８．３５"],
            ]
        ),
        "x.xlsx",
    )
    assert parsed.issues == []
    row = parsed.rows[0]
    assert (row.name, row.id_number, row.phone, row.wage, row.dues_paid) == (
        "Mary Wang",
        number,
        "13812345678",
        Decimal("5678.90"),
        Decimal("28.35"),
    )


def test_full_width_x_and_lower_case_x_in_the_id_number():
    number = next(n for n in unique_ids(300) if n.endswith("X"))
    parsed = read_dues_sheet(
        xlsx(
            [HEADER, member(id_number=number[:17] + "ｘ"), member(name="李四", id_number=number[:17] + "x")]
        ),
        "x.xlsx",
    )
    assert parsed.rows[0].id_number == number
    issue = only(parsed.issues)  # the same number twice
    assert issue.row == 3


def test_ideographic_and_non_breaking_spaces():
    number = make_id()
    parsed = read_dues_sheet(
        xlsx(
            [
                HEADER,
                [
                    "王\u3000明 ",
                    f"\u3000{number[:6]} {number[6:14]}\u00a0{number[14:]}",
                    "138 1234 5678",
                    "\u30005000\u3000",
                    " 25 ",
                ],
            ]
        ),
        "x.xlsx",
    )
    assert parsed.issues == []
    row = parsed.rows[0]
    assert (row.name, row.id_number, row.phone, row.wage, row.dues_paid) == (
        "王明",
        number,
        "13812345678",
        Decimal("5000.00"),
        Decimal("25.00"),
    )


def test_spaces_inside_latin_names_are_kept():
    parsed = read_dues_sheet(
        xlsx([HEADER, member(name="  Mary   Smith "), member(name="阿依古丽 · 买买提")]), "x.xlsx"
    )
    assert [row.name for row in parsed.rows] == ["Mary Smith", "阿依古丽·买买提"]


def test_thousands_separators_and_currency_signs():
    rows = [
        HEADER,
        member(wage="¥5,678.90", dues="￥28.35"),
        member(wage="5，678.90元", dues="28.35元"),
        member(wage="RMB 5,678.90", dues="28.35"),
        member(wage="12,345.67", dues="61.70"),
    ]
    parsed = read_dues_sheet(xlsx(rows), "x.xlsx")
    assert parsed.issues == []
    assert [row.wage for row in parsed.rows] == [Decimal("5678.90")] * 3 + [Decimal("12345.67")]
    assert parsed.rows[0].dues_paid == Decimal("28.35")


def test_money_is_decimal_from_the_cells_text_never_float_arithmetic():
    parsed = read_dues_sheet(
        xlsx([HEADER, member(wage=0.1 + 0.2 + 4999.7, dues=None), member(wage="4567.125", dues=None)]),
        "x.xlsx",
    )
    assert [row.wage for row in parsed.rows] == [Decimal("5000.00"), Decimal("4567.13")]  # half up


def test_enterprise_merged_over_its_members_rows_applies_to_each_of_them():
    header = [*HEADER, "所在企业"]
    rows = [header, [*member(), "甲精密机械有限公司"], member(), member(), [*member(), "乙软件有限公司"]]
    parsed = read_dues_sheet(xlsx(rows, setup=lambda sheet: sheet.merge_cells("F2:F4")), "x.xlsx")
    assert [row.enterprise for row in parsed.rows] == ["甲精密机械有限公司"] * 3 + ["乙软件有限公司"]


def test_header_repeated_on_every_printed_page_is_skipped():
    parsed = read_dues_sheet(xlsx([HEADER, member(), HEADER, member()]), "x.xlsx")
    assert parsed.issues == []
    assert [row.row for row in parsed.rows] == [2, 4]


def test_template_rows_with_serial_numbers_and_zero_formulas_are_not_members():
    rows = [["序号", *HEADER], [1, *member()], [2, None, None, None, None, 0], [3, None, None, None, 0, 0]]
    parsed = read_dues_sheet(xlsx(rows), "x.xlsx")
    assert parsed.issues == []
    assert parsed.data_rows == 1


def test_an_unlabelled_row_with_amounts_is_an_error_not_silently_dropped():
    parsed = read_dues_sheet(xlsx([HEADER, member(), [None, None, None, 5000, 25]]), "x.xlsx")
    issue = only(parsed.errors)
    assert (issue.row, issue.column) == (3, "姓名")
    assert "合计" in issue.message
    assert parsed.data_rows == 2


def test_a_two_level_header():
    rows = [
        ["姓名", "身份证号码", "工资情况", None],
        [None, None, "月工资基数", "会费"],
        member()[:2] + [5000, 25],
    ]
    parsed = read_dues_sheet(xlsx(rows, setup=lambda sheet: sheet.merge_cells("C1:D1")), "x.xlsx")
    assert parsed.header_row == 1
    assert parsed.columns["wage"] == (2, "月工资基数")
    assert [row.row for row in parsed.rows] == [3]


# --- ID numbers ----------------------------------------------------------------------------------


def test_id_stored_by_excel_as_a_float_is_an_error_that_names_the_cause():
    number = next(n for n in iter(make_id, None) if n[-1] != "X")  # a number Excel can hold as one
    parsed = read_dues_sheet(xlsx([HEADER, member(id_number=float(number))]), "x.xlsx")
    issue = only(parsed.issues)
    assert (issue.row, issue.column, issue.col_index, issue.severity) == (2, "身份证号码", 1, "error")
    assert "Excel has stored this ID number as a number" in issue.message
    assert "Text" in issue.message and "apostrophe" in issue.message
    assert parsed.rows == []


def test_id_stored_by_excel_as_an_integer_is_the_same_error():
    number = make_id()
    rounded = int(number[:15] + "000")  # what Excel keeps: 15 significant digits
    for data in (xlsx([HEADER, member(id_number=rounded)]), xls([HEADER, member(id_number=rounded)])):
        issue = only(read_dues_sheet(data, "x.xlsx").issues)
        assert "Excel has stored this ID number as a number" in issue.message


@pytest.mark.parametrize("text", ["3.30481E+17", "3.30481197001012e17", "3.30481E17"])
def test_id_in_scientific_notation_text(text):
    issue = only(read_dues_sheet(csv_bytes([HEADER, member(id_number=text)]), "x.csv").issues)
    assert (issue.row, issue.column) == (2, "身份证号码")
    assert "Excel has stored this ID number as a number" in issue.message


def test_id_with_its_last_three_digits_turned_to_zero_in_a_csv():
    # Some numbers stay valid with their last three digits zeroed (1 in 11): pick one that does not,
    # whatever make_id's counter has reached when this test runs.
    from members.validators import id_check_character

    number = next(n for n in iter(make_id, None) if id_check_character(n[:15] + "00") != "0")
    rounded = number[:15] + "000"
    with pytest.raises(ValidationError):
        clean_resident_id(rounded)
    issue = only(read_dues_sheet(csv_bytes([HEADER, member(id_number=rounded)]), "x.csv").issues)
    assert "Excel has stored this ID number as a number" in issue.message


def test_id_with_a_wrong_check_character_gets_the_validators_message():
    number = make_id()
    wrong = number[:17] + next(c for c in "0123456789X" if c != number[17])
    with pytest.raises(ValidationError) as expected:
        clean_resident_id(wrong)
    assert expected.value.code == "checksum"
    issue = only(read_dues_sheet(xlsx([HEADER, member(id_number=wrong)]), "x.xlsx").issues)
    assert (issue.row, issue.column, issue.severity) == (2, "身份证号码", "error")
    # The sheet's message names the row and the person; the rest is the validator's.
    assert issue.message == checksum_message(wrong, row=2, name="王小明")
    assert issue.message.startswith("Row 2 (王小明): the ID number fails its check")


@pytest.mark.parametrize(
    "value",
    ["330481700101123", "3304811970", "99048119700101123X", "33048119700230123X", "33048119700101A23X"],
)
def test_other_faulty_ids_get_the_validators_message(value):
    with pytest.raises(ValidationError) as expected:
        clean_resident_id(value)
    issue = only(read_dues_sheet(xlsx([HEADER, member(id_number=value)]), "x.xlsx").issues)
    assert issue.message == expected.value.messages[0]


def test_the_fast_id_check_gives_exactly_the_validators_verdicts():
    """The reader accepts numbers without calling ``clean_resident_id`` when it can; it must accept
    exactly what the validator accepts, and give the validator's message for the rest."""
    rng = random.Random(20260331)
    provinces = ["11", "33", "44", "65", "81", "99", "00"]
    numbers = []
    for _ in range(600):
        body = (
            rng.choice(provinces)
            + f"{rng.randrange(10_000):04d}"
            + str(rng.randrange(1895, 2030))
            + f"{rng.randrange(0, 14):02d}"
            + f"{rng.randrange(0, 32):02d}"
            + f"{rng.randrange(1000):03d}"
        )
        numbers.append(body + rng.choice("0123456789Xx"))
    numbers += unique_ids(200)
    numbers = list(dict.fromkeys(numbers))
    parsed = read_dues_sheet(csv_bytes([HEADER] + [member(id_number=n) for n in numbers]), "x.csv")
    accepted = {row.row: row.id_number for row in parsed.rows}
    messages = {issue.row: issue.message for issue in parsed.issues}
    assert 200 <= len(accepted) < len(numbers)
    for row, number in enumerate(numbers, start=2):
        try:
            valid = clean_resident_id(number)
        except ValidationError as error:
            assert row not in accepted, number
            if number.endswith("000") and error.code == "checksum":
                # A failing number ending in 000 is most likely one Excel rounded: say so instead.
                assert messages[row].startswith("Excel has stored this ID number as a number"), number
            elif error.code == "checksum":
                assert messages[row] == checksum_message(number, row=row, name="王小明"), number
            else:
                assert messages[row] == error.messages[0], number
        else:
            assert accepted.get(row) == valid, number


def test_the_fast_check_character_is_the_validators():
    from members.validators import id_check_character

    rng = random.Random(5)
    for _ in range(2000):
        body = f"{rng.randrange(10**17):017d}"
        assert dues_sheet._CHECK_CHARS[(1 - 2 * int(body, 13)) % 11] == id_check_character(body)


def test_duplicate_id_names_the_first_row():
    number = make_id()
    parsed = read_dues_sheet(
        xlsx([HEADER, member(id_number=number), member(), member(name="王小明", id_number=number)]), "x.xlsx"
    )
    issue = only(parsed.issues)
    assert (issue.row, issue.column, issue.severity) == (4, "身份证号码", "error")
    assert issue.message == "The same ID number as row 2."
    assert [row.row for row in parsed.rows] == [2, 3]


def test_missing_name():
    parsed = read_dues_sheet(xlsx([HEADER, member(name="")]), "x.xlsx")
    issue = only(parsed.issues)
    assert (issue.row, issue.column, issue.col_index, issue.message) == (2, "姓名", 0, "Missing name.")
    assert parsed.rows == [] and parsed.data_rows == 1


def test_missing_id_number():
    issue = only(read_dues_sheet(xlsx([HEADER, ["王小明", None, "", 5000, 25]]), "x.xlsx").issues)
    assert (issue.row, issue.column, issue.message) == (2, "身份证号码", "Missing ID number.")


# --- wages and dues ----------------------------------------------------------------------------


def wage_issue(wage) -> tuple[ParsedSheet, RowIssue]:
    parsed = read_dues_sheet(xlsx([HEADER, member(wage=wage, dues=None)]), "x.xlsx")
    return parsed, only(parsed.issues)


def test_missing_wage():
    parsed, issue = wage_issue(None)
    assert (issue.row, issue.column, issue.col_index, issue.severity) == (2, "月工资基数", 3, "error")
    assert issue.message == "Missing monthly wage base."
    assert parsed.rows == []


def test_non_numeric_wage():
    _parsed, issue = wage_issue("五千")
    assert issue.severity == "error"
    assert issue.message == "The wage base “五千” is not a number."


@pytest.mark.parametrize("wage", [-5000, "-5000", 0, "0.00", 0.004])
def test_negative_or_zero_wage(wage):
    _parsed, issue = wage_issue(wage)
    assert (issue.severity, issue.message) == ("error", "The wage base must be more than zero.")


def test_implausible_wage():
    _parsed, issue = wage_issue(5_000_000)
    assert issue.severity == "error"
    assert "implausible" in issue.message and "5,000,000.00" in issue.message


def test_a_wage_of_exactly_the_limit_is_accepted():
    parsed = read_dues_sheet(xlsx([HEADER, member(wage=500_000, dues=None)]), "x.xlsx")
    assert parsed.issues == [] and parsed.rows[0].wage == Decimal("500000.00")


def test_low_wage_is_a_warning_and_the_row_stays_valid():
    parsed, issue = wage_issue(800)
    assert (issue.column, issue.severity) == ("月工资基数", "warning")
    assert "below the minimum wage" in issue.message
    assert parsed.errors == [] and parsed.warnings == [issue]
    assert parsed.rows[0].wage == Decimal("800.00")


def test_dues_differing_from_half_a_percent_is_a_warning_not_an_error():
    parsed = read_dues_sheet(
        xlsx([HEADER, member(wage=5678.9, dues=30), member(wage=5678.9, dues=28.35)]), "x.xlsx"
    )
    issue = only(parsed.issues)
    assert (issue.row, issue.column, issue.col_index, issue.severity) == (2, "会费", 4, "warning")
    assert issue.message == "The dues paid (30.00) differ from the expected 28.35 yuan."
    assert [row.dues_paid for row in parsed.rows] == [Decimal("30.00"), Decimal("28.35")]


def test_dues_follow_the_rate_given():
    parsed = read_dues_sheet(xlsx([HEADER, member(wage=5000, dues=50)]), "x.xlsx", dues_rate=Decimal("0.01"))
    assert parsed.issues == []


@pytest.mark.parametrize(
    ("dues", "message"),
    [("abc", "The dues paid “abc” is not a number."), (-25, "The dues paid cannot be negative.")],
)
def test_bad_dues_are_errors(dues, message):
    issue = only(read_dues_sheet(xlsx([HEADER, member(dues=dues)]), "x.xlsx").issues)
    assert (issue.column, issue.severity, issue.message) == ("会费", "error", message)


def test_dues_column_is_optional_and_so_is_an_empty_dues_cell():
    parsed = read_dues_sheet(xlsx([HEADER[:4], member()[:4], member()[:4]]), "x.xlsx")
    assert [row.dues_paid for row in parsed.rows] == [None, None]
    parsed = read_dues_sheet(xlsx([HEADER, member(dues=None), member(dues="-")]), "x.xlsx")
    assert parsed.issues == [] and [row.dues_paid for row in parsed.rows] == [None, None]


@pytest.mark.parametrize(
    ("wage", "rate", "dues"),
    [
        ("5678.90", "0.005", "28.35"),  # floored to 5,670
        ("9.99", "0.005", "0.00"),  # under 10 yuan: nothing
        ("10", "0.005", "0.05"),
        ("19.99", "0.005", "0.05"),
        ("12345.67", "0.005", "61.70"),
        ("500000", "0.005", "2500.00"),
        ("10", "0.0025", "0.03"),  # 0.025 rounds half up, not to even
        ("30", "0.0025", "0.08"),  # 0.075 → 0.08
        ("50", "0.0001", "0.01"),  # 0.005 → 0.01
        ("40", "0.0001", "0.00"),  # 0.004 → 0.00
    ],
)
def test_expected_dues_arithmetic(wage, rate, dues):
    result = expected_dues(Decimal(wage), Decimal(rate))
    assert result == Decimal(dues)
    assert str(result) == dues


# --- mobile --------------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "0573-87654321", "手机"])
def test_bad_mobile_is_an_error(phone):
    issue = only(read_dues_sheet(xlsx([HEADER, member(phone=phone)]), "x.xlsx").issues)
    assert (issue.row, issue.column, issue.col_index, issue.severity) == (2, "手机号码", 2, "error")
    assert issue.message == "A mobile number has 11 digits and starts with 13–19."


def test_mobile_typed_as_a_number_or_with_the_country_code():
    parsed = read_dues_sheet(
        xlsx([HEADER, member(phone=13812345678), member(phone="+86 138-1234-5678")]), "x.xlsx"
    )
    assert parsed.issues == []
    assert [row.phone for row in parsed.rows] == ["13812345678", "13812345678"]


def test_messages_are_translated_for_the_chinese_interface():
    with translation.override("zh-hans"):
        issue = only(read_dues_sheet(xlsx([HEADER, member(phone="12345")]), "x.xlsx").issues)
    assert issue.message == "手机号应为11位数字，以13–19开头。"
    assert str(issue) == "第 2 行 · 手机号码：手机号应为11位数字，以13–19开头。"


# --- files that are not dues sheets ---------------------------------------------------------------


def test_refusals_are_translated_for_the_chinese_interface():
    with translation.override("zh-hans"), pytest.raises(SheetUnreadable) as info:
        read_dues_sheet(b"%PDF-1.4 ...", "会费.xlsx")
    assert "PDF" in str(info.value) and "This is" not in str(info.value)


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file(data):
    assert unreadable(data, "会费.xlsx").startswith("The file is empty.")


def test_pdf_renamed_xlsx():
    message = unreadable(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "会费.xlsx")
    assert (
        message == "This is a PDF file, not a spreadsheet. Please upload an Excel (.xlsx/.xls) or CSV file."
    )


@pytest.mark.parametrize(
    "start",
    [
        b"<!DOCTYPE html>",
        b'<html xmlns:o="urn:schemas-microsoft-com:office:office">',
        b"\xef\xbb\xbf\r\n  <table border=1>",
        b"<HTML>",
    ],
)
def test_html_saved_as_xls(start):
    data = start + "<tr><td>姓名</td><td>身份证号码</td></tr></table>".encode()
    message = unreadable(data, "会费.xls")
    assert "web page (HTML)" in message and "Save As" in message and ".xlsx" in message


def test_excel_2003_xml_saved_as_xls():
    data = (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    assert "Excel 2003 XML" in unreadable(data, "会费.xls")


@pytest.mark.parametrize(
    "magic", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"GIF89a", b"\x00\x00\x00\x18ftypheic"]
)
def test_picture(magic):
    assert unreadable(magic + bytes(range(256)) * 4, "会费.xlsx").startswith(
        "This is a picture, not a spreadsheet"
    )


def test_word_document():
    docx = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert unreadable(docx, "会费.xlsx").startswith("This is a Word document, not an Excel spreadsheet.")


def test_plain_zip_archive():
    archive = make_zip({"会费.xlsx": xlsx([HEADER, member()]), "说明.txt": "说明".encode()})
    assert unreadable(archive, "会费.zip").startswith("This is a compressed archive")


def test_xlsb_and_ods():
    assert ".xlsb" in unreadable(make_zip({"xl/workbook.bin": b"\x00" * 10}), "x.xlsb")
    ods = make_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    assert "OpenDocument" in unreadable(ods, "x.ods")


def test_corrupt_workbook():
    data = xlsx([HEADER, member()])
    assert unreadable(data[: len(data) // 2], "x.xlsx").startswith("The spreadsheet cannot be read")
    broken = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml at all <<<"})
    assert unreadable(broken, "x.xlsx").startswith("The spreadsheet cannot be read")


def test_corrupt_xls():
    data = xls([HEADER, member()])
    assert unreadable(data[:600] + b"\x00" * 600, "x.xls").startswith("The spreadsheet cannot be read")


def test_password_protected_workbook():
    """An .xlsx with an open password is an OLE2 file holding an "EncryptedPackage" stream."""
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 2048
    )
    assert unreadable(data, "x.xlsx").startswith("The workbook is protected with a password.")


def test_binary_junk():
    junk = random.Random(1).randbytes(4096)
    assert (
        unreadable(junk, "x.csv")
        == "Unrecognised file format. Please upload an Excel (.xlsx/.xls) or CSV file."
    )


def test_zip_bomb_is_refused_fast_with_bounded_memory():
    """300 MB of zeros named like a worksheet, a few hundred KB zipped."""
    out = io.BytesIO()
    chunk = b"\x00" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member_file:
            for _ in range(300):
                member_file.write(chunk)
    data = out.getvalue()
    assert len(data) < 5 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = unreadable(data, "会费.xlsx")
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "far more data than a dues sheet holds" in message
    assert elapsed < 1
    assert peak < 10 * 1024 * 1024


def test_zip_bomb_with_lying_sizes_is_refused_while_inflating():
    """The central directory claims 1,000 bytes; the member inflates to 40 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 << 20))
    data = bytearray(out.getvalue())
    target = b"xl/worksheets/sheet1.xml"
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(target)] != target:
        local = data.index(b"PK\x03\x04", local + 4)
    data[local + 22 : local + 26] = (1000).to_bytes(4, "little")  # local header: size
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(target)] != target:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # central directory: size
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    tracemalloc.start()
    try:
        message = unreadable(bytes(data), "会费.xlsx")
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "far more data than a dues sheet holds" in message
    assert peak < 10 * 1024 * 1024


def test_file_over_20_mb():
    message = unreadable(b"a" * (dues_sheet.MAX_FILE_BYTES + 1), "会费.csv")
    assert message.startswith("The file is larger than 20 MB.")


def test_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(dues_sheet, "MAX_FILE_BYTES", 1024 * 1024)
    data = csv_bytes([HEADER] + [member()] * 25_000)
    assert len(data) > 1024 * 1024
    assert unreadable(data, "会费.csv").startswith("The file is larger than 1 MB.")


def test_more_rows_than_allowed(monkeypatch):
    monkeypatch.setattr(dues_sheet, "MAX_ROWS", 5)
    assert (
        read_dues_sheet(xlsx([HEADER] + [member() for _ in range(5)] + [[], ["合计"]]), "x.xlsx").data_rows
        == 5
    )
    message = unreadable(xlsx([HEADER] + [member() for _ in range(6)]), "x.xlsx")
    assert message.startswith("The sheet has more than 5 data rows.")


def test_no_header_found_names_the_columns_looked_for():
    data = xlsx(
        [["序号", "员工", "号码", "金额"], [1, "王小明", make_id(), 5000]],
        before=[("封面", [["工会会费缴纳表"]])],
    )
    message = unreadable(data, "x.xlsx")
    assert message.startswith("No header row found")
    assert "姓名" in message and "身份证号码" in message and "月工资基数" in message


def test_header_below_the_rows_searched_is_not_found():
    rows = [[f"说明第 {i} 行"] for i in range(40)] + [HEADER, member()]
    assert unreadable(xlsx(rows), "x.xlsx").startswith("No header row found")


def test_missing_wage_column_is_named():
    message = unreadable(
        xlsx([["姓名", "身份证号码", "手机号码"], ["王小明", make_id(), "13812345678"]]), "x.xlsx"
    )
    assert "no column for the monthly wage base" in message
    assert "月工资基数" in message and "缴费基数" in message


def test_csv_without_a_header():
    assert unreadable(b"just some text\nand more text\n", "x.csv").startswith("No header row found")


# --- progress ----------------------------------------------------------------------------------


def test_progress_is_reported_every_five_thousand_rows():
    numbers = unique_ids(12_000)
    data = csv_bytes([HEADER] + [member(id_number=n, dues="") for n in numbers])
    calls = []
    parsed = read_dues_sheet(data, "x.csv", progress=lambda done, total: calls.append((done, total)))
    assert len(parsed.rows) == 12_000 and parsed.issues == []
    assert [done for done, _total in calls] == [5000, 10_000, 12_000]
    assert all(total >= done for done, total in calls)
    assert calls[-1] == (12_000, 12_000)


# --- the annotated copy --------------------------------------------------------------------------


def fills(sheet) -> dict[str, str]:
    return {
        cell.coordinate: cell.fill.fgColor.rgb[-6:]
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill is not None and cell.fill.fill_type == "solid"
    }


def comments(sheet) -> dict[str, str]:
    return {cell.coordinate: cell.comment.text for row in sheet.iter_rows() for cell in row if cell.comment}


def test_annotated_xlsx_marks_the_bad_cells_in_place_and_keeps_formatting():
    def format_sheet(sheet):
        sheet.merge_cells("B2:F2")
        sheet["B2"].font = Font(bold=True, size=16)
        sheet.column_dimensions["C"].width = 24

    number = make_id()
    rows = [
        ["2026年3月会费明细"],
        [],
        HEADER,
        member(id_number=number),
        member(id_number=float(next(n for n in iter(make_id, None) if n[-1] != "X"))),
        member(wage=800, dues=4),
        member(name="", phone="123"),
    ]
    data = xlsx(rows, at="B2", setup=format_sheet, before=[("封面", [["封面"]])])
    parsed = read_dues_sheet(data, "会费.xlsx")
    assert [(i.row, i.col_index) for i in parsed.issues] == [(6, 2), (7, 4), (8, 1), (8, 3)]
    annotated = annotate_errors(data, "会费.xlsx", parsed)

    book = openpyxl.load_workbook(io.BytesIO(annotated))
    assert book.sheetnames == ["封面", "会费明细", "Error list"]
    sheet = book["会费明细"]
    assert sheet["C5"].value == number  # the user's values, at the same places
    assert sheet["B2"].font.bold and sheet.column_dimensions["C"].width == 24
    assert "B2:F2" in {str(r) for r in sheet.merged_cells.ranges}
    assert fills(sheet) == {"C6": "FFC7CE", "E7": "FFEB9C", "B8": "FFC7CE", "D8": "FFC7CE"}
    notes = comments(sheet)
    assert set(notes) == {"C6", "E7", "B8", "D8"}
    assert "Excel has stored this ID number as a number" in notes["C6"]
    assert notes["B8"] == "Missing name."
    listing = [row[0] for row in book["Error list"].iter_rows(values_only=True)]
    assert listing[0] == "4 data rows: 3 errors, 1 warnings."
    assert listing[1:] == [str(issue) for issue in parsed.issues]
    assert listing[1].startswith("第 6 行 · 身份证号码：")


def test_annotated_csv_has_the_same_row_numbers_and_keeps_ids_as_text():
    number = make_id()
    rows = [
        ["会费明细表"],
        [],
        HEADER,
        member(id_number=number, wage="5,000"),
        member(wage="abc"),
        member(name='=HYPERLINK("x")', dues=99),
    ]
    data = csv_bytes(rows, encoding="gbk")
    parsed = read_dues_sheet(data, "会费.csv")
    annotated = annotate_errors(data, "会费.csv", parsed)

    book = openpyxl.load_workbook(io.BytesIO(annotated))
    assert book.sheetnames == ["会费", "Error list"]
    sheet = book["会费"]
    assert sheet["A1"].value == "会费明细表"
    assert sheet["A3"].value == "姓名"
    assert sheet["B4"].value == number and sheet["D4"].value == "5,000"
    assert sheet["A6"].value == '=HYPERLINK("x")' and sheet["A6"].data_type == "s"  # text, not a formula
    assert fills(sheet) == {"D5": "FFC7CE", "E6": "FFEB9C"}
    assert comments(sheet) == {
        "D5": "The wage base “abc” is not a number.",
        "E6": "The dues paid (99.00) differ from the expected 25.00 yuan.",
    }


def test_annotated_xls_is_rebuilt_at_the_same_positions():
    rows = [["会费明细表"], HEADER, member(wage=-1), member()]
    data = xls(rows, top=2, left=1)
    parsed = read_dues_sheet(data, "会费.xls")
    issue = only(parsed.issues)
    assert (issue.row, issue.col_index) == (5, 4)
    book = openpyxl.load_workbook(io.BytesIO(annotate_errors(data, "会费.xls", parsed)))
    sheet = book["会费明细"]
    assert sheet["B3"].value == "会费明细表" and sheet["B4"].value == "姓名"
    assert fills(sheet) == {"E5": "FFC7CE"}
    assert comments(sheet) == {"E5": "The wage base must be more than zero."}


def test_issues_without_a_column_go_on_the_first_cell_of_the_row():
    data = xlsx([HEADER, member()], at="C1")
    parsed = read_dues_sheet(data, "x.xlsx")
    parsed.issues.append(RowIssue(2, "", -1, "This member belongs to another union.", "error"))
    sheet = openpyxl.load_workbook(io.BytesIO(annotate_errors(data, "x.xlsx", parsed)))["会费明细"]
    assert comments(sheet) == {"C2": "This member belongs to another union."}


def test_row_issue_reads_as_row_column_and_reason():
    issue = RowIssue(12, "身份证号码", 3, "Missing ID number.", "error")
    assert str(issue) == "第 12 行 · 身份证号码：Missing ID number."
