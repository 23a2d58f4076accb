"""Forms of secondment: nominations, assessments, duty logs, the rota (generation, unavailability,
swaps), training courses and enrolment, and the certificate pages' filter and batch."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from members.models import GrassrootsUnion, Member
from members.validators import clean_mobile, clean_resident_id
from unionhub.forms import (
    BoundedDateField,
    BoundedIntegerField,
    BoundedModelForm,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)

from .models import Assessment, Course, DutyLog, SecondmentTerm, SwapRequest, UnionPost
from .services.certificates import holder_name, parse_month
from .services.training import enrollable_terms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class NominationForm(forms.Form):
    """A chair names the cadre by ID number: the member must be on their own union's roster."""

    union = SafeModelChoiceField(label=_("Grassroots union"), queryset=GrassrootsUnion.objects.none())
    id_number = forms.CharField(
        label=_("Nominee's resident ID number"),
        max_length=24,
        help_text=_("The cadre must be an active member of this union."),
    )
    # No preselected post or education: the chair states them.
    union_post = forms.ChoiceField(label=_("Union post"), choices=[("", "---------"), *UnionPost.choices])
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "---------"), *Member.Education.choices]
    )
    phone = forms.CharField(
        label=_("Mobile"), max_length=20, help_text=_("The cadre logs in with this number once approved.")
    )
    start_date = BoundedDateField(label=_("Proposed start date"), widget=DATE)
    recommendation = forms.CharField(
        label=_("Recommendation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this cadre, and their commitment to union work."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unions = GrassrootsUnion.objects.visible_to(user).order_by("code")
        self.fields["union"].queryset = unions
        self.fields["union"].label_from_instance = lambda u: f"{u.code} {u.name}"
        if unions.count() == 1:
            self.fields["union"].initial = unions.first()
        self.fields["start_date"].initial = timezone.localdate() + datetime.timedelta(days=14)

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        union, number = data.get("union"), data.get("id_number")
        if union and number:
            member = Member.objects.active().filter(id_number=number, union=union).first()
            if member is None:
                # One answer whether the number is nobody's or another union's member's: the form
                # tells a chair nothing about people outside their own union.
                self.add_error(
                    "id_number",
                    _(
                        "No active member of this union has this ID number; a chair nominates from their "
                        "own union's roster (register the cadre there first)."
                    ),
                )
            else:
                data["member"] = member
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class DutyLogForm(forms.Form):
    arrived_at = forms.TimeField(label=_("Arrived"), widget=TIME, initial=datetime.time(8, 30))
    left_at = forms.TimeField(label=_("Left"), widget=TIME, initial=datetime.time(17, 0))
    activities = forms.MultipleChoiceField(
        label=_("What you did"), choices=DutyLog.Activity.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def clean(self):
        data = super().clean()
        if data.get("arrived_at") and data.get("left_at") and data["left_at"] <= data["arrived_at"]:
            self.add_error("left_at", _("The departure time must be after the arrival time."))
        return data


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Assessment"), choices=Assessment.Kind.choices)
    tasks_score = BoundedIntegerField(label=_("Tasks score (0–100)"), min_value=0, max_value=100)
    evaluation_score = BoundedIntegerField(label=_("Staff evaluation (0–100)"), min_value=0, max_value=100)
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recommended_for_party = forms.BooleanField(label=_("Recommended for party membership"), required=False)
    joined_committee = forms.BooleanField(label=_("Joined the federation committee"), required=False)
    hired_full_time = forms.BooleanField(label=_("Hired as full-time staff"), required=False)


class EndEarlyForm(forms.Form):
    last_day = BoundedDateField(label=_("Last day"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DateInput(forms.DateInput):
    input_type = "date"


class GenerateForm(forms.Form):
    date_from = BoundedDateField(label=gettext_lazy("From"), widget=DateInput)
    date_to = BoundedDateField(label=gettext_lazy("To"), widget=DateInput)
    beyond_calendar = forms.BooleanField(
        label=gettext_lazy("Plan beyond the calendar"),
        required=False,
        help_text=gettext_lazy(
            "Also plan days in years whose holiday calendar has not been entered; they count as an ordinary "
            "week and are marked unconfirmed. Without this, planning stops at the last day the calendar knows."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(gettext("The start date is after the end date."))
        return data


class UnavailabilityForm(forms.Form):
    date = BoundedDateField(label=gettext_lazy("Date"), widget=DateInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class ProposeForm(forms.Form):
    duty_day = BoundedIntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=SwapRequest.Kind.choices, widget=forms.HiddenInput)
    other_day = BoundedIntegerField(label=gettext_lazy("Another cadre's day"), required=False)
    target_date = BoundedDateField(label=gettext_lazy("New date"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SwapRequest.Kind.SWAP and not data.get("other_day"):
            raise ValidationError(gettext("Choose the other cadre's duty day."))
        if data.get("kind") == SwapRequest.Kind.MOVE and not data.get("target_date"):
            raise ValidationError(gettext("Choose the new date."))
        return data


class CourseForm(BoundedModelForm):
    class Meta:
        model = Course
        fields = ["title", "track", "provider", "starts_on", "ends_on", "hours", "location", "description"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and hours <= 0:
            raise ValidationError(gettext("The hours must be more than zero."))
        return hours

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The course cannot end before it starts."))
        return data


class TermChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, term):
        return (
            f"{holder_name(term)} · {term.union.name} ({term.start_date:%Y-%m-%d} – {term.end_date:%Y-%m-%d})"
        )


class EnrolForm(forms.Form):
    terms = TermChoiceField(
        label=gettext_lazy("Cadres"),
        queryset=SecondmentTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        terms = enrollable_terms(course)
        # Offer those not yet enrolled; accept any enrollable term, so that a double submit is harmless.
        self.fields["terms"].queryset = terms if self.is_bound else terms.exclude(enrolments__course=course)


class CourseFilter(forms.Form):
    track = forms.ChoiceField(
        label=gettext_lazy("Track"), required=False, choices=[("", "—"), *Course.Track.choices]
    )
    year = BoundedIntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)


class LedgerFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Term status"), required=False, choices=[("", "—"), *SecondmentTerm.Status.choices]
    )


MONTHS = [("", "—")] + [(str(m), str(m)) for m in range(1, 13)]


class CertificateFilter(forms.Form):
    year = BoundedIntegerField(
        label=gettext_lazy("Year issued"), required=False, min_value=2000, max_value=2100
    )
    month = forms.TypedChoiceField(
        label=gettext_lazy("Month issued"), required=False, choices=MONTHS, coerce=int, empty_value=None
    )


class BatchForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Terms ending in"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=gettext_lazy("YYYY-MM"),
    )

    def clean_month(self):
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise ValidationError(str(error)) from None


class LateEntryForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was the day not logged in time?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The staff who plan the rota read it and accept or refuse the late entry."),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].replace("\x00", "").strip()


class LateEntryDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Reason for refusing"), max_length=200, required=False)

    def clean_note(self):
        return self.cleaned_data["note"].replace("\x00", "").strip()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("note"):
            self.add_error("note", gettext("Say why the late entry is refused."))
        return data
