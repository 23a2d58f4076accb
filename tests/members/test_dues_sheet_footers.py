"""Issue 18, "every sheet a payroll office produces": signature, approval and date lines after the
data, in whatever columns they stand, and the message for an ID number failing its check."""

import csv
import datetime
import io
import itertools
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from members.dues_sheet import read_dues_sheet
from members.validators import (
    checksum_message,
    clean_resident_id,
    id_check_character,
    swapped_digit_positions,
)
from tests.factories import make_id

# A realistic payroll office sheet: a serial number, a department and a remarks column around the data.
HEADER = ["序号", "姓名", "部门", "身份证号码", "手机号码", "月工资基数", "应缴会费", "备注"]
NAMES = ["邓勇浩", "王小明", "李红", "张伟", "陈静"]
FOOTERS = [
    "填表人：张三",
    "审核人：李四",
    "制表日期：2026年11月30日",
    "单位负责人（签字）",
    "盖章",
    "经办人",
    "经办人：王五",
    "复核：赵六",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def data_rows():
    return [
        [n, name, "生产部", make_id(seq=2 * n + 1), "13812345678", 5000 + n * 100, None, None]
        for n, name in enumerate(NAMES, start=1)
    ]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "11月工资"
    sheet.append(["某某科技有限公司2026年11月工会会费申报表"])
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in rows])
    return text.getvalue().encode("utf-8")


def footer_row(text: str, column: int) -> list:
    row = [None] * len(HEADER)
    row[column] = text
    return row


BUILDERS = [("xlsx", xlsx, "x.xlsx"), ("csv", csv_bytes, "x.csv")]
# The Excel row of the list's first entry: the xlsx has a title row above it.
FIRST_ROW = {"xlsx": 2, "csv": 1}


@pytest.fixture(scope="module")
def body():
    return [HEADER, *data_rows()]


@pytest.mark.parametrize(("kind", "build", "filename"), BUILDERS, ids=[b[0] for b in BUILDERS])
def test_every_footer_text_in_every_column_is_not_data(kind, build, filename, body):
    plain = read_dues_sheet(build(body), filename)
    assert plain.errors == [] and plain.data_rows == len(NAMES)
    failures = []
    for text, column in itertools.product(FOOTERS, range(len(HEADER))):
        parsed = read_dues_sheet(build([*body, [], footer_row(text, column)]), filename)
        if parsed.errors or parsed.data_rows != plain.data_rows or len(parsed.rows) != len(NAMES):
            failures.append((text, HEADER[column], [str(e) for e in parsed.errors], parsed.data_rows))
    assert failures == []


@pytest.mark.parametrize(("kind", "build", "filename"), BUILDERS, ids=[b[0] for b in BUILDERS])
def test_a_signature_line_spread_over_the_columns_is_not_data(kind, build, filename, body):
    """填表人 under 序号, 审核人 under the ID column, the date under the wage column — one row, or
    each on its own row, with the signatories' names written under the name column."""
    spread = [None] * len(HEADER)
    spread[0], spread[3], spread[5] = "填表人：张三", "审核人：李四", "制表日期：2026年11月30日"
    labels = [None] * len(HEADER)
    labels[0], labels[1] = "经办人：", "王五"
    dated = [None] * len(HEADER)
    dated[4], dated[5] = "制表日期", "2026-11-30"
    parsed = read_dues_sheet(build([*body, spread, labels, dated, footer_row("盖章", 6)]), filename)
    assert parsed.errors == []
    assert parsed.data_rows == len(NAMES)


def test_a_date_cell_under_the_wage_column_is_not_a_wage(body):
    row = [None] * len(HEADER)
    row[3], row[5] = "制表日期：", datetime.datetime(2026, 11, 30)
    parsed = read_dues_sheet(xlsx([*body, [], row]), "x.xlsx")
    assert parsed.errors == [] and parsed.data_rows == len(NAMES)


@pytest.mark.parametrize(("kind", "build", "filename"), BUILDERS, ids=[b[0] for b in BUILDERS])
def test_the_total_row_keeps_working(kind, build, filename, body):
    total = [None] * len(HEADER)
    total[1], total[5] = "合计", sum(row[5] for row in body[1:])
    parsed = read_dues_sheet(build([*body, total, footer_row("填表人：张三", 0)]), filename)
    assert parsed.errors == [] and parsed.data_rows == len(NAMES)
    # An unlabelled total is still an error that says to label it.
    total[1] = None
    parsed = read_dues_sheet(build([*body, total]), filename)
    assert [e.row for e in parsed.errors] == [len(body) + FIRST_ROW[kind]]
    assert "合计" in parsed.errors[0].message


@pytest.mark.parametrize(("kind", "build", "filename"), BUILDERS, ids=[b[0] for b in BUILDERS])
def test_a_row_lacking_only_its_name_or_only_its_wage_is_still_an_error(kind, build, filename, body):
    no_name = [6, None, "生产部", make_id(seq=21), "13812345678", 5200, None, None]
    no_wage = [7, "刘洋", "生产部", make_id(seq=23), "13812345678", None, None, None]
    parsed = read_dues_sheet(build([*body, no_name, no_wage, footer_row("审核人：李四", 3)]), filename)
    first = len(body) + FIRST_ROW[kind]
    assert {(e.row, e.message) for e in parsed.errors} == {
        (first, "Missing name."),
        (first + 1, "Missing monthly wage base."),
    }
    assert parsed.data_rows == len(NAMES) + 2


def test_a_footer_like_row_between_data_rows_is_still_reported(body):
    """Only after the last data row is such a row not data: between data rows it is an error, as
    before (a row with text under the ID column and no name)."""
    stray = [None] * len(HEADER)
    stray[3] = "见附件"
    parsed = read_dues_sheet(csv_bytes([*body[:3], stray, *body[3:]]), "x.csv")
    assert {e.row for e in parsed.errors} == {4}
    parsed = read_dues_sheet(csv_bytes([*body, stray]), "x.csv")
    assert parsed.errors == [] and parsed.data_rows == len(NAMES)


# --- an ID number failing its check character ------------------------------------------------------


def swapped(number: str) -> tuple[str, int]:
    """``number`` with one pair of neighbouring digits swapped such that exactly that swap repairs it."""
    for i in range(6, 15):  # within the birth date and sequence
        a, b = number[i], number[i + 1]
        if a == b:
            continue
        bad = number[:i] + b + a + number[i + 2 :]
        try:
            clean_resident_id(bad)
        except ValidationError as error:
            if error.code != "checksum":
                continue
        else:
            continue
        if swapped_digit_positions(bad) == [i + 1]:
            return bad, i + 1
    raise AssertionError(number)


def test_a_wrong_check_character_names_row_and_person_and_never_the_right_character():
    for seq in range(1, 200, 2):
        number = make_id(seq=seq)
        for wrong_last in "0123456789X":
            if wrong_last == number[17]:
                continue
            wrong = number[:17] + wrong_last
            sheet = [HEADER, [1, "邓勇浩", "生产部", wrong, "13812345678", 5000, None, None]]
            with translation.override("zh-hans"):
                (issue,) = read_dues_sheet(xlsx(sheet), "x.xlsx").errors
            assert issue.row == 3
            message = issue.message
            assert message == (
                "第3行（邓勇浩）：身份证号校验不通过，请对照身份证逐位核对。"
                + (
                    f"可能是第{p[0]}、{p[0] + 1}位数字颠倒。"
                    if len(p := swapped_digit_positions(wrong)) == 1
                    else ""
                )
            ), message
            # Apart from the row and a swap of two digits among the first 17, no digit or X at all:
            # the correct check character is never suggested.
            rest = re.sub(r"可能是第\d+、\d+位数字颠倒。$", "", message.removeprefix("第3行"))
            assert not re.search(r"[0-9X]", rest), message
            with pytest.raises(ValidationError) as info:
                clean_resident_id(wrong)
            rest = re.sub(r" Digits \d+ and \d+ may have been swapped\.$", "", info.value.messages[0])
            assert not re.search(r"[0-9X]", rest), info.value.messages[0]


def test_two_swapped_neighbouring_digits_are_named():
    bad, position = swapped(make_id(birth="19850317", seq=37))
    message = checksum_message(bad, row=10, name="邓勇浩")
    assert message == (
        f"Row 10 (邓勇浩): the ID number fails its check; please compare it with the ID card digit by digit. "
        f"Digits {position} and {position + 1} may have been swapped."
    )
    with translation.override("zh-hans"):
        sheet = [HEADER] + [
            [n, "某某", "生产部", make_id(seq=2 * n + 1), "", 5000, None, None] for n in range(1, 8)
        ]
        sheet.append([8, "邓勇浩", "生产部", bad, "", 5000, None, None])
        (issue,) = read_dues_sheet(xlsx(sheet), "x.xlsx").errors
    assert issue.row == 10
    assert issue.message == (
        f"第10行（邓勇浩）：身份证号校验不通过，请对照身份证逐位核对。可能是第{position}、{position + 1}位数字颠倒。"
    )


def test_a_swap_is_named_only_when_exactly_one_repairs_the_number_with_a_plausible_birth_date():
    today = timezone.localdate()
    for seq in range(1, 400, 2):
        number = make_id(seq=seq)
        for last in "0123456789X":
            wrong = number[:17] + last
            if last == number[17]:
                continue
            positions = swapped_digit_positions(wrong)
            for n in positions:
                assert 1 <= n <= 16  # never the check character
                body = wrong[: n - 1] + wrong[n] + wrong[n - 1] + wrong[n + 1 : 17]
                assert id_check_character(body) == wrong[17]
                birth = datetime.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
                assert datetime.date(1930, 1, 1) <= birth <= today
            hinted = "may have been swapped" in checksum_message(wrong)
            assert hinted == (len(positions) == 1)


def test_a_child_born_recently_gets_no_swap_hint():
    """The birth-date bound: a swap that yields someone under 16 is not offered."""
    too_young = (timezone.localdate() - datetime.timedelta(days=365 * 5)).strftime("%Y%m%d")
    number = make_id(birth=too_young, seq=11)
    for last in "0123456789X":
        if last != number[17]:
            wrong = number[:17] + last
            for n in swapped_digit_positions(wrong):
                body = wrong[: n - 1] + wrong[n] + wrong[n - 1] + wrong[n + 1 : 17]
                assert body[6:14] != too_young
