"""The upload policy: one rule for every file field of UnionHub.

What an uploaded file is comes from its content (``sniff``), never from its name or from the type the
browser claims. A policy (``UploadPolicy``) names the kinds a field accepts and how large a file may be;
``PolicyFileField`` applies it in a form (one file, or several with ``multiple=True``) and services that
take files from elsewhere call ``policy.problem`` themselves. The stored name is never the client's:
``unionhub.storage.RandomNameStorage`` gives every saved file a random name with the extension of its
detected content, so a file refused nowhere else still cannot be stored as ``.html``.

Decisions: the client's name never decides what a file is and is never stored; it is shown back in
messages, and it may not claim a kind the field does not take, so a real PNG named ``photo.html`` is
refused (stored anyway by a programme saving it itself, it would be ``<random>.png``). A PNG signature
followed by HTML is refused: HTML markup in the first kilobytes of any file is refused, whatever its
signature. SVG, GIF, HTML, executables and empty files are refused everywhere. Images are not decoded
(the test fixtures and many fields take signature-only images); with the markup check, the extension from
the content and ``nosniff`` on delivery, an image that is not really one is at worst a broken picture."""

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024

# The kinds UnionHub accepts anywhere: the bytes a binary kind starts with, and the extension every kind
# is stored under (the only extensions a stored file can have, with ".bin" for anything else).
SIGNATURES = {
    "pdf": b"%PDF-",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2 compound file
}
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "xlsx": ".xlsx", "xls": ".xls", "csv": ".csv"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv",
}
UNKNOWN_EXTENSION = ".bin"

# How much of a file is read to recognise it, and how much of it must be free of HTML markup.
HEAD_BYTES = 64 * 1024
MARKUP_BYTES = 4096
MARKUP = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<head",
    b"<body",
    b"<svg",
    b"<iframe",
    b"<frame",
    b"<object",
    b"<embed",
    b"<meta",
    b"<style",
    b"<link",
    b"<form",
    b"<img",
    b"<table",
    b"javascript:",
    b"<?xml-stylesheet",
    b"<x:script",
)
# Formats that can start like text but are not sheets.
NOT_TEXT = (b"GIF87a", b"GIF89a", b"%!PS", b"{\\rtf", b"MZ", b"\x7fELF", b"#!")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _has_markup(text: bytes) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in MARKUP)


def _is_xlsx(upload) -> bool:
    """A zip holding an Excel workbook: ``[Content_Types].xml`` and the ``xl/`` folder."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when most of the odd/even bytes are zero (ASCII text in UTF-16)."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    if head[1::2].count(0) > pairs * 0.3 and head[0::2].count(0) < pairs * 0.05:
        return "utf-16-le"
    if head[0::2].count(0) > pairs * 0.3 and head[1::2].count(0) < pairs * 0.05:
        return "utf-16-be"
    return None


def _text(head: bytes, *, complete: bool) -> str | None:
    """The head decoded as text — UTF-16 (with a BOM, or ASCII-like without), UTF-8 or GBK (GB 18030) —
    or None if it is not text: undecodable, or with NUL or more than 1% other control characters."""
    if head.startswith(_UTF16_BOMS):
        encodings = ("utf-16",)
    elif b"\0" in head:
        encodings = tuple(filter(None, [_utf16_without_bom(head)]))
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text if char < " " and char not in "\t\r\n")
        if "\0" not in text and controls <= len(text) // 100:
            return text
    return None


def sniff(upload) -> str | None:
    """The kind of ``upload`` by its content — ``"pdf"``, ``"jpeg"``, ``"png"``, ``"xlsx"``, ``"xls"`` or
    ``"csv"`` (plain text without markup) — or None (anything else, an empty file, or any file with HTML
    markup near its start). The file is left at its start."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES + 1)
    upload.seek(0)
    complete = len(head) <= HEAD_BYTES
    head = head[:HEAD_BYTES]
    if not head.strip():
        return None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx" if _is_xlsx(upload) else None
    kind = next((kind for kind, signature in SIGNATURES.items() if head.startswith(signature)), None)
    if kind is not None:
        return None if _has_markup(head[:MARKUP_BYTES]) else kind
    text = _text(head, complete=complete)
    if text is None or head.startswith(NOT_TEXT) or _has_markup(text.encode("utf-8", "replace")):
        return None
    return "csv"


def stored_extension(upload) -> str:
    """The extension a file is stored under: the one of its detected kind, ``.bin`` when unknown."""
    return EXTENSIONS.get(sniff(upload), UNKNOWN_EXTENSION)


def stored_content_type(name: str) -> str:
    """The true type of a stored file, for its delivery: its extension was derived from its content by
    ``unionhub.storage``, so it can be trusted; ``application/octet-stream`` for anything else."""
    extension = name[name.rfind(".") :].lower() if "." in name.rsplit("/", 1)[-1] else ""
    kind = next((kind for kind, known in EXTENSIONS.items() if known == extension), None)
    return CONTENT_TYPES.get(kind, "application/octet-stream")


def _shown_name(upload) -> str:
    """The client's name as shown back in a message: its last part only, at most 80 characters."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:80] or _("The file")


# The extensions a client's file name may have for each kind (the name never decides the kind; a name
# claiming another kind than the content is refused where the policy says so).
NAME_EXTENSIONS = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "png": (".png",),
    "xlsx": (".xlsx", ".xlsm"),
    "xls": (".xls",),
    "csv": (".csv", ".txt"),
}


def _extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


@dataclass(frozen=True)
class UploadPolicy:
    """What one file field accepts: the kinds (by content) and the largest size in bytes (a number, or a
    function returning it when the limit is a setting). ``refusal`` is the message for a file of another
    kind (with ``%(name)s``); ``mismatch``, if given, the message when the name claims an accepted kind
    that the content is not. The name never decides what a file is, but it may not claim what the field
    does not take: a file whose name has an extension outside the accepted kinds is refused, so a real
    PNG named ``photo.html`` is refused everywhere. With ``name_must_match`` (the default) the name must
    even claim the very kind of the content (a JPEG named ``.png`` is refused); without it any accepted
    kind will do (photos: a PNG named ``.jpg``; sheets: a CSV named ``.xls``, as many systems export). A
    name without extension is judged by its content alone."""

    kinds: tuple[str, ...]
    max_bytes: int | Callable[[], int]
    refusal: str | Promise
    mismatch: str | Promise | None = None
    name_must_match: bool = True
    accept: str = ""

    def limit(self) -> int:
        return self.max_bytes() if callable(self.max_bytes) else self.max_bytes

    def problem(self, upload) -> str | None:
        """Why ``upload`` cannot be accepted (empty, too large, not of an accepted kind, or named as
        another kind), or None."""
        name = _shown_name(upload)
        size = getattr(upload, "size", None) or 0
        if size <= 0:
            return _("%(name)s is empty.") % {"name": name}
        if size > self.limit():
            return _("%(name)s is larger than %(size)s MB.") % {
                "name": name,
                "size": _megabytes(self.limit()),
            }
        kind = sniff(upload)
        claimed = _extension_of(name)
        claims_accepted = any(claimed in NAME_EXTENSIONS[accepted] for accepted in self.kinds)
        if kind in self.kinds:
            fitting_name = claimed in NAME_EXTENSIONS[kind] if self.name_must_match else claims_accepted
            if not claimed or fitting_name:
                return None
        if self.mismatch is not None and claims_accepted:
            return str(self.mismatch) % {"name": name}
        return str(self.refusal) % {"name": name}

    def problems(self, uploads) -> list[str]:
        return [problem for upload in uploads if (problem := self.problem(upload))]


def _megabytes(size: int) -> str:
    """``10`` for 10 MB, ``2.5`` for 2.5 MB; at least one hundredth of a megabyte."""
    return f"{max(size / MB, 0.01):.2f}".rstrip("0").rstrip(".")


MAX_DOCUMENT_BYTES = 10 * MB
DOCUMENTS = UploadPolicy(
    kinds=("pdf", "jpeg", "png"),
    max_bytes=lambda: MAX_DOCUMENT_BYTES,
    refusal=gettext_lazy("%(name)s: only PDF, JPEG and PNG files can be uploaded."),
    mismatch=gettext_lazy("%(name)s is not the file its name says it is."),
    accept=".pdf,.jpg,.jpeg,.png",
)
PHOTOS = UploadPolicy(
    kinds=("jpeg", "png"),
    max_bytes=10 * MB,
    refusal=gettext_lazy("%(name)s is not a JPEG or PNG picture."),
    name_must_match=False,
    accept=".jpg,.jpeg,.png",
)
PDF_ONLY = UploadPolicy(
    kinds=("pdf",),
    max_bytes=10 * MB,
    refusal=gettext_lazy("%(name)s is not a PDF file."),
    accept=".pdf,application/pdf",
)
SHEETS = UploadPolicy(
    kinds=("xlsx", "xls", "csv"),
    max_bytes=20 * MB,
    refusal=gettext_lazy("%(name)s is not an Excel (.xlsx, .xls) or CSV file."),
    name_must_match=False,
    accept=".xlsx,.xls,.csv",
)


def document_problem(upload) -> str | None:
    """Why an uploaded document (hardship files, aid applications, school places, honours evidence)
    cannot be accepted, or None."""
    return DOCUMENTS.problem(upload)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PolicyFileField(forms.FileField):
    """A file field that applies ``policy`` to what it receives: one file, or with ``multiple=True`` any
    number of files (a list, empty when none). Every problem is named."""

    def __init__(self, *, policy: UploadPolicy, multiple: bool = False, **kwargs):
        self.policy, self.multiple = policy, multiple
        if "widget" not in kwargs:
            widget = MultipleFileInput if multiple else forms.ClearableFileInput
            kwargs["widget"] = widget(attrs={"accept": policy.accept} if policy.accept else {})
        if multiple:
            kwargs["required"] = kwargs.get("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if not self.multiple:
            upload = super().clean(data, initial)
            if upload and (problem := self.policy.problem(upload)):
                raise ValidationError(problem)
            return upload
        clean_one = super().clean
        uploads = [
            upload
            for item in (data if isinstance(data, list | tuple) else [data])
            if (upload := clean_one(item, initial))
        ]
        if problems := self.policy.problems(uploads):
            raise ValidationError(problems)
        return uploads


class DocumentField(PolicyFileField):
    """Any number of files of one kind; each must be a PDF, JPEG or PNG of at most 10 MB."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(policy=DOCUMENTS, multiple=True, **kwargs)
