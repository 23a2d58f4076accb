"""Forms of school places for members' children: the chair's request with its documents, each
staff step (check, send to the bureau, outcome, return) and the enrolment deadlines."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from unionhub.forms import BoundedDateField, BoundedIntegerField, SafeModelChoiceField
from unionhub.uploads import DocumentField

from ..models import SchoolGrade, SchoolPlaceDocument, SchoolPlaceRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Status = SchoolPlaceRequest.Status


class DocumentsForm(forms.Form):
    """One file field per kind of document; the required kinds are marked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in SchoolPlaceDocument.Kind.choices:
            self.fields[f"documents_{kind}"] = DocumentField(
                label=label, help_text=_("Required.") if kind in SchoolPlaceDocument.REQUIRED else ""
            )

    def document_fields(self):
        return [self[f"documents_{kind}"] for kind in SchoolPlaceDocument.Kind.values]

    def documents(self) -> list[tuple[str, object]]:
        return [
            (kind, upload)
            for kind in SchoolPlaceDocument.Kind.values
            for upload in self.cleaned_data.get(f"documents_{kind}", [])
        ]


class MemberChoiceField(SafeModelChoiceField):
    def label_from_instance(self, member):
        label = f"{member.name} {member.masked_id_number}"
        return f"{label} · {_('migrant worker')}" if member.is_migrant_worker else label


class RequestForm(DocumentsForm):
    member = MemberChoiceField(
        label=gettext_lazy("Member (parent)"),
        queryset=Member.objects.none(),
        help_text=gettext_lazy("An active member of the union; migrant workers first."),
    )
    child_name = forms.CharField(label=gettext_lazy("Child's name"), max_length=50)
    child_sex = forms.ChoiceField(
        label=gettext_lazy("Child's sex"), choices=SchoolPlaceRequest.Sex.choices, widget=forms.RadioSelect
    )
    child_birth_date = BoundedDateField(
        label=gettext_lazy("Child's birth date"), widget=DATE, max_value=timezone.localdate
    )
    school_year = BoundedIntegerField(
        label=gettext_lazy("School year"),
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("The year school starts, e.g. 2026 for September 2026."),
    )
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade applying for"), choices=[("", "---------"), *SchoolGrade.choices]
    )
    has_residence_permit = forms.BooleanField(
        label=gettext_lazy("The member holds a residence permit (居住证)"), required=False
    )
    residence_permit_since = BoundedDateField(
        label=gettext_lazy("Residence permit since"), widget=DATE, required=False
    )
    social_insurance_months = BoundedIntegerField(
        label=gettext_lazy("Months of social insurance paid here"), min_value=0, max_value=32767, initial=0
    )
    preferred_district = forms.CharField(
        label=gettext_lazy("Preferred school district"),
        max_length=100,
        help_text=gettext_lazy("e.g. 海洲街道 or the school the family hopes for."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = [
        "member",
        "child_name",
        "child_sex",
        "child_birth_date",
        "school_year",
        "grade",
        "has_residence_permit",
        "residence_permit_since",
        "social_insurance_months",
        "preferred_district",
        "note",
    ]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members

    def child_fields(self):
        return [
            self[name] for name in ("child_name", "child_sex", "child_birth_date", "school_year", "grade")
        ]

    def eligibility_fields(self):
        return [
            self[name]
            for name in (
                "has_residence_permit",
                "residence_permit_since",
                "social_insurance_months",
                "preferred_district",
                "note",
            )
        ]


class CheckForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendForm(forms.Form):
    sent_on = BoundedDateField(label=gettext_lazy("Sent to the bureau on"), widget=DATE)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        widget=forms.RadioSelect,
        choices=[(Status.PLACED, Status.PLACED.label), (Status.NOT_PLACED, Status.NOT_PLACED.label)],
    )
    school = forms.CharField(label=gettext_lazy("School placed at"), max_length=100, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason, if not placed"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_on = BoundedDateField(label=gettext_lazy("Outcome on"), widget=DATE)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeadlineForm(forms.Form):
    school_year = BoundedIntegerField(label=gettext_lazy("School year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=gettext_lazy("What is due"), max_length=100, help_text=gettext_lazy("e.g. 入学登记截止")
    )
    due_on = BoundedDateField(label=gettext_lazy("Due on"), widget=DATE)
    remind_days_before = BoundedIntegerField(
        label=gettext_lazy("Remind this many days before"), min_value=0, max_value=180, initial=7
    )
