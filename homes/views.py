"""Workers' homes (职工之家): the district view of levels and re-inspections for staff, each union's
home page (chair of that union and staff; another union is a 404), the chair's self-assessment,
staff inspections with photos, levels set from paper records, and the checklist's items."""

import datetime
import os

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.models import Area, GrassrootsUnion
from members.views import _history
from unionhub.paging import page_of
from unionhub.posted import add_errors
from unionhub.uploads import DocumentField, MultipleFileInput

from . import services
from .models import (
    ChecklistItem,
    HomeInspection,
    HomeLevel,
    InspectionPhoto,
    InspectionScore,
    SelfAssessment,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SOON_DAYS = 30

# --- forms -------------------------------------------------------------------------------------


class PhotoField(DocumentField):
    """Any number of photos: each a JPEG or PNG (by its content) of at most 10 MB. The photo check
    runs first, so that a PDF or any other file is refused as "not a photo"."""

    widget = MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"})

    def clean(self, data, initial=None):
        given = data if isinstance(data, list | tuple) else [data]
        problems = [p for upload in given if upload and (p := services.photo_problem(upload))]
        if problems:
            raise ValidationError(problems)
        return super().clean(data, initial)


def _points_field(item: ChecklistItem, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=item.title, required=required, min_value=0, max_value=item.max_points, max_digits=5,
        decimal_places=1, help_text=item.guidance,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": item.max_points, "class": "points"}))


class ScoresMixin:
    """One points field per checklist item in use (``item_<pk>``), grouped by category in the page."""

    def add_item_fields(self, items, *, required: bool, notes: bool = False):
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = _points_field(item, required=required)
            if notes:
                self.fields[f"note_{item.pk}"] = forms.CharField(
                    label=gettext_lazy("Note"), required=False, max_length=services.NOTE_LENGTH,
                    widget=forms.TextInput(attrs={"aria-label": item.title}))

    def item_rows(self):
        """``[(category label, [(item, points field, note field or None)])]`` in checklist order."""
        groups = {}
        for item in self.items:
            note = self[f"note_{item.pk}"] if f"note_{item.pk}" in self.fields else None
            groups.setdefault(item.get_category_display(), []).append((item, self[f"item_{item.pk}"], note))
        return list(groups.items())

    def points(self) -> dict:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") for item in self.items}

    def notes(self) -> dict:
        return {item.pk: self.cleaned_data.get(f"note_{item.pk}", "") for item in self.items}


class SelfAssessmentForm(ScoresMixin, forms.Form):
    def __init__(self, *args, items, initial_scores=None, **kwargs):
        initial = {}
        for score in initial_scores or ():
            initial[f"item_{score.item_id}"], initial[f"note_{score.item_id}"] = score.points, score.note
        super().__init__(*args, initial=initial, **kwargs)
        self.add_item_fields(items, required=False, notes=True)


class InspectionForm(ScoresMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of visit"), choices=HomeInspection.Kind.choices)
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=DATE)
    inspectors = forms.CharField(label=gettext_lazy("Inspectors"), max_length=200)
    findings = forms.CharField(label=gettext_lazy("Findings"), widget=forms.Textarea(attrs={"rows": 5}),
                               max_length=4000)
    level_after = forms.TypedChoiceField(label=gettext_lazy("Level after the visit"), choices=HomeLevel.choices,
                                         coerce=int)
    photos = PhotoField(label=gettext_lazy("Photos"),
                        help_text=gettext_lazy("JPEG or PNG, up to 10 MB each; several may be chosen at once."))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_fields(items, required=True)


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(label=gettext_lazy("Level"), choices=HomeLevel.choices, coerce=int)
    on = forms.DateField(label=gettext_lazy("Reached on"), widget=DATE,
                         help_text=gettext_lazy("The date of the decision in the federation's paper records."))


class ChecklistItemForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ChecklistItem.Category.choices)
    title = forms.CharField(label=gettext_lazy("Item"), max_length=200)
    guidance = forms.CharField(label=gettext_lazy("What earns the points"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    max_points = forms.IntegerField(label=gettext_lazy("Maximum points"), min_value=1, max_value=100)
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, max_value=999, initial=0,
                               help_text=gettext_lazy("Items are listed from the lowest number."))


# --- access ------------------------------------------------------------------------------------


def _homes_users_only(user):
    """Workers' homes are for federation staff and union chairs; other roles are not allowed (403)."""
    if not (services.is_homes_staff(user) or user.is_union_chair):
        raise PermissionDenied


def _union_for(user, union_pk) -> GrassrootsUnion:
    _homes_users_only(user)
    return get_object_or_404(GrassrootsUnion.objects.visible_to(user).select_related("chair", "area"), pk=union_pk)



# --- the district view -------------------------------------------------------------------------


@login_required
def home_list(request):
    """Staff: the district's levels, rates and re-inspections, filtered by level, grid area and due date.
    A chair goes to their union's home page (a chair of several unions sees the list of theirs)."""
    user = request.user
    _homes_users_only(user)
    staff = services.is_homes_staff(user)
    unions = GrassrootsUnion.objects.visible_to(user).filter(status=GrassrootsUnion.Status.ACTIVE)
    if not staff:
        own = list(unions.values_list("pk", flat=True)[:2])
        if len(own) == 1:
            return redirect("homes:home_detail", union_pk=own[0])
    today = timezone.localdate()
    filters = {key: request.GET.get(key, "").strip() for key in ("level", "area", "due")}
    if filters["area"].isdigit():
        unions = unions.filter(area_id=int(filters["area"]))
    figures = services.district_figures(unions) if staff else None
    rows = unions.select_related("area", "workers_home")
    if filters["level"].isdigit() and int(filters["level"]) in HomeLevel.values:
        level = int(filters["level"])
        rows = rows.filter(workers_home__level=level) if level else rows.exclude(
            workers_home__level__gte=HomeLevel.QUALIFIED)
    if filters["due"] == "overdue":
        rows = rows.filter(workers_home__level__gte=HomeLevel.QUALIFIED, workers_home__reinspection_due_on__lt=today)
    elif filters["due"] == "soon":
        rows = rows.filter(workers_home__level__gte=HomeLevel.QUALIFIED,
                           workers_home__reinspection_due_on__lte=today + datetime.timedelta(days=SOON_DAYS))
    rows = rows.order_by("workers_home__reinspection_due_on", "code") if filters["due"] else rows.order_by("code")
    page = page_of(request, rows)
    for union in page.object_list:
        union.home = services.home_of(union)
    return render(request, "homes/home_list.html", {
        "page": page, "figures": figures, "filters": filters, "staff": staff, "today": today,
        "levels": HomeLevel.choices, "areas": Area.objects.only("pk", "name") if staff else [],
        "soon_days": SOON_DAYS,
    })


# --- a union's home ----------------------------------------------------------------------------


@login_required
def home_detail(request, union_pk):
    union = _union_for(request.user, union_pk)
    home = services.home_of(union)
    inspections = union.home_inspections.select_related("recorded_by").prefetch_related(
        Prefetch("scores", queryset=InspectionScore.objects.select_related("item")), "photos")
    today = timezone.localdate()
    return render(request, "homes/home_detail.html", {
        "union": union, "home": home, "inspections": inspections, "today": today,
        "assessments": union.home_self_assessments.all(), "year": today.year,
        "is_chair": union.chair_id == request.user.pk,
        "can_inspect": services.can_record_inspection(request.user),
        "can_set_level": services.can_set_level(request.user),
        "overdue": bool(home and home.level and home.reinspection_due_on and home.reinspection_due_on < today),
        "history": _history(request.user, home) if home else None,
    })


@login_required
def home_photo(request, photo_pk):
    """A photo of an inspection, for the union's chair and staff only (never a public media URL)."""
    _homes_users_only(request.user)
    photo = get_object_or_404(InspectionPhoto.objects.filter(
        inspection__in=HomeInspection.objects.visible_to(request.user)), pk=photo_pk)
    return FileResponse(photo.image.open("rb"), filename=os.path.basename(photo.image.name))


@login_required
def self_assessment(request, union_pk, year=None):
    """The chair fills in the year's self-assessment (a draft until submitted); staff may read it."""
    union = _union_for(request.user, union_pk)
    today = timezone.localdate()
    year = year or today.year
    if not services.FIRST_YEAR <= year <= today.year:
        raise Http404
    assessment = union.home_self_assessments.filter(year=year).select_related("submitted_by").first()
    is_chair = union.chair_id == request.user.pk
    editable = is_chair and (assessment is None or assessment.status == SelfAssessment.Status.DRAFT)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    scores = list(assessment.scores.select_related("item")) if assessment else []
    form = None
    if editable:
        form = SelfAssessmentForm(request.POST or None, items=services.active_items(), initial_scores=scores)
        if request.method == "POST" and form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.save_self_assessment(by=request.user, union=union, year=year, points=form.points(),
                                              notes=form.notes(), submit=submit)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Self-assessment submitted.") if submit else _("Draft saved."))
                return redirect("homes:self_assessment", union_pk=union.pk, year=year)
    return render(request, "homes/self_assessment.html", {
        "union": union, "year": year, "assessment": assessment, "scores": scores, "form": form,
        "max_total": sum(item.max_points for item in form.items) if form else None,
    })


@login_required
def inspection_create(request, union_pk):
    union = _union_for(request.user, union_pk)
    if not services.can_record_inspection(request.user):
        raise PermissionDenied
    form = InspectionForm(request.POST or None, request.FILES or None, items=services.active_items(),
                          initial={"visited_on": timezone.localdate(), "inspectors": str(request.user),
                                   "kind": HomeInspection.Kind.REINSPECTION,
                                   "level_after": getattr(services.home_of(union), "level", HomeLevel.QUALIFIED)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_inspection(
                by=request.user, union=union, kind=data["kind"], visited_on=data["visited_on"],
                inspectors=data["inspectors"], findings=data["findings"], points=form.points(),
                level_after=data["level_after"], photos=data["photos"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("homes:home_detail", union_pk=union.pk)
    return render(request, "homes/inspection_form.html", {"union": union, "form": form})


@login_required
def set_level(request, union_pk):
    union = _union_for(request.user, union_pk)
    if not services.can_set_level(request.user):
        raise PermissionDenied
    home = services.home_of(union)
    form = LevelForm(request.POST or None, initial={"level": getattr(home, "level", HomeLevel.QUALIFIED),
                                                    "on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_level(by=request.user, union=union, level=form.cleaned_data["level"],
                               on=form.cleaned_data["on"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Level recorded."))
            return redirect("homes:home_detail", union_pk=union.pk)
    return render(request, "homes/level_form.html", {"union": union, "home": home, "form": form})


# --- the checklist -----------------------------------------------------------------------------


def _checklist_staff_only(user):
    if not (services.is_homes_staff(user) and user.has_perm("homes.view_checklistitem")):
        raise PermissionDenied


@login_required
def checklist_list(request):
    _checklist_staff_only(request.user)
    items = list(ChecklistItem.objects.all())
    return render(request, "homes/checklist_list.html", {
        "items": items, "active_total": sum(i.max_points for i in items if i.active),
        "can_add": services.can_add_checklist_item(request.user),
        "can_change": services.can_change_checklist_item(request.user),
    })


@login_required
def checklist_form(request, pk=None):
    """Add an item (no ``pk``) or change one."""
    _checklist_staff_only(request.user)
    item = get_object_or_404(ChecklistItem, pk=pk) if pk else None
    if not (services.can_change_checklist_item(request.user) if item else services.can_add_checklist_item(request.user)):
        raise PermissionDenied
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


@login_required
@require_POST
def checklist_toggle(request, pk):
    _checklist_staff_only(request.user)
    item = get_object_or_404(ChecklistItem, pk=pk)
    if not services.can_change_checklist_item(request.user):
        raise PermissionDenied
    item = services.set_checklist_item_active(by=request.user, item=item, active=not item.active)
    messages.success(request, _("“%(item)s” is in use again.") % {"item": item.title} if item.active
                     else _("“%(item)s” is no longer in use.") % {"item": item.title})
    return redirect(reverse("homes:checklist_list"))

