"""Scheduled association work: thin wrappers around ``associations.services``."""

from celery import shared_task

from . import services


@shared_task
def remind_associations_behind() -> int:
    """Monthly (safe to run more often): remind the chairs of associations behind their yearly minimum."""
    return services.remind_behind()
