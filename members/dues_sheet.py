"""Reading and validating a union chair's dues spreadsheet — pure functions, no database access.

A chair uploads, for one dues period, the sheet the payroll office produced: one row per member
with the name, the resident ID number, optionally a mobile number, the monthly wage base, optionally
the dues paid and, for joint unions, the member's enterprise. ``read_dues_sheet`` turns the bytes into
validated ``SheetRow``s plus ``RowIssue``s that name the row number the user sees in Excel and the
column header as written in the sheet; ``annotate_errors`` hands the sheet back with the bad cells
marked. Matching the rows to the roster and committing them is ``members.services.dues``.

What the sheets are like, and what this module does about it:

* The file type is read from the content, never from the extension: .xlsx (a zip holding
  ``xl/workbook.xml``, checked for zip bombs before any reader sees it), legacy .xls (OLE2), or text
  (CSV/TSV in UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030/GBK). PDFs, images, Word files, plain
  archives and web pages saved as ".xls" are refused with a message that says what the file is and
  what to upload instead (``SheetUnreadable``).
* The header row is found by its content (name and ID-number columns, many synonyms, Chinese or
  English) in the first rows of any sheet; title rows, notes, merged titles, empty leading rows and
  columns, blank rows, totals and signature lines are skipped.
* An ID number that Excel stored as a number has lost its last digits: that row is an error that
  names the cause. It is never "repaired".
* Money is ``Decimal`` built from the cell's text, never float arithmetic.

Speed: the rows are read once and the per-row work is a handful of type checks and string methods.
A resident ID goes through a fast path (province, cached birth-date verdict, check character by one
base-13 conversion) that accepts exactly what ``members.validators.clean_resident_id`` accepts; only
a number that fails it is handed to the validator, for the project's exact message. Amounts, expected
dues and enterprise names are cached per sheet by cell value.

Messages go through ``gettext`` with English msgids, like every string of the project: the user sees
them in the interface language (Chinese by default).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.sheets import CHECK_CHARS as _CHECK_CHARS  # noqa: F401 — tests hold it to the validators
from members.sheets import (
    FULLWIDTH_ALL as _FULLWIDTH_ALL,
)
from members.sheets import (
    HEADER_SCAN_ROWS,
    MAX_FILE_BYTES,
    SheetUnreadable,
    header_lookup,
    match_header,
)
from members.sheets import (
    PLACEHOLDERS as _PLACEHOLDERS,
)
from members.sheets import (
    IdChecker as _IdChecker,
)
from members.sheets import (
    Source as _Source,
)
from members.sheets import (
    blank as _blank,
)
from members.sheets import (
    calamine_sources as _calamine_sources,
)
from members.sheets import (
    cell_text as _cell_text,
)
from members.sheets import (
    check_zip as _check_zip,
)
from members.sheets import (
    clean_words as _clean_words,
)
from members.sheets import (
    csv_source as _csv_source,
)
from members.sheets import (
    header_text as _header_text,
)
from members.sheets import (
    shown as _shown,
)
from members.sheets import (
    sniff as _sniff,
)
from members.validators import clean_mobile

MAX_ROWS = 100_000

PROGRESS_EVERY = 5_000
WAGE_MAX = Decimal(500_000)  # yuan a month; more is a typing error
WAGE_LOW = Decimal(1_000)  # below any minimum wage in China: warn
ERROR, WARNING = "error", "warning"

logger = logging.getLogger(__name__)

_CENT = Decimal("0.01")
_TEN = Decimal(10)
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class SheetRow:
    row: int  # the row number the user sees in Excel (1-based); CSV: the record number
    name: str
    id_number: str  # normalised, valid 18-char number
    phone: str  # normalised 11-digit mobile or ""
    wage: Decimal  # monthly wage base, quantized to 0.01
    dues_paid: Decimal | None
    enterprise: str  # "" if the column is absent/empty


@dataclass(frozen=True, slots=True)
class RowIssue:
    row: int
    column: str  # the header text as in the user's sheet, e.g. "身份证号码"
    col_index: int  # 0-based column index in the sheet (for highlighting), -1 if none
    message: str
    severity: str  # "error" or "warning"

    def __str__(self):
        # A message that names its row itself (the ID check names the person: "第10行（邓勇浩）：…") is not
        # prefixed with the row a second time.
        if self.message.startswith((f"第{self.row}行", f"第 {self.row} 行")):
            return f"{self.column}：{self.message}"
        return f"第 {self.row} 行 · {self.column}：{self.message}"


@dataclass
class ParsedSheet:
    file_type: str  # "xlsx", "xls", "csv"
    sheet_name: str  # "" for csv
    header_row: int
    columns: dict[str, tuple[int, str]]  # field -> (col index, header text)
    rows: list[SheetRow]  # valid rows only (rows with only warnings are valid)
    issues: list[RowIssue]  # sorted by (row, col_index)
    data_rows: int  # data rows read (valid + invalid), without blank/total/signature/note rows

    @property
    def errors(self) -> list[RowIssue]:
        return [issue for issue in self.issues if issue.severity == ERROR]

    @property
    def warnings(self) -> list[RowIssue]:
        return [issue for issue in self.issues if issue.severity == WARNING]


def expected_dues(wage: Decimal, rate: Decimal) -> Decimal:
    """Member dues for a monthly wage base: the part below whole tens of yuan is not counted, then
    ``rate`` (0.5%) is applied and the result rounded half up to the fen."""
    base = (wage / _TEN).to_integral_value(rounding=ROUND_FLOOR) * _TEN
    return (base * rate).quantize(_CENT, rounding=ROUND_HALF_UP)


# --- text cleaning -------------------------------------------------------------------------------

# Full-width ASCII (U+FF01–U+FF5E) to half-width, the ideographic and no-break spaces to a space.
_MONEY_DELETE = str.maketrans("", "", ",，¥￥元 \t")
_SKIP_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "total",
    "制表",
    "制表人",
    "签字",
    "签名",
    "审核",
    "负责人",
    "盖章",
    "日期",
    "说明",
    "备注",
    "注：",
    "注:",
)


def _has_skip_word(text: str) -> bool:
    text = "".join(text.lower().split())
    return any(word in text for word in _SKIP_WORDS)


_BLANK, _BAD = object(), object()


def _parse_money(value):
    """``Decimal`` (not yet quantized), ``_BLANK`` or ``_BAD``; the number comes from the cell's text."""
    kind = type(value)
    if kind is float:
        if value - value != 0.0:  # NaN or infinite
            return _BAD
        return Decimal(repr(value))
    if kind is int:
        return Decimal(value)
    if kind is str:
        text = value.strip()
        if not text or text in _PLACEHOLDERS:
            return _BLANK
        try:
            number = Decimal(text)
        except InvalidOperation:
            text = text.translate(_FULLWIDTH_ALL).upper().replace("RMB", "").replace("CNY", "")
            try:
                number = Decimal(text.translate(_MONEY_DELETE))
            except InvalidOperation:
                return _BAD
        return number if number.is_finite() else _BAD
    if value is None:
        return _BLANK
    return _BAD  # bool, date, time


_MONEY_LIMIT = Decimal(10) ** 15


def _money_cents(value):
    """``_parse_money``, quantized to the fen (half up) when it is not absurdly large."""
    number = _parse_money(value)
    if number is _BLANK or number is _BAD or abs(number) >= _MONEY_LIMIT:
        return number
    return number.quantize(_CENT, ROUND_HALF_UP)


def _money_text(number: Decimal) -> str:
    try:
        return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP):,}"
    except InvalidOperation:
        return f"{number:,}"


# --- header recognition --------------------------------------------------------------------------

FIELDS = ("name", "id_number", "phone", "wage", "dues_paid", "enterprise")
SYNONYMS: dict[str, tuple[str, ...]] = {  # best first: when two columns match, the better one wins
    "name": ("姓名", "职工姓名", "会员姓名", "员工姓名", "名字", "name", "full name"),
    "id_number": (
        "身份证号码",
        "身份证号",
        "公民身份号码",
        "身份证件号码",
        "证件号码",
        "身份证",
        "证件号",
        "id number",
        "id no",
        "resident id",
        "id",
    ),
    "phone": (
        "手机号码",
        "手机号",
        "手机",
        "联系电话",
        "电话",
        "联系方式",
        "mobile",
        "mobile number",
        "phone",
    ),
    "wage": (
        "月工资基数",
        "工资基数",
        "月工资",
        "缴费基数",
        "应发工资",
        "工资",
        "月收入",
        "monthly wage",
        "wage base",
        "wage",
        "salary",
    ),
    "dues_paid": (
        "会费",
        "应缴会费",
        "月会费",
        "已缴会费",
        "实缴会费",
        "缴纳会费",
        "会费金额",
        "dues",
        "dues paid",
    ),
    "enterprise": (
        "所在企业",
        "企业",
        "单位",
        "工作单位",
        "企业名称",
        "单位名称",
        "enterprise",
        "company",
        "employer",
    ),
}
# Headers with a prefix ("职工身份证号码", "本月工资基数") are matched by their ending, for these fields.
_SUFFIX_FIELDS = ("name", "id_number", "wage")
_HEADER_TABLE = header_lookup(SYNONYMS, _SUFFIX_FIELDS)


def _match_header(value) -> tuple[str, int] | None:
    """(field, rank) for a header cell, or None."""
    return match_header(value, _HEADER_TABLE)


def _accepted(field: str) -> str:
    return " / ".join(SYNONYMS[field])


@dataclass
class _Header:
    row: int
    columns: dict[str, tuple[int, str]]


def _header_matches(cells: list, first_col: int) -> dict[str, tuple[int, int, str]]:
    """field -> (rank, column, header text) for the best matching cell of each field in a row."""
    found: dict[str, tuple[int, int, str]] = {}
    for offset, value in enumerate(cells):
        match = _match_header(value)
        if match is None:
            continue
        field, rank = match
        if field not in found or rank < found[field][0]:
            found[field] = (rank, first_col + offset, _header_text(value))
    return found


def _find_header(source: _Source) -> tuple[_Header | None, Iterator[tuple[int, list]], dict | None]:
    """The header of a sheet, the remaining rows, and a header that lacks the wage column (or None)."""
    scanned = 0
    rows = source.rows
    for number, cells in rows:
        if all(_blank(v) for v in cells):
            continue
        scanned += 1
        if scanned > HEADER_SCAN_ROWS:
            break
        found = _header_matches(cells, source.first_col)
        if "name" not in found or "id_number" not in found:
            continue
        # A two-level header ("工资情况" merged over "月工资基数 | 会费"): take the missing fields
        # from the next row when its name and ID cells are empty.
        following = next(rows, None)
        if following is not None:
            more = {
                k: v for k, v in _header_matches(following[1], source.first_col).items() if k not in found
            }
            name_cell = _cell_at(following[1], found["name"][1] - source.first_col)
            id_cell = _cell_at(following[1], found["id_number"][1] - source.first_col)
            if more and _blank(name_cell) and _blank(id_cell):
                found.update(more)
            else:
                rows = itertools.chain([following], rows)
        columns = {field: (found[field][1], found[field][2]) for field in FIELDS if field in found}
        if "wage" not in found:
            return None, rows, columns
        return _Header(number, columns), rows, None
    return None, rows, None


def _cell_at(cells: list, index: int):
    return cells[index] if 0 <= index < len(cells) else ""


def read_dues_sheet(
    data: bytes,
    filename: str,
    *,
    dues_rate: Decimal = Decimal("0.005"),
    progress: Callable[[int, int], None] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> ParsedSheet:
    """Read and validate a dues sheet (.xlsx, .xls or CSV, recognised by content). Raises
    ``SheetUnreadable`` when the file is not a dues sheet at all; row problems are ``issues``.

    ``meanwhile`` is called once, on this thread, while a workbook's first sheet is parsed on
    another; not at all when the file is refused before that."""
    file_type = _sniff(data, MAX_FILE_BYTES)
    if file_type == "xlsx":
        _check_zip(data)
    if file_type == "csv":
        if meanwhile is not None:
            meanwhile()
        sources = iter([_csv_source(data)])
    else:
        sources = _calamine_sources(data, meanwhile)
    wage_missing = False
    for source in sources:
        header, rows, columns = _find_header(source)
        if header is not None:
            return _read_rows(file_type, source, header, rows, dues_rate, progress)
        wage_missing = wage_missing or columns is not None
    if wage_missing:
        raise SheetUnreadable(
            _(
                "The name and ID number columns were found, but no column for the monthly "
                "wage base. Add a column headed “月工资基数” (also accepted: %(names)s)."
            )
            % {"names": _accepted("wage")}
        )
    raise SheetUnreadable(
        _(
            "No header row found: no sheet has, in its first %(rows)d rows, a row with both a "
            "name column and an ID number column. Accepted headers for the name: %(names)s. "
            "For the ID number: %(ids)s. For the monthly wage base: %(wages)s."
        )
        % {
            "rows": HEADER_SCAN_ROWS,
            "names": _accepted("name"),
            "ids": _accepted("id_number"),
            "wages": _accepted("wage"),
        }
    )


def _read_rows(
    file_type: str,
    source: _Source,
    header: _Header,
    rows: Iterator[tuple[int, list]],
    rate: Decimal,
    progress: Callable[[int, int], None] | None,
) -> ParsedSheet:
    columns = header.columns
    first_col = source.first_col
    max_rows = MAX_ROWS

    def place(field: str) -> tuple[int, int, str]:
        """(index in the row list, sheet column, header text); index -1 when the column is absent."""
        if field not in columns:
            return -1, -1, ""
        col, text = columns[field]
        return col - first_col, col, text

    ni, name_col, name_hdr = place("name")
    ii, id_col, id_hdr = place("id_number")
    wi, wage_col, wage_hdr = place("wage")
    pi, phone_col, phone_hdr = place("phone")
    di, dues_col, dues_hdr = place("dues_paid")
    ei, _ent_col, _ent_hdr = place("enterprise")
    width = max(ni, ii, wi, pi, di, ei) + 1
    padding = [""] * width

    # Vertically merged enterprise cells (one enterprise over its members' rows) apply to every row.
    merged_enterprise: dict[int, int] = {}  # first excel row -> last excel row
    if ei >= 0:
        for (top, left), (bottom, right) in source.merged:
            if left <= _ent_col <= right and bottom > top and top + 1 > header.row:
                merged_enterprise[top + 1] = bottom + 1
    merged_value, merged_until = "", 0

    expected_by_tens: dict[int, Decimal] = {}  # expected dues depend on whole tens of yuan only
    money: dict = {}  # cell value -> amount in fen, _BLANK or _BAD
    enterprises: dict[str, str] = {}  # cell text -> cleaned enterprise name
    new_row = _row_maker()
    ids = _IdChecker()
    fast_id = ids.fast
    seen: dict[str, int] = {}
    valid: list[SheetRow] = []
    issues: list[RowIssue] = []
    add = issues.append
    data_rows = 0
    pending_from, pending_rows = (
        -1,
        0,
    )  # first issue and count of the footer-like rows since the last data row
    done = 0
    total = max(source.last_row - header.row, 0)

    for number, cells in rows:
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done))
        if len(cells) < width:
            cells = [*cells, *padding[len(cells) :]]
        name_value = cells[ni]
        id_value = cells[ii]
        if type(name_value) is str and name_value.isalpha() and max(name_value) < "\uff10":
            name = name_value  # the common case: letters only, nothing full-width, no spaces
        else:
            name = _clean_words(name_value) if name_value != "" else ""
        id_number = None
        id_blank = False
        footer = False
        if type(id_value) is str and len(id_value) == 18 and id_value.isascii() and id_value[:17].isdigit():
            id_number = fast_id(id_value)
        wage_value = cells[wi]
        if id_number is None:
            id_blank = _blank(id_value)
            if _skippable(cells, name, name_value, id_value, id_blank):
                continue
            if id_blank and not name:
                dues_value = cells[di] if di >= 0 else ""
                phone_value = cells[pi] if pi >= 0 else ""
                if not (_is_amount(wage_value) or _is_amount(dues_value) or not _blank(phone_value)):
                    continue  # a blank row, a template row with zero formulas, a merged-cell remainder
            footer = _footer_like(cells, name, wage_value, cells[di] if di >= 0 else "")
        # A footer-like row's issues wait: they are dropped if no data row follows it (signature,
        # approval and date lines after the data), kept — as before — if one does.
        if footer:
            if pending_from < 0:
                pending_from = len(issues)
            pending_rows += 1
        elif pending_from >= 0:
            pending_from, pending_rows = -1, 0
        if id_blank and not name:
            data_rows += 1
            if data_rows > max_rows:
                raise SheetUnreadable(_too_many_rows_message())
            add(
                RowIssue(
                    number,
                    name_hdr,
                    name_col,
                    _(
                        "This row has amounts but no name and no ID number. If it is a total row, label it "
                        "“合计” or delete it."
                    ),
                    ERROR,
                )
            )
            continue

        data_rows += 1
        if data_rows > max_rows:
            raise SheetUnreadable(_too_many_rows_message())
        ok = True
        if not name:
            ok = False
            add(RowIssue(number, name_hdr, name_col, _("Missing name."), ERROR))

        # ID number
        if id_blank:
            ok = False
            add(RowIssue(number, id_hdr, id_col, _("Missing ID number."), ERROR))
        else:
            if id_number is None:
                id_number, message = ids.slow(id_value, number, name)
                if message:
                    ok = False
                    add(RowIssue(number, id_hdr, id_col, message, ERROR))
            if id_number is not None:
                first = seen.get(id_number)
                if first is None:
                    seen[id_number] = number
                else:
                    ok = False
                    add(
                        RowIssue(
                            number,
                            id_hdr,
                            id_col,
                            _("The same ID number as row %(row)d.") % {"row": first},
                            ERROR,
                        )
                    )

        # mobile
        phone = ""
        if pi >= 0:
            phone_value = cells[pi]
            if not (phone_value == "" or phone_value is None):
                text = phone_value.strip() if type(phone_value) is str else _cell_text(phone_value)
                if (
                    len(text) == 11
                    and text.isascii()
                    and text.isdigit()
                    and text[0] == "1"
                    and text[1] in "3456789"
                ):
                    phone = text
                elif text and text not in _PLACEHOLDERS:
                    try:
                        phone = clean_mobile(text)
                    except ValidationError as error:
                        ok = False
                        add(RowIssue(number, phone_hdr, phone_col, error.messages[0], ERROR))

        # wage base
        wage = money.get(wage_value) if type(wage_value) is not bool else _BAD
        if wage is None:
            if type(wage_value) is float and -1e15 < wage_value < 1e15:  # finite, the usual case
                wage = Decimal(repr(wage_value)).quantize(_CENT, ROUND_HALF_UP)
            else:
                wage = _money_cents(wage_value)
            money[wage_value] = wage
        if wage is _BLANK:
            ok = False
            add(RowIssue(number, wage_hdr, wage_col, _("Missing monthly wage base."), ERROR))
            wage = None
        elif wage is _BAD:
            ok = False
            add(
                RowIssue(
                    number,
                    wage_hdr,
                    wage_col,
                    _("The wage base “%(value)s” is not a number.") % {"value": _shown(wage_value)},
                    ERROR,
                )
            )
            wage = None
        elif wage <= _ZERO:
            ok = False
            add(RowIssue(number, wage_hdr, wage_col, _("The wage base must be more than zero."), ERROR))
            wage = None
        elif wage > WAGE_MAX:
            ok = False
            add(
                RowIssue(
                    number,
                    wage_hdr,
                    wage_col,
                    _(
                        "A monthly wage base of %(value)s yuan is implausible (more than %(limit)s); please check "
                        "the number."
                    )
                    % {"value": _money_text(wage), "limit": f"{WAGE_MAX:,}"},
                    ERROR,
                )
            )
            wage = None
        elif wage < WAGE_LOW:
            add(
                RowIssue(
                    number,
                    wage_hdr,
                    wage_col,
                    _("The wage base of %(value)s yuan is below the minimum wage; please check it.")
                    % {"value": f"{wage:,}"},
                    WARNING,
                )
            )

        # dues paid
        dues_paid = None
        if di >= 0:
            dues_value = cells[di]
            if not (dues_value == "" or dues_value is None):
                paid = money.get(dues_value) if type(dues_value) is not bool else _BAD
                if paid is None:
                    paid = money[dues_value] = _money_cents(dues_value)
                if paid is _BAD:
                    ok = False
                    add(
                        RowIssue(
                            number,
                            dues_hdr,
                            dues_col,
                            _("The dues paid “%(value)s” is not a number.") % {"value": _shown(dues_value)},
                            ERROR,
                        )
                    )
                elif paid is not _BLANK:
                    if paid < _ZERO:
                        ok = False
                        add(
                            RowIssue(
                                number, dues_hdr, dues_col, _("The dues paid cannot be negative."), ERROR
                            )
                        )
                    elif paid > WAGE_MAX:
                        ok = False
                        add(
                            RowIssue(
                                number,
                                dues_hdr,
                                dues_col,
                                _("The dues paid of %(value)s yuan is implausible; please check the number.")
                                % {"value": _money_text(paid)},
                                ERROR,
                            )
                        )
                    else:
                        dues_paid = paid
                        if wage is not None:
                            tens = int(wage) // 10
                            expected = expected_by_tens.get(tens)
                            if expected is None:
                                expected = expected_by_tens[tens] = expected_dues(wage, rate)
                            if dues_paid != expected:
                                add(
                                    RowIssue(
                                        number,
                                        dues_hdr,
                                        dues_col,
                                        _(
                                            "The dues paid (%(paid)s) differ from the expected %(expected)s yuan."
                                        )
                                        % {"paid": f"{dues_paid:,}", "expected": f"{expected:,}"},
                                        WARNING,
                                    )
                                )

        # enterprise
        enterprise = ""
        if ei >= 0:
            ent_value = cells[ei]
            enterprise = enterprises.get(ent_value) if type(ent_value) is str else None
            if enterprise is None:
                enterprise = enterprises[ent_value] = _clean_words(ent_value)
            if number in merged_enterprise:
                merged_value, merged_until = enterprise, merged_enterprise[number]
            elif not enterprise and number <= merged_until:
                enterprise = merged_value

        if ok:
            valid.append(new_row(number, name, id_number, phone, wage, dues_paid, enterprise))

    if pending_from >= 0:
        del issues[pending_from:]
        data_rows -= pending_rows
    if progress is not None:
        progress(done, done)
    issues.sort(key=lambda issue: (issue.row, issue.col_index))
    return ParsedSheet(
        file_type=file_type,
        sheet_name=source.name,
        header_row=header.row,
        columns=dict(columns),
        rows=valid,
        issues=issues,
        data_rows=data_rows,
    )


def _row_maker() -> Callable[..., SheetRow]:
    """``SheetRow(...)`` at less than half the cost: a frozen dataclass's ``__init__`` goes through
    ``object.__setattr__`` for every field; this sets the slots directly (the same result — the
    class has no ``__post_init__``). It matters at 100,000 rows."""
    new = object.__new__
    setters = [getattr(SheetRow, name).__set__ for name in SheetRow.__slots__]
    s0, s1, s2, s3, s4, s5, s6 = setters

    def make(row, name, id_number, phone, wage, dues_paid, enterprise):
        obj = new(SheetRow)
        s0(obj, row)
        s1(obj, name)
        s2(obj, id_number)
        s3(obj, phone)
        s4(obj, wage)
        s5(obj, dues_paid)
        s6(obj, enterprise)
        return obj

    return make


def _skippable(cells: list, name: str, name_value, id_value, id_blank: bool) -> bool:
    """A total, signature or note row (its ID cell empty or holding the note), or the header repeated
    at the top of every printed page."""
    if id_blank or _has_skip_word(_cell_text(id_value)):
        first = next((_clean_words(v) for v in cells if not _blank(v)), "")
        if _has_skip_word(name) or _has_skip_word(first):
            return True
    return not id_blank and _match_header(id_value) is not None and _match_header(name_value) is not None


def _footer_like(cells: list, name: str, wage_value, dues_value) -> bool:
    """A row that may be a signature, approval or date line (填表人：…, 审核人：…, 制表日期：…, 盖章),
    whatever columns its words stand in: no cell holds ID-like digits, the wage and dues cells hold no
    amount, and a cell carries a signature word or the row has no name. Such a row is not data when
    no data row follows it; a row lacking only its name or only its wage has an ID or an amount, so
    it is never footer-like."""
    if _has_money(wage_value) or _has_money(dues_value):
        return False
    signed = False
    for value in cells:
        if _blank(value):
            continue
        kind = type(value)
        if kind is int or kind is float:
            if abs(value) >= 1e14:  # an ID number Excel stored as a number
                return False
            continue
        text = "".join(_cell_text(value).translate(_FULLWIDTH_ALL).split())
        if _ID_LIKE.search(text):
            return False
        signed = signed or _has_footer_word(text)
    return signed or not name


_ID_LIKE = re.compile(r"\d{15}")
_FOOTER_WORDS = ("填表", "经办", "复核", "审批", "签章", "签发")


def _has_footer_word(text: str) -> bool:
    return _has_skip_word(text) or any(word in text for word in _FOOTER_WORDS)


def _has_money(value) -> bool:
    """A cell holding a non-zero amount (text that is not a number, or a date, is no amount)."""
    if _blank(value):
        return False
    number = _parse_money(value)
    return number is not _BLANK and number is not _BAD and number != 0


def _is_amount(value) -> bool:
    """A cell that carries money: a non-zero number or non-numeric text (zero is a template formula)."""
    if _blank(value):
        return False
    number = _parse_money(value)
    return number is _BAD or (number is not _BLANK and number != 0)


def _too_many_rows_message() -> str:
    return _(
        "The sheet has more than %(count)s data rows. Please split it into files of at most %(count)s "
        "rows each."
    ) % {"count": f"{MAX_ROWS:,}"}
