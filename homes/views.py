"""Workers' homes (职工之家): the district view of levels and re-inspections for staff, each union's
home page (chair of that union and staff; another union is a 404), the chair's self-assessment,
staff inspections with photos, levels set from paper records, and the checklist's items."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Area, GrassrootsUnion
from members.views import _history
from unionhub.access import check_required, require
from unionhub.files import stored_response
from unionhub.paging import page_of
from unionhub.params import id_param, int_param
from unionhub.posted import add_errors

from . import permissions, services
from .forms import (
    ChecklistItemForm,
    InspectionForm,
    LevelForm,
    SelfAssessmentForm,
)
from .models import (
    ChecklistItem,
    HomeInspection,
    HomeLevel,
    InspectionPhoto,
    InspectionScore,
    SelfAssessment,
)

SOON_DAYS = 30


# --- access ------------------------------------------------------------------------------------


def _union_for(user, union_pk) -> GrassrootsUnion:
    require(permissions.can_use_homes(user))
    return get_object_or_404(
        GrassrootsUnion.objects.visible_to(user).select_related("chair", "area"), pk=union_pk
    )


# --- the district view -------------------------------------------------------------------------


@check_required(permissions.can_use_homes)
def home_list(request):
    """Staff: the district's levels, rates and re-inspections, filtered by level, grid area and due date.
    A chair goes to their union's home page (a chair of several unions sees the list of theirs)."""
    user = request.user
    staff = permissions.is_homes_staff(user)
    unions = GrassrootsUnion.objects.visible_to(user).filter(status=GrassrootsUnion.Status.ACTIVE)
    if not staff:
        own = list(unions.values_list("pk", flat=True)[:2])
        if len(own) == 1:
            return redirect("homes:home_detail", union_pk=own[0])
    today = timezone.localdate()
    filters = {key: request.GET.get(key, "").strip() for key in ("level", "area", "due")}
    if (area := id_param(request, "area")) is not None:
        unions = unions.filter(area_id=area)
    figures = services.district_figures(unions) if staff else None
    rows = unions.select_related("area", "workers_home")
    if (level := int_param(request, "level")) in HomeLevel.values:
        rows = (
            rows.filter(workers_home__level=level)
            if level
            else rows.exclude(workers_home__level__gte=HomeLevel.QUALIFIED)
        )
    if filters["due"] == "overdue":
        rows = rows.filter(
            workers_home__level__gte=HomeLevel.QUALIFIED, workers_home__reinspection_due_on__lt=today
        )
    elif filters["due"] == "soon":
        rows = rows.filter(
            workers_home__level__gte=HomeLevel.QUALIFIED,
            workers_home__reinspection_due_on__lte=today + datetime.timedelta(days=SOON_DAYS),
        )
    rows = (
        rows.order_by("workers_home__reinspection_due_on", "code")
        if filters["due"]
        else rows.order_by("code")
    )
    page = page_of(request, rows)
    for union in page.object_list:
        union.home = services.home_of(union)
    return render(
        request,
        "homes/home_list.html",
        {
            "page": page,
            "figures": figures,
            "filters": filters,
            "staff": staff,
            "today": today,
            "levels": HomeLevel.choices,
            "areas": Area.objects.only("pk", "name") if staff else [],
            "soon_days": SOON_DAYS,
        },
    )


# --- a union's home ----------------------------------------------------------------------------


@login_required
def home_detail(request, union_pk):
    union = _union_for(request.user, union_pk)
    home = services.home_of(union)
    inspections = union.home_inspections.select_related("recorded_by").prefetch_related(
        Prefetch("scores", queryset=InspectionScore.objects.select_related("item")), "photos"
    )
    today = timezone.localdate()
    return render(
        request,
        "homes/home_detail.html",
        {
            "union": union,
            "home": home,
            "inspections": inspections,
            "today": today,
            "assessments": union.home_self_assessments.all(),
            "year": today.year,
            "is_chair": union.chair_id == request.user.pk,
            "can_inspect": permissions.can_record_inspection(request.user),
            "can_set_level": permissions.can_set_level(request.user),
            "overdue": bool(
                home and home.level and home.reinspection_due_on and home.reinspection_due_on < today
            ),
            "history": _history(request.user, home) if home else None,
        },
    )


@check_required(permissions.can_use_homes)
def home_photo(request, photo_pk):
    """A photo of an inspection, for the union's chair and staff only (never a public media URL)."""
    photo = get_object_or_404(
        InspectionPhoto.objects.filter(inspection__in=HomeInspection.objects.visible_to(request.user)),
        pk=photo_pk,
    )
    return stored_response(photo.image)


@login_required
def self_assessment(request, union_pk, year=None):
    """The chair fills in the year's self-assessment (a draft until submitted); staff may read it."""
    union = _union_for(request.user, union_pk)
    today = timezone.localdate()
    year = year or today.year
    if not services.FIRST_YEAR <= year <= today.year:
        raise Http404
    assessment = union.home_self_assessments.filter(year=year).select_related("submitted_by").first()
    editable = permissions.can_assess(request.user, union) and (
        assessment is None or assessment.status == SelfAssessment.Status.DRAFT
    )
    require(request.method != "POST" or editable)
    scores = list(assessment.scores.select_related("item")) if assessment else []
    form = None
    if editable:
        form = SelfAssessmentForm(request.POST or None, items=services.active_items(), initial_scores=scores)
        if request.method == "POST" and form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.save_self_assessment(
                    by=request.user,
                    union=union,
                    year=year,
                    points=form.points(),
                    notes=form.notes(),
                    submit=submit,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Self-assessment submitted.") if submit else _("Draft saved."))
                return redirect("homes:self_assessment", union_pk=union.pk, year=year)
    return render(
        request,
        "homes/self_assessment.html",
        {
            "union": union,
            "year": year,
            "assessment": assessment,
            "scores": scores,
            "form": form,
            "max_total": sum(item.max_points for item in form.items) if form else None,
        },
    )


@login_required
def inspection_create(request, union_pk):
    union = _union_for(request.user, union_pk)
    require(permissions.can_record_inspection(request.user))
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        items=services.active_items(),
        initial={
            "visited_on": timezone.localdate(),
            "inspectors": str(request.user),
            "kind": HomeInspection.Kind.REINSPECTION,
            "level_after": getattr(services.home_of(union), "level", HomeLevel.QUALIFIED),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_inspection(
                by=request.user,
                union=union,
                kind=data["kind"],
                visited_on=data["visited_on"],
                inspectors=data["inspectors"],
                findings=data["findings"],
                points=form.points(),
                level_after=data["level_after"],
                photos=data["photos"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("homes:home_detail", union_pk=union.pk)
    return render(request, "homes/inspection_form.html", {"union": union, "form": form})


@login_required
def set_level(request, union_pk):
    union = _union_for(request.user, union_pk)
    require(permissions.can_set_level(request.user))
    home = services.home_of(union)
    form = LevelForm(
        request.POST or None,
        initial={"level": getattr(home, "level", HomeLevel.QUALIFIED), "on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_level(
                by=request.user, union=union, level=form.cleaned_data["level"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Level recorded."))
            return redirect("homes:home_detail", union_pk=union.pk)
    return render(request, "homes/level_form.html", {"union": union, "home": home, "form": form})


# --- the checklist -----------------------------------------------------------------------------


@check_required(permissions.can_see_checklist)
def checklist_list(request):
    items = list(ChecklistItem.objects.all())
    return render(
        request,
        "homes/checklist_list.html",
        {
            "items": items,
            "active_total": sum(i.max_points for i in items if i.active),
            "can_add": permissions.can_add_checklist_item(request.user),
            "can_change": permissions.can_change_checklist_item(request.user),
        },
    )


@check_required(permissions.can_see_checklist)
def checklist_form(request, pk=None):
    """Add an item (no ``pk``) or change one."""
    item = get_object_or_404(ChecklistItem, pk=pk) if pk else None
    require(
        permissions.can_change_checklist_item(request.user)
        if item
        else permissions.can_add_checklist_item(request.user)
    )
    initial = {f: getattr(item, f) for f in ChecklistItemForm.base_fields} if item else None
    form = ChecklistItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item:
                services.update_checklist_item(by=request.user, item=item, **form.cleaned_data)
            else:
                services.create_checklist_item(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Checklist saved."))
            return redirect("homes:checklist_list")
    return render(request, "homes/checklist_form.html", {"form": form, "item": item})


@check_required(permissions.can_change_checklist_item)
@require_POST
def checklist_toggle(request, pk):
    item = get_object_or_404(ChecklistItem, pk=pk)
    item = services.set_checklist_item_active(by=request.user, item=item, active=not item.active)
    messages.success(
        request,
        _("“%(item)s” is in use again.") % {"item": item.title}
        if item.active
        else _("“%(item)s” is no longer in use.") % {"item": item.title},
    )
    return redirect(reverse("homes:checklist_list"))
