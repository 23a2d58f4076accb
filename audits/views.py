"""Audit pages: thin — parse with a form, check, call a service, render. An audit is fetched through
``Audit.objects.visible_to``: outside the user's scope (another union's chair, staff without the audit duty)
it is a 404; the audited chair is refused the team's actions (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, require
from unionhub.files import file_url
from unionhub.paging import page_of
from unionhub.posted import add_errors, error_messages

from . import permissions, services
from .forms import (
    AddUnionForm,
    ChecklistForm,
    CompleteForm,
    FilterForm,
    FindingForm,
    RecoveredForm,
    RespondForm,
    SendBackForm,
    TeamForm,
)
from .models import Audit, AuditPlan, Finding, FindingEvidence, Rectification, RectificationEvidence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _audit_for(user, pk) -> Audit:
    return get_object_or_404(
        Audit.objects.visible_to(user).select_related("plan", "union__chair", "lead"), pk=pk
    )


def _rectification_for(user, pk) -> Rectification:
    return get_object_or_404(
        Rectification.objects.visible_to(user).select_related(
            "finding__audit__plan", "finding__audit__union__chair", "responded_by", "decided_by"
        ),
        pk=pk,
    )


# --- the district view ---------------------------------------------------------------------------


def _listing(request):
    filters = FilterForm(request.GET or None).values()
    audits = Audit.objects.visible_to(request.user).filter(plan__year=filters["year"])
    if filters["state"]:
        audits = audits.filter(state=filters["state"])
    return filters, audits


@check_required(permissions.is_auditor)
def district(request):
    filters, audits = _listing(request)
    today = timezone.localdate()
    year = filters["year"]
    plan = AuditPlan.objects.filter(year=year).first()
    cycle = plan.cycle_years if plan else services.DEFAULT_CYCLE_YEARS
    rows = (
        audits.select_related("union", "lead")
        .annotate(
            n_findings=Count("findings", distinct=True),
            n_open=Count("findings", filter=~Q(findings__rectification__state="accepted"), distinct=True),
            involved=Sum("findings__amount_involved"),
        )
        .order_by("union__code")
    )
    return render(
        request,
        "audits/district.html",
        {
            "form": FilterForm(request.GET or None, initial={"year": year}),
            "filters": filters,
            "plan": plan,
            "coverage": services.coverage(year, cycle),
            "figures": services.findings_figures(Finding.objects.filter(audit__plan__year__lte=year), today),
            "page": page_of(request, rows),
            "today": today,
            "query": request.GET.urlencode(),
        },
    )


@check_required(permissions.is_auditor)
def export(request):
    filters, audits = _listing(request)
    return FileResponse(
        services.export_xlsx(audits.order_by("plan__year", "union__code")),
        as_attachment=True,
        filename=f"audits-{filters['year']}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )


# --- the plan ------------------------------------------------------------------------------------


@check_required(permissions.is_auditor)
def plan(request, year):
    try:
        year = services.check_year(year)
    except ValidationError:
        year = timezone.localdate().year
    if request.method == "POST":
        require(permissions.can_plan(request.user))
        plan, added = services.save_plan(year=year, by=request.user)
        messages.success(
            request, _("%(n)d unions added to the %(year)d plan.") % {"n": len(added), "year": year}
        )
        return redirect("audits:plan", year=year)
    existing = AuditPlan.objects.filter(year=year).first()
    in_plan = set(existing.audits.values_list("union_id", flat=True)) if existing is not None else set()
    proposal = services.propose_plan(year)
    return render(
        request,
        "audits/plan.html",
        {
            "year": year,
            "plan": existing,
            "proposal": [(s, s.union.pk in in_plan) for s in proposal],
            "audits": existing.audits.select_related("union", "lead") if existing else [],
            "add_form": AddUnionForm(),
            "can_plan": permissions.can_plan(request.user),
        },
    )


@require_POST
@check_required(permissions.can_plan)
def plan_add(request, year):
    form = AddUnionForm(request.POST)
    if form.is_valid():
        try:
            services.add_audit(
                year=year,
                union=form.cleaned_data["union"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Added to the plan."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("audits:plan", year=year)


@login_required
@require_POST
def remove(request, pk):
    audit = _audit_for(request.user, pk)
    require(permissions.can_plan(request.user))
    try:
        services.remove_audit(audit=audit, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(audit)
    messages.success(request, _("Taken out of the plan."))
    return redirect("audits:plan", year=audit.plan.year)


# --- a chair's own audits ------------------------------------------------------------------------


@check_required(lambda user: permissions.can_see_own_audits(user) or permissions.is_auditor(user))
def mine(request):
    if not request.user.is_union_chair:
        return redirect("audits:district")
    audits = (
        Audit.objects.filter(union__chair=request.user)
        .select_related("plan", "union")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("rectification").order_by("pk"))
        )
        .order_by("-plan__year", "union__code")
    )
    return render(request, "audits/mine.html", {"audits": audits, "today": timezone.localdate()})


# --- one audit -----------------------------------------------------------------------------------


@login_required
def detail(request, pk):
    audit = _audit_for(request.user, pk)
    auditor = permissions.is_auditor(request.user)
    findings = list(
        audit.findings.select_related("rectification").prefetch_related("evidence", "rectification__evidence")
    )
    for finding in findings:
        finding.files = [(e, file_url(e.file)) for e in finding.evidence.all()]
    return render(
        request,
        "audits/detail.html",
        {
            "audit": audit,
            "team": list(audit.team.all()),
            "results": list(audit.results.select_related("item")),
            "findings": findings,
            "auditor": auditor,
            "can_audit": permissions.can_audit(request.user),
            "recovered_form": RecoveredForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
def team(request, pk):
    audit = _audit_for(request.user, pk)
    require(permissions.can_audit(request.user))
    form = TeamForm(
        request.POST or None,
        initial={
            "kind": audit.kind,
            "lead": audit.lead_id,
            "team": list(audit.team.values_list("pk", flat=True)),
            "fieldwork_from": audit.fieldwork_from,
            "fieldwork_to": audit.fieldwork_to,
            "working_notes": audit.working_notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_team(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Team and dates saved."))
            return redirect(audit)
    return render(request, "audits/form.html", {"audit": audit, "form": form, "title": _("Team and dates")})


@login_required
def checklist(request, pk):
    audit = _audit_for(request.user, pk)
    require(permissions.can_audit(request.user))
    form = ChecklistForm(
        request.POST or None, items=services.checklist_for(audit), results=audit.results.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_checklist(audit=audit, by=request.user, results=form.results())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Audit checklist saved."))
            return redirect(audit)
    return render(request, "audits/checklist.html", {"audit": audit, "form": form})


@login_required
def finding_create(request, pk):
    audit = _audit_for(request.user, pk)
    require(permissions.can_audit(request.user))
    form = FindingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_finding(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Finding recorded; the chair has a rectification to make."))
            return redirect(audit)
    return render(
        request,
        "audits/form.html",
        {"audit": audit, "form": form, "title": _("Record a finding"), "multipart": True},
    )


@login_required
@require_POST
def finding_recovered(request, pk):
    finding = get_object_or_404(Finding.objects.visible_to(request.user).select_related("audit"), pk=pk)
    require(permissions.can_audit(request.user))
    form = RecoveredForm(request.POST)
    if form.is_valid():
        try:
            services.set_recovered(finding=finding, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Amount recovered saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(finding.audit)


@login_required
def complete(request, pk):
    audit = _audit_for(request.user, pk)
    require(permissions.can_audit(request.user))
    form = CompleteForm(request.POST or None, initial={"conclusion": audit.conclusion})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_audit(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Audit completed."))
            return redirect(audit)
    return render(
        request, "audits/form.html", {"audit": audit, "form": form, "title": _("Complete the audit")}
    )


@login_required
def report(request, pk):
    audit = _audit_for(request.user, pk)
    response = HttpResponse(services.report_pdf(audit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="audit-{audit.plan.year}-{audit.union.code}.pdf"'
    return response


# --- rectifications ------------------------------------------------------------------------------


@login_required
def rectification(request, pk):
    item = _rectification_for(request.user, pk)
    audit = item.finding.audit
    is_chair = permissions.is_audited_chair(request.user, audit)
    can_answer = is_chair and item.state in (Rectification.State.OPEN, Rectification.State.RETURNED)
    require(request.method != "POST" or can_answer)
    form = RespondForm(request.POST or None, request.FILES or None) if can_answer else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.respond(rectification=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Response sent to the audit team."))
            return redirect(item)
    can_decide = (
        permissions.can_decide_rectification(request.user) and item.state == Rectification.State.RESPONDED
    )
    return render(
        request,
        "audits/rectification.html",
        {
            "item": item,
            "finding": item.finding,
            "audit": audit,
            "finding_files": [
                (e, file_url(e.file)) for e in FindingEvidence.objects.filter(finding=item.finding)
            ],
            "files": [
                (e, file_url(e.file)) for e in RectificationEvidence.objects.filter(rectification=item)
            ],
            "form": form,
            "can_decide": can_decide,
            "send_back_form": SendBackForm() if can_decide else None,
            "overdue": item.is_overdue(timezone.localdate()),
        },
    )


@login_required
@require_POST
def rectification_accept(request, pk):
    item = _rectification_for(request.user, pk)
    require(permissions.can_decide_rectification(request.user))
    try:
        services.accept(rectification=item, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Rectification accepted."))
    return redirect(item)


@login_required
@require_POST
def rectification_send_back(request, pk):
    item = _rectification_for(request.user, pk)
    require(permissions.can_decide_rectification(request.user))
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.send_back(rectification=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Sent back to the chair."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(item)
