"""Celery tasks of the workers' homes: thin wrappers around services, each safe to run twice."""

import datetime

from celery import shared_task

from . import services


@shared_task
def remind_workers_home_due(today: str | None = None) -> dict:
    """Daily: remind chairs and organisation staff of workers'-home re-inspections falling due (once per
    union and due date)."""
    return services.send_due_reminders(on=datetime.date.fromisoformat(today) if today else None)
