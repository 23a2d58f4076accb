"""The core's own contributions to the dashboard, discovered like the programmes' (``contributions.autodiscover``
imports ``<app>/dashboard.py`` of every installed app, the core's included)."""

import datetime
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import workdays
from .access import has_duty
from .backups import STALE_DAYS
from .contributions import Scope, Severity, TodoItem, todo_items
from .models import BackupRun, Delivery, Notice
from .notify.kinds import INAPP

# The State Council publishes next year's schedule in November: from about two months before the year
# begins, staff are reminded to enter it.
CALENDAR_NOTICE_DAYS = 60
# A notice whose every channel failed stays on the delivery log's staff's to-do card this many days.
FAILED_NOTICE_DAYS = 14
FAILED_NOTICES_SHOWN = 20


@todo_items(order=5, shows=gettext_lazy("holiday calendars to enter"))
def calendar_to_enter(scope: Scope) -> list[TodoItem] | None:
    """This year's calendar, or next year's within ``CALENDAR_NOTICE_DAYS`` of it, not entered yet: one query.
    Shown to the staff who may enter it; the pages that plan or count into such a year warn everyone else."""
    user = scope.user
    if user is None or not has_duty(user, "unionhub.add_calendarday"):
        return None
    missing = workdays.missing_years(scope.day, scope.day + datetime.timedelta(days=CALENDAR_NOTICE_DAYS))
    return [
        TodoItem(
            due=datetime.date(year, 1, 1),
            title=_("Enter the %(year)s holiday calendar") % {"year": year},
            detail=_(
                "Until the State Council's schedule for %(year)s is entered, its days count as an ordinary week: "
                "rotas, deadlines and notice periods reaching into it are unconfirmed."
            )
            % {"year": year},
            url=reverse("calendar", kwargs={"year": year}),
            action=_("Enter the schedule"),
            severity=Severity.OVERDUE if year <= scope.day.year else Severity.WARNING,
            sort_key=str(year),
            kind="calendar.missing",
        )
        for year in missing
    ]


@todo_items(order=3, shows=gettext_lazy("a failed or overdue backup"))
def backup_overdue(scope: Scope) -> list[TodoItem] | None:
    """The newest backup failed, or succeeded more than ``STALE_DAYS`` days ago: one query. Shown to superusers,
    who run the server (and the admin, where every backup is listed). Before the first backup, nothing."""
    user = scope.user
    if user is None or not user.is_superuser:
        return None
    last = BackupRun.objects.order_by("-started_at").first()
    if last is None:
        return []
    day = timezone.localdate(last.started_at)
    url = reverse("admin:unionhub_backuprun_changelist")
    if last.status == BackupRun.Status.FAILED:
        return [
            TodoItem(
                due=day,
                title=_("The last backup failed"),
                detail=_("The backup of %(day)s failed: %(message)s")
                % {"day": day, "message": last.message[:200]},
                url=url,
                action=_("See the backups"),
                severity=Severity.OVERDUE,
                kind="backup.failed",
            )
        ]
    if day < scope.day - datetime.timedelta(days=STALE_DAYS):
        return [
            TodoItem(
                due=day + datetime.timedelta(days=1),
                title=_("No backup since %(day)s") % {"day": day},
                detail=_(
                    "The nightly backup has not run for %(days)s days: check the Celery beat and worker."
                )
                % {"days": (scope.day - day).days},
                url=url,
                action=_("See the backups"),
                severity=Severity.OVERDUE,
                kind="backup.stale",
            )
        ]
    return []


@todo_items(order=6, shows=gettext_lazy("notices that reached nobody"))
def notices_that_reached_nobody(scope: Scope) -> list[TodoItem] | None:
    """Notices of the last ``FAILED_NOTICE_DAYS`` days whose every channel beyond the in-app list failed (and at
    least one was tried): one query. Shown to the staff who read the delivery log."""
    user = scope.user
    if user is None or not has_duty(user, "unionhub.view_delivery"):
        return None
    since = timezone.now() - datetime.timedelta(days=FAILED_NOTICE_DAYS)
    failed = Delivery.objects.filter(notice=OuterRef("pk"), status=Delivery.Status.FAILED)
    alive = (
        Delivery.objects.filter(notice=OuterRef("pk"))
        .exclude(channel=INAPP)
        .exclude(status=Delivery.Status.FAILED)
    )
    notices = (
        Notice.objects.filter(Exists(failed), ~Exists(alive), created_at__gte=since)
        .select_related("user")
        .order_by("-created_at", "-pk")[:FAILED_NOTICES_SHOWN]
    )
    log = reverse("notice_deliveries")
    return [
        TodoItem(
            due=timezone.localtime(notice.created_at).date(),
            title=_("A notice reached nobody: %(title)s") % {"title": notice.title},
            detail=_("Every channel failed for %(name)s; they see it only in their notices list.")
            % {"name": notice.user},
            url=f"{log}?{urlencode({'q': notice.key, 'status': Delivery.Status.FAILED})}",
            action=_("See the delivery log"),
            severity=Severity.WARNING,
            sort_key=notice.key,
            kind="notices.failed",
        )
        for notice in notices
    ]
