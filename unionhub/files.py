"""Stored files: every file a ``FileField`` holds is delivered by a view that checks who asks; nothing under
``MEDIA_ROOT`` is served directly, even with ``DEBUG`` on.

Each app registers its file fields in its ``stored_files.py`` (collected at start-up, see
``unionhub.contributions``): ``register_stored_file(name, model, field, can_read=…)``. ``can_read(user,
obj)`` reuses the app's own ``visible_to()`` and named checks: the people who may open the page showing the
file, and nobody else. The core's one view (``files:file``, ``/files/<kind>/<pk>/``) fetches the object,
asks ``can_read`` (404 otherwise), runs the kind's audit hook, and answers with ``stored_response``; the
programmes' own download views answer with ``stored_response`` too. ``file_url(fieldfile)`` (the
``{{ x.image|file_url }}`` filter) is the only way a page prints a link to a stored file.

The response's type comes from the stored name's extension *and* the file's first bytes, never from the
client: a name and content that disagree (or a kind UnionHub does not know) are
``application/octet-stream``. Only PDFs and images are ``inline``; everything else is an ``attachment``;
every answer carries ``X-Content-Type-Options: nosniff``. In production the transfer is handed to the web
server (``FILES_OFFLOAD``: ``x-accel-redirect`` for nginx, ``x-sendfile`` for Apache/lighttpd): the view
still decides who may read the file, the web server only copies the bytes."""

import dataclasses
import os
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header

OCTET_STREAM = "application/octet-stream"


@dataclasses.dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[bytes, ...]  # the first bytes the content must start with; () when text has none
    inline: bool  # shown in the browser (PDFs, images); everything else is downloaded


_PDF = FileType("application/pdf", (b"%PDF-",), True)
_JPEG = FileType("image/jpeg", (b"\xff\xd8\xff",), True)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Office (.xls, .doc)
_ZIP = (b"PK\x03\x04",)  # Office Open XML (.xlsx, .docx)
TYPES = {
    ".pdf": _PDF,
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",), True),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".gif": FileType("image/gif", (b"GIF87a", b"GIF89a"), True),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP, False),
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP, False),
    ".xls": FileType("application/vnd.ms-excel", _OLE, False),
    ".doc": FileType("application/msword", _OLE, False),
    ".csv": FileType("text/csv", (), False),
}
HEAD_BYTES = 16


def file_type(name: str, head: bytes) -> FileType:
    """The type a stored file is served as: its extension's, if its first bytes agree; else octet-stream."""
    known = TYPES.get(os.path.splitext(name)[1].lower())
    if known is None or (known.signatures and not head.startswith(known.signatures)):
        return FileType(OCTET_STREAM, (), False)
    return known


def _download_name(filename: str, served: FileType) -> str:
    """The name the browser saves under, with an extension that matches what is served (a client's
    ``evil.html`` is saved as ``evil.html.pdf`` when it is a PDF)."""
    filename = os.path.basename(filename) or "file"
    if served.content_type == OCTET_STREAM:
        return filename
    extensions = [ext for ext, known in TYPES.items() if known is served]
    if os.path.splitext(filename)[1].lower() in extensions:
        return filename
    return filename + extensions[0]


def stored_response(fieldfile, *, filename: str = "", as_attachment: bool = False) -> HttpResponse:
    """The answer for a stored file that the caller has already decided the user may read; 404 when the
    field is empty or its file is gone."""
    name, storage = fieldfile.name, fieldfile.storage
    try:
        with storage.open(name, "rb") as handle:
            served = file_type(name, handle.read(HEAD_BYTES))
    except (FileNotFoundError, ValueError) as missing:  # ValueError: an empty field has no file
        raise Http404 from missing
    attachment = as_attachment or not served.inline
    download = _download_name(filename or name, served)
    offload = settings.FILES_OFFLOAD
    if offload:
        response = HttpResponse(content_type=served.content_type)
        response["Content-Disposition"] = content_disposition_header(attachment, download)
        if offload == "x-accel-redirect":
            response["X-Accel-Redirect"] = quote(settings.FILES_OFFLOAD_PREFIX.rstrip("/") + "/" + name)
        else:
            response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=attachment,
            filename=download,
            content_type=served.content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the registry of stored files ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StoredFile:
    name: str  # the kind in the URL: "<app>.<what>"
    model: type
    field: str
    can_read: Callable  # (user, obj) -> bool: who may open the page showing the file
    on_read: Callable | None = None  # (user, obj, remote_addr) -> None: the audit entry of a download
    prepare: Callable | None = None  # (obj) -> None: render a missing file (a certificate) first
    filename: Callable | None = None  # (obj) -> str: the name the browser saves under


_kinds: dict[str, StoredFile] = {}


def register_stored_file(
    name: str, model, field: str, *, can_read, on_read=None, prepare=None, filename=None
):
    """Called by each app's ``stored_files.py``: every ``FileField`` of every model must be registered
    (``tests/unionhub/test_stored_files.py`` checks it)."""
    if not name.startswith(model._meta.app_label + "."):
        raise ValueError(f"stored file kind {name!r} must start with {model._meta.app_label}.")
    model._meta.get_field(field)  # a typo fails at start-up
    _kinds[name] = StoredFile(name, model, field, can_read, on_read, prepare, filename)


def stored_kinds() -> dict[str, StoredFile]:
    return dict(_kinds)


def kind_of(model, field: str) -> StoredFile | None:
    label = model._meta.concrete_model._meta.label
    return next((k for k in _kinds.values() if k.model._meta.label == label and k.field == field), None)


def file_url(fieldfile) -> str:
    """The link to a stored file (the core's delivery view); "" for an empty field."""
    if not fieldfile:
        return ""
    kind = kind_of(type(fieldfile.instance), fieldfile.field.name)
    if kind is None:
        raise LookupError(
            f"{type(fieldfile.instance).__name__}.{fieldfile.field.name} is not a stored file kind"
        )
    return reverse("files:file", args=[kind.name, fieldfile.instance.pk])


def admin_file_link(field: str, description):
    """A Django admin column/read-only field linking a stored file through the delivery view: the admin's own
    file display links ``MEDIA_URL``, which serves nothing (``readonly_fields = [admin_file_link("pdf", …)]``)."""

    def link(obj):
        fieldfile = getattr(obj, field)
        return format_html('<a href="{}">{}</a>', file_url(fieldfile), description) if fieldfile else "-"

    link.short_description = description
    return link
