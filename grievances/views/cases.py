"""Casework pages: the case list, intake, the case file with its deadlines, timeline and the actions
each role may take, and the complainant's identity shown only on an explicit, logged request.

Every case comes from ``Case.objects.visible_to`` (404 outside it); a visible case whose action the
user may not take answers 403. The identity never reaches a page unless revealed: lists show a
masked name to casework staff only, and the texts of a case are shown with the complainant's name,
phone and ID number masked wherever they were typed into them."""

import datetime
import os

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import require
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.files import stored_response
from unionhub.posted import add_errors, run_step
from unionhub.workdays import missing_years

from .. import access, permissions, services
from ..deadlines import UrgencyScale, deadlines
from ..forms import (
    ArbitrationForm,
    AssignForm,
    CallbackForm,
    CaseForm,
    CloseForm,
    EventForm,
    FilterForm,
    HelpForm,
    LegalAidForm,
    StageForm,
)
from ..models import Case, CaseEvent
from ..redaction import redact_case_text
from ..rules import rules

PAGE_SIZE = 50


# --- helpers -----------------------------------------------------------------------------------


def _case_for(user, pk) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(user).select_related("handler", "received_by", "helping_union", "enterprise"),
        pk=pk,
    )


def _visible_events(user, case: Case):
    """The timeline as this user may read it: the chair of a helping union reads the stage entries and
    their own, never the caseworkers' notes about the worker."""
    events = case.events.select_related("by")
    if not permissions.can_handle(user, case) and case.received_by_id != user.pk:
        events = events.filter(Q(kind=CaseEvent.Kind.STAGE) | Q(by=user))
    return events


def _works_on(user, case: Case) -> bool:
    """Who may open the evidence: those who handle the case and whoever took it in (evidence often
    names the worker, so not the chair of a helping union)."""
    return permissions.can_handle(user, case) or case.received_by_id == user.pk


# --- list and intake -----------------------------------------------------------------------------


@login_required
def case_list(request):
    user = request.user
    casework = permissions.is_casework(user)
    cases = Case.objects.visible_to(user)
    if not (casework or user.is_seconded_cadre or cases.exists()):
        raise PermissionDenied
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=rules().warn_days)
    form = FilterForm(request.GET, handlers=list(access.assignable_handlers()) if casework else None)
    # A case's area is its employer's: the area of the union covering the registered enterprise.
    cases = filter_by_area(cases, area_filter(request), "enterprise__union")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            cases = cases.filter(Q(number__icontains=data["q"]) | Q(employer_name__icontains=data["q"]))
        for field in ("stage", "category", "channel"):
            if data[field]:
                cases = cases.filter(**{field: data[field]})
        if data.get("handler"):
            cases = cases.filter(handler_id=data["handler"])
        if data["unassigned"]:
            cases = cases.unassigned()
        if data["due_soon"]:
            cases = cases.open().filter(
                Q(handling_due__lte=horizon)
                | Q(limitation_on__lte=horizon, arbitration_applied_on__isnull=True)
                | Q(callback_due__lte=horizon, called_back_on__isnull=True)
            )
    # Keys first: ordering and skipping run over narrow rows, then only the page's cases are read
    # whole (sorting whole rows made deep pages several times slower at 20,000 cases).
    page = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    keys = list(page.object_list)
    rows = Case.objects.select_related("handler").defer("description", "other_outcome").in_bulk(keys)
    page.object_list = [rows[pk] for pk in keys]
    scale = UrgencyScale.on(today)
    for case in page.object_list:
        due = [case.handling_due] if case.handling_due else []
        if case.limitation_on and case.arbitration_applied_on is None:
            due.append(case.limitation_on)
        if case.callback_due and case.called_back_on is None:
            due.append(case.callback_due)
        case.next_due = min(due) if due and case.stage != Case.Stage.CLOSED else None
        case.urgency = scale.of(case.next_due)
        case.masked = access.masked_contact(case)["name"] if casework else ""
    return render(
        request,
        "grievances/case_list.html",
        {
            "page": page,
            "form": form,
            "casework": casework,
            "can_open": permissions.can_open_cases(user),
            **area_context(request),
        },
    )


@login_required
def case_create(request):
    require(permissions.can_open_cases(request.user))
    form = CaseForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                by=request.user,
                channel=data["channel"],
                type=data["type"],
                category=data["category"],
                description=data["description"],
                employer_name=data["employer_name"],
                enterprise=data["enterprise"],
                complainant_name=data["complainant_name"],
                complainant_phone=data["complainant_phone"],
                complainant_id_number=data["complainant_id_number"],
                anonymous=data["anonymous"],
                is_member=data["is_member"],
                is_migrant_worker=data["is_migrant_worker"],
                workers_affected=data["workers_affected"],
                amount_claimed=data["amount_claimed"],
                harm_known_on=data["harm_known_on"],
                employment_ended_on=data["employment_ended_on"],
                received_on=data["received_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(case)
    return render(request, "grievances/case_form.html", {"form": form})


# --- the case file -------------------------------------------------------------------------------


def _detail(request, case: Case, identity: dict | None = None):
    user = request.user
    today = timezone.localdate()
    handles = permissions.can_handle(user, case)
    casework = permissions.is_casework(user)
    helper_only = not handles and permissions.is_helping_chair(user, case)
    can_see_identity = permissions.can_see_identity(user, case)
    scale = UrgencyScale.on(today)
    shown = deadlines(case)
    listed = [{"deadline": d, "urgency": None if d.done else scale.of(d.due)} for d in shown]
    hide = not can_see_identity
    events = [
        {"event": e, "text": redact_case_text(e.text, case, hide=hide)} for e in _visible_events(user, case)
    ]
    is_open = case.stage != Case.Stage.CLOSED
    response = render(
        request,
        "grievances/case_detail.html",
        {
            "case": case,
            "description": redact_case_text(case.description, case, hide=hide),
            "other_outcome": redact_case_text(case.other_outcome, case, hide=hide),
            "deadlines": listed,
            "calendar_missing": missing_years(today, max(d.due for d in shown)) if shown else [],
            "callback_form": CallbackForm()
            if handles and is_open and case.callback_due and not case.called_back_on
            else None,
            "events": events,
            "can_see_identity": can_see_identity,
            "identity": identity,
            "masked": access.masked_contact(case) if can_see_identity else None,
            "evidence": case.evidence.all() if _works_on(user, case) else None,
            "handles": handles,
            "assign_form": AssignForm(
                case=case, initial={"handler": case.handler_id, "difficulty": case.difficulty}
            )
            if casework and is_open
            else None,
            "stage_form": StageForm(case=case) if handles and services.moves(case) else None,
            "arbitration_form": ArbitrationForm(
                initial={
                    "accepted_on": case.arbitration_accepted_on,
                    "extended": case.arbitration_extended,
                    "award_on": case.award_on,
                }
            )
            if handles and case.stage == Case.Stage.ARBITRATION
            else None,
            "can_extend_petition": handles
            and is_open
            and case.channel == Case.Channel.PETITION
            and case.accepted_on is not None
            and not case.petition_extended,
            "event_form": EventForm(helper_only=helper_only)
            if permissions.can_write_timeline(user, case)
            else None,
            "help_form": HelpForm(initial={"union": case.enterprise.union_id if case.enterprise else None})
            if handles and is_open
            else None,
            "legal_aid_form": LegalAidForm(
                initial={
                    "household_income": case.household_income,
                    "legal_aid": case.legal_aid,
                    "lawyer": case.lawyer,
                }
            )
            if handles and is_open
            else None,
            "close_form": CloseForm(case=case) if handles and services.can_close(case) else None,
        },
    )
    if identity:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def case_detail(request, pk):
    return _detail(request, _case_for(request.user, pk))


@login_required
@require_POST
def case_identity(request, pk):
    """Show the complainant (logged). With htmx only the identity block is swapped in."""
    case = _case_for(request.user, pk)
    require(permissions.can_see_identity(request.user, case))
    identity = access.identity(request.user, case, remote_addr=request.META.get("REMOTE_ADDR"))
    if not request.htmx:
        return _detail(request, case, identity=identity)
    response = render(request, "grievances/case_identity.html", {"case": case, "identity": identity})
    response["Cache-Control"] = "no-store"
    return response


# --- actions -------------------------------------------------------------------------------------


@login_required
@require_POST
def case_assign(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.is_casework(request.user))
    return run_step(
        request,
        case,
        AssignForm(request.POST, case=case),
        lambda d: services.assign(
            by=request.user, case=case, handler=d["handler"], difficulty=d["difficulty"]
        ),
        _("Case assigned; the handler has been notified."),
    )


@login_required
@require_POST
def case_stage(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        StageForm(request.POST, case=case),
        lambda d: services.change_stage(by=request.user, case=case, to=d["to"], on=d["on"]),
        _("Stage changed."),
    )


@login_required
@require_POST
def case_arbitration(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        ArbitrationForm(request.POST),
        lambda d: services.record_arbitration(
            by=request.user,
            case=case,
            accepted_on=d["accepted_on"],
            extended=d["extended"],
            award_on=d["award_on"],
        ),
        _("Arbitration recorded."),
    )


@login_required
@require_POST
def case_callback(request, pk):
    """已回电: the call back the public form promised, with what was said."""
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        CallbackForm(request.POST),
        lambda d: services.record_callback(by=request.user, case=case, note=d["note"], on=d["on"]),
        _("The call back is recorded."),
    )


@login_required
@require_POST
def case_extend_petition(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        forms.Form(request.POST),
        lambda d: services.extend_petition(by=request.user, case=case),
        _("The petition's deadline has been extended."),
    )


@login_required
@require_POST
def case_event(request, pk):
    case = _case_for(request.user, pk)
    user = request.user
    require(permissions.can_write_timeline(user, case))
    helper_only = not permissions.can_handle(user, case) and permissions.is_helping_chair(user, case)
    form = EventForm(request.POST, request.FILES, helper_only=helper_only)
    return run_step(
        request,
        case,
        form,
        lambda d: services.add_event(
            by=user,
            case=case,
            kind=d["kind"],
            text=d["text"],
            public=d.get("public", False),
            attachment=d["attachment"],
        ),
        _("Entry added to the timeline."),
    )


@login_required
@require_POST
def case_help(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        HelpForm(request.POST),
        lambda d: services.ask_union_to_help(by=request.user, case=case, union=d["union"]),
        _("The union's chair has been asked to help."),
    )


@login_required
@require_POST
def case_legal_aid(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        LegalAidForm(request.POST),
        lambda d: services.record_legal_aid(
            by=request.user,
            case=case,
            household_income=d["household_income"],
            legal_aid=d["legal_aid"],
            lawyer=d["lawyer"],
        ),
        _("Legal aid recorded."),
    )


@login_required
@require_POST
def case_close(request, pk):
    case = _case_for(request.user, pk)
    require(permissions.can_handle(request.user, case))
    return run_step(
        request,
        case,
        CloseForm(request.POST, case=case),
        lambda d: services.close(
            by=request.user,
            case=case,
            outcome=d["outcome"],
            amount_recovered=d["amount_recovered"],
            other_outcome=d["other_outcome"],
            satisfaction=d["satisfaction"],
            on=d["on"],
        ),
        _("Case closed."),
    )


# --- files ---------------------------------------------------------------------------------------


@login_required
def case_evidence(request, pk, evidence_pk):
    case = _case_for(request.user, pk)
    require(_works_on(request.user, case))
    evidence = get_object_or_404(case.evidence, pk=evidence_pk)
    services.log_file_access(
        by=request.user, case=case, name=evidence.original_name, remote_addr=request.META.get("REMOTE_ADDR")
    )
    return stored_response(evidence.upload, as_attachment=True, filename=evidence.original_name)


@login_required
def case_attachment(request, pk, event_pk):
    case = _case_for(request.user, pk)
    event = get_object_or_404(_visible_events(request.user, case).exclude(attachment=""), pk=event_pk)
    name = os.path.basename(event.attachment.name)
    services.log_file_access(
        by=request.user, case=case, name=name, remote_addr=request.META.get("REMOTE_ADDR")
    )
    return stored_response(event.attachment, as_attachment=True, filename=name)
