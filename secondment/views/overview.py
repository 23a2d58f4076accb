"""The staff's view of the scheme (active cadres, this fortnight's duty list, attendance, totals
since it began) and each cadre's term: duty record, assessments, outcomes, training, certificate."""

import datetime
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, role_required
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.params import choice_param

from .. import permissions, services
from ..forms import AssessmentForm, EndEarlyForm
from ..models import Certificate, DutyDay, DutyLog, Enrolment, Nomination, SecondmentTerm
from ..rules import cycle_start, rules
from ..services.certificates import eligibility_problem


@login_required
def overview(request):
    user = request.user
    if not user.is_federation_staff:
        if user.is_seconded_cadre:
            return redirect("secondment:my_duty_days")
        if user.is_former_cadre and not user.is_union_chair:
            return redirect("secondment:my_secondment")
        if user.is_union_chair:
            return redirect("secondment:nomination_list")
        raise PermissionDenied
    today = timezone.localdate()
    start = cycle_start(today)
    end = start + datetime.timedelta(days=rules().cycle_days - 1)
    fortnight = defaultdict(list)
    for day in (
        DutyDay.objects.filter(date__range=(start, end))
        .select_related("term__cadre", "term__union", "log")
        .order_by("date", "term__cadre__name")
    ):
        fortnight[day.date].append(day)
    days = DutyDay.objects.filter(services.due_filter(today))
    totals = days.aggregate(due=Count("pk"), attended=Count("pk", filter=services.attended_filter()))
    terms = SecondmentTerm.objects.aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status=SecondmentTerm.Status.COMPLETED)),
        party=Count("pk", filter=Q(recommended_for_party=True)),
        committee=Count("pk", filter=Q(joined_committee=True)),
        hired=Count("pk", filter=Q(hired_full_time=True)),
    )
    return render(
        request,
        "secondment/overview.html",
        {
            "today": today,
            "cycle": (start, end),
            "fortnight": sorted(fortnight.items()),
            "active": SecondmentTerm.objects.active_on(today).count(),
            "attendance_rate": services.rate(totals["due"], totals["attended"]),
            "totals": totals,
            "terms": terms,
            "certificates": Certificate.objects.filter(revoked=False).count(),
            "training_hours": Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).aggregate(
                hours=Sum("hours_credited")
            )["hours"]
            or 0,
            "pending_logs": DutyLog.objects.filter(status=DutyLog.Status.PENDING).count(),
            "pending_nominations": Nomination.objects.filter(status=Nomination.Status.SUBMITTED).count(),
        },
    )


@role_required("staff")
def term_list(request):
    today = timezone.localdate()
    show = choice_param(request, "show", ["active", "all", *SecondmentTerm.Status.values], "active")
    window_start = today - datetime.timedelta(days=rules().log_window_days)
    terms = (
        SecondmentTerm.objects.select_related("cadre", "union")
        .annotate(
            due=Count(
                "duty_days",
                filter=Q(duty_days__date__lte=today)
                & (Q(duty_days__log__isnull=False) | Q(duty_days__date__lt=window_start)),
            ),
            attended=Count(
                "duty_days",
                filter=Q(duty_days__log__status__in=[DutyLog.Status.PENDING, DutyLog.Status.CONFIRMED]),
            ),
        )
        .order_by("-start_date", "cadre__name")
    )
    if show == "active":
        terms = terms.filter(status=SecondmentTerm.Status.ACTIVE)
    elif show in SecondmentTerm.Status.values:
        terms = terms.filter(status=show)
    terms = filter_by_area(terms, area_filter(request), "union")
    rows = [{"term": t, "rate": services.rate(t.due, t.attended)} for t in terms[:500]]
    return render(
        request,
        "secondment/term_list.html",
        {"rows": rows, "show": show, "statuses": SecondmentTerm.Status.choices, **area_context(request)},
    )


def _term_for(user, pk) -> SecondmentTerm:
    return get_object_or_404(
        SecondmentTerm.objects.visible_to(user).select_related("cadre", "union", "member"), pk=pk
    )


@login_required
def term_detail(request, pk):
    term = _term_for(request.user, pk)
    today = timezone.localdate()
    due, attended = services.attendance(term, until=today)
    assessments = {a.kind: a for a in term.assessments.select_related("assessed_by")}
    # What the logs say was done, by category: what the staff weigh for the tasks score.
    done = Counter(
        activity
        for activities in DutyLog.objects.filter(duty_day__term=term)
        .exclude(status=DutyLog.Status.REJECTED)
        .values_list("activities", flat=True)
        for activity in activities
    )
    labels = dict(DutyLog.Activity.choices)
    may_manage = permissions.can_manage_terms(request.user)
    return render(
        request,
        "secondment/term_detail.html",
        {
            "term": term,
            "today": today,
            "due": due,
            "attended": attended,
            "rate": services.rate(due, attended),
            "days": term.duty_days.select_related("log").order_by("-date")[:60],
            "assessments": [assessments.get(kind) for kind in ("mid", "end")],
            "enrolments": term.enrolments.select_related("course"),
            "hours": term.enrolments.filter(status=Enrolment.Status.COMPLETED).aggregate(
                h=Sum("hours_credited")
            )["h"]
            or 0,
            "certificate": Certificate.objects.filter(term=term).first(),
            "can_issue": permissions.can_issue_certificates(request.user)
            and eligibility_problem(term) is None,
            "assessment_form": AssessmentForm(
                initial={
                    "kind": "end" if today >= term.end_date - datetime.timedelta(days=30) else "mid",
                    "recommended_for_party": term.recommended_for_party,
                    "joined_committee": term.joined_committee,
                    "hired_full_time": term.hired_full_time,
                }
            )
            if may_manage
            else None,
            "end_form": EndEarlyForm(initial={"last_day": today})
            if may_manage and term.status == "active"
            else None,
            "window": rules().log_window_days,
            "tasks_done": [(labels.get(key, key), count) for key, count in done.most_common()],
        },
    )


@check_required(permissions.can_manage_terms)
@require_POST
def term_assess(request, pk):
    term = _term_for(request.user, pk)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assess(
                by=request.user,
                term=term,
                kind=data["kind"],
                tasks_score=data["tasks_score"],
                evaluation_score=data["evaluation_score"],
                comments=data["comments"],
                outcomes={
                    k: data[k] for k in ("recommended_for_party", "joined_committee", "hired_full_time")
                },
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(kind)s assessment recorded: score %(score)s, grade %(grade)s.")
                % {
                    "kind": assessment.get_kind_display(),
                    "score": assessment.score,
                    "grade": assessment.get_grade_display(),
                },
            )
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label}：{e}"
                for f, errs in form.errors.items()
                if f in form.fields
                for e in errs
            ),
        )
    return redirect(term)


@check_required(permissions.can_manage_terms)
@require_POST
def term_end_early(request, pk):
    term = _term_for(request.user, pk)
    form = EndEarlyForm(request.POST)
    if form.is_valid():
        try:
            services.end_early(
                by=request.user,
                term=term,
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The term was ended early."))
    else:
        messages.error(request, _("Give the last day and a reason."))
    return redirect(term)
