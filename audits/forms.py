"""The forms of the audit pages: the district view's filters, the plan, the team, the checklist, findings
and rectifications."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import GrassrootsUnion
from unionhub.forms import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)
from unionhub.uploads import PolicyFileField

from . import services
from .models import Area, Audit, AuditType, ChecklistResult, Finding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


def auditors():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="view_audit")
        .distinct()
        .order_by("username")
    )


class EvidenceField(PolicyFileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Evidence files"))
        kwargs.setdefault("help_text", _("PDF, JPEG or PNG, at most 10 MB each."))
        super().__init__(policy=services.EVIDENCE_POLICY, multiple=True, **kwargs)


class FilterForm(forms.Form):
    """The district view's filters; a bad value is dropped, never an error page."""

    year = BoundedIntegerField(
        label=_("Year"), required=False, min_value=services.YEAR_MIN, max_value=services.YEAR_MAX
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + list(Audit.State.choices)
    )

    def values(self) -> dict:
        today = timezone.localdate()
        if not self.is_valid():
            clean = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        else:
            clean = self.cleaned_data
        return {"year": clean.get("year") or today.year, "state": clean.get("state") or ""}


class AddUnionForm(forms.Form):
    union = SafeModelChoiceField(
        label=_("Grassroots union"),
        queryset=GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE).order_by("code"),
    )
    kind = forms.ChoiceField(label=_("Audit type"), choices=AuditType.choices, initial=AuditType.ANNUAL)
    note = forms.CharField(label=_("Why it is added"), max_length=200, required=False)


class TeamForm(forms.Form):
    kind = forms.ChoiceField(label=_("Audit type"), choices=AuditType.choices)
    lead = SafeModelChoiceField(label=_("Auditor in charge"), queryset=None, required=False)
    team = SafeModelMultipleChoiceField(
        label=_("Audit team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    fieldwork_from = BoundedDateField(label=_("Fieldwork from"), required=False, widget=DATE)
    fieldwork_to = BoundedDateField(label=_("Fieldwork to"), required=False, widget=DATE)
    working_notes = forms.CharField(
        label=_("Working notes (team only)"), required=False, max_length=services.TEXT_MAX, widget=TEXT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = auditors()
        self.fields["team"].queryset = auditors()

    def clean(self):
        data = super().clean()
        start, end = data.get("fieldwork_from"), data.get("fieldwork_to")
        if start and end and end < start:
            self.add_error("fieldwork_to", _("The fieldwork cannot end before it begins."))
        return data


class ChecklistForm(forms.Form):
    """One result and one note per checklist item (``result_<pk>``, ``note_<pk>``)."""

    def __init__(self, *args, items, results=(), **kwargs):
        initial = {}
        for r in results:
            initial[f"result_{r.item_id}"], initial[f"note_{r.item_id}"] = r.result, r.note
        super().__init__(*args, initial=initial, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                required=False,
                choices=[("", "—")] + list(ChecklistResult.Result.choices),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"aria-label": item.title}),
            )

    def rows(self):
        return [(item, self[f"result_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def results(self) -> dict:
        return {
            item.pk: (self.cleaned_data.get(f"result_{item.pk}"), self.cleaned_data.get(f"note_{item.pk}"))
            for item in self.items
        }


def _amount_field(label, required=True):
    return BoundedDecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=services.AMOUNT_MAX,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )


class FindingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Area.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices)
    description = forms.CharField(
        label=_("Description of the finding"), max_length=services.TEXT_MAX, widget=TEXT
    )
    amount_involved = _amount_field(_("Amount involved (yuan)"))
    amount_recovered = _amount_field(_("Recovered (yuan)"))
    deadline = BoundedDateField(
        label=_("Rectification deadline"),
        required=False,
        widget=DATE,
        help_text=_("Empty: %(days)d working days from today.")
        % {"days": services.RECTIFICATION_WORKING_DAYS},
    )
    files = EvidenceField()

    def clean_deadline(self):
        day = self.cleaned_data.get("deadline")
        today = timezone.localdate()
        if day and not today <= day <= today + datetime.timedelta(days=366):
            raise forms.ValidationError(_("The deadline must be from today to a year from now."))
        return day


class RecoveredForm(forms.Form):
    amount_recovered = _amount_field(_("Recovered (yuan)"))


class CompleteForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), max_length=services.TEXT_MAX, widget=TEXT)


class RespondForm(forms.Form):
    text = forms.CharField(label=_("How it was rectified"), max_length=services.TEXT_MAX, widget=TEXT)
    files = EvidenceField()


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Why it is sent back"), max_length=services.TEXT_MAX, widget=TEXT)
    deadline = BoundedDateField(label=_("New deadline"), required=False, widget=DATE)
