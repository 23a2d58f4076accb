"""The job-finding help's background work: recording the vacancies whose run has ended (``record_expiry``).
Nothing depends on it running — a vacancy stops being listed the day after ``expires_on`` because the pages
read the date — so a missed or repeated run does no harm."""

from celery import shared_task

from . import services


@shared_task
def record_vacancy_expiry() -> int:
    return services.record_expiry()
