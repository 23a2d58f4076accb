import logging

from celery import shared_task
from django.utils import timezone

from .models import CalendarDay

logger = logging.getLogger(__name__)


@shared_task
def ping() -> str:
    """A task with no side effects, used by /healthz tests and to check a worker answers."""
    return "pong"


@shared_task
def check_next_year_calendar() -> bool:
    """From November, warn until next year's holiday schedule has been entered."""
    today = timezone.localdate()
    if today.month < 11:
        return True
    known = CalendarDay.objects.filter(date__year=today.year + 1).exists()
    if not known:
        logger.warning("The %s holiday calendar has not been entered yet.", today.year + 1)
    return known
