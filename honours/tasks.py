"""Celery tasks of the honours: thin wrappers that take ids and call services; each is safe to run twice."""

import datetime

from celery import shared_task

from . import services
from .models import Honour


@shared_task
def render_honour_task(honour_id: int) -> str | None:
    """Render an honour's certificate if its file is missing; returns the file's path."""
    honour = services.with_nominee(Honour.objects.filter(pk=honour_id)).first()
    return services.ensure_honour_rendered(honour) if honour else None


@shared_task
def honours_daily(today: str | None = None) -> dict:
    """Daily: issue the honours of the rounds whose public notice has ended (safe to run twice: an
    honour already issued is left as it is)."""
    return {"issued": services.issue_due_honours(datetime.date.fromisoformat(today) if today else None)}
