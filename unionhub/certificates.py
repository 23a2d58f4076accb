"""What every numbered certificate UnionHub prints shares: secondment completion certificates, honours
certificates and the discount-card sheets. Numbers ``<prefix>-<year>-NNNN`` allocated under a lock, the
federation's name as printed, the QR code and the verification link it encodes, the stored PDF, and
revocation (the number is never reused; the reason goes into the audit trail). What a kind of
certificate says, and who may have one, stays with its programme."""

import itertools

import qrcode
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import translation

from .context_processors import federation_name as site_federation_name


def next_sequence_for(model, prefix: str, year: int) -> int:
    """The next free sequence of ``<prefix>-<year>-NNNN`` numbers among ``model``'s rows. Shared by
    every numbered certificate (secondment ``SG``, honours ``RY``); call under ``lock_numbering_for``."""
    start = f"{prefix}-{year}-"
    numbers = model.objects.filter(number__startswith=start).values_list("number", flat=True)
    return max((int(number.removeprefix(start)) for number in numbers), default=0) + 1


def lock_numbering_for(namespace: int, year: int) -> None:
    """Serialise number allocation for a year until the transaction ends. PostgreSQL takes an
    advisory lock (``namespace`` tells the certificate kinds apart); SQLite's transactions here
    begin IMMEDIATE, so the writer lock already does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, year])


def federation_name() -> str:
    """The federation's name in Chinese, from the same source as the page header."""
    with translation.override("zh-hans"):
        return site_federation_name()


def verification_url(certificate) -> str:
    """The link printed on a certificate (anything with ``get_verify_url``): absolute when
    ``SITE_URL`` is set, else the path."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + certificate.get_verify_url()


def qr_code_svg(data: str, *, quiet_zone: int = 0) -> str:
    """The QR code of ``data`` as an SVG element. qrcode encodes; the path draws each row's runs
    of dark modules as one rectangle, not one square per module as qrcode's SVG factories do,
    which halves the time WeasyPrint spends drawing it (about a tenth of a certificate's render).
    ``quiet_zone`` modules of margin go inside the drawing (a scanner wants about four light modules
    around the code; printed pages leave them in their layout, a phone screen may not)."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        for dark, modules in itertools.groupby(enumerate(row), key=lambda module: module[1]):
            if dark:
                modules = list(modules)
                x, width = modules[0][0], len(modules)
                runs.append(f"M{x},{y}h{width}v1h-{width}z")
    size, margin = len(matrix), quiet_zone
    box = f"{-margin} {-margin} {size + 2 * margin} {size + 2 * margin}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" shape-rendering="crispEdges">'
        f'<path d="{"".join(runs)}"/></svg>'
    )


def save_pdf(instance, data: bytes, filename: str, field: str = "pdf"):
    """Store ``data`` in ``instance``'s file field under ``filename``, replacing any earlier file,
    and return the field's file."""
    file = getattr(instance, field)
    if file:
        file.delete(save=False)
    # The name is unique (a certificate number), so a file already at this name is a leftover (of a
    # database that was reset, say): replace it rather than let the storage invent "SG-2026-0001_x7Yq2.pdf".
    name = file.field.generate_filename(instance, filename)
    if file.storage.exists(name):
        file.storage.delete(name)
    file.save(filename, ContentFile(data), save=False)
    instance.save(update_fields=[field])
    return file


def revoke(document, *, by, reason: str, reason_missing: str):
    """Withdraw a certificate-like ``document`` (a model with a ``revoked`` flag) issued in error: its
    verification page then says it is revoked. The number is never reused; the reason goes into the
    audit trail. Refused with ``reason_missing`` when no reason is given; revoking twice changes nothing."""
    if not reason.strip():
        raise ValidationError(reason_missing)
    with transaction.atomic():
        updated = type(document)._default_manager.filter(pk=document.pk, revoked=False).update(revoked=True)
        if updated:
            LogEntry.objects.log_create(
                document,
                action=LogEntry.Action.UPDATE,
                actor=by,
                force_log=True,
                changes={"revoked": [False, True]},
                additional_data={"reason": reason.strip()[:500]},
            )
    document.refresh_from_db()
    return document
