"""The forms of the workers'-home pages: the self-assessment and inspection scores (one field per
checklist item), photos, levels and checklist items."""

from django import forms
from django.utils.translation import gettext_lazy

from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField
from unionhub.uploads import PolicyFileField

from . import services
from .models import (
    ChecklistItem,
    HomeInspection,
    HomeLevel,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PhotoField(PolicyFileField):
    """Any number of photos: each a JPEG or PNG (by its content) of at most 10 MB."""

    def __init__(self, **kwargs):
        super().__init__(policy=services.PHOTO_POLICY, multiple=True, **kwargs)


def _points_field(item: ChecklistItem, *, required: bool) -> forms.DecimalField:
    return BoundedDecimalField(
        label=item.title,
        required=required,
        min_value=0,
        max_value=item.max_points,
        max_digits=5,
        decimal_places=1,
        help_text=item.guidance,
        widget=forms.NumberInput(
            attrs={"step": "0.1", "min": "0", "max": item.max_points, "class": "points"}
        ),
    )


class ScoresMixin:
    """One points field per checklist item in use (``item_<pk>``), grouped by category in the page."""

    def add_item_fields(self, items, *, required: bool, notes: bool = False):
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = _points_field(item, required=required)
            if notes:
                self.fields[f"note_{item.pk}"] = forms.CharField(
                    label=gettext_lazy("Note"),
                    required=False,
                    max_length=services.NOTE_LENGTH,
                    widget=forms.TextInput(attrs={"aria-label": item.title}),
                )

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
    visited_on = BoundedDateField(label=gettext_lazy("Visited on"), widget=DATE)
    inspectors = forms.CharField(label=gettext_lazy("Inspectors"), max_length=200)
    findings = forms.CharField(
        label=gettext_lazy("Findings"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    level_after = forms.TypedChoiceField(
        label=gettext_lazy("Level after the visit"), choices=HomeLevel.choices, coerce=int
    )
    photos = PhotoField(
        label=gettext_lazy("Photos"),
        help_text=gettext_lazy("JPEG or PNG, up to 10 MB each; several may be chosen at once."),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_fields(items, required=True)


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(label=gettext_lazy("Level"), choices=HomeLevel.choices, coerce=int)
    on = BoundedDateField(
        label=gettext_lazy("Reached on"),
        widget=DATE,
        help_text=gettext_lazy("The date of the decision in the federation's paper records."),
    )


class ChecklistItemForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ChecklistItem.Category.choices)
    title = forms.CharField(label=gettext_lazy("Item"), max_length=200)
    guidance = forms.CharField(
        label=gettext_lazy("What earns the points"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_points = BoundedIntegerField(label=gettext_lazy("Maximum points"), min_value=1, max_value=100)
    order = BoundedIntegerField(
        label=gettext_lazy("Order"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=gettext_lazy("Items are listed from the lowest number."),
    )
