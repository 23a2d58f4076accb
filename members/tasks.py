"""Celery tasks: thin wrappers that take ids and call services; each is safe to run twice.
If a service fails unexpectedly the upload is released with a message (and the error re-raised
for the logs), so that no page polls a "checking…" bar for ever."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .models import DuesUpload, RegistryImport
from .services import dues, ledger


def _releasing(model, pk: int, *, working: str, back_to: str, message: str, step):
    """Run ``step()``; if it fails unexpectedly, move the row from ``working`` back to ``back_to`` with
    ``message`` (so no page polls a bar for ever) and re-raise for the logs. Returns the row's status."""
    try:
        record = step()
    except Exception:
        model.objects.filter(pk=pk, status=working).update(status=back_to, message=message)
        raise
    return record.status if record else None


def _user(user_id: int | None):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


@shared_task(acks_late=True)
def check_dues_upload(upload_id: int) -> str | None:
    return _releasing(
        DuesUpload,
        upload_id,
        working=DuesUpload.Status.PENDING,
        back_to=DuesUpload.Status.UNREADABLE,
        message=_("The sheet could not be checked because of an error on our side; please upload it again."),
        step=lambda: dues.check_upload(upload_id=upload_id),
    )


@shared_task(acks_late=True)
def commit_dues_upload(upload_id: int, user_id: int | None) -> str | None:
    return _releasing(
        DuesUpload,
        upload_id,
        working=DuesUpload.Status.COMMITTING,
        back_to=DuesUpload.Status.VALID,
        message=_(
            "Committing failed because of an error on our side; nothing was written. Please try again."
        ),
        step=lambda: dues.commit_upload(upload_id=upload_id, by=_user(user_id)),
    )


@shared_task
def dues_daily() -> dict:
    """Open the periods that have begun, then send due-soon and overdue reminders."""
    opened = dues.open_periods()
    return {"opened": opened, **dues.send_reminders()}


@shared_task(acks_late=True)
def check_registry_import(import_id: int) -> str | None:
    return _releasing(
        RegistryImport,
        import_id,
        working=RegistryImport.Status.PENDING,
        back_to=RegistryImport.Status.UNREADABLE,
        message=_("The ledger could not be checked because of an error on our side; please upload it again."),
        step=lambda: ledger.check_import(import_id=import_id),
    )


@shared_task(acks_late=True)
def commit_registry_import(import_id: int, user_id: int | None) -> str | None:
    return _releasing(
        RegistryImport,
        import_id,
        working=RegistryImport.Status.COMMITTING,
        back_to=RegistryImport.Status.VALID,
        message=_(
            "Committing failed because of an error on our side; nothing was written. Please try again."
        ),
        step=lambda: ledger.commit_import(import_id=import_id, by=_user(user_id)),
    )
