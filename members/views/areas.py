"""Grid areas (网格化片组管理): staff keep the areas and assign unions to them; an area's page shows
its summary figures — counts and totals only — to staff and to the chair of the area's lead union.
Nobody else learns that an area exists (404)."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import Scope, collect
from unionhub.forms import BoundedModelForm, SafeModelMultipleChoiceField
from unionhub.masking import mask_phone
from unionhub.params import text_param

from ..forms import StoredNumberMixin
from ..models import Area, Enterprise, GrassrootsUnion, Member
from ..services import areas as services
from ..validators import clean_phone
from . import add_errors


class AreaForm(StoredNumberMixin, BoundedModelForm):
    """The lead union is chosen among the area's own unions and those in no area (the service refuses
    any other); a stored contact phone is never sent back to the browser."""

    stored_number_field = "contact_phone"

    class Meta:
        model = Area
        fields = ["name", "lead_union", "contact_name", "contact_phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = Q(area__isnull=True) | Q(area=self.instance) if self.instance.pk else Q(area__isnull=True)
        self.fields["lead_union"].queryset = (
            GrassrootsUnion.objects.filter(eligible)
            .filter(status=GrassrootsUnion.Status.ACTIVE)
            .order_by("code")
        )
        self.fields["lead_union"].help_text = gettext_lazy(
            "One of the area's unions, or a union in no area (it joins this area). Its chair sees the area's "
            "figures."
        )
        self.hide_stored_number(mask_phone(self.instance.contact_phone))

    def clean_contact_phone(self):
        return self.keep_or_clean(clean_phone)

    def validate_unique(self):
        """The service refuses a name already taken, with its own message."""


class AssignForm(forms.Form):
    unions = SafeModelMultipleChoiceField(queryset=GrassrootsUnion.objects.all(), required=False)
    shown = SafeModelMultipleChoiceField(queryset=GrassrootsUnion.objects.all(), required=False)


def _require(user, permission: str) -> None:
    if not (user.is_federation_staff and user.has_perm(permission)):
        raise PermissionDenied


def _area_for(user, pk) -> Area:
    """Staff see every area; the chair of an area's lead union sees that area; anybody else: 404."""
    if not user.is_authenticated:
        raise Http404
    areas = Area.objects.select_related("lead_union__chair")
    if not user.is_federation_staff:
        areas = areas.filter(lead_union__chair=user)
    return get_object_or_404(areas, pk=pk)


@login_required
def area_list(request):
    user = request.user
    if not user.is_federation_staff:
        led = list(Area.objects.filter(lead_union__chair=user).values_list("pk", flat=True))
        if len(led) == 1:
            return redirect("members:area_detail", pk=led[0])
        if not led:
            raise PermissionDenied
    areas = (
        Area.objects.select_related("lead_union__chair")
        .annotate(
            union_count=Count("unions", distinct=True),
            member_count=Count(
                "unions__members", filter=Q(unions__members__status__in=Member.ACTIVE_STATUSES)
            ),
        )
        .order_by("name")
    )
    if not user.is_federation_staff:
        areas = areas.filter(lead_union__chair=user)
    return render(
        request,
        "members/area_list.html",
        {
            "areas": areas,
            "unassigned": GrassrootsUnion.objects.filter(area__isnull=True).count()
            if user.is_federation_staff
            else None,
            "can_add": user.is_federation_staff and user.has_perm("members.add_area"),
            "can_change": user.is_federation_staff and user.has_perm("members.change_area"),
        },
    )


def _area_form_page(request, area: Area | None):
    # The form writes what was typed onto its instance: a copy, so that the page keeps the saved name.
    form = AreaForm(request.POST or None, instance=copy.copy(area) if area else None)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.AREA_FIELDS}
        try:
            if area is None:
                area = services.create_area(by=request.user, **data)
            else:
                area = services.update_area(by=request.user, area=area, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(area)
    return render(request, "members/area_form.html", {"form": form, "area": area})


@login_required
def area_create(request):
    _require(request.user, "members.add_area")
    return _area_form_page(request, None)


@login_required
def area_edit(request, pk):
    area = _area_for(request.user, pk)
    _require(request.user, "members.change_area")
    return _area_form_page(request, area)


def _counts_by_union(queryset, key: str = "union_id") -> dict[int, int]:
    return dict(queryset.values_list(key).annotate(n=Count("pk")).values_list(key, "n").order_by())


def area_figures(area: Area, *, today, user=None) -> dict:
    """The area's summary: counts and totals only, each from one query over the area's unions, contributed
    by the programme it belongs to (``@area_figures`` in ``<app>/dashboard.py``)."""
    return {"year": today.year, **collect("area_figures", Scope(day=today, user=user, area=area))}


@login_required
def area_detail(request, pk):
    user = request.user
    area = _area_for(user, pk)
    today = timezone.localdate()
    unions = list(area.unions.select_related("chair").order_by("code"))
    active = Member.objects.active().filter(union__area=area)
    member_counts = _counts_by_union(active)
    migrant_counts = _counts_by_union(active.filter(is_migrant_worker=True))
    enterprise_counts = _counts_by_union(Enterprise.objects.filter(union__area=area))
    for union in unions:
        union.member_count = member_counts.get(union.pk, 0)
        union.migrant_count = migrant_counts.get(union.pk, 0)
        union.enterprise_count = enterprise_counts.get(union.pk, 0)
        # A lead chair opens only the unions they chair; another union's page would be a 404.
        union.can_open = user.is_federation_staff or union.chair_id == user.pk
    return render(
        request,
        "members/area_detail.html",
        {
            "area": area,
            "figures": area_figures(area, today=today, user=user),
            "unions": unions,
            "today": today,
            "contact_phone": mask_phone(area.contact_phone),
            "is_staff": user.is_federation_staff,
            "can_change": user.is_federation_staff and user.has_perm("members.change_area"),
        },
    )


@login_required
def area_assign(request, pk):
    """Tick the unions that belong to the area: those in no area and the area's own are listed
    (with ``others=1``, the unions of other areas too); ``q`` narrows the list by code or name."""
    area = _area_for(request.user, pk)
    _require(request.user, "members.change_area")
    if request.method == "POST":
        form = AssignForm(request.POST)
        if form.is_valid():
            ticked = set(form.cleaned_data["unions"])
            unticked = set(form.cleaned_data["shown"]) - ticked
            added, removed = services.change_area_unions(
                by=request.user, area=area, add=ticked, remove=unticked
            )
            messages.success(
                request,
                _("%(added)d unions added to the area, %(removed)d taken out.")
                % {"added": added, "removed": removed},
            )
        else:
            messages.error(request, _("The list of unions has changed; nothing was saved. Try again."))
        return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    q = text_param(request, "q")
    others = request.GET.get("others") == "1"
    unions = GrassrootsUnion.objects.select_related("area", "chair").order_by("code")
    if not others:
        unions = unions.filter(Q(area__isnull=True) | Q(area=area))
    if q:
        unions = unions.filter(Q(code__icontains=q) | Q(name__contains=q))
    return render(
        request,
        "members/area_assign.html",
        {
            "area": area,
            "unions": unions,
            "q": q,
            "others": others,
        },
    )


urlpatterns = [
    path("areas/", area_list, name="area_list"),
    path("areas/new/", area_create, name="area_create"),
    path("areas/<int:pk>/", area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", area_edit, name="area_edit"),
    path("areas/<int:pk>/unions/", area_assign, name="area_assign"),
]
