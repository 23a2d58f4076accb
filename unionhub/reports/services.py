"""Asking for a monthly report: the one place that queues the report task (``tasks.produce_monthly_report``),
after the request is committed. The task itself calls ``runs.produce``."""

import datetime
import functools
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from ..models import MonthlyReport
from ..tasks import produce_monthly_report
from .runs import first_of_month, scope_filter

logger = logging.getLogger(__name__)


def can_request(user, union) -> bool:
    """Staff may ask for any report; a union's chair only for their own union's."""
    if user.is_federation_staff:
        return True
    return union is not None and union.chair_id == user.pk


def request_report(*, by, month: datetime.date, union=None, replace: bool = False) -> MonthlyReport:
    """Queue the report for ``month`` and ``union`` (None: the district) for the worker. A ready report is
    returned as it is unless ``replace`` is set; one already queued or being produced is not queued twice.
    If the worker's broker cannot be reached nothing stays queued and a ValidationError says so."""
    if not can_request(by, union):
        raise PermissionDenied
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("A report can only be produced for this month or an earlier one.")})
    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("union")
            .filter(**scope_filter(month, union))
            .first()
        )
        if report is not None:
            if report.status in (MonthlyReport.Status.QUEUED, MonthlyReport.Status.RUNNING):
                return report
            if report.status == MonthlyReport.Status.READY and not replace:
                return report
        before = (
            None
            if report is None
            else {
                "status": report.status,
                "progress": report.progress,
                "message": report.message,
                "requested_by": report.requested_by_id,
            }
        )
        if report is None:
            report = MonthlyReport(month=month, union=union)
        report.status = MonthlyReport.Status.QUEUED
        report.progress = 0
        report.message = ""
        report.requested_by = by
        report.scheduled = False
        report.save()
    # Queued once the row is committed, so that the worker finds it. ATOMIC_REQUESTS is off, so from a view
    # (or the shell) that is at once, and a broker failure reaches the person asking.
    transaction.on_commit(
        functools.partial(_enqueue, report.pk, replace=replace, before=before), robust=False
    )
    report.refresh_from_db()
    return report


def _enqueue(report_pk: int, *, replace: bool, before: dict | None) -> None:
    """Send the task; if the broker cannot be reached, put the row back as it was and say so."""
    try:
        produce_monthly_report.delay(report_pk, replace=replace)
    except (OperationalError, ConnectionError):
        logger.exception("Could not queue monthly report %s", report_pk)
        if before is None:
            MonthlyReport.objects.filter(pk=report_pk, status=MonthlyReport.Status.QUEUED).delete()
        else:
            MonthlyReport.objects.filter(pk=report_pk, status=MonthlyReport.Status.QUEUED).update(
                status=before["status"],
                progress=before["progress"],
                message=before["message"],
                requested_by_id=before["requested_by"],
            )
        raise ValidationError(
            _("The background worker cannot be reached; try again later or ask the administrator.")
        ) from None
    except Exception:
        # Without a broker the task runs here and now (eager); its failure is already on the report, which
        # the page shows, so the person asking sees a failed row rather than an error page.
        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.exception("Monthly report %s failed", report_pk)
