"""Celery tasks: thin wrappers that take ids and call services; each is safe to run twice.
If a service fails unexpectedly the upload is released with a message (and the error re-raised
for the logs), so that no page polls a "checking…" bar for ever."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .models import DuesUpload
from .services import dues


@shared_task(acks_late=True)
def check_dues_upload(upload_id: int) -> str | None:
    try:
        upload = dues.check_upload(upload_id=upload_id)
    except Exception:
        DuesUpload.objects.filter(pk=upload_id, status=DuesUpload.Status.PENDING).update(
            status=DuesUpload.Status.UNREADABLE,
            message=_("The sheet could not be checked because of an error on our side; please upload it again."))
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
            message=_("Committing failed because of an error on our side; nothing was written. Please try again."))
        raise
    return upload.status if upload else None


@shared_task
def dues_daily() -> dict:
    """Open the periods that have begun, then send due-soon and overdue reminders."""
    opened = dues.open_periods()
    return {"opened": opened, **dues.send_reminders()}


@shared_task
def remind_workers_home_due(today: str | None = None) -> dict:
    """Daily: remind chairs and organisation staff of workers'-home re-inspections falling due (once per
    union and due date)."""
    import datetime

    from .services import homes

    return homes.send_due_reminders(on=datetime.date.fromisoformat(today) if today else None)


@shared_task
def render_honour_task(honour_id: int) -> str | None:
    """Render an honour's certificate if its file is missing; returns the file's path."""
    from .models import Honour
    from .services import honours

    honour = honours.with_nominee(Honour.objects.filter(pk=honour_id)).first()
    return honours.ensure_honour_rendered(honour) if honour else None


@shared_task
def honours_daily(today: str | None = None) -> dict:
    """Daily: issue the honours of the rounds whose public notice has ended (safe to run twice: an
    honour already issued is left as it is)."""
    import datetime

    from .services import honours

    return {"issued": honours.issue_due_honours(datetime.date.fromisoformat(today) if today else None)}
