"""The one way a district list or figure is filtered by grid area (片组).

A page reads the area asked for with ``area_filter(request)`` (``?area=<pk>``; a missing, malformed
or unknown value is no filter, never an error), narrows its rows with
``filter_by_area(queryset, area, union_path)`` and renders ``templates/_area_filter.html`` with
``area_context(request)``. Pages whose filters are a django-filter ``FilterSet`` use ``AreaFilter``
instead. Filtering by area is for federation staff: everybody else sees their own union's rows
only, so for them there is no area filter (and no query for it).

The area model belongs to the registry (``members``), which contributes it
(``contributions.register_scope_models``): the core does not import a programme."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from .contributions import area_model
from .params import id_param, parse_id

_CACHE_ATTR = "_unionhub_area_options"


def area_options(request) -> list:
    """Every area, for the filter's select: one query per request, none for non-staff users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_federation_staff:
        return []
    options = getattr(request, _CACHE_ATTR, None)
    if options is None:
        options = list(area_model().objects.only("pk", "name").order_by("name"))
        setattr(request, _CACHE_ATTR, options)
    return options


def area_filter(request):
    """The area asked for by ``?area=<pk>``, or None: no value, not a number, or no such area."""
    pk = id_param(request, "area")
    if pk is None:
        return None
    return next((area for area in area_options(request) if area.pk == pk), None)


def filter_by_area(queryset, area, union_path: str):
    """Rows whose union is in ``area``: ``union_path`` leads from the row to its union ("union",
    "enterprise__union", "period__union"…; "" for unions themselves). ``None`` filters nothing."""
    if area is None:
        return queryset
    lookup = f"{union_path}__area" if union_path else "area"
    return queryset.filter(**{lookup: area})


def area_context(request) -> dict:
    """What ``_area_filter.html`` needs: the areas to choose from and the one chosen."""
    return {"area": area_filter(request), "area_options": area_options(request)}


class LenientAreaField(ModelChoiceField):
    """An area choice where a malformed or unknown value means "all areas" rather than an invalid
    form: a stale bookmark must not empty a list or break its export."""

    def to_python(self, value):
        raw = "" if value is None else str(value).strip()
        if parse_id(raw) is None:  # as area_filter: "１", "1.0" or 2**31 is not an area
            return None
        try:
            return super().to_python(raw)
        except ValidationError:
            return None


class AreaFilter(django_filters.ModelChoiceFilter):
    """The area filter of a FilterSet: ``AreaFilter(union_path="union")``."""

    field_class = LenientAreaField

    def __init__(self, *, union_path: str = "", **kwargs):
        kwargs.setdefault("label", _("Grid area"))
        kwargs.setdefault("empty_label", _("All areas"))
        kwargs.setdefault("queryset", area_model().objects.only("pk", "name").order_by("name"))
        super().__init__(field_name=f"{union_path}__area" if union_path else "area", **kwargs)
