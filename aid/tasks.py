"""Celery tasks of the aid programmes: thin wrappers over the services; each is safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .services import school_places


@shared_task
def remind_enrolment_deadlines() -> int:
    """Remind chairs with open school-place requests, and aid staff, of the enrolment deadlines whose
    reminder window holds today (once per deadline and person). Returns the notices sent."""
    return school_places.send_deadline_reminders(timezone.localdate())
