"""Forms of aid programmes and applications: the programme, the chair's application, each
decision (approve, reject, refer, pay), the staff list's filter and the holiday-visit batch."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import GrassrootsUnion, Member
from members.validators import clean_resident_id
from unionhub.forms import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)
from unionhub.uploads import DOCUMENTS, PolicyFileField

from .. import permissions
from ..models import Application, Programme
from ..rules import rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"min_value": Decimal("0.01"), "max_digits": 14, "decimal_places": 2}


class ProgrammeForm(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Programme.Kind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    min_amount = BoundedDecimalField(label=gettext_lazy("Smallest amount (yuan)"), required=False, **AMOUNT)
    max_amount = BoundedDecimalField(label=gettext_lazy("Largest amount (yuan)"), required=False, **AMOUNT)
    opens_on = BoundedDateField(label=gettext_lazy("Applications from"), required=False, widget=DATE)
    closes_on = BoundedDateField(label=gettext_lazy("Applications until"), required=False, widget=DATE)
    on_file_only = forms.TypedChoiceField(
        label=gettext_lazy("Who can receive it"),
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
        choices=[
            (
                "",
                gettext_lazy("As usual for the kind (temporary relief: any worker; others: workers on file)"),
            ),
            ("yes", gettext_lazy("Only workers with an active hardship file")),
            ("no", gettext_lazy("Any worker, on file or not")),
        ],
    )
    budget = BoundedDecimalField(label=gettext_lazy("Budget (yuan)"), required=False, **AMOUNT)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        r = rules()
        self.fields["min_amount"].help_text = _(
            "For an education grant, leave the amounts and dates empty to use %(low)s–%(high)s yuan and "
            "July–August."
        ) % {"low": f"{r.education_min:,}", "high": f"{r.education_max:,}"}


class ApplicationForm(forms.Form):
    """The worker is named by ID number and must be an active member of the chair's union."""

    id_number = forms.CharField(label=gettext_lazy("Worker's resident ID number"), max_length=24)
    amount_requested = BoundedDecimalField(label=gettext_lazy("Amount requested (yuan)"), **AMOUNT)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=gettext_lazy("The family's situation and what the aid is for."),
    )
    child_name = forms.CharField(label=gettext_lazy("Child's name"), max_length=50)
    child_id_number = forms.CharField(label=gettext_lazy("Child's resident ID number"), max_length=24)
    school = forms.CharField(label=gettext_lazy("University admitted to"), max_length=100)
    admission_letter = PolicyFileField(
        label=gettext_lazy("Admission letter"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
        policy=DOCUMENTS,
    )

    EDUCATION_FIELDS = ("child_name", "child_id_number", "school", "admission_letter")

    def __init__(self, *args, user, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if programme.kind != Programme.Kind.EDUCATION:
            for name in self.EDUCATION_FIELDS:
                del self.fields[name]
        self.fields["amount_requested"].help_text = _("From %(low)s to %(high)s yuan.") % {
            "low": f"{programme.min_amount:,}",
            "high": f"{programme.max_amount:,}",
        }

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean_child_id_number(self):
        return clean_resident_id(self.cleaned_data["child_id_number"])

    def clean(self):
        data = super().clean()
        if number := data.get("id_number"):
            member = Member.objects.active().filter(id_number=number).select_related("union").first()
            if permissions.is_aid_staff(self.user):
                if member is None:
                    self.add_error("id_number", _("No active member has this ID number."))
                else:
                    data["member"] = member
            elif member is None or member.union.chair_id != self.user.pk:
                # One answer whether the number is nobody's or another union's member's: the form
                # tells a chair nothing about people outside their own union.
                self.add_error("id_number", _("No active member of your union has this ID number."))
            else:
                data["member"] = member
        return data


class ApproveForm(forms.Form):
    amount = BoundedDecimalField(label=gettext_lazy("Amount approved (yuan)"), **AMOUNT)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why, and what was sent to the charity federation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentForm(forms.Form):
    paid_on = BoundedDateField(label=gettext_lazy("Paid on"), widget=DATE)
    reference = forms.CharField(label=gettext_lazy("Bank transfer reference"), max_length=60)


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("The charity federation's decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount_received = BoundedDecimalField(
        label=gettext_lazy("Amount the worker received (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )


class ApplicationFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Worker"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *Application.Status.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All")), *Programme.Kind.choices],
    )
    year = BoundedIntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
    programme = SafeModelChoiceField(
        label=gettext_lazy("Programme"),
        required=False,
        queryset=Programme.objects.order_by("-year", "kind", "name"),
    )
    union = SafeModelChoiceField(
        label=gettext_lazy("Union"), required=False, queryset=GrassrootsUnion.objects.order_by("code")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not permissions.is_aid_staff(user):
            del self.fields["union"]
        else:
            self.fields["union"].label_from_instance = lambda union: f"{union.code} {union.name}"

    def filter(self, applications):
        data = self.cleaned_data
        if data["q"].strip():
            applications = applications.filter(member__name__contains=data["q"].strip())
        for field, lookup in (
            ("status", "status"),
            ("kind", "programme__kind"),
            ("year", "programme__year"),
            ("programme", "programme"),
            ("union", "union"),
        ):
            if data.get(field):
                applications = applications.filter(**{lookup: data[field]})
        return applications


class VisitBatchForm(forms.Form):
    """A holiday-visit campaign for the workers on file chosen from the candidates listed."""

    programme = SafeModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Programme.objects.filter(kind=Programme.Kind.HOLIDAY_VISIT).order_by("-year", "name"),
    )
    union = SafeModelChoiceField(
        label=gettext_lazy("Union"),
        required=False,
        queryset=GrassrootsUnion.objects.order_by("code"),
        empty_label=gettext_lazy("All unions"),
    )
    amount_each = BoundedDecimalField(label=gettext_lazy("Amount for each worker (yuan)"), **AMOUNT)
    on = BoundedDateField(label=gettext_lazy("Date of the visits"), widget=DATE)
    members = SafeModelMultipleChoiceField(
        label=gettext_lazy("Workers on file"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].label_from_instance = lambda union: f"{union.code} {union.name}"
        self.fields["members"].queryset = Member.objects.filter(
            pk__in=[file.member_id for file in candidates]
        ).select_related("union")

    def clean_on(self):
        if self.cleaned_data["on"] > timezone.localdate():
            raise ValidationError(_("The visits cannot be dated in the future."))
        return self.cleaned_data["on"]
