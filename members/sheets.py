"""Reading spreadsheets as chairs and federations send them — the parts every import shares.

The dues sheet (``members.dues_sheet``) and the ledger import (``members.ledger``) both read files that
arrive from Excel, WPS and payroll systems: the file type is sniffed from the content (never the
extension), an .xlsx is checked for zip bombs and passwords before any reader inflates it, CSV is
decoded from UTF-8, UTF-16 or GB18030/GBK, each sheet becomes a ``Source`` of (row number the user sees,
cells), cells are read as text with full-width characters folded, header cells are matched against a
table of synonyms, and resident ID numbers go through a fast checker that accepts exactly what
``members.validators.clean_resident_id`` accepts. Pure functions, no database access.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import logging
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from members.validators import PROVINCE_CODES, checksum_message, clean_resident_id

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # total uncompressed size allowed inside an .xlsx zip
MAX_ZIP_RATIO = 200  # a member inflating more than this many times …
MAX_ZIP_RATIO_BYTES = 10 * 1024 * 1024  # … and to more than this is a zip bomb
MAX_ZIP_MEMBERS = 10_000
HEADER_SCAN_ROWS = 30  # non-blank rows of each sheet searched for the header


class SheetUnreadable(Exception):
    """The file cannot be read as a sheet at all. str(exc) is a message for the user, in the
    active language (Chinese by default), that says what the file is and what to upload instead."""


FULLWIDTH_ALL = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20}
# For names and enterprise names only digits and letters: "（浙江）有限公司" keeps its brackets.
FULLWIDTH_ALNUM = (
    {0xFF10 + i: 0x30 + i for i in range(10)}
    | {0xFF21 + i: 0x41 + i for i in range(26)}
    | {0xFF41 + i: 0x61 + i for i in range(26)}
    | {0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20}
)
PLACEHOLDERS = frozenset(["-", "--", "—", "——", "/", "无", "n/a", "N/A"])


def cell_text(value) -> str:
    """A cell as text: integral floats without ".0" (a phone number typed as a number)."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is float and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def blank(value) -> bool:
    return value == "" or value is None or (type(value) is str and not value.strip())


def clean_words(value) -> str:
    """A name or an enterprise: stripped, full-width letters/digits to half-width, the spaces used to
    pad two-character names ("张　三") removed between Chinese characters, kept between Latin words."""
    text = cell_text(value).strip()
    if not text:
        return ""
    if not text.isascii():
        text = text.translate(FULLWIDTH_ALNUM).strip()
    parts = text.split()
    if len(parts) < 2:
        return text
    out = parts[0]
    for part in parts[1:]:
        out += part if (not out[-1].isascii() and not part[0].isascii()) else " " + part
    return out


def shown(value, limit: int = 30) -> str:
    text = " ".join(cell_text(value).split())
    return text if len(text) <= limit else text[:limit] + "…"


_HEADER_DROP = frozenset("*:：._-#'\"")
_OPEN, _CLOSE = "([【〔", ")]】〕"


def normalise_header(text: str) -> str:
    """Strip, no whitespace, half-width, lower case, no "*" and no parenthesised units: "（元）"."""
    out = []
    depth = 0
    for char in text.translate(FULLWIDTH_ALL).lower():
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and not char.isspace() and char not in _HEADER_DROP:
            out.append(char)
    return "".join(out)


def header_text(value) -> str:
    return " ".join(cell_text(value).strip().splitlines())


# The check character (GB 11643, ISO 7064 MOD 11-2) of the 17 digits d is (1 - 2·int(d, 13)) mod 11,
# "X" for 10 — the weights 2^(17-i) mod 11 folded into one base-13 conversion done in C; the same
# answer as ``members.validators.id_check_character`` (a test holds them together), ~10× faster.
CHECK_CHARS = "0123456789X"


class IdChecker:
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
        if not real or CHECK_CHARS[(1 - 2 * int(number[:17], 13)) % 11] != last:
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
            return None, excel_number_message()
        text = cell_text(value).translate(FULLWIDTH_ALL)
        text = "".join(text.split()).lstrip("'‘’`")
        if text.startswith('="') and text.endswith('"'):  # CSV exports write ="330481…"
            text = text[2:-1]
        text = text.replace("-", "").upper()
        if len(text) == 18 and text.isascii() and text[:17].isdigit():
            number = self.fast(text)
            if number:
                return number, None
            if text.endswith("000") and text.isdigit():  # Excel kept 15 digits, wrote 000
                return None, excel_number_message()
        elif "E" in text and text.isascii():
            try:
                float(text)
            except ValueError:
                pass
            else:  # "3.30481E+17"
                return None, excel_number_message()
        try:
            return clean_resident_id(text), None
        except ValidationError as error:
            if error.code == "checksum":
                return None, checksum_message(text, row=row, name=name)
            return None, error.messages[0]


def excel_number_message() -> str:
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


def sniff(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> str:
    """ "xlsx", "xls" or "csv"; raises ``SheetUnreadable`` for everything that is not a sheet."""
    if len(data) > max_bytes:
        raise SheetUnreadable(
            _(
                "The file is larger than %(size)d MB. Remove other sheets, pictures and "
                "unneeded columns, or split it into several files, and upload again."
            )
            % {"size": max_bytes // (1024 * 1024)}
        )
    head = data[:4096]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"  # checked by check_zip, which refuses other zips
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


def unreadable_message() -> str:
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


def check_zip(data: bytes) -> None:
    """Refuse a zip that is not an Excel workbook, and a zip bomb, before any reader inflates it.

    The sizes declared in the central directory are checked first (total and ratio); then every
    deflated member is inflated in bounded chunks and discarded, so a member that inflates beyond its
    declared size (a lying header) is refused too — with constant memory, and stopping at the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise SheetUnreadable(unreadable_message()) from None
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
            raise SheetUnreadable(unreadable_message())
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
        raise SheetUnreadable(unreadable_message()) from None
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
class Source:
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
    number = 1 if start[0] and all(blank(v) for v in first) else start[0] + 1
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
    return unreadable_message()


def calamine_sources(data: bytes, meanwhile: Callable[[], object] | None = None) -> Iterator[Source]:
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
        yield Source(sheet.name, _calamine_rows(sheet), start[1], end[0] + 1 if end else 0, merged)


def csv_source(data: bytes) -> Source:
    text = _decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def rows():
        # Record numbers: what Excel shows as the row when it opens the file (and the line number
        # whenever no quoted cell spans several lines).
        try:
            yield from enumerate(reader, start=1)
        except csv.Error:
            raise SheetUnreadable(unreadable_message()) from None

    return Source("", rows(), 0, text.count("\n") + 1, [])


# --- reading ---------------------------------------------------------------------------------


# --- header matching -----------------------------------------------------------------------------

HeaderLookup = tuple[dict[str, tuple[str, int]], list[tuple[str, str, int]]]


def header_lookup(synonyms: dict[str, tuple[str, ...]], suffix_fields: tuple[str, ...]) -> HeaderLookup:
    """The lookup ``match_header`` uses: normalised synonym -> (field, rank, best first), and the
    Chinese synonyms of ``suffix_fields`` that also match as the ending of a longer header."""
    lookup: dict[str, tuple[str, int]] = {}
    suffixes: list[tuple[str, str, int]] = []
    for field, names in synonyms.items():
        for rank, name in enumerate(names):
            lookup.setdefault(normalise_header(name), (field, rank))
            if field in suffix_fields and not name.isascii() and len(name) >= 3:
                suffixes.append((normalise_header(name), field, 100 + rank))
    return lookup, suffixes


def match_header(value, table: HeaderLookup) -> tuple[str, int] | None:
    """(field, rank) for a header cell, or None."""
    if type(value) is not str or not value or len(value) > 40:
        return None
    key = normalise_header(value)
    if not key:
        return None
    lookup, suffixes = table
    found = lookup.get(key)
    if found is None and len(key) <= 12:
        for suffix, field, rank in suffixes:
            if key.endswith(suffix):
                return field, rank
    return found
