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

import codecs
import csv
import datetime
import io
import itertools
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from members.validators import PROVINCE_CODES, checksum_message, clean_mobile, clean_resident_id

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # total uncompressed size allowed inside an .xlsx zip
MAX_ZIP_RATIO = 200  # a member inflating more than this many times …
MAX_ZIP_RATIO_BYTES = 10 * 1024 * 1024  # … and to more than this is a zip bomb
MAX_ZIP_MEMBERS = 10_000
HEADER_SCAN_ROWS = 30  # non-blank rows of each sheet searched for the header
PROGRESS_EVERY = 5_000
WAGE_MAX = Decimal(500_000)  # yuan a month; more is a typing error
WAGE_LOW = Decimal(1_000)  # below any minimum wage in China: warn
ERROR, WARNING = "error", "warning"

logger = logging.getLogger(__name__)

_CENT = Decimal("0.01")
_TEN = Decimal(10)
_ZERO = Decimal(0)


class SheetUnreadable(Exception):
    """The file cannot be read as a dues sheet at all. str(exc) is a message for the user, in the
    active language (Chinese by default), that says what the file is and what to upload instead."""


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
_FULLWIDTH_ALL = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20}
# For names and enterprise names only digits and letters: "（浙江）有限公司" keeps its brackets.
_FULLWIDTH_ALNUM = (
    {0xFF10 + i: 0x30 + i for i in range(10)}
    | {0xFF21 + i: 0x41 + i for i in range(26)}
    | {0xFF41 + i: 0x61 + i for i in range(26)}
    | {0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20}
)
# Removed from a money cell once it is in half-width: currency signs, the word yuan, separators.
_MONEY_DELETE = str.maketrans("", "", ",，¥￥元 \t")
_PLACEHOLDERS = frozenset(["-", "--", "—", "——", "/", "无", "n/a", "N/A"])
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


def _cell_text(value) -> str:
    """A cell as text: integral floats without ".0" (a phone number typed as a number)."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is float and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _blank(value) -> bool:
    return value == "" or value is None or (type(value) is str and not value.strip())


def _clean_words(value) -> str:
    """A name or an enterprise: stripped, full-width letters/digits to half-width, the spaces used to
    pad two-character names ("张　三") removed between Chinese characters, kept between Latin words."""
    text = _cell_text(value).strip()
    if not text:
        return ""
    if not text.isascii():
        text = text.translate(_FULLWIDTH_ALNUM).strip()
    parts = text.split()
    if len(parts) < 2:
        return text
    out = parts[0]
    for part in parts[1:]:
        out += part if (not out[-1].isascii() and not part[0].isascii()) else " " + part
    return out


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


def _shown(value, limit: int = 30) -> str:
    text = " ".join(_cell_text(value).split())
    return text if len(text) <= limit else text[:limit] + "…"


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
_HEADER_DROP = frozenset("*:：._-#'\"")
_OPEN, _CLOSE = "([【〔", ")]】〕"


def _normalise_header(text: str) -> str:
    """Strip, no whitespace, half-width, lower case, no "*" and no parenthesised units: "（元）"."""
    out = []
    depth = 0
    for char in text.translate(_FULLWIDTH_ALL).lower():
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and not char.isspace() and char not in _HEADER_DROP:
            out.append(char)
    return "".join(out)


_HEADER_LOOKUP: dict[str, tuple[str, int]] = {}
_HEADER_SUFFIXES: list[tuple[str, str, int]] = []
for _field, _names in SYNONYMS.items():
    for _rank, _name in enumerate(_names):
        _HEADER_LOOKUP.setdefault(_normalise_header(_name), (_field, _rank))
        if _field in _SUFFIX_FIELDS and not _name.isascii() and len(_name) >= 3:
            _HEADER_SUFFIXES.append((_normalise_header(_name), _field, 100 + _rank))


def _match_header(value) -> tuple[str, int] | None:
    """(field, rank) for a header cell, or None."""
    if type(value) is not str or not value or len(value) > 40:
        return None
    key = _normalise_header(value)
    if not key:
        return None
    found = _HEADER_LOOKUP.get(key)
    if found is None and len(key) <= 12:
        for suffix, field, rank in _HEADER_SUFFIXES:
            if key.endswith(suffix):
                return field, rank
    return found


def _header_text(value) -> str:
    return " ".join(_cell_text(value).strip().splitlines())


def _accepted(field: str) -> str:
    return " / ".join(SYNONYMS[field])


# --- resident ID numbers -------------------------------------------------------------------------

# The check character (GB 11643, ISO 7064 MOD 11-2) of the 17 digits d is (1 - 2·int(d, 13)) mod 11,
# "X" for 10 — the weights 2^(17-i) mod 11 folded into one base-13 conversion done in C; the same
# answer as ``members.validators.id_check_character`` (a test holds them together), ~10× faster.
_CHECK_CHARS = "0123456789X"


class _IdChecker:
    """Fast acceptance of well-formed, valid ID numbers (the birth-date verdicts cached: a sheet has a
    few thousand birth dates); anything it does not accept goes to ``clean_resident_id``, whose
    verdict and message are final. The cache lives for one sheet, so a worker does not accumulate it."""

    __slots__ = ("births", "today")

    def __init__(self):
        self.births: dict[str, bool] = {}
        self.today = timezone.localdate().strftime("%Y%m%d")

    def fast(self, number: str) -> str | None:
        """``number`` is 18 ASCII characters, the first 17 digits. The number, or None."""
        if number[:2] not in PROVINCE_CODES:
            return None
        last = number[17]
        if last == "x":
            number = number[:17] + "X"
            last = "X"
        birth = number[6:14]
        real = self.births.get(birth)
        if real is None:
            real = self.births[birth] = self._real_birth_date(birth)
        if not real or _CHECK_CHARS[(1 - 2 * int(number[:17], 13)) % 11] != last:
            return None
        return number

    def _real_birth_date(self, digits: str) -> bool:
        try:
            birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            return False
        return birth.year >= 1900 and digits <= self.today

    def slow(self, value, row: int, name: str) -> tuple[str | None, str | None]:
        """(number, None) or (None, message) for a cell the fast path did not accept. A number failing
        its check character is named with its row and person (``checksum_message``)."""
        kind = type(value)
        if kind is int or kind is float:
            return None, _excel_number_message()
        text = _cell_text(value).translate(_FULLWIDTH_ALL)
        text = "".join(text.split()).lstrip("'‘’`")
        if text.startswith('="') and text.endswith('"'):  # CSV exports write ="330481…"
            text = text[2:-1]
        text = text.replace("-", "").upper()
        if len(text) == 18 and text.isascii() and text[:17].isdigit():
            number = self.fast(text)
            if number:
                return number, None
            if text.endswith("000") and text.isdigit():  # Excel kept 15 digits, wrote 000
                return None, _excel_number_message()
        elif "E" in text and text.isascii():
            try:
                float(text)
            except ValueError:
                pass
            else:  # "3.30481E+17"
                return None, _excel_number_message()
        try:
            return clean_resident_id(text), None
        except ValidationError as error:
            if error.code == "checksum":
                return None, checksum_message(text, row=row, name=name)
            return None, error.messages[0]


def _excel_number_message() -> str:
    return _(
        "Excel has stored this ID number as a number and lost its last digits (it shows as "
        "3.30481E+17 or ends in 000). Set the column's cell format to Text (文本) and type the ID "
        "numbers again, or type an apostrophe (') before each number."
    )


# --- file type detection -------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<table",
    b"<head",
    b"<body",
    b"<meta",
    b"<style",
    b"mime-version:",
)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _sniff(data: bytes) -> str:
    """ "xlsx", "xls" or "csv"; raises ``SheetUnreadable`` for everything that is not a sheet."""
    if len(data) > MAX_FILE_BYTES:
        raise SheetUnreadable(
            _(
                "The file is larger than %(size)d MB. Remove other sheets, pictures and "
                "unneeded columns, or split it into several files, and upload again."
            )
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    head = data[:4096]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"  # checked by _check_zip, which refuses other zips
    if head.startswith(_OLE2):
        return "xls"
    if not data.strip() or not data.removeprefix(codecs.BOM_UTF8).strip():
        raise SheetUnreadable(_empty_message())
    if b"%PDF-" in data[:1024]:
        raise SheetUnreadable(
            _("This is a PDF file, not a spreadsheet. Please upload an Excel (.xlsx/.xls) or CSV file.")
        )
    if (
        head.startswith(_IMAGE_MAGIC)
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or head[4:8] == b"ftyp"
    ):
        raise SheetUnreadable(
            _(
                "This is a picture, not a spreadsheet: a photo or screenshot of a sheet cannot "
                "be read. Please upload the Excel (.xlsx/.xls) or CSV file itself."
            )
        )
    if head.startswith(_ARCHIVE_MAGIC):
        raise SheetUnreadable(_archive_message())
    lead = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if lead.startswith(_HTML_STARTS) or (lead.startswith(b"<") and (b"<table" in lead or b"<html" in lead)):
        raise SheetUnreadable(
            _(
                "This is a web page (HTML) saved with a spreadsheet file extension — many "
                "systems “export to Excel” this way. Open it in Excel or WPS, choose “Save "
                "As”, save it as an Excel workbook (.xlsx) and upload the new file."
            )
        )
    if lead.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise SheetUnreadable(
            _(
                "This is an Excel 2003 XML spreadsheet. Open it in Excel or WPS, choose "
                "“Save As”, save it as an Excel workbook (.xlsx) and upload the new file."
            )
        )
    return "csv"


def _empty_message() -> str:
    return _(
        "The file is empty. Please upload the dues sheet: an Excel (.xlsx/.xls) or CSV file with one "
        "row per member."
    )


def _archive_message() -> str:
    return _(
        "This is a compressed archive (zip/rar/7z), not an Excel spreadsheet. Unpack it and upload the "
        "Excel (.xlsx/.xls) or CSV file inside."
    )


def _unreadable_message() -> str:
    return _(
        "The spreadsheet cannot be read: it may be damaged or saved in an unusual format. Open it in "
        "Excel or WPS, choose “Save As”, save it as an Excel workbook (.xlsx) and upload the new file."
    )


def _password_message() -> str:
    return _(
        "The workbook is protected with a password. Open it in Excel, remove the password (File → Info "
        "→ Protect Workbook), save it and upload it again."
    )


def _bomb_message() -> str:
    return _(
        "This file unpacks to far more data than a dues sheet holds (more than %(size)d MB); it may be "
        "damaged or unsafe. Please export the sheet again and upload the new file."
    ) % {"size": MAX_INFLATED_BYTES // (1024 * 1024)}


def _check_zip(data: bytes) -> None:
    """Refuse a zip that is not an Excel workbook, and a zip bomb, before any reader inflates it.

    The sizes declared in the central directory are checked first (total and ratio); then every
    deflated member is inflated in bounded chunks and discarded, so a member that inflates beyond its
    declared size (a lying header) is refused too — with constant memory, and stopping at the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise SheetUnreadable(_unreadable_message()) from None
    if len(infos) > MAX_ZIP_MEMBERS or sum(info.file_size for info in infos) > MAX_INFLATED_BYTES:
        raise SheetUnreadable(_bomb_message())
    for info in infos:
        if info.file_size > MAX_ZIP_RATIO_BYTES and info.file_size > MAX_ZIP_RATIO * max(
            info.compress_size, 1
        ):
            raise SheetUnreadable(_bomb_message())
    names = {info.filename.lower() for info in infos}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise SheetUnreadable(
                _(
                    "This is an Excel binary workbook (.xlsb). Open it in Excel, choose “Save "
                    "As”, save it as an Excel workbook (.xlsx) and upload the new file."
                )
            )
        if "word/document.xml" in names:
            raise SheetUnreadable(_word_message())
        if "ppt/presentation.xml" in names:
            raise SheetUnreadable(
                _(
                    "This is a PowerPoint presentation, not an Excel spreadsheet. Please "
                    "upload an Excel (.xlsx/.xls) or CSV file."
                )
            )
        if "content.xml" in names and "mimetype" in names:
            raise SheetUnreadable(
                _(
                    "This is an OpenDocument file (.ods/.odt). Open it in WPS, LibreOffice or "
                    "Excel, save it as an Excel workbook (.xlsx) and upload the new file."
                )
            )
        raise SheetUnreadable(_archive_message())
    if any(info.flag_bits & 0x1 for info in infos):
        raise SheetUnreadable(_password_message())
    budget = MAX_INFLATED_BYTES
    view = memoryview(data)
    for info in infos:
        if info.compress_type != zipfile.ZIP_DEFLATED or info.compress_size == 0:
            continue
        offset = info.header_offset
        local = data[offset : offset + 30]
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise SheetUnreadable(_unreadable_message())
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        start = offset + 30 + name_length + extra_length
        budget -= _inflated_size(view[start : start + info.compress_size], min(info.file_size, budget))


def _inflated_size(compressed: memoryview, limit: int) -> int:
    """Inflate in chunks without keeping the output; refuse once more than ``limit`` bytes come out."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    chunk = 1 << 20
    try:
        for position in range(0, len(compressed), chunk):
            pending = compressed[position : position + chunk]
            while pending:
                size += len(inflater.decompress(pending, chunk))
                if size > limit:
                    raise SheetUnreadable(_bomb_message())
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise SheetUnreadable(_unreadable_message()) from None
    return size


def _word_message() -> str:
    return _(
        "This is a Word document, not an Excel spreadsheet. Copy the table into Excel, save it as an "
        "Excel workbook (.xlsx) and upload that file."
    )


def _decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif (zeros := _utf16_without_bom(data[:4096])) is not None:
        encodings = (zeros,)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise SheetUnreadable(_unknown_message())
    sample = text[:65536]
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) // 100:
        raise SheetUnreadable(_unknown_message())
    if not text.strip():
        raise SheetUnreadable(_empty_message())
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when most of the odd/even bytes are zero (ASCII text in UTF-16)."""
    if len(head) < 8 or b"\x00" not in head:
        return None
    pairs = len(head) // 2
    if head[1::2].count(0) > pairs * 0.3 and head[0::2].count(0) < pairs * 0.05:
        return "utf-16-le"
    if head[0::2].count(0) > pairs * 0.3 and head[1::2].count(0) < pairs * 0.05:
        return "utf-16-be"
    return None


def _unknown_message() -> str:
    return _("Unrecognised file format. Please upload an Excel (.xlsx/.xls) or CSV file.")


def _delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines()[: HEADER_SCAN_ROWS + 10] if line.strip()]
    sample = "\n".join(lines)
    counts = {delimiter: sample.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


# --- sources: (name, rows as (excel row number, cells), first column, rows in the sheet) --------


@dataclass
class _Source:
    name: str
    rows: Iterator[tuple[int, list]]
    first_col: int
    last_row: int  # for the progress estimate
    merged: list[tuple[tuple[int, int], tuple[int, int]]]


def _calamine_rows(sheet) -> Iterator[tuple[int, list]]:
    start = sheet.start
    if start is None:
        return iter(())
    rows = iter(sheet.iter_rows())
    first = next(rows, None)
    if first is None:
        return iter(())
    # python-calamine pads the rows above the used range with empty rows but not the columns to its
    # left; should a version not pad, the first row yielded is the first used row (start[0]).
    number = 1 if start[0] and all(_blank(v) for v in first) else start[0] + 1
    return itertools.chain([(number, first)], enumerate(rows, start=number + 1))


def _open_workbook(data: bytes):
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 — python_calamine (native) is loaded only when a sheet is read

    if data.startswith(_OLE2) and _utf16("EncryptedPackage") in data:  # an .xlsx with an open password
        raise SheetUnreadable(_password_message())
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own errors, and ValueError/OSError for odd files
        raise SheetUnreadable(_calamine_message(error, data)) from None


def _calamine_message(error: Exception, data: bytes) -> str:
    if "password" in type(error).__name__.lower() or "password" in str(error).lower():
        return _password_message()
    if data.startswith(_OLE2) and _utf16("WordDocument") in data:
        return _word_message()
    return _unreadable_message()


def _calamine_sources(data: bytes, meanwhile: Callable[[], object] | None = None) -> Iterator[_Source]:
    from python_calamine import SheetVisibleEnum  # noqa: PLC0415 — python_calamine (native) is loaded only when a sheet is read

    book = _open_workbook(data)
    try:
        visible = [meta.visible == SheetVisibleEnum.Visible for meta in book.sheets_metadata]
    except Exception:  # metadata is a nicety: without it, sheets go in workbook order
        visible = [True] * len(book.sheet_names)
    order = [i for i, shown in enumerate(visible) if shown] + [
        i for i, shown in enumerate(visible) if not shown
    ]
    first = None
    if meanwhile is not None:
        # calamine parses a sheet without holding the GIL: parse the first one on a worker thread
        # while this thread does the caller's database work (the union's roster).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dues-sheet") as pool:
            first = pool.submit(book.get_sheet_by_index, order[0]) if order else None
            meanwhile()
    for index in order:
        try:
            sheet = (
                first.result() if first is not None and index == order[0] else book.get_sheet_by_index(index)
            )
            start, end = sheet.start, sheet.end
            merged = sheet.merged_cell_ranges or []
        except Exception:  # a chart sheet or a damaged sheet: look at the others
            logger.info("dues sheet: skipping unreadable sheet %d", index, exc_info=True)
            continue
        if start is None:
            continue
        yield _Source(sheet.name, _calamine_rows(sheet), start[1], end[0] + 1 if end else 0, merged)


def _csv_source(data: bytes) -> _Source:
    text = _decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def rows():
        # Record numbers: what Excel shows as the row when it opens the file (and the line number
        # whenever no quoted cell spans several lines).
        try:
            yield from enumerate(reader, start=1)
        except csv.Error:
            raise SheetUnreadable(_unreadable_message()) from None

    return _Source("", rows(), 0, text.count("\n") + 1, [])


# --- reading ---------------------------------------------------------------------------------


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
    file_type = _sniff(data)
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
