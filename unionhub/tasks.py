import logging

from celery import shared_task
from django.utils import timezone

from . import backups, phone_codes
from .models import CalendarDay, MonthlyReport
from .notify import service as notify_service
from .reports import runs

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


@shared_task(acks_late=True)
def produce_monthly_report(report_id: int, replace: bool = False) -> str | None:
    """Produce a queued report. A report that has moved on (ready, failed, gone) is left alone, so a task
    delivered twice does nothing the second time; one left running by a lost worker is taken up again.
    Queued by ``reports.services.request_report`` once its row is committed."""
    report = (
        MonthlyReport.objects.select_related("union", "requested_by")
        .filter(pk=report_id, status__in=[MonthlyReport.Status.QUEUED, MonthlyReport.Status.RUNNING])
        .first()
    )
    if report is None:
        return None
    report = runs.produce(month=report.month, union=report.union, by=report.requested_by, replace=replace)
    return report.status


@shared_task
def monthly_reports() -> list[str]:
    """On the 1st: the district's report for the previous month (and any missed), announced to staff."""
    return [f"{report}: {report.status}" for report in runs.scheduled_run()]


@shared_task
def nightly_backup() -> str:
    """Each night: one archive into BACKUP_DIR, then prune by the retention settings. A failure is logged as an
    error and recorded (``BackupRun``), which the superusers' to-do card shows."""
    run = backups.run_backup(scheduled=True)
    return f"{run.status}: {run.path or run.message}"


@shared_task(acks_late=True)
def deliver_notices(delivery_ids: list[int]) -> dict[str, int]:
    """Send these deliveries (those still queued and due; a row another worker claimed is skipped)."""
    return notify_service.deliver_many(delivery_ids)


@shared_task
def send_signin_code(delivery_id: int, phone: str, text: str, code: str) -> str | None:
    """Send one sign-in code (unionhub.phone_codes); never retried, a late code has expired."""
    return notify_service.deliver_code(delivery_id, phone, text, code)


@shared_task
def send_phone_text(delivery_id: int, phone: str, url: str) -> str | None:
    """Send one text to a mobile number with no login behind it (notify.service.send_text_to_phone)."""
    return notify_service.deliver_phone_text(delivery_id, phone, url)


@shared_task
def purge_phone_codes() -> int:
    """Nightly: delete the sign-in codes older than a day."""
    return phone_codes.purge()


@shared_task
def sweep_deliveries() -> int:
    """Every two minutes: queue the deliveries that have come due (retries, quiet hours, the rate limit)."""
    return notify_service.sweep()


@shared_task
def send_notice_digests() -> int:
    """At 18:00: one e-mail per user with the copies held for their daily digest."""
    return notify_service.send_digests()
