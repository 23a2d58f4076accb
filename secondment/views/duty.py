"""Duty-day logs: the cadre records, from their phone, when they came and what they did; staff
confirm or reject; days nobody logged within the window are listed as missed."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.params import clean_text

from .. import permissions, services
from ..forms import DutyLogForm
from ..models import DutyDay, DutyLog, LateEntryRequest
from ..rules import rules
from ..services.late_entry import late_entry_problem


def _parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@login_required
def log_duty(request, day):
    """Log the duty day on ``day``; refused, with the reason, when it cannot be logged."""
    date = _parse_day(day)
    duty_day = DutyDay.objects.filter(term__cadre=request.user, date=date).select_related("term").first()
    today = timezone.localdate()
    problem = services.loggable_problem(duty_day, user=request.user, today=today)
    # Past its window: say so, and offer a late entry (or say why one cannot be asked for now).
    late = duty_day is not None and problem is not None and duty_day.window_passed(today)
    deadline = None
    if duty_day is not None and problem is None:
        deadline = duty_day.log_deadline
        if duty_day.window_passed(today):  # an accepted late entry's own window
            deadline = (
                LateEntryRequest.objects.filter(duty_day=duty_day).open_on(today).latest("log_by").log_by
            )
    form = DutyLogForm(request.POST or None)
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_duty_day(
                user=request.user,
                duty_day=duty_day,
                arrived_at=data["arrived_at"],
                left_at=data["left_at"],
                activities=data["activities"],
                notes=data["notes"],
                today=today,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Duty day %(date)s logged; the federation staff will confirm it.")
                % {"date": date.isoformat()},
            )
            return redirect("secondment:my_duty_days")
    status = 400 if request.method == "POST" and (problem or not form.is_valid()) else 200
    return render(
        request,
        "secondment/log_form.html",
        {
            "date": date,
            "duty_day": duty_day,
            "problem": problem,
            "form": form,
            "late": late,
            "deadline": deadline,
            "late_problem": late_entry_problem(duty_day, today=today) if late else None,
            "window": rules().log_window_days,
        },
        status=status,
    )


@login_required
def log_list(request):
    """Staff: logs awaiting confirmation, recent decisions, and missed days."""
    if not request.user.is_federation_staff:
        raise PermissionDenied
    today = timezone.localdate()
    logs = DutyLog.objects.select_related("duty_day__term__cadre", "duty_day__term__union", "reviewed_by")
    window_start = today - datetime.timedelta(days=rules().log_window_days)
    missed = (
        DutyDay.objects.filter(
            date__lt=window_start, date__gte=today - datetime.timedelta(days=120), log__isnull=True
        )
        .select_related("term__cadre", "term__union")
        .order_by("-date")[:200]
    )
    return render(
        request,
        "secondment/log_list.html",
        {
            "pending": logs.filter(status=DutyLog.Status.PENDING).order_by("duty_day__date")[:200],
            "reviewed": logs.exclude(status=DutyLog.Status.PENDING).order_by("-reviewed_at")[:30],
            "missed": missed,
            "window": rules().log_window_days,
        },
    )


@login_required
@require_POST
def log_review(request, pk):
    if not permissions.can_manage_terms(request.user):
        raise PermissionDenied
    log = get_object_or_404(DutyLog, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    services.review_log(
        by=request.user, log=log, confirm=confirm, note=clean_text(request.POST.get("note"), max_length=200)
    )
    messages.success(request, _("Confirmed.") if confirm else _("Marked as not accepted."))
    return redirect("secondment:log_list")
