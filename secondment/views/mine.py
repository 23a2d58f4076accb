"""A cadre's own secondment ("我的上挂"), kept after the term ends: their certificates (or when one will be
issued, and on what condition), their duty history of every term and their training hours; and late entries
(补登): the cadre asks to log a day whose logging window has passed, the staff who plan the rota decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import role_required
from unionhub.workdays import missing_years

from .. import permissions, services
from ..forms import LateEntryDecisionForm, LateEntryForm
from ..models import Certificate, DutyDay, DutyLog, Enrolment, LateEntryRequest, SecondmentTerm
from ..services.certificates import certificate_outlook
from ..services.late_entry import accept_late_entry, late_entry_problem, refuse_late_entry, request_late_entry
from .duty import _parse_day


def _own_terms(user):
    return (
        SecondmentTerm.objects.filter(cadre=user)
        .select_related("union", "certificate")
        .prefetch_related(
            Prefetch("duty_days", queryset=DutyDay.objects.select_related("log").order_by("-date")),
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("course").order_by("-course__starts_on", "pk"),
            ),
            "assessments",
        )
        .order_by("-start_date", "-pk")
    )


@login_required
def my_secondment(request):
    """Every term of the signed-in user, newest first: the certificate (links to its PDF and its public
    verification page) or its outlook, the duty days with their logs, the assessments and training hours."""
    user = request.user
    terms = list(_own_terms(user))
    if not terms:
        raise PermissionDenied
    today = timezone.localdate()
    dates = []
    for term in terms:
        try:
            term.the_certificate = term.certificate
        except Certificate.DoesNotExist:
            term.the_certificate = None
        term.outlook = None if term.the_certificate else certificate_outlook(term, term.assessments.all())
        term.rows = []
        for day in term.duty_days.all():
            try:
                log = day.log
            except DutyLog.DoesNotExist:
                log = None
            term.rows.append({"day": day, "log": log})
            dates.append(day.date)
        term.due, term.attended = services.attendance(term, until=today)
        term.rate = services.rate(term.due, term.attended)
        completed = [e for e in term.enrolments.all() if e.status == Enrolment.Status.COMPLETED]
        term.training_hours = sum((e.hours_credited for e in completed), start=0)
        term.is_current = term.is_active_on(today)
    return render(
        request,
        "secondment/my_secondment.html",
        {
            "terms": terms,
            "today": today,
            "training_hours": sum((term.training_hours for term in terms), start=0),
            "calendar_missing": missing_years(min(dates), max(dates)) if dates else [],
        },
    )


@login_required
def late_entry_request(request, day):
    """The cadre asks to log ``day`` late: only their own duty day (another's, or none: 404)."""
    date = _parse_day(day)
    duty_day = DutyDay.objects.filter(term__cadre=request.user, date=date).select_related("term").first()
    if duty_day is None:
        raise Http404
    today = timezone.localdate()
    form = LateEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_late_entry(
                by=request.user, duty_day=duty_day, reason=form.cleaned_data["reason"], today=today
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Your request to log %(date)s late has been sent to the federation staff.")
                % {"date": date.isoformat()},
            )
            return redirect("secondment:my_duty_days")
    problem = None if request.method == "POST" else late_entry_problem(duty_day, today=today)
    return render(
        request,
        "secondment/late_entry_form.html",
        {
            "date": date,
            "duty_day": duty_day,
            "problem": problem,
            "form": form,
            "requests": duty_day.late_entry_requests.order_by("-requested_at", "-pk"),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required("staff")
def late_entry_list(request, decision_form=None, failed_pk=None):
    """Staff: the requests awaiting a decision (oldest first) and the latest decisions."""
    requests = LateEntryRequest.objects.visible_to(request.user).select_related(
        "duty_day__term__cadre", "duty_day__term__union", "decided_by"
    )
    return render(
        request,
        "secondment/late_entry_list.html",
        {
            "pending": requests.pending().order_by("requested_at", "pk")[:200],
            "decided": requests.exclude(status=LateEntryRequest.Status.PENDING).order_by("-decided_at")[:30],
            "can_decide": permissions.can_decide_late_entries(request.user),
            "decision_form": decision_form,
            "failed_pk": failed_pk,
        },
        status=400 if decision_form is not None else 200,
    )


@login_required
@require_POST
def late_entry_decide(request, pk):
    late = get_object_or_404(LateEntryRequest.objects.visible_to(request.user), pk=pk)
    if not permissions.can_decide_late_entries(request.user):
        raise PermissionDenied
    form = LateEntryDecisionForm(request.POST)
    if not form.is_valid():
        return late_entry_list(request, decision_form=form, failed_pk=late.pk)
    try:
        if form.cleaned_data["decision"] == "accept":
            late = accept_late_entry(by=request.user, request=late)
            messages.success(
                request,
                _("Accepted: %(name)s may log %(date)s until %(until)s.")
                % {
                    "name": late.duty_day.term.cadre,
                    "date": late.duty_day.date.isoformat(),
                    "until": late.log_by.isoformat(),
                },
            )
        else:
            refuse_late_entry(by=request.user, request=late, reason=form.cleaned_data["note"])
            messages.success(request, _("Refused; the cadre has been told why."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("secondment:late_entry_list")
