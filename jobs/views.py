"""Job-finding help (就业帮助): the public vacancy page (no login, phone-first), the desk where chairs post
vacancies and the casework staff approve them, referrals with their outcomes, and the year's figures with
the referrals' export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grievances.models import Case
from members.models import Area, Member
from unionhub.access import check_required, public_page, require
from unionhub.paging import page_of
from unionhub.params import choice_param, id_param, year_param
from unionhub.posted import add_errors, error_messages

from . import permissions, services
from .forms import (
    CloseForm,
    ExtendForm,
    OutcomeForm,
    PublicFilterForm,
    ReferralForm,
    ReturnForm,
    VacancyForm,
    vacancy_initial,
)
from .models import Referral, Trade, Vacancy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the public page -------------------------------------------------------------------------------------


@public_page
@require_GET
def public_list(request):
    """Open vacancies (approved, not past their date), newest first, by trade and grid area (an unknown or
    hostile value is no filter). Only what each employer chose to publish is shown."""
    today = timezone.localdate()
    form = PublicFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    vacancies = Vacancy.objects.open_on(today).select_related("enterprise", "area")
    if "trade" in filters:
        vacancies = vacancies.filter(trade=filters["trade"])
    if "area" in filters:
        vacancies = vacancies.filter(area=filters["area"])
    page = page_of(request, vacancies.order_by("-approved_on", "-pk"))
    return render(request, "jobs/public_list.html", {"form": form, "page": page, "filters": filters})


@public_page
@require_GET
def public_detail(request, pk):
    """One open vacancy; one waiting for approval, returned, closed or expired is not there (404)."""
    vacancy = get_object_or_404(
        Vacancy.objects.open_on(timezone.localdate()).select_related("enterprise", "area"), pk=pk
    )
    return render(request, "jobs/public_detail.html", {"vacancy": vacancy})


# --- the desk: vacancies ---------------------------------------------------------------------------------


def _vacancy_for(user, pk) -> Vacancy:
    require(permissions.can_use_desk(user))
    return get_object_or_404(
        Vacancy.objects.visible_to(user).select_related(
            "enterprise", "union", "area", "posted_by", "approved_by"
        ),
        pk=pk,
    )


@check_required(permissions.can_use_desk)
def vacancy_list(request):
    """Casework staff: every vacancy by state; a chair: their union's posts; a cadre: the approved ones."""
    user, today = request.user, timezone.localdate()
    states = [*Vacancy.Status.choices]
    state = choice_param(request, "state", [s for s, _label in states])
    trade = choice_param(request, "trade", Trade.values)
    vacancies = Vacancy.objects.visible_to(user).select_related("enterprise", "union", "area")
    if state == Vacancy.Status.EXPIRED:
        vacancies = vacancies.expired_on(today)
    elif state == Vacancy.Status.APPROVED:
        vacancies = vacancies.open_on(today)
    elif state:
        vacancies = vacancies.filter(status=state)
    if trade:
        vacancies = vacancies.filter(trade=trade)
    page = page_of(request, vacancies.order_by("-submitted_at", "-pk"))
    for vacancy in page.object_list:
        vacancy.state = vacancy.state_on(today)
        vacancy.state_label = vacancy.state_label_on(today)
    return render(
        request,
        "jobs/vacancy_list.html",
        {
            "page": page,
            "state": state,
            "states": states,
            "trade": trade,
            "trades": Trade.choices,
            "can_post": permissions.can_post(user),
            "staff": permissions.is_jobs_staff(user),
        },
    )


def _vacancy_form_save(request, form, vacancy=None):
    data = form.cleaned_data
    values = services.VacancyData(**{name: data[name] for name in services.VacancyData.FIELDS})
    try:
        if vacancy is None:
            vacancy = services.post_vacancy(by=request.user, data=values)
        else:
            vacancy = services.update_vacancy(vacancy=vacancy, by=request.user, data=values)
    except ValidationError as error:
        add_errors(form, error)
        return None
    return vacancy


@check_required(permissions.can_post)
def vacancy_create(request):
    enterprises = services.postable_enterprises(request.user).order_by("name")
    form = VacancyForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        vacancy = _vacancy_form_save(request, form)
        if vacancy is not None:
            messages.success(request, _("The vacancy is sent to the federation for approval."))
            return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return render(request, "jobs/vacancy_form.html", {"form": form, "vacancy": None})


@login_required
def vacancy_edit(request, pk):
    vacancy = _vacancy_for(request.user, pk)
    require(permissions.can_edit(request.user, vacancy))
    enterprises = services.postable_enterprises(request.user).order_by("name")
    form = VacancyForm(request.POST or None, enterprises=enterprises, initial=vacancy_initial(vacancy))
    if request.method == "POST" and form.is_valid():
        saved = _vacancy_form_save(request, form, vacancy)
        if saved is not None:
            messages.success(request, _("The vacancy is saved and sent to the federation for approval."))
            return redirect("jobs:vacancy_detail", pk=saved.pk)
    return render(request, "jobs/vacancy_form.html", {"form": form, "vacancy": vacancy})


@login_required
def vacancy_detail(request, pk):
    user, today = request.user, timezone.localdate()
    vacancy = _vacancy_for(user, pk)
    referrals = (
        Referral.objects.visible_to(user)
        .filter(vacancy=vacancy)
        .select_related("referred_by")
        .order_by("-pk")
    )
    return render(
        request,
        "jobs/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "state": vacancy.state_on(today),
            "state_label": vacancy.state_label_on(today),
            "is_open": vacancy.is_open_on(today),
            "referrals": referrals,
            "can_edit": permissions.can_edit(user, vacancy),
            "can_approve": permissions.can_approve(user) and vacancy.status == Vacancy.Status.SUBMITTED,
            "can_manage": permissions.can_manage_open(user, vacancy),
            "can_refer": permissions.can_refer(user) and vacancy.is_open_on(today),
            "return_form": ReturnForm(),
            "extend_form": ExtendForm(),
            "close_form": CloseForm(),
        },
    )


def _act(request, pk, action, done: str, **kwargs):
    vacancy = _vacancy_for(request.user, pk)
    try:
        action(vacancy=vacancy, by=request.user, **kwargs)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, done)
    return redirect("jobs:vacancy_detail", pk=vacancy.pk)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@login_required
def vacancy_approve(request, pk):
    vacancy = _vacancy_for(request.user, pk)
    require(permissions.can_approve(request.user))
    return _act(
        request, vacancy.pk, services.approve_vacancy, _("The vacancy is approved and listed publicly.")
    )


@require_POST
@login_required
def vacancy_return(request, pk):
    vacancy = _vacancy_for(request.user, pk)
    require(permissions.can_approve(request.user))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the vacancy is returned: the chair reads it."))
        return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return _act(
        request, pk, services.return_vacancy, _("The vacancy is returned to the chair."), **form.cleaned_data
    )


@require_POST
@login_required
def vacancy_extend(request, pk):
    vacancy = _vacancy_for(request.user, pk)
    require(permissions.can_manage_open(request.user, vacancy))
    form = ExtendForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return _act(
        request, pk, services.extend_vacancy, _("The vacancy is listed for longer."), **form.cleaned_data
    )


@require_POST
@login_required
def vacancy_close(request, pk):
    vacancy = _vacancy_for(request.user, pk)
    require(permissions.can_manage_open(request.user, vacancy))
    form = CloseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return _act(request, pk, services.close_vacancy, _("The vacancy is closed."), **form.cleaned_data)


# --- referrals -------------------------------------------------------------------------------------------


@login_required
def referral_create(request, pk):
    user = request.user
    vacancy = _vacancy_for(user, pk)
    require(permissions.can_refer(user))
    if not vacancy.is_open_on(timezone.localdate()):
        messages.error(request, _("Workers are referred only to an open vacancy."))
        return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    staff = permissions.is_jobs_staff(user)
    cases = services.linkable_cases(user)
    initial = {}
    case_pk = id_param(request, "case")
    if case_pk is not None:
        initial["case"] = case_pk
    form = ReferralForm(request.POST or None, initial=initial, cases=cases, with_member=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = None
        if data.get("id_number"):
            member = Member.objects.active().filter(id_number=data["id_number"].strip().upper()).first()
            if member is None:
                form.add_error("id_number", _("No member with this ID number is in the registry."))
        if not form.errors:
            try:
                referral = services.refer_worker(
                    by=user,
                    vacancy=vacancy,
                    worker_name=data["worker_name"],
                    worker_phone=data["worker_phone"],
                    member=member,
                    case=data["case"],
                    note=data["note"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The worker is referred."))
                return redirect("jobs:referral_detail", pk=referral.pk)
    return render(request, "jobs/referral_form.html", {"form": form, "vacancy": vacancy})


@check_required(permissions.can_see_referrals)
def referral_list(request):
    """The referrals the user may see, by outcome, vacancy and grievance case (a case the user may not see
    is no filter)."""
    user = request.user
    status = choice_param(request, "status", Referral.Status.values)
    referrals = Referral.objects.visible_to(user).select_related("vacancy__enterprise", "referred_by", "case")
    if status:
        referrals = referrals.filter(status=status)
    case = None
    case_pk = id_param(request, "case")
    if case_pk is not None:
        case = Case.objects.visible_to(user).filter(pk=case_pk).first()
        if case is not None:
            referrals = referrals.filter(case=case)
    vacancy_pk = id_param(request, "vacancy")
    vacancy = None
    if vacancy_pk is not None:
        vacancy = Vacancy.objects.visible_to(user).filter(pk=vacancy_pk).first()
        if vacancy is not None:
            referrals = referrals.filter(vacancy=vacancy)
    page = page_of(request, referrals.order_by("-referred_on", "-pk"))
    visible_cases = set(
        Case.objects.visible_to(user)
        .filter(pk__in=[r.case_id for r in page.object_list if r.case_id])
        .values_list("pk", flat=True)
    )
    for referral in page.object_list:
        referral.show_case = referral.case_id in visible_cases
    return render(
        request,
        "jobs/referral_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Referral.Status.choices,
            "case": case,
            "vacancy": vacancy,
            "staff": permissions.is_jobs_staff(user),
        },
    )


def _referral_for(user, pk) -> Referral:
    require(permissions.can_see_referrals(user))
    return get_object_or_404(
        Referral.objects.visible_to(user).select_related(
            "vacancy__enterprise", "vacancy__union", "referred_by", "case", "member"
        ),
        pk=pk,
    )


@login_required
def referral_detail(request, pk):
    user = request.user
    referral = _referral_for(user, pk)
    show_case = (
        referral.case_id is not None and Case.objects.visible_to(user).filter(pk=referral.case_id).exists()
    )
    can_record = permissions.can_record_outcome(user, referral) and bool(referral.moves())
    form = OutcomeForm(initial={"on": timezone.localdate()})
    form.fields["to"].choices = [(s, Referral.Status(s).label) for s in referral.moves()]
    return render(
        request,
        "jobs/referral_detail.html",
        {
            "referral": referral,
            "phone": referral.worker_phone
            if permissions.can_see_worker_phone(user, referral)
            else referral.masked_phone,
            "show_case": show_case,
            "can_record": can_record,
            "form": form,
        },
    )


@require_POST
@login_required
def referral_outcome(request, pk):
    referral = _referral_for(request.user, pk)
    require(permissions.can_record_outcome(request.user, referral))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("jobs:referral_detail", pk=referral.pk)
    try:
        services.record_outcome(referral=referral, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect("jobs:referral_detail", pk=referral.pk)


# --- figures ---------------------------------------------------------------------------------------------


@check_required(permissions.can_see_figures)
def figures(request):
    today = timezone.localdate()
    year = year_param(request, default=today.year)
    area_pk = id_param(request, "area")
    areas = list(Area.objects.only("pk", "name"))
    area = next((a for a in areas if a.pk == area_pk), None)
    return render(
        request,
        "jobs/figures.html",
        {
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "figures": services.year_figures(year, area=area),
            "areas": areas,
            "area": area,
            "can_export": permissions.can_export(request.user),
        },
    )


@check_required(permissions.can_export)
def export(request, year):
    return FileResponse(
        services.export_referrals(year),
        as_attachment=True,
        filename=f"job-referrals-{year}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )
