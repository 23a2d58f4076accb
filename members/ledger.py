"""Reading a federation's existing ledgers (台账) — pure functions, no database access.

A federation moving in sends one workbook (or several files; a CSV is one sheet) with sheets for its
unions, the enterprises they cover and their members. ``read_ledger`` finds each sheet's header by its
content (the sheet's name is a hint: 工会 / 单位、企业 / 会员、职工), reads every row with the same
tolerance as a dues sheet (``members.sheets``: title rows, merged cells, full-width characters, GBK or
UTF-16 CSV, zip bombs and passwords refused) and checks each cell on its own: dates, choices given as a
Chinese label or a code, credit codes, ID numbers, mobiles. What needs the whole file or the registry
(unknown union codes, an enterprise claimed twice, a person twice, a member of another union) is
``members.services.ledger``. ``annotate_ledger`` hands the workbook back with the problems marked.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from unionhub.exports import write_only_workbook

from .models import Enterprise, GrassrootsUnion, Member
from .sheets import (
    FULLWIDTH_ALL,
    HEADER_SCAN_ROWS,
    MAX_FILE_BYTES,
    PLACEHOLDERS,
    IdChecker,
    SheetUnreadable,
    Source,
    blank,
    calamine_sources,
    cell_text,
    check_zip,
    clean_words,
    csv_source,
    header_lookup,
    header_text,
    match_header,
    normalise_header,
    shown,
    sniff,
)
from .validators import clean_credit_code, clean_mobile

UNIONS, ENTERPRISES, MEMBERS = "unions", "enterprises", "members"
KINDS = (UNIONS, ENTERPRISES, MEMBERS)
MAX_ROWS = 200_000  # data rows over all sheets of one import
PROGRESS_EVERY = 2_000

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    UNIONS: {
        "code": ("工会代码", "工会编号", "工会编码", "代码", "编号", "union code", "code"),
        "name": ("工会名称", "工会全称", "名称", "union name", "union", "name"),
        "kind": ("工会类型", "类型", "union type", "type", "kind"),
        "founded_on": (
            "成立日期",
            "建会日期",
            "成立时间",
            "建会时间",
            "founding date",
            "founded on",
            "founded",
        ),
        "chair_name": ("主席姓名", "工会主席", "主席", "chair name", "chair"),
        "chair_phone": (
            "主席手机号码",
            "主席手机号",
            "主席手机",
            "主席联系电话",
            "主席电话",
            "chair mobile",
            "chair phone",
        ),
        "term_start": (
            "本届起始日期",
            "本届开始日期",
            "届期开始",
            "换届日期",
            "任期开始",
            "committee term start",
            "term start",
        ),
        "term_years": ("届期年限", "届期", "任期年限", "任期", "committee term years", "term years"),
        "schedule": (
            "会费收缴周期",
            "收缴周期",
            "缴费周期",
            "会费周期",
            "dues schedule",
            "collection schedule",
            "schedule",
        ),
        "area": ("网格", "所属网格", "网格片区", "片区", "grid area", "area"),
    },
    ENTERPRISES: {
        "credit_code": (
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "unified social credit code",
            "credit code",
            "uscc",
        ),
        "name": ("企业名称", "单位名称", "企业", "单位", "名称", "enterprise name", "enterprise", "name"),
        "size_band": ("企业规模", "规模", "size band", "size"),
        "industry": ("所属行业", "行业", "industry"),
        "address": ("企业地址", "单位地址", "地址", "address"),
        "union_code": ("所属工会代码", "工会代码", "覆盖工会", "所属工会", "工会编号", "union code", "union"),
    },
    MEMBERS: {
        "union_code": ("所属工会代码", "工会代码", "工会编号", "所属工会", "union code", "union"),
        "name": ("姓名", "会员姓名", "职工姓名", "名字", "name", "full name"),
        "id_number": (
            "身份证号码",
            "身份证号",
            "公民身份号码",
            "身份证件号码",
            "证件号码",
            "身份证",
            "id number",
            "id no",
            "resident id",
        ),
        "phone": ("手机号码", "手机号", "手机", "联系电话", "电话", "mobile", "phone"),
        "enterprise": (
            "所在企业",
            "工作单位",
            "企业名称",
            "单位名称",
            "企业",
            "单位",
            "统一社会信用代码",
            "enterprise",
            "company",
            "employer",
        ),
        "joined_on": ("入会日期", "入会时间", "join date", "joined on", "joined"),
        "migrant": ("是否农民工", "农民工", "migrant worker", "migrant"),
        "education": ("学历", "文化程度", "education"),
        "political_status": ("政治面貌", "political status"),
    },
}
REQUIRED = {
    UNIONS: ("code", "name"),
    ENTERPRISES: ("credit_code", "name"),
    MEMBERS: ("union_code", "name", "id_number"),
}
SHEET_HINTS = {
    MEMBERS: ("会员", "职工", "member"),
    ENTERPRISES: ("单位", "企业", "enterprise"),
    UNIONS: ("工会", "union"),
}
_TABLES = {kind: header_lookup(names, ()) for kind, names in SYNONYMS.items()}

# Choice cells: the code, the English label or the Chinese label, and the words ledgers use.
_CHOICE_WORDS = {
    "kind": {
        "单独": "single",
        "单独建会": "single",
        "单一企业工会": "single",
        "联合": "joint",
        "联合工会": "joint",
    },
    "schedule": {
        "月": "monthly",
        "按月": "monthly",
        "季": "quarterly",
        "按季": "quarterly",
        "季度": "quarterly",
        "半年": "half_yearly",
        "年": "yearly",
        "按年": "yearly",
        "年度": "yearly",
    },
    "size_band": {
        "大型": "large",
        "大": "large",
        "中型": "medium",
        "中": "medium",
        "小型": "small",
        "小": "small",
        "微型": "micro",
        "微": "micro",
    },
    "education": {
        "初中": "junior_high",
        "初中及以下": "junior_high",
        "小学": "junior_high",
        "高中": "senior_high",
        "中专": "senior_high",
        "中职": "senior_high",
        "职高": "senior_high",
        "技校": "senior_high",
        "大专": "junior_college",
        "专科": "junior_college",
        "高职": "junior_college",
        "本科": "bachelor",
        "大学本科": "bachelor",
        "学士": "bachelor",
        "硕士": "master",
        "研究生": "master",
        "硕士研究生": "master",
        "博士": "doctorate",
        "博士研究生": "doctorate",
    },
    "political_status": {
        "中共党员": "cpc",
        "党员": "cpc",
        "中共预备党员": "cpc_probationary",
        "预备党员": "cpc_probationary",
        "共青团员": "cyl",
        "团员": "cyl",
        "民主党派": "other_party",
        "群众": "masses",
        "无党派": "masses",
        "无党派人士": "masses",
    },
    "industry": {
        "制造业": "manufacturing",
        "制造": "manufacturing",
        "电子": "electronics",
        "软件": "software",
        "信息技术": "software",
        "生物医药": "biomedicine",
        "医药": "biomedicine",
        "新材料": "materials",
        "建筑": "construction",
        "建筑业": "construction",
        "物流": "logistics",
        "交通运输": "logistics",
        "批发零售": "trade",
        "零售": "trade",
        "商贸": "trade",
        "住宿餐饮": "hospitality",
        "餐饮": "hospitality",
        "商务服务": "services",
        "服务业": "services",
        "其他": "other",
    },
}
_CHOICE_ENUMS = {
    "kind": GrassrootsUnion.Kind,
    "schedule": GrassrootsUnion.Schedule,
    "size_band": Enterprise.SizeBand,
    "industry": Enterprise.Industry,
    "education": Member.Education,
    "political_status": Member.PoliticalStatus,
}
_YES = frozenset(["是", "y", "yes", "true", "1", "√", "✓", "农民工"])
_NO = frozenset(["否", "n", "no", "false", "0", "×", "非农民工", "不是"])
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_CODE_TEXT = re.compile(r"^[0-9A-Z]{18}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")  # as members.validators.clean_mobile accepts
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _choice_key(text: str) -> str:
    return normalise_header(text)


def _choice_lookup(name: str) -> dict[str, str]:
    enum = _CHOICE_ENUMS[name]
    lookup = {_choice_key(word): value for word, value in _CHOICE_WORDS.get(name, {}).items()}
    for value, label in enum.choices:
        lookup[_choice_key(value)] = value
        lookup[_choice_key(str(label))] = value
        with translation.override("zh-hans"):
            lookup[_choice_key(str(label))] = value
    return lookup


@dataclass(frozen=True, slots=True)
class LedgerIssue:
    sheet: str  # the sheet's name; a CSV file's name without its extension
    row: int  # the row number the user sees
    column: str  # the column header as written in the file ("" for the whole row)
    col_index: int  # 0-based, -1 for the whole row
    message: str
    file: int = 0  # which of the files read

    def line(self) -> str:
        """The command's line: ``sheet S, row N, column X: message``."""
        return f"sheet {self.sheet}, row {self.row}, column {self.column}: {self.message}"

    def __str__(self):
        return _("Sheet %(sheet)s · row %(row)d · %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(slots=True)
class SheetInfo:
    file: int
    name: str
    kind: str
    header_row: int
    columns: dict[str, tuple[int, str]]  # field -> (sheet column, header text)
    rows: int = 0


@dataclass(slots=True)
class LedgerRow:
    sheet: SheetInfo
    row: int
    values: dict  # field -> parsed value; a field absent or blank in the file is absent here
    ok: bool = True


@dataclass
class Ledger:
    sheets: list[SheetInfo] = field(default_factory=list)
    rows: dict[str, list[LedgerRow]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    issues: list[LedgerIssue] = field(default_factory=list)

    def issue(self, row: LedgerRow, name: str, message: str) -> None:
        """An error on ``row`` in the column of ``name`` (the whole row when the column is absent)."""
        col, text = row.sheet.columns.get(name, (-1, SYNONYMS[row.sheet.kind][name][0]))
        self.issues.append(LedgerIssue(row.sheet.name, row.row, text, col, message, row.sheet.file))
        row.ok = False


class _Cells:
    """What one read shares: the choice lookups, the ID checker and, per field, the verdict on each
    distinct cell value (a ledger repeats its dates, choices, union codes and enterprises)."""

    __slots__ = ("ids", "lookups", "memo", "rows")

    def __init__(self):
        self.lookups = {name: _choice_lookup(name) for name in _CHOICE_ENUMS}
        self.ids = IdChecker()
        self.memo: dict[str, dict] = {}
        self.rows = 0


@dataclass(frozen=True, slots=True)
class LedgerFile:
    name: str
    data: bytes


def read_ledger(files: list[LedgerFile], *, progress: Callable[[int, int], None] | None = None) -> Ledger:
    """Read every sheet of every file. Raises ``SheetUnreadable`` when a file is not a spreadsheet or no
    sheet of any file has a ledger header; row problems are ``Ledger.issues``."""
    ledger = Ledger()
    sources: list[tuple[int, str, Source]] = []
    for index, item in enumerate(files):
        for source in _sources(item):
            sources.append((index, item.name, source))
    cells = _Cells()
    total = sum(max(source.last_row, 0) for _i, _n, source in sources)
    done = [0]
    for index, name, source in sources:
        sheet_name = source.name or PurePath(name).stem or "CSV"
        found = _find_header(source, sheet_name)
        if found is None:
            continue
        kind, header_row, columns, rows = found
        info = SheetInfo(index, sheet_name, kind, header_row, columns)
        ledger.sheets.append(info)
        _read_rows(ledger, info, source, rows, cells, progress, done, total)
    if not ledger.sheets:
        raise SheetUnreadable(no_header_message())
    ledger.issues.sort(key=lambda i: (i.file, i.sheet, i.row, i.col_index))
    return ledger


def no_header_message() -> str:
    return _(
        "No ledger sheet found: no sheet has, in its first %(rows)d rows, a header for unions (union code "
        "and union name), enterprises (unified social credit code and name) or members (union code, name "
        "and ID number). Download the ledger template to see the expected headers."
    ) % {"rows": HEADER_SCAN_ROWS}


def _sources(item: LedgerFile) -> Iterator[Source]:
    file_type = sniff(item.data, MAX_FILE_BYTES)
    if file_type == "xlsx":
        check_zip(item.data)
    if file_type == "csv":
        yield csv_source(item.data)
    else:
        yield from calamine_sources(item.data)


def _matches(cells: list, first_col: int, kind: str) -> dict[str, tuple[int, int, str]]:
    found: dict[str, tuple[int, int, str]] = {}
    table = _TABLES[kind]
    for offset, value in enumerate(cells):
        match = match_header(value, table)
        if match is None:
            continue
        name, rank = match
        if name not in found or rank < found[name][0]:
            found[name] = (rank, first_col + offset, header_text(value))
    return found


def _find_header(source: Source, sheet_name: str):
    """(kind, header row, columns, remaining rows) or None: the first of the first rows that holds every
    required column of a kind; the sheet's name decides between kinds that both fit."""
    hint = next((k for k, words in SHEET_HINTS.items() if any(w in sheet_name.lower() for w in words)), None)
    scanned = 0
    rows = source.rows
    for number, cells in rows:
        if all(blank(v) for v in cells):
            continue
        scanned += 1
        if scanned > HEADER_SCAN_ROWS:
            return None
        fitting = {}
        for kind in KINDS:
            found = _matches(cells, source.first_col, kind)
            if all(name in found for name in REQUIRED[kind]):
                fitting[kind] = found
        if not fitting:
            continue
        # The most specific kind wins: a member sheet has an ID column, an enterprise sheet a credit code.
        kind = hint if hint in fitting else next(k for k in (MEMBERS, ENTERPRISES, UNIONS) if k in fitting)
        found = fitting[kind]
        columns = {name: (col, text) for name, (_rank, col, text) in found.items()}
        return kind, number, columns, rows
    return None


def _read_rows(ledger, info, source, rows, state, progress, done, total) -> None:
    first_col = source.first_col
    places = [(name, col - first_col, col) for name, (col, _text) in info.columns.items()]
    width = max(index for _n, index, _c in places) + 1
    merged_down = _merged_down(source, info)
    carried: dict[str, tuple[object, int]] = {}
    parse = _PARSERS[info.kind]
    kept = ledger.rows[info.kind]
    padding = [""] * width
    for number, cells in rows:
        done[0] += 1
        if progress is not None and done[0] % PROGRESS_EVERY == 0:
            progress(done[0], max(total, done[0]))
        if len(cells) < width:
            cells = [*cells, *padding[len(cells) :]]
        raw = {}
        for name, index, col in places:
            value = cells[index]
            if value == "" or value is None or (type(value) is str and not value.strip()):
                if carried:
                    held = carried.get(name)
                    if held is not None and number <= held[1]:
                        raw[name] = held[0]
                continue
            if merged_down and (number, col) in merged_down:
                carried[name] = (value, merged_down[(number, col)])
            raw[name] = value
        if not raw or (len(raw) <= 2 and _note_row(raw)):
            continue
        info.rows += 1
        state.rows += 1
        if state.rows > MAX_ROWS:
            raise SheetUnreadable(
                _("The ledger has more than %(count)s data rows. Please split it into several imports.")
                % {"count": f"{MAX_ROWS:,}"}
            )
        row = LedgerRow(info, number, {})
        parse(ledger, row, raw, state)
        kept.append(row)


def _merged_down(source: Source, info: SheetInfo) -> dict[tuple[int, int], int]:
    """(first row, column) -> last row of each cell merged down over data rows (a union code or an
    enterprise written once over its members)."""
    out = {}
    for (top, left), (bottom, right) in source.merged:
        if bottom > top and top + 1 > info.header_row:
            for col in range(left, right + 1):
                out[(top + 1, col)] = bottom + 1
    return out


_NOTE_WORDS = ("合计", "总计", "小计", "填表", "制表", "备注", "说明", "注：", "注:", "total")


def _note_row(raw: dict) -> bool:
    """A total, note or signature line under the data (one or two cells): one of them a note word."""
    text = "".join(cell_text(v) for v in raw.values()).lower()
    return any(word in text for word in _NOTE_WORDS)


# --- cells ---------------------------------------------------------------------------------------


_MISS = object()


def _memo(state: _Cells, name: str, value, compute):
    """``compute(value)``, once per distinct value of the field ``name`` in this read."""
    memo = state.memo.get(name)
    if memo is None:
        memo = state.memo[name] = {}
    try:
        found = memo.get(value, _MISS)
    except TypeError:  # an unhashable cell value
        return compute(value)
    if found is _MISS:
        found = memo[value] = compute(value)
    return found


def _text(value) -> str:
    if type(value) is str and value.isalpha() and max(value) < "\uff10":
        return value  # the common case: letters only, nothing full-width, no spaces
    return clean_words(value)


def _code(value) -> str:
    return "".join(cell_text(value).translate(FULLWIDTH_ALL).split()).upper()


def parse_date(value) -> datetime.date | None:
    """A date cell: a real date, an Excel serial number, or text like 2020-05-01, 2020/5/1, 2020年5月1日,
    20200501 or 2020年5月 (the first of the month). None when it is not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if type(value) in (int, float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial day number (1954–2119)
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        value = cell_text(value)
    text = cell_text(value).translate(FULLWIDTH_ALL).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    found = _DATE_TEXT.match(text)
    if found:
        parts = found.groups()
    elif len(text) == 8 and text.isascii() and text.isdigit():
        parts = (text[:4], text[4:6], text[6:])
    elif found := _MONTH_TEXT.match(text):
        parts = (*found.groups(), "1")
    else:
        return None
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _date(ledger, row, raw, name, state) -> None:
    if name not in raw:
        return
    day = _memo(state, name, raw[name], parse_date)
    if day is None or day.year < 1900:
        ledger.issue(
            row, name, _("“%(value)s” is not a date; write it as 2020-05-01.") % {"value": shown(raw[name])}
        )
    else:
        row.values[name] = day


def _choice(ledger, row, raw, name, state) -> None:
    if name not in raw:
        return
    lookup = state.lookups[name]
    value = _memo(state, name, raw[name], lambda cell: _choice_value(cell, lookup))
    if value is _MISS:
        return
    if value is None:
        labels = "、".join(str(label) for _v, label in _CHOICE_ENUMS[name].choices)
        ledger.issue(
            row,
            name,
            _("“%(value)s” is not one of: %(choices)s.") % {"value": shown(raw[name]), "choices": labels},
        )
    else:
        row.values[name] = value


def _choice_value(cell, lookup: dict[str, str]):
    """The choice's code, ``_MISS`` for a placeholder ("-", "无"), None when it is not a choice."""
    text = cell_text(cell).strip()
    if text in PLACEHOLDERS:
        return _MISS
    return lookup.get(_choice_key(text))


def _required(ledger, row, raw, name) -> bool:
    if name in raw:
        return True
    ledger.issue(row, name, _("This cell is empty; it is required."))
    return False


def _mobile(ledger, row, raw, name) -> None:
    if name not in raw:
        return
    value = raw[name]
    if (
        type(value) is str
        and len(value) == 11
        and value.isdigit()
        and value.isascii()
        and _MOBILE.match(value)
    ):
        row.values[name] = value
        return
    text = cell_text(value).strip()
    if text in PLACEHOLDERS:
        return
    try:
        row.values[name] = clean_mobile(text)
    except ValidationError as error:
        ledger.issue(row, name, error.messages[0])


def _credit_code(ledger, row, raw, name) -> None:
    try:
        row.values[name] = clean_credit_code(_code(raw[name]))
    except ValidationError as error:
        ledger.issue(row, name, error.messages[0])


def _parse_union(ledger, row, raw, state) -> None:
    if _required(ledger, row, raw, "code"):
        code = _code(raw["code"])
        if len(code) > 12:
            ledger.issue(row, "code", _("A union code has at most 12 characters."))
        row.values["code"] = code
    if _required(ledger, row, raw, "name"):
        row.values["name"] = _text(raw["name"])[:100]
    if _required(ledger, row, raw, "founded_on"):
        _date(ledger, row, raw, "founded_on", state)
    _choice(ledger, row, raw, "kind", state)
    _choice(ledger, row, raw, "schedule", state)
    _date(ledger, row, raw, "term_start", state)
    if "term_years" in raw:
        text = cell_text(raw["term_years"]).replace("年", "").strip()
        if text.isascii() and text.isdigit() and 1 <= int(text) <= 5:
            row.values["term_years"] = int(text)
        else:
            ledger.issue(row, "term_years", _("The committee term is a whole number of years from 1 to 5."))
    if "chair_name" in raw:
        row.values["chair_name"] = _text(raw["chair_name"])[:50]
    _mobile(ledger, row, raw, "chair_phone")
    if "chair_name" in raw and "chair_phone" not in raw:
        ledger.issue(
            row, "chair_phone", _("The chair's mobile is needed: it becomes the chair's sign-in name.")
        )
    if "area" in raw:
        row.values["area"] = _text(raw["area"])


def _parse_enterprise(ledger, row, raw, state) -> None:
    if _required(ledger, row, raw, "credit_code"):
        _credit_code(ledger, row, raw, "credit_code")
    if _required(ledger, row, raw, "name"):
        row.values["name"] = _text(raw["name"])[:100]
    if _required(ledger, row, raw, "union_code"):
        row.values["union_code"] = _memo(state, "union_code", raw["union_code"], _code)
    if _required(ledger, row, raw, "size_band"):
        _choice(ledger, row, raw, "size_band", state)
    _choice(ledger, row, raw, "industry", state)
    if "address" in raw:
        row.values["address"] = _text(raw["address"])[:200]


def _parse_member(ledger, row, raw, state) -> None:
    name = ""
    if _required(ledger, row, raw, "name"):
        name = row.values["name"] = _text(raw["name"])[:50]
    if _required(ledger, row, raw, "union_code"):
        row.values["union_code"] = _memo(state, "union_code", raw["union_code"], _code)
    if _required(ledger, row, raw, "id_number"):
        value = raw["id_number"]
        number = None
        if type(value) is str and len(value) == 18 and value.isascii() and value[:17].isdigit():
            number = state.ids.fast(value)
        if number is None:
            number, message = state.ids.slow(value, row.row, name)
            if message:
                ledger.issue(row, "id_number", message)
        if number:
            row.values["id_number"] = number
    _mobile(ledger, row, raw, "phone")
    if "enterprise" in raw:
        row.values["enterprise"] = _memo(state, "enterprise", raw["enterprise"], _text)
    if _required(ledger, row, raw, "joined_on"):
        _date(ledger, row, raw, "joined_on", state)
    if "migrant" in raw:
        migrant = _memo(state, "migrant", raw["migrant"], _yes_no)
        if migrant is None:
            ledger.issue(row, "migrant", _("Write 是 or 否 (yes or no)."))
        else:
            row.values["migrant"] = migrant
    _choice(ledger, row, raw, "education", state)
    _choice(ledger, row, raw, "political_status", state)


def _yes_no(cell) -> bool | None:
    text = _choice_key(cell_text(cell))
    return True if text in _YES else False if text in _NO else None


_PARSERS = {UNIONS: _parse_union, ENTERPRISES: _parse_enterprise, MEMBERS: _parse_member}


def looks_like_credit_code(text: str) -> bool:
    return bool(_CODE_TEXT.match(text))


# --- the annotated copy ----------------------------------------------------------------------------

_ERROR_FILL = "FFC7CE"


def annotate_ledger(files: list[LedgerFile], issues: list[LedgerIssue]) -> bytes:
    """An .xlsx with every sheet of the files read, their values at the same rows and columns, each cell
    with an error filled light red and commented, a reason column at the right of each row with errors,
    and a last sheet listing every error. Rebuilt from the cell values (formatting is not kept)."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 — openpyxl is loaded only when a ledger is annotated
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 — openpyxl is loaded only when a ledger is annotated
    from openpyxl.comments import Comment  # noqa: PLC0415 — openpyxl is loaded only when a ledger is annotated
    from openpyxl.styles import PatternFill  # noqa: PLC0415 — openpyxl is loaded only when a ledger is annotated

    fill = PatternFill(fill_type="solid", start_color=_ERROR_FILL, end_color=_ERROR_FILL)
    by_sheet: dict[tuple[int, str], dict[int, list[LedgerIssue]]] = {}
    for issue in issues:
        by_sheet.setdefault((issue.file, issue.sheet), {}).setdefault(issue.row, []).append(issue)
    book = write_only_workbook()
    titles: set[str] = set()
    for index, item in enumerate(files):
        for source in _sources(item):
            name = source.name or PurePath(item.name).stem or "CSV"
            marks = by_sheet.get((index, name), {})
            title = "".join(c for c in name if c not in "[]:*?/\\")[:28].strip("'") or "Sheet"
            while title in titles:
                title += "_"
            titles.add(title)
            sheet = book.create_sheet(title)
            current = 0
            for number, cells in source.rows:
                while current < number - 1:
                    sheet.append([])
                    current += 1
                values = [None] * source.first_col + [
                    None if v == "" else (ILLEGAL_CHARACTERS_RE.sub("", v) if type(v) is str else v)
                    for v in cells
                ]
                row_issues = marks.get(number, ())
                if row_issues:
                    by_col: dict[int, list[str]] = {}
                    for issue in row_issues:
                        if issue.col_index >= 0:
                            by_col.setdefault(issue.col_index, []).append(issue.message)
                    for col, texts in by_col.items():
                        if col >= len(values):
                            values.extend([None] * (col + 1 - len(values)))
                        cell = WriteOnlyCell(sheet, value=values[col])
                        if type(cell.value) is str:
                            cell.data_type = "s"
                        cell.fill = fill
                        cell.comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", "\n".join(texts)), "UnionHub")
                        values[col] = cell
                    reason = "；".join(
                        f"{i.column}：{i.message}" if i.column else i.message for i in row_issues
                    )
                    values.append(WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", reason)))
                    values[-1].fill = fill
                sheet.append(values)
                current = number
    listing = book.create_sheet(_("Error list")[:31])
    listing.append([_("%(count)d errors.") % {"count": len(issues)}])
    for issue in issues:
        listing.append([ILLEGAL_CHARACTERS_RE.sub("", str(issue))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
