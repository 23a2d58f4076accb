"""Producing monthly reports: on request (the Celery task queued by ``services.request_report``), on
schedule (the district's, on the 1st) and from the command line. Nothing here queues a task: the tasks call
this module, and ``services`` queues them, so the dependency runs one way (services → tasks → runs).

A report row is the lock and the record: one per month and scope (the district when ``union`` is None).
A ready report is returned unchanged unless it is explicitly replaced, so every entry point can be run
twice without producing (or announcing) anything twice."""

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..dates import first_of_month, next_month, previous_month
from ..models import MonthlyReport
from ..notices import notify

logger = logging.getLogger(__name__)

MAX_CATCH_UP_MONTHS = 12

Progress = Callable[[int], None]


def parse_month(label: str) -> datetime.date:
    """``"2025-04"`` → 1 April 2025; a ValueError with a sentence a user can act on otherwise."""
    try:
        month = datetime.datetime.strptime(label.strip(), "%Y-%m").date()  # noqa: DTZ007 - a date, not a time
    except (ValueError, AttributeError):
        raise ValueError(_("Give the month as YYYY-MM, for example 2025-04.")) from None
    if month.year < 2000:
        raise ValueError(_("Give the month as YYYY-MM, for example 2025-04."))
    return month


def _file_stem(report: MonthlyReport) -> str:
    scope = report.union.code if report.union_id else "district"
    return f"{scope}-{report.month:%Y-%m}"


def scope_filter(month: datetime.date, union) -> dict:
    return {"month": month, "union": union} if union is not None else {"month": month, "union__isnull": True}


def _set_progress(report_id: int, percent: int, progress: Progress | None):
    # An UPDATE outside any long transaction, so that a polling page sees each step.
    MonthlyReport.objects.filter(pk=report_id).update(progress=percent)
    if progress is not None:
        progress(percent)


def produce(
    *, month: datetime.date, union=None, by=None, replace: bool = False, progress: Progress | None = None
) -> MonthlyReport:
    """Build the report for ``month`` (any day of it) and ``union`` (None: the district), render its PDF and
    workbook and store both. An existing ready report is returned unchanged unless ``replace`` is set.
    A failure marks the report failed with a message and is re-raised."""
    # The report-run tests stand stubs in for these two modules (in sys.modules), so they are looked up here.
    from . import figures, render  # noqa: PLC0415

    month = first_of_month(month)
    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("union")
            .filter(**scope_filter(month, union))
            .first()
        )
        if report is not None and report.status == MonthlyReport.Status.READY and not replace:
            return report
        if report is None:
            report = MonthlyReport(month=month, union=union)
        report.status = MonthlyReport.Status.RUNNING
        report.progress = 0
        report.message = ""
        report.finished_at = None
        if by is not None:
            report.requested_by = by
        report.save()

    old_files = [name for name in (report.pdf.name, report.xlsx.name) if name]
    try:
        built = figures.build_report(month, union=union)
        _set_progress(report.pk, 10, progress)
        pdf = render.render_pdf(built)
        _set_progress(report.pk, 50, progress)
        xlsx = render.render_xlsx(built)
        _set_progress(report.pk, 90, progress)
        stem = _file_stem(report)
        # Both files are rendered (in memory) before anything is stored: the replaced files go now, so the
        # new ones keep the report's stable name rather than one with a random suffix.
        storage = report.pdf.storage
        for name in old_files:
            storage.delete(name)
        old_files = []
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        report.status = MonthlyReport.Status.READY
        report.progress = 100
        report.finished_at = timezone.now()
        report.save(update_fields=["pdf", "xlsx", "status", "progress", "finished_at"])
    except Exception as error:
        message = _("The report could not be produced: %(error)s") % {
            "error": str(error) or error.__class__.__name__
        }
        MonthlyReport.objects.filter(pk=report.pk).update(
            status=MonthlyReport.Status.FAILED, message=message[:300], finished_at=timezone.now()
        )
        raise
    if progress is not None:
        progress(100)
    return report


def _months_due(today: datetime.date) -> list[datetime.date]:
    """The previous month and every month since the last ready district report, oldest first, at most 12."""
    last_month = previous_month(today)
    last_ready = (
        MonthlyReport.objects.filter(
            union__isnull=True, status=MonthlyReport.Status.READY, month__lte=last_month
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    start = next_month(last_ready) if last_ready else last_month
    months = []
    month = min(start, last_month)
    while month <= last_month:
        months.append(month)
        month = next_month(month)
    return months[-MAX_CATCH_UP_MONTHS:] if months else [last_month]


def _notify_staff(report: MonthlyReport):
    staff = get_user_model().objects.filter(is_active=True).filter(Q(is_staff=True) | Q(is_superuser=True))
    url = reverse("reports:report_download", args=[report.pk, "pdf"])
    title = _("The district report for %(month)s is ready") % {"month": f"{report.month:%Y-%m}"}
    body = _("The monthly report (PDF and workbook) is on the reports page.")
    for user in staff:
        notify(
            user=user, key=f"monthly-report:district:{report.month:%Y-%m}", title=title, body=body, url=url
        )


@dataclasses.dataclass(frozen=True)
class MissingReport:
    """Last month's district report is not there when it should be: the month, why, and the failed run if
    one was recorded (its message is the reason)."""

    month: datetime.date
    reason: str
    failed: MonthlyReport | None = None


def missing_district_report(today: datetime.date) -> MissingReport | None:
    """Whether last month's district report is missing on ``today``, and why. The scheduled run produces it
    at 02:00 on the 1st, so only from the 2nd is a missing one a fault; one queued or being produced is not
    missing (its row shows its progress). A failed run's recorded message is the reason; with no row at all,
    the scheduled task did not run."""
    if today.day < 2:
        return None
    month = previous_month(today)
    report = MonthlyReport.objects.filter(union__isnull=True, month=month).first()
    if report is None:
        return MissingReport(month=month, reason=_("Not produced: the scheduled task did not run."))
    if report.status == MonthlyReport.Status.FAILED:
        return MissingReport(
            month=month, reason=report.message or _("Not produced: the run failed."), failed=report
        )
    return None


def scheduled_run(today: datetime.date | None = None) -> list[MonthlyReport]:
    """The 1st-of-the-month run: produce the district report for the previous month (and any months missed
    since the last ready one) and tell every active staff member, once per month. A month that fails is
    recorded as failed and the run goes on to the next; the error is logged."""
    today = today or timezone.localdate()
    reports = []
    for month in _months_due(today):
        existed = MonthlyReport.objects.filter(
            union__isnull=True, month=month, status=MonthlyReport.Status.READY
        ).exists()
        try:
            report = produce(month=month)
        except Exception:
            logger.exception("The scheduled district report for %s failed", f"{month:%Y-%m}")
            reports.append(MonthlyReport.objects.get(union__isnull=True, month=month))
            continue
        if not existed:
            MonthlyReport.objects.filter(pk=report.pk).update(scheduled=True)
            report.scheduled = True
        _notify_staff(report)
        reports.append(report)
    return reports
