"""Aid programmes and applications. Aid staff set up programmes, see every application and decide
(approve and pay out of the fund, reject, refer to the charity federation, record payment), and
run the holiday-visit campaign; a chair sees the open programmes and applies for workers of their
own union. An application outside the user's scope is 404; staff without the aid duty, and users
with no role here, get 403 on every page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, require
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.files import stored_response
from unionhub.masking import mask_id_number
from unionhub.money import ZERO
from unionhub.paging import page_of
from unionhub.params import id_param, parse_id, year_param
from unionhub.posted import add_errors, error_messages

from .. import permissions
from ..forms.applications import (
    ApplicationFilter,
    ApplicationForm,
    ApproveForm,
    PaymentForm,
    ProgrammeForm,
    ReasonForm,
    ReferForm,
    ReferralOutcomeForm,
    VisitBatchForm,
)
from ..models import Application, Programme
from ..rules import rules
from ..services import applications as services
from ..services import four_eyes, fund

# --- access ------------------------------------------------------------------------------------


def _application_for(user, pk) -> Application:
    require(permissions.can_use_aid(user))
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "programme",
            "member",
            "member__enterprise",
            "union",
            "hardship_file",
            "submitted_by",
            "decided_by",
            "disbursement",
        ),
        pk=pk,
    )


# --- programmes --------------------------------------------------------------------------------


@check_required(permissions.can_use_aid)
def programme_list(request):
    today = timezone.localdate()
    if not permissions.is_aid_staff(request.user):
        return render(
            request,
            "aid/programme_list.html",
            {"programmes": services.open_programmes(today), "today": today, "manage": False},
        )
    programmes = Programme.objects.annotate(
        application_count=Count("applications"),
        granted=Sum(
            "applications__approved_amount", default=ZERO, filter=Q(applications__status__in=services.GRANTED)
        ),
    )
    years = sorted(set(Programme.objects.values_list("year", flat=True)), reverse=True)
    year = year_param(request)
    if year is not None:
        programmes = programmes.filter(year=year)
    return render(
        request,
        "aid/programme_list.html",
        {
            "programmes": programmes.order_by("-year", "kind", "name"),
            "today": today,
            "manage": True,
            "years": years,
            "year": year,
            "can_add": request.user.has_perm("aid.add_programme"),
            "can_visit": permissions.can_decide_applications(request.user),
        },
    )


def _programme_form_page(request, programme: Programme | None):
    if programme is None:
        form = ProgrammeForm(request.POST or None, initial={"year": timezone.localdate().year})
    else:
        form = ProgrammeForm(
            request.POST or None,
            initial={
                "year": programme.year,
                "kind": programme.kind,
                "name": programme.name,
                "min_amount": programme.min_amount,
                "max_amount": programme.max_amount,
                "opens_on": programme.opens_on,
                "closes_on": programme.closes_on,
                "on_file_only": "yes" if programme.on_file_only else "no",
                "budget": programme.budget,
                "description": programme.description,
            },
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if programme is None:
                programme = services.create_programme(by=request.user, **data)
                messages.success(request, _("Programme %(name)s created.") % {"name": programme.name})
            else:
                if data["on_file_only"] is None:
                    data["on_file_only"] = programme.on_file_only
                programme = services.update_programme(by=request.user, programme=programme, **data)
                messages.success(request, _("Programme %(name)s saved.") % {"name": programme.name})
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(programme)
    return render(request, "aid/programme_form.html", {"form": form, "programme": programme})


@login_required
def programme_create(request):
    if not (request.user.is_federation_staff and request.user.has_perm("aid.add_programme")):
        raise PermissionDenied
    return _programme_form_page(request, None)


@login_required
def programme_edit(request, pk):
    if not (request.user.is_federation_staff and request.user.has_perm("aid.change_programme")):
        raise PermissionDenied
    programme = get_object_or_404(Programme, pk=pk)
    return _programme_form_page(request, programme)


@login_required
def programme_detail(request, pk):
    """The programme for everyone who may apply; its totals against the budget for aid staff; the
    applications the user may see."""
    require(permissions.can_use_aid(request.user))
    programme = get_object_or_404(Programme, pk=pk)
    today = timezone.localdate()
    applications = (
        Application.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("member", "union")
        .order_by("-submitted_on", "-pk")
    )
    staff = permissions.is_aid_staff(request.user)
    counts = dict(applications.values_list("status").annotate(n=Count("pk")).order_by()) if staff else {}
    proposed_visits = None
    if programme.kind == Programme.Kind.HOLIDAY_VISIT and permissions.can_decide_applications(request.user):
        proposed = programme.applications.filter(status=Application.Status.SUBMITTED)
        proposers = set(proposed.values_list("submitted_by", flat=True))
        proposed_visits = {
            "count": len(proposed),
            "refusal": next(
                (r for pk in proposers if (r := four_eyes.refusal(by=request.user, proposer_id=pk))), None
            ),
        }
    return render(
        request,
        "aid/programme_detail.html",
        {
            "programme": programme,
            "page": page_of(request, applications),
            "manage": staff,
            "totals": services.programme_totals(programme) if staff else None,
            "by_status": [
                (value, label, counts.get(value, 0)) for value, label in Application.Status.choices
            ],
            "can_apply": programme.is_open_on(today) and programme.kind != Programme.Kind.HOLIDAY_VISIT,
            "can_edit": staff and request.user.has_perm("aid.change_programme"),
            "can_visit": programme.kind == Programme.Kind.HOLIDAY_VISIT
            and permissions.can_decide_applications(request.user),
            "proposed_visits": proposed_visits,
        },
    )


@login_required
@require_POST
def visit_approve(request, pk):
    """Approve and pay the visits proposed in a holiday-visit campaign (a second staff member)."""
    require(permissions.can_decide_applications(request.user))
    programme = get_object_or_404(Programme, pk=pk)
    try:
        approved = services.approve_visits(by=request.user, programme=programme)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("%(count)d visits approved: %(total)s yuan paid out of the fund.")
            % {"count": len(approved), "total": f"{sum(a.approved_amount for a in approved):,}"},
        )
    return redirect(programme)


# --- applications ------------------------------------------------------------------------------


@check_required(permissions.can_use_aid)
def application_list(request):
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("programme", "member", "union")
        .order_by("-submitted_on", "-pk")
    )
    filters = ApplicationFilter(request.GET or None, user=request.user)
    if filters.is_valid():
        applications = filters.filter(applications)
    applications = filter_by_area(applications, area_filter(request), "union")
    totals = applications.aggregate(
        requested=Sum("amount_requested", default=ZERO),
        granted=Sum("approved_amount", default=ZERO, filter=Q(status__in=services.GRANTED)),
    )
    return render(
        request,
        "aid/application_list.html",
        {
            "filters": filters,
            "page": page_of(request, applications),
            "totals": totals,
            "manage": permissions.is_aid_staff(request.user),
            "open_programmes": services.open_programmes(timezone.localdate()),
            **area_context(request),
        },
    )


@check_required(permissions.can_use_aid)
def application_create(request):
    if (programme_pk := id_param(request, "programme")) is None:
        messages.info(request, _("Choose the programme to apply to."))
        return redirect("aid:programme_list")
    programme = get_object_or_404(Programme, pk=programme_pk)
    today = timezone.localdate()
    if programme.kind == Programme.Kind.HOLIDAY_VISIT or not programme.is_open_on(today):
        messages.error(
            request, _("%(programme)s is not taking applications today.") % {"programme": programme.name}
        )
        return redirect(programme)
    form = ApplicationForm(
        request.POST or None, request.FILES or None, user=request.user, programme=programme
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.apply(
                by=request.user,
                programme=programme,
                member=data["member"],
                amount_requested=data["amount_requested"],
                reason=data["reason"],
                child_name=data.get("child_name", ""),
                child_id_number=data.get("child_id_number", ""),
                school=data.get("school", ""),
                admission_letter=data.get("admission_letter"),
                on=today,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Application for %(name)s submitted; aid staff will decide on it.")
                % {"name": application.member.name},
            )
            return redirect(application)
    return render(request, "aid/application_form.html", {"form": form, "programme": programme})


@login_required
def application_detail(request, pk):
    application = _application_for(request.user, pk)
    today = timezone.localdate()
    deciding = permissions.can_decide_applications(request.user)
    context = {
        "application": application,
        "can_decide": deciding,
        "can_withdraw": application.status == Application.Status.SUBMITTED,
        "child_id": mask_id_number(application.child_id_number),
    }
    if deciding:
        cap = rules().yearly_cap_per_person
        received = services.received_in_year(application.member, today.year)
        context.update(
            year=today.year,
            cap=cap,
            received=received,
            cap_left=max(cap - received, ZERO),
            balance=fund.balance(),
            budget_left=services.programme_totals(application.programme).remaining,
            four_eyes_required=four_eyes.required(),
            four_eyes_refusal=four_eyes.refusal(by=request.user, proposer_id=application.submitted_by_id),
            approve_form=ApproveForm(initial={"amount": application.amount_requested}),
            reason_form=ReasonForm(),
            refer_form=ReferForm(),
            payment_form=PaymentForm(initial={"paid_on": today}),
            outcome_form=ReferralOutcomeForm(
                initial={
                    "outcome": application.referral_outcome,
                    "amount_received": application.charity_amount,
                }
            ),
        )
    return render(request, "aid/application_detail.html", context)


@login_required
def application_letter(request, pk):
    application = _application_for(request.user, pk)
    if not application.admission_letter:
        raise Http404
    return stored_response(application.admission_letter)


def _decision(request, pk, form_class, act):
    """A decision form posted from the detail page: validate, run the service, say what happened."""
    application = _application_for(request.user, pk)
    require(permissions.can_decide_applications(request.user))
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(application)
    try:
        message = act(application, form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, message)
    return redirect(application)


@login_required
@require_POST
def application_approve(request, pk):
    def act(application, data):
        services.approve(by=request.user, application=application, amount=data["amount"], note=data["note"])
        return _("Approved: %(amount)s yuan paid out of the fund for %(name)s.") % {
            "amount": f"{data['amount']:,}",
            "name": application.member.name,
        }

    return _decision(request, pk, ApproveForm, act)


@login_required
@require_POST
def application_reject(request, pk):
    def act(application, data):
        services.reject(by=request.user, application=application, reason=data["reason"])
        return _("The application was rejected; the chair has been told.")

    return _decision(request, pk, ReasonForm, act)


@login_required
@require_POST
def application_refer(request, pk):
    def act(application, data):
        services.refer_to_charity(by=request.user, application=application, note=data["note"])
        return _("The application was referred to the charity federation.")

    return _decision(request, pk, ReferForm, act)


@login_required
@require_POST
def application_referral_outcome(request, pk):
    def act(application, data):
        services.record_referral_outcome(
            by=request.user,
            application=application,
            outcome=data["outcome"],
            amount_received=data["amount_received"],
        )
        return _("The charity federation's decision was recorded.")

    return _decision(request, pk, ReferralOutcomeForm, act)


@login_required
@require_POST
def application_pay(request, pk):
    def act(application, data):
        services.record_payment(
            by=request.user, application=application, paid_on=data["paid_on"], reference=data["reference"]
        )
        return _("Payment recorded.")

    return _decision(request, pk, PaymentForm, act)


@login_required
@require_POST
def application_cancel_approval(request, pk):
    def act(application, data):
        services.cancel_approval(by=request.user, application=application, reason=data["reason"])
        return _(
            "The approval was cancelled and its disbursement reversed; the application can be decided again."
        )

    return _decision(request, pk, ReasonForm, act)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _application_for(request.user, pk)
    try:
        services.withdraw(by=request.user, application=application)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.info(request, _("The application was withdrawn."))
    return redirect(application)


# --- holiday visits ----------------------------------------------------------------------------


def _chosen(field: forms.ModelChoiceField, value):
    """The object a query-string choice names, or None when it names nothing valid."""
    try:
        return field.clean(value)
    except ValidationError:
        return None


@login_required
def visit_batch(request):
    """Choose a campaign (and a union, or all), then tick the workers on file to visit. The
    candidates are workers with an active file who have not been visited in the campaign."""
    require(permissions.can_decide_applications(request.user))
    params = request.POST if request.method == "POST" else request.GET
    programme = _chosen(VisitBatchForm.base_fields["programme"], params.get("programme"))
    union = _chosen(VisitBatchForm.base_fields["union"], params.get("union"))
    candidates = list(services.visit_candidates(programme, union=union)) if programme else []
    form = VisitBatchForm(
        request.POST or None,
        candidates=candidates,
        initial={
            "programme": programme,
            "union": union,
            "on": min(timezone.localdate(), programme.closes_on) if programme else timezone.localdate(),
            "amount_each": programme.min_amount if programme else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            granted = services.visit_batch(
                by=request.user,
                programme=data["programme"],
                members=data["members"],
                amount_each=data["amount_each"],
                on=data["on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            total = f"{data['amount_each'] * len(granted):,}"
            if granted and granted[0].status == Application.Status.SUBMITTED:
                messages.success(
                    request,
                    _(
                        "%(count)d visits proposed (%(total)s yuan); another staff member approves and pays them."
                    )
                    % {"count": len(granted), "total": total},
                )
            else:
                messages.success(
                    request,
                    _("%(count)d visits approved: %(total)s yuan paid out of the fund.")
                    % {"count": len(granted), "total": total},
                )
            return redirect(data["programme"])
    ticked = (
        {pk for raw in request.POST.getlist("members") if (pk := parse_id(raw)) is not None}
        if request.method == "POST"
        else {file.member_id for file in candidates}
    )
    return render(
        request,
        "aid/visit_batch.html",
        {
            "form": form,
            "programme": programme,
            "union": union,
            "candidates": candidates,
            "ticked": ticked,
            "balance": fund.balance(),
            "four_eyes_required": four_eyes.required(),
        },
    )
