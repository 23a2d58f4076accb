"""Celery tasks: thin wrappers that take ids and call services; each is safe to run twice.
If a service fails unexpectedly the upload is released with a message (and the error re-raised
for the logs), so that no page polls a "checking…" bar for ever."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .models import DuesUpload, RegistryImport
from .services import dues, ledger


@shared_task(acks_late=True)
def check_dues_upload(upload_id: int) -> str | None:
    try:
        upload = dues.check_upload(upload_id=upload_id)
    except Exception:
        DuesUpload.objects.filter(pk=upload_id, status=DuesUpload.Status.PENDING).update(
            status=DuesUpload.Status.UNREADABLE,
            message=_(
                "The sheet could not be checked because of an error on our side; please upload it again."
            ),
        )
        raise
    return upload.status if upload else None


@shared_task(acks_late=True)
def commit_dues_upload(upload_id: int, user_id: int | None) -> str | None:
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        upload = dues.commit_upload(upload_id=upload_id, by=by)
    except Exception:
        DuesUpload.objects.filter(pk=upload_id, status=DuesUpload.Status.COMMITTING).update(
            status=DuesUpload.Status.VALID,
            message=_(
                "Committing failed because of an error on our side; nothing was written. Please try again."
            ),
        )
        raise
    return upload.status if upload else None


@shared_task
def dues_daily() -> dict:
    """Open the periods that have begun, then send due-soon and overdue reminders."""
    opened = dues.open_periods()
    return {"opened": opened, **dues.send_reminders()}


@shared_task(acks_late=True)
def check_registry_import(import_id: int) -> str | None:
    try:
        record = ledger.check_import(import_id=import_id)
    except Exception:
        RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.PENDING).update(
            status=RegistryImport.Status.UNREADABLE,
            message=_(
                "The ledger could not be checked because of an error on our side; please upload it again."
            ),
        )
        raise
    return record.status if record else None


@shared_task(acks_late=True)
def commit_registry_import(import_id: int, user_id: int | None) -> str | None:
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        record = ledger.commit_import(import_id=import_id, by=by)
    except Exception:
        RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.COMMITTING).update(
            status=RegistryImport.Status.VALID,
            message=_(
                "Committing failed because of an error on our side; nothing was written. Please try again."
            ),
        )
        raise
    return record.status if record else None
