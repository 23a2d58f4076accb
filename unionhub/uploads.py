"""The upload policy: what an uploaded file really is, recognised by its first bytes, never by its name
or by the type the browser claims; the documents policy (PDF, JPEG or PNG of at most 10 MB, the
content matching the name) that hardship files, aid applications, school places, honours evidence and
workers' homes share; and its form field, ``DocumentField`` (with ``MultipleFileInput``, a file input
taking several files), which lives here rather than in ``unionhub/forms.py`` so that the policy and the
field that applies it are read together. Programmes with a policy of their own (complaint evidence,
activity photos, rules' PDFs) use ``sniff`` and decide which kinds they accept and how large."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The kinds UnionHub accepts anywhere, with the bytes each starts with and the extension it is stored under.
SIGNATURES = {"pdf": b"%PDF-", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}


def sniff(upload) -> str | None:
    """``"pdf"``, ``"jpeg"``, ``"png"`` or None; the file is left at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for kind, signature in SIGNATURES.items() if head.startswith(signature)), None)


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The kind of content each accepted extension must have.
DOCUMENT_KINDS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}


def document_problem(upload) -> str | None:
    """Why an uploaded document cannot be accepted (type or size), or None."""
    name = upload.name or ""
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    if extension not in DOCUMENT_KINDS:
        return _("%(name)s: only PDF, JPEG and PNG files can be uploaded.") % {"name": name}
    if upload.size > MAX_DOCUMENT_BYTES:
        return _("%(name)s is larger than 10 MB.") % {"name": name}
    if sniff(upload) != DOCUMENT_KINDS[extension]:
        return _("%(name)s is not the file its name says it is.") % {"name": name}
    return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentField(forms.FileField):
    """Any number of files of one kind; each must be a PDF, JPEG or PNG of at most 10 MB."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        uploads = [
            upload
            for item in (data if isinstance(data, list | tuple) else [data])
            if (upload := clean_one(item, initial))
        ]
        problems = [p for upload in uploads if (p := document_problem(upload))]
        if problems:
            raise ValidationError(problems)
        return uploads
