"""The upload policy for every file field, and the random stored names (issue 17, "Stored files").

Every field that takes a file is listed in FIELDS with what it accepts; the same table of bad uploads is
thrown at each: HTML behind a PNG signature (named .html and named .png), an executable renamed .pdf, SVG,
an empty file, a file over the field's limit, a name with path traversal and a non-ASCII name. Accepted
files are stored under ``<random token>.<extension of their content>`` in the folder ``upload_to``
chose, whatever the client called them; the same name twice gives two different stored names.

Decision (documented in unionhub/uploads.py): the content decides what a file is; a name may not claim a
kind the field does not take, so a real PNG named ``photo.html`` is refused by every field. Where it is
stored anyway (a programme saving a file itself), the storage names it ``.png``."""

import io
import re
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from aid.forms.applications import ApplicationForm
from associations.services import activities as association_services
from grievances.forms import EventForm, EvidenceField
from homes import services as home_services
from homes.forms import PhotoField
from members.forms import DuesSheetField
from unionhub import uploads
from unionhub.rules_library import pdf_problem
from unionhub.storage import RandomNameStorage
from unionhub.views.rules import PdfField

pytestmark = pytest.mark.usefixtures("english")

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 32
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
CSV = "姓名,身份证号,工资\n王小明,330481197001011237,6000\n".encode("gbk")
HTML_BEHIND_PNG = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 48
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
TOKEN = r"[A-Za-z0-9_-]{22}"


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _form_field(field: forms.Field):
    """A checker from a form field: the problems it names for one upload (none if it takes it)."""

    def check(file):
        data = [file] if getattr(field, "multiple", False) else file
        try:
            field.clean(data)
        except ValidationError as error:
            return error.messages
        return []

    return check


def _service(problem):
    return lambda file: [message] if (message := problem(file)) else []


def _admission_letter():
    return ApplicationForm.base_fields["admission_letter"]


# Every file field: (name, checker, a file it accepts, its size limit in bytes).
FIELDS = [
    ("activity photo", _service(association_services.photo_problem), ("合影.png", PNG), 10 * MB),
    ("inspection photo (form)", _form_field(PhotoField()), ("照片.jpg", JPEG), 10 * MB),
    ("inspection photo (service)", _service(home_services.photo_problem), ("照片.jpg", JPEG), 10 * MB),
    ("complaint evidence", _form_field(EvidenceField(required=False)), ("合同.pdf", PDF), 10 * MB),
    ("case attachment", _form_field(EventForm.base_fields["attachment"]), ("回复.pdf", PDF), 10 * MB),
    ("rule PDF (form)", _form_field(PdfField()), ("制度.pdf", PDF), 10 * MB),
    ("rule PDF (service)", _service(pdf_problem), ("制度.pdf", PDF), 10 * MB),
    (
        "documents (hardship, school places, honours)",
        _form_field(uploads.DocumentField()),
        ("证明.pdf", PDF),
        10 * MB,
    ),
    ("documents (services)", _service(uploads.document_problem), ("证明.png", PNG), 10 * MB),
    ("admission letter", _form_field(_admission_letter()), ("录取通知书.jpg", JPEG), 10 * MB),
    ("dues sheet", _form_field(DuesSheetField()), ("会费.xlsx", xlsx()), 20 * MB),
]

BAD = [
    ("evil.html", HTML_BEHIND_PNG),
    ("photo.png", HTML_BEHIND_PNG),
    ("会费.xlsx", HTML_BEHIND_PNG),
    ("setup.pdf", EXE),
    ("setup.xls", EXE),
    ("logo.svg", SVG),
    ("logo.png", SVG),
    ("logo.csv", SVG),
    ("empty.pdf", b""),
    ("../../x.png", HTML_BEHIND_PNG),
    ("..\\..\\x.pdf", EXE),
    ("照片<script>.png", HTML_BEHIND_PNG),
    ("index.html", b"<!DOCTYPE html><html><body onload=alert(1)></body></html>"),
]


@pytest.mark.parametrize(("name", "content"), BAD, ids=[name for name, _ in BAD])
@pytest.mark.parametrize(("field", "check", "good", "limit"), FIELDS, ids=[f[0] for f in FIELDS])
def test_every_field_refuses_every_bad_upload(field, check, good, limit, name, content):
    problems = check(upload(name, content))
    assert problems, f"{field} took {name}"
    assert all("<script" not in problem or "照片<script>" in problem for problem in problems)


@pytest.mark.parametrize(("field", "check", "good", "limit"), FIELDS, ids=[f[0] for f in FIELDS])
def test_every_field_takes_its_kind_and_refuses_it_over_the_limit(field, check, good, limit):
    name, content = good
    assert check(upload(name, content)) == []
    # Without extension the content decides; with path parts only the last part is kept by Django.
    assert check(upload("noextension", content)) == []
    assert check(upload("../../" + name, content)) == []
    over = check(upload(name, content + b"\0" * (limit - len(content) + 1)))
    assert over and "larger than" in over[0]


@pytest.mark.parametrize(("field", "check", "good", "limit"), FIELDS, ids=[f[0] for f in FIELDS])
def test_a_real_file_named_as_a_web_page_is_refused(field, check, good, limit):
    """The chosen rule: a name may not claim a kind the field does not take (see the module docstring)."""
    _name, content = good
    assert check(upload("photo.html", content))
    assert check(upload("photo.svg", content))


def test_the_messages_are_in_chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        assert uploads.PHOTOS.problem(upload("evil.html", HTML_BEHIND_PNG)) == "evil.html不是JPEG或PNG图片。"
        assert uploads.PHOTOS.problem(upload("空.png", b"")) == "空.png是空文件。"
        assert uploads.SHEETS.problem(upload("x.pdf", EXE)) == "x.pdf不是 Excel（.xlsx、.xls）或 CSV 文件。"
        assert uploads.DOCUMENTS.problem(upload("大.pdf", PDF + b"\0" * (10 * MB))) == "大.pdf超过10 MB。"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (XLS, "xls"),
        (CSV, "csv"),
        ("姓名,工资\n王,1\n".encode("utf-16"), "csv"),
        ("姓名,工资\n王,1\n".encode("utf-16-le"), "csv"),
        (HTML_BEHIND_PNG, None),
        (PDF + b"<script>alert(1)</script>", None),
        (EXE, None),
        (SVG, None),
        (b"name,id\n<script>alert(1)</script>\n", None),
        (b"PK\x03\x04 not a workbook", None),
        (b"", None),
        (b"   \n", None),
    ],
)
def test_sniff_recognises_the_kinds_needed_and_nothing_else(content, kind):
    assert uploads.sniff(upload("x", content)) == kind


def test_a_zip_that_is_not_a_workbook_is_not_a_sheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert uploads.sniff(upload("report.docx", buffer.getvalue())) is None
    assert uploads.sniff(upload("会费.xlsx", xlsx())) == "xlsx"


# --- stored names ---------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return RandomNameStorage(location=settings.MEDIA_ROOT)


def test_the_default_storage_is_the_random_name_storage():
    assert isinstance(default_storage, RandomNameStorage)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("photo.html", PNG, "png"),  # stored as what it is; the policy refuses it before it gets here
        ("evil.html", HTML_BEHIND_PNG, "bin"),
        ("王小明-330481197001011237.pdf", PDF, "pdf"),
        ("report.xlsx", xlsx(), "xlsx"),
        ("dues.xls", XLS, "xls"),
        ("dues.xls", CSV, "csv"),
        ("logo.svg", SVG, "bin"),
        ("setup.pdf", EXE, "bin"),
        ("照片.JPG", JPEG, "jpg"),
    ],
)
def test_a_stored_name_is_random_with_the_extension_of_the_content(media, name, content, extension):
    stored = media.save(f"activities/7/{name}", ContentFile(content))
    assert re.fullmatch(rf"activities/7/{TOKEN}\.{extension}", stored)
    assert media.open(stored).read() == content


def test_the_same_name_twice_gives_two_names_and_traversal_stays_in_the_folder(media):
    first = media.save("cases/2026/合同.pdf", ContentFile(PDF))
    second = media.save("cases/2026/合同.pdf", ContentFile(PDF))
    assert first != second and first.startswith("cases/2026/") and second.startswith("cases/2026/")
    # An upload's own name never carries folders (Django keeps its last part); a saved name's last part is
    # replaced whatever it holds.
    assert upload("../../x.png", PNG).name == "x.png"
    assert re.fullmatch(rf"cases/2026/{TOKEN}\.png", media.save("cases/2026/..x.png", ContentFile(PNG)))


def test_model_files_get_random_names_through_every_upload_to():
    """The upload_to functions keep their folders and no longer embed the client's name."""
    from aid.models import hardship_document_path, school_document_path
    from associations.models import activity_photo_path
    from homes.models import inspection_photo_path
    from honours.models import evidence_path, honour_certificate_path
    from secondment.models import certificate_path
    from unionhub.models import report_path, rule_pdf_path

    for function in (
        hardship_document_path,
        school_document_path,
        activity_photo_path,
        inspection_photo_path,
        evidence_path,
        honour_certificate_path,
        certificate_path,
        report_path,
        rule_pdf_path,
    ):
        instance = _StandIn()
        first, second = function(instance, "王小明身份证.png"), function(instance, "王小明身份证.png")
        assert "王小明" not in first and first != second, function.__name__


class _StandIn:
    """Any attribute an upload_to function reads: a number, a date, a code."""

    def __getattr__(self, name):
        return _StandIn()

    def __format__(self, spec):
        return "2026-04" if spec else "1"

    def __str__(self):
        return "1"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("activities/7/abc.png", "image/png"),
        ("cases/2026/abc.jpg", "image/jpeg"),
        ("rules/X/abc.pdf", "application/pdf"),
        ("dues/2026/10/abc.csv", "text/csv"),
        ("dues/2026/10/abc.bin", "application/octet-stream"),
        ("legacy/evil.html", "application/octet-stream"),
        ("legacy.d/noextension", "application/octet-stream"),
    ],
)
def test_the_true_type_of_a_stored_file_comes_from_its_stored_extension(name, content_type):
    assert uploads.stored_content_type(name) == content_type


def test_a_stored_file_saved_again_from_a_closed_handle_gets_a_new_random_name(media):
    first = media.save("certificates/2026/a.pdf", ContentFile(PDF))
    handle = media.open(first)
    handle.close()
    second = media.save("certificates/2026/a.pdf", handle)
    assert second != first and re.fullmatch(rf"certificates/2026/{TOKEN}\.pdf", second)
    assert media.open(second).read() == PDF
