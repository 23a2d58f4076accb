"""Late entries (补登): a duty day nobody logged within the logging window (``rules.log_window_days``) can be
logged afterwards only when the staff who plan the rota accept the cadre's request. Accepted, the cadre has a
fresh window of the same length, from the day of the decision; refused, the staff say why. The cadre is told
either way; pending requests are on the staff's to-do card (``secondment.dashboard``)."""

import datetime

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require
from unionhub.notices import notify

from .. import permissions
from ..models import DutyDay, DutyLog, LateEntryRequest
from ..rules import rules

REASON_MAX = 500


def _audit(request: LateEntryRequest, by, old_status: str, action=LogEntry.Action.UPDATE, **details) -> None:
    LogEntry.objects.log_create(
        request,
        action=action,
        actor=by,
        force_log=True,
        changes={"status": [old_status, request.status]},
        additional_data={key: str(value) for key, value in details.items()},
    )


def late_entry_problem(duty_day: DutyDay, *, today: datetime.date) -> str | None:
    """Why a late entry cannot be requested for this day now (None when it can)."""
    if not (duty_day.term.start_date <= duty_day.date <= duty_day.term.end_date):
        return _("That day is outside your secondment term.")
    if not duty_day.window_passed(today):
        return _("This duty day can still be logged until %(date)s; log it directly.") % {
            "date": duty_day.log_deadline.isoformat()
        }
    if DutyLog.objects.filter(duty_day=duty_day).exclude(status=DutyLog.Status.REJECTED).exists():
        return _("This duty day is already logged.")
    requests = LateEntryRequest.objects.filter(duty_day=duty_day)
    if requests.pending().exists():
        return _("A late entry for this day is already awaiting the staff.")
    if requests.open_on(today).exists():
        return _("A late entry for this day has been accepted: log it now.")
    return None


def request_late_entry(
    *, by, duty_day: DutyDay, reason: str, today: datetime.date | None = None
) -> LateEntryRequest:
    """The cadre asks to log ``duty_day`` after its window. Refused (ValidationError naming why) inside the
    window, for a day already logged, or while another request for it waits; a second submit of the same
    form is refused the same way (the pending-request constraint is the backstop)."""
    require(permissions.can_request_late_entry(by, duty_day))
    today = today or timezone.localdate()
    reason = " ".join(reason.split())[:REASON_MAX]
    if not reason:
        raise ValidationError(_("Say why the day was not logged in time."))
    try:
        with transaction.atomic():
            duty_day = DutyDay.objects.select_for_update().select_related("term").get(pk=duty_day.pk)
            problem = late_entry_problem(duty_day, today=today)
            if problem:
                raise ValidationError(problem)
            request = LateEntryRequest.objects.create(duty_day=duty_day, reason=reason, requested_by=by)
            _audit(request, by, "", action=LogEntry.Action.CREATE, date=duty_day.date)
            return request
    except IntegrityError:
        raise ValidationError(_("A late entry for this day is already awaiting the staff.")) from None


def _decided(request: LateEntryRequest, by) -> LateEntryRequest:
    """The request, locked, if it is still pending."""
    request = (
        LateEntryRequest.objects.select_for_update()
        .select_related("duty_day__term__cadre")
        .get(pk=request.pk)
    )
    if request.status != LateEntryRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.decided_by, request.decided_at = by, timezone.now()
    return request


def accept_late_entry(
    *, by, request: LateEntryRequest, today: datetime.date | None = None
) -> LateEntryRequest:
    """Accept: the cadre may log the day until ``log_by``, a logging window counted from today."""
    require(permissions.can_decide_late_entries(by))
    today = today or timezone.localdate()
    with transaction.atomic():
        request = _decided(request, by)
        request.status = LateEntryRequest.Status.ACCEPTED
        request.log_by = today + datetime.timedelta(days=rules().log_window_days)
        request.save(update_fields=["status", "decided_by", "decided_at", "log_by"])
        _audit(request, by, LateEntryRequest.Status.PENDING, log_by=request.log_by)
        day = request.duty_day
        notify(
            user=day.term.cadre,
            key=f"late-entry-accepted:{request.pk}",
            title=_("Late entry accepted"),
            body=_("You may now log your duty day %(date)s, until %(until)s.")
            % {"date": day.date.isoformat(), "until": request.log_by.isoformat()},
            url=reverse("secondment:log_duty", args=[day.date.isoformat()]),
        )
    return request


def refuse_late_entry(*, by, request: LateEntryRequest, reason: str) -> LateEntryRequest:
    """Refuse, saying why; the day stays unlogged (a missed day)."""
    require(permissions.can_decide_late_entries(by))
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise ValidationError(_("Say why the late entry is refused."))
    with transaction.atomic():
        request = _decided(request, by)
        request.status, request.decision_note = LateEntryRequest.Status.REFUSED, reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _audit(request, by, LateEntryRequest.Status.PENDING, reason=reason)
        day = request.duty_day
        notify(
            user=day.term.cadre,
            key=f"late-entry-refused:{request.pk}",
            title=_("Late entry refused"),
            body=_("Your request to log the duty day %(date)s late was refused: %(reason)s")
            % {"date": day.date.isoformat(), "reason": reason},
            url=reverse("secondment:my_duty_days"),
        )
    return request
