"""The upload policy (unionhub.uploads): the kind of a file comes from its content, never its name;
documents are PDF, JPEG or PNG of at most 10 MB whose content matches their name; DocumentField takes
several files and names every problem. The table of bad uploads per field is in test_upload_policy.py."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from unionhub import uploads

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (JPEG, "jpeg"),
        (PNG, "png"),
        (b"GIF89a", None),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", None),
        (b"", None),
        (b"MZ\x90\x00", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "xls"),
        ("姓名,身份证号\n王小明,1\n".encode("gbk"), "csv"),
        ("姓名,身份证号\n".encode("utf-16"), "csv"),
        (b"<html><body>x</body></html>", None),
        (PNG + b"<script>alert(1)</script>", None),
    ],
)
def test_the_kind_comes_from_the_first_bytes_and_the_file_is_rewound(content, kind):
    file = upload("whatever.pdf", content)
    file.read(3)
    assert uploads.sniff(file) == kind
    assert file.tell() == 0


def test_a_document_whose_content_matches_its_name_is_accepted():
    assert uploads.document_problem(upload("证明.PDF", PDF)) is None
    assert uploads.document_problem(upload("photo.jpeg", JPEG)) is None
    # A name without extension (as some phone apps send) is judged by its content alone.
    assert uploads.document_problem(upload("noextension", PDF)) is None


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("证明.docx", PDF, "only PDF, JPEG and PNG"),
        ("payload.pdf", b"MZ\x90\x00 not a pdf", "is not the file its name says it is"),
        ("photo.png", JPEG, "is not the file its name says it is"),
    ],
)
def test_a_document_is_refused_by_its_name_or_content(name, content, says, settings):
    settings.LANGUAGE_CODE = "en"
    assert says in uploads.document_problem(upload(name, content))


def test_a_document_over_the_limit_is_refused(monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"
    assert uploads.document_problem(upload("big.pdf", PDF + b"\0" * (10 * 1024 * 1024))) == (
        "big.pdf is larger than 10 MB."
    )
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", len(PDF) - 1)
    assert "larger than" in uploads.document_problem(upload("big.pdf", PDF))


def test_the_document_field_takes_several_files_and_names_every_problem():
    class Form(forms.Form):
        documents = uploads.DocumentField(label="证明材料")

    field = Form().fields["documents"]
    assert "multiple" in str(Form()["documents"])
    assert [f.name for f in field.clean([upload("a.pdf", PDF), upload("b.png", PNG)])] == ["a.pdf", "b.png"]
    assert field.clean([]) == []
    with pytest.raises(ValidationError) as refused:
        field.clean([upload("a.exe", PDF), upload("b.pdf", JPEG)])
    assert len(refused.value.messages) == 2
