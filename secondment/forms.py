import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import GrassrootsUnion, Member
from members.validators import clean_mobile, clean_resident_id

from .models import Assessment, DutyLog, UnionPost

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class NominationForm(forms.Form):
    """A chair names the cadre by ID number: the member must be on their own union's roster."""

    union = forms.ModelChoiceField(label=_("Grassroots union"), queryset=GrassrootsUnion.objects.none())
    id_number = forms.CharField(label=_("Nominee's resident ID number"), max_length=24,
                                help_text=_("The cadre must be an active member of this union."))
    # No preselected post or education: the chair states them.
    union_post = forms.ChoiceField(label=_("Union post"), choices=[("", "---------"), *UnionPost.choices])
    education = forms.ChoiceField(label=_("Education"), choices=[("", "---------"), *Member.Education.choices])
    phone = forms.CharField(label=_("Mobile"), max_length=20,
                            help_text=_("The cadre logs in with this number once approved."))
    start_date = forms.DateField(label=_("Proposed start date"), widget=DATE)
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 5}),
                                     help_text=_("Why this cadre, and their commitment to union work."))

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
            member = Member.objects.active().filter(id_number=number).select_related("union").first()
            if member is None:
                self.add_error("id_number", _("No active member has this ID number; register them in the union's "
                                              "roster first."))
            elif member.union_id != union.pk:
                self.add_error("id_number", _("This person is a member of another union; a chair nominates only "
                                              "from their own union."))
            else:
                data["member"] = member
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class DutyLogForm(forms.Form):
    arrived_at = forms.TimeField(label=_("Arrived"), widget=TIME, initial=datetime.time(8, 30))
    left_at = forms.TimeField(label=_("Left"), widget=TIME, initial=datetime.time(17, 0))
    activities = forms.MultipleChoiceField(label=_("What you did"), choices=DutyLog.Activity.choices,
                                           widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            max_length=4000)

    def clean(self):
        data = super().clean()
        if data.get("arrived_at") and data.get("left_at") and data["left_at"] <= data["arrived_at"]:
            self.add_error("left_at", _("The departure time must be after the arrival time."))
        return data


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Assessment"), choices=Assessment.Kind.choices)
    tasks_score = forms.IntegerField(label=_("Tasks score (0–100)"), min_value=0, max_value=100)
    evaluation_score = forms.IntegerField(label=_("Staff evaluation (0–100)"), min_value=0, max_value=100)
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recommended_for_party = forms.BooleanField(label=_("Recommended for party membership"), required=False)
    joined_committee = forms.BooleanField(label=_("Joined the federation committee"), required=False)
    hired_full_time = forms.BooleanField(label=_("Hired as full-time staff"), required=False)


class EndEarlyForm(forms.Form):
    last_day = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)
