"""Celery tasks: thin wrappers that take ids and call services; each is safe to run twice."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .services import dues


@shared_task(acks_late=True)
def check_dues_upload(upload_id: int) -> str | None:
    upload = dues.check_upload(upload_id=upload_id)
    return upload.status if upload else None


@shared_task(acks_late=True)
def commit_dues_upload(upload_id: int, user_id: int | None) -> str | None:
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    upload = dues.commit_upload(upload_id=upload_id, by=by)
    return upload.status if upload else None


@shared_task
def dues_daily() -> dict:
    """Open the periods that have begun, then send due-soon and overdue reminders."""
    opened = dues.open_periods()
    return {"opened": opened, **dues.send_reminders()}
