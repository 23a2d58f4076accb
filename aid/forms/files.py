"""Forms of the hardship files: the chair's new file with its household rows, and each step of
the workflow (visit, notice, objection, approval, review, living standard)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from members.validators import clean_resident_id
from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField
from unionhub.uploads import DocumentField

from ..models import FileReview, HardshipDocument, HardshipFile

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HOUSEHOLD_ROWS = 6
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class FileForm(forms.Form):
    """A new file: the worker named by ID number (a member of the chair's own union), causes,
    monthly figures and the supporting documents."""

    id_number = forms.CharField(
        label=gettext_lazy("Worker's resident ID number"),
        max_length=24,
        help_text=gettext_lazy("The worker must be an active member of your union."),
    )
    causes = forms.MultipleChoiceField(
        label=gettext_lazy("Causes of hardship"),
        choices=HardshipFile.Cause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    situation = forms.CharField(
        label=gettext_lazy("Situation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=gettext_lazy("What happened, and how the household lives now."),
    )
    household_income = BoundedDecimalField(
        label=gettext_lazy("Household monthly income (yuan)"),
        **MONEY_FIELD,
        help_text=gettext_lazy("Everyone in the household together, the worker included."),
    )
    hardship_expenses = BoundedDecimalField(
        label=gettext_lazy("Monthly hardship expenses (yuan)"),
        **MONEY_FIELD,
        initial=0,
        help_text=gettext_lazy("Medical, education and other unavoidable costs."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for kind, label in HardshipDocument.Kind.choices:
            self.fields[f"documents_{kind}"] = DocumentField(label=label)

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        if number:
            member = (
                Member.objects.visible_to(self.user)
                .active()
                .filter(id_number=number)
                .select_related("union", "enterprise")
                .first()
            )
            if member is None:
                self.add_error("id_number", _("No active member of your union has this ID number."))
            else:
                data["member"] = member
        return data

    def document_fields(self):
        return [self[f"documents_{kind}"] for kind in HardshipDocument.Kind.values]

    def documents(self) -> list[tuple[str, object]]:
        return [
            (kind, upload)
            for kind in HardshipDocument.Kind.values
            for upload in self.cleaned_data.get(f"documents_{kind}", [])
        ]


class HouseholdForm(forms.Form):
    """One other person in the household; a row left blank is ignored."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    relation = forms.CharField(label=gettext_lazy("Relation"), max_length=20)
    age = BoundedIntegerField(label=gettext_lazy("Age"), min_value=0, max_value=130)
    occupation = forms.CharField(label=gettext_lazy("Occupation"), max_length=50, required=False)
    monthly_income = BoundedDecimalField(label=gettext_lazy("Monthly income"), required=False, **MONEY_FIELD)
    health = forms.CharField(label=gettext_lazy("Health"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the rows are a table whose header is hidden on a phone
            field.widget.attrs.update({"placeholder": field.label, "aria-label": field.label})


HouseholdFormSet = forms.formset_factory(HouseholdForm, extra=HOUSEHOLD_ROWS, max_num=HOUSEHOLD_ROWS)


class VisitForm(forms.Form):
    visited_on = BoundedDateField(label=gettext_lazy("Visited on"), widget=DATE)
    visitors = forms.CharField(label=gettext_lazy("Visited by"), max_length=200)
    findings = forms.CharField(
        label=gettext_lazy("Findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=300
    )


class LeftForm(ReasonForm):
    on = BoundedDateField(label=gettext_lazy("Left hardship on"), widget=DATE)


class NoticeForm(forms.Form):
    start = BoundedDateField(
        label=gettext_lazy("Notice from"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Left blank: the first working day from today."),
    )


class ObjectionForm(forms.Form):
    received_on = BoundedDateField(label=gettext_lazy("Received on"), widget=DATE)
    content = forms.CharField(
        label=gettext_lazy("Objection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=gettext_lazy("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    upheld = forms.BooleanField(label=gettext_lazy("The objection is upheld"), required=False)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=FileReview._meta.get_field("outcome").choices
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LivingStandardForm(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    monthly_amount = BoundedDecimalField(
        label=gettext_lazy("Per person per month (yuan)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    note = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("e.g. the civil affairs bureau's notice."),
    )
