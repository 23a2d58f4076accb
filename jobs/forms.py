"""The job-finding help's forms: the public page's filter, a vacancy with its publish choices, the return
reason, the extension, the closing, a referral and its outcome."""

from django import forms
from django.utils.translation import gettext_lazy

from members.models import Area
from members.validators import clean_phone
from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField

from .models import DEFAULT_RUN_DAYS, MAX_OPENINGS, MAX_RUN_DAYS, WAGE_MAX, WAGE_MIN, Referral, Trade, Vacancy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PublicFilterForm(forms.Form):
    """The public page's filter: an unknown trade or area is simply no filter (a stale link never errs)."""

    trade = forms.ChoiceField(
        label=gettext_lazy("Trade"), required=False, choices=[("", gettext_lazy("All"))] + Trade.choices
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Grid area"),
        required=False,
        queryset=Area.objects.only("pk", "name"),
        empty_label=gettext_lazy("All"),
    )

    def filters(self) -> dict:
        self.is_valid()  # an invalid field is left out of cleaned_data: no filter on it
        return {key: value for key, value in self.cleaned_data.items() if value}


class VacancyForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Job title"), max_length=60)
    trade = forms.ChoiceField(label=gettext_lazy("Trade"), choices=Trade.choices)
    openings = BoundedIntegerField(label=gettext_lazy("Openings"), min_value=1, max_value=MAX_OPENINGS)
    wage_min = BoundedDecimalField(
        label=gettext_lazy("Wage from (yuan a month)"),
        min_value=WAGE_MIN,
        max_value=WAGE_MAX,
        max_digits=8,
        decimal_places=2,
    )
    wage_max = BoundedDecimalField(
        label=gettext_lazy("Wage up to (yuan a month)"),
        min_value=WAGE_MIN,
        max_value=WAGE_MAX,
        max_digits=8,
        decimal_places=2,
    )
    requirements = forms.CharField(
        label=gettext_lazy("Requirements and description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "What the job is, the shifts, and what it asks of a worker (age, skills, certificates)."
        ),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Work place (grid area)"),
        required=False,
        queryset=Area.objects.only("pk", "name"),
        help_text=gettext_lazy("The union's grid area when left empty."),
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=20)
    run_days = BoundedIntegerField(
        label=gettext_lazy("Run for (days)"),
        min_value=1,
        max_value=MAX_RUN_DAYS,
        initial=DEFAULT_RUN_DAYS,
        help_text=gettext_lazy("Counted from the day the federation approves it; at most 90."),
    )
    publish_wage = forms.BooleanField(
        label=gettext_lazy("Show the wage publicly"), required=False, initial=True
    )
    publish_enterprise = forms.BooleanField(
        label=gettext_lazy("Show the enterprise's name publicly"), required=False, initial=True
    )
    publish_contact_name = forms.BooleanField(
        label=gettext_lazy("Show the contact person publicly"), required=False
    )
    publish_contact_phone = forms.BooleanField(
        label=gettext_lazy("Show the contact phone publicly"), required=False
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        data = super().clean()
        low, high = data.get("wage_min"), data.get("wage_max")
        if low is not None and high is not None and low > high:
            self.add_error("wage_max", gettext_lazy("The lowest wage cannot be above the highest."))
        return data


def vacancy_initial(vacancy: Vacancy) -> dict:
    return {
        name: getattr(vacancy, name + "_id" if name in ("enterprise", "area") else name)
        for name in (
            "enterprise",
            "title",
            "trade",
            "openings",
            "wage_min",
            "wage_max",
            "requirements",
            "area",
            "contact_name",
            "contact_phone",
            "run_days",
            "publish_wage",
            "publish_enterprise",
            "publish_contact_name",
            "publish_contact_phone",
        )
    }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is returned"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtendForm(forms.Form):
    days = BoundedIntegerField(
        label=gettext_lazy("List it for another (days, from today)"), min_value=1, max_value=MAX_RUN_DAYS
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why it closes"), choices=Vacancy.CloseReason.choices)


class ReferralForm(forms.Form):
    worker_name = forms.CharField(label=gettext_lazy("Worker's name"), max_length=50)
    worker_phone = forms.CharField(label=gettext_lazy("Worker's phone"), max_length=20)
    case = forms.ModelChoiceField(
        label=gettext_lazy("Grievance case"),
        required=False,
        queryset=None,
        help_text=gettext_lazy(
            "Often a worker whose job ended: dismissal and employment-help cases come first."
        ),
    )
    id_number = forms.CharField(
        label=gettext_lazy("Resident ID number (to link the member record)"),
        max_length=18,
        required=False,
        help_text=gettext_lazy("Optional: links the referral to the worker's record in the registry."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cases, with_member: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.number} · {case.get_category_display()} · {case.employer_name[:20]}"
        )
        if not with_member:
            del self.fields["id_number"]

    def clean_worker_phone(self):
        return clean_phone(self.cleaned_data["worker_phone"])


class OutcomeForm(forms.Form):
    to = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[(s, label) for s, label in Referral.Status.choices if s != Referral.Status.REFERRED],
    )
    on = BoundedDateField(label=gettext_lazy("On"), widget=DATE)
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
