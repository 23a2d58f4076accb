"""Forms of the associations pages: the association itself (staff and chair versions), its year
plan, joining on a member's behalf, activities and sign-ups, the showcase and its programmes, and
the matchmaking profile and records."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import GrassrootsUnion, Member
from members.validators import clean_resident_id
from unionhub.forms import (
    BoundedDateField,
    BoundedIntegerField,
    BoundedModelForm,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    bounded_formfield,
)

from . import services
from .models import Activity, ActivityKind, Association, AssociationMember, Programme, Showcase
from .services import activities as svc

MAX_PLAN_LINES = 20
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffAssociationForm(BoundedModelForm):
    class Meta:
        model = Association
        fields = [
            "name",
            "kind",
            "description",
            "chair",
            "vice_chairs",
            "founded_on",
            "status",
            "joining",
            "is_matchmaking",
            "district_wide",
            "unions",
        ]
        widgets = {"founded_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("name", "username")
        self.fields["chair"].queryset = users
        self.fields["vice_chairs"].queryset = users
        self.fields["vice_chairs"].widget.attrs["size"] = 6
        self.fields["unions"].queryset = GrassrootsUnion.objects.filter(
            status=GrassrootsUnion.Status.ACTIVE
        ).order_by("code")
        self.fields["unions"].widget.attrs["size"] = 8


class ChairAssociationForm(BoundedModelForm):
    class Meta:
        model = Association
        fields = list(services.CHAIR_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PlanLineForm(forms.Form):
    month = forms.TypedChoiceField(
        label=gettext_lazy("Month"),
        coerce=int,
        required=False,
        choices=[("", "—")] + [(m, m) for m in range(1, 13)],
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", "—"), *ActivityKind.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("title", "").strip():
            if not data.get("month"):
                self.add_error("month", _("Choose the month."))
            if not data.get("kind"):
                self.add_error("kind", _("Choose the kind of activity."))
        return data


PlanFormSet = forms.formset_factory(
    PlanLineForm, extra=0, max_num=MAX_PLAN_LINES, validate_max=True, absolute_max=MAX_PLAN_LINES
)


class JoinOnBehalfForm(forms.Form):
    """A manager enrols a member by name and ID number; whether they match is the service's
    (``services.enrol_on_behalf``), which answers every mismatch with the same message."""

    name = forms.CharField(
        label=gettext_lazy("Member's name"),
        max_length=50,
        help_text=gettext_lazy(
            "With the ID number, it must match a current member of a union this association draws from."
        ),
    )
    id_number = forms.CharField(label=gettext_lazy("Member's resident ID number"), max_length=24)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
FORM_FIELDS = list(svc.ACTIVITY_FIELDS)


class ActivityForm(forms.Form):
    """The activity's fields, taken from the model; the rules are the service's, stated once there."""

    def __init__(self, *args, association: Association, instance: Activity | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=FORM_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Activity,
                fields=FORM_FIELDS,
                formfield_callback=bounded_formfield,
                widgets={
                    "starts_at": DATETIME,
                    "ends_at": DATETIME,
                    "signup_deadline": DATETIME,
                    "description": forms.Textarea(attrs={"rows": 4}),
                },
                help_texts={
                    "child_min_age": gettext_lazy("Children's activities only: the ages on the first day."),
                    "organiser": gettext_lazy(
                        "The chair, a vice-chair or a seconded cadre on an active term."
                    ),
                },
            )
        )
        self.fields["planned"].queryset = association.plan.order_by("-year", "month", "pk")
        self.fields["organiser"].queryset = svc.organiser_candidates(association)
        self.fields["organiser"].label_from_instance = lambda user: user.name or user.username
        for name in ("starts_at", "ends_at", "signup_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class SignUpForm(forms.Form):
    """Whom to sign up: for a children's activity the child (name, birth date, the guardian's consent);
    for a manager signing somebody up, the member too."""

    def __init__(self, *args, activity: Activity, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if on_behalf:
            if activity.eligibility == Activity.Eligibility.ASSOCIATION:
                self.fields["member"] = SafeModelChoiceField(
                    label=_("Member"),
                    queryset=Member.objects.filter(
                        association_memberships__association=activity.association,
                        association_memberships__status=AssociationMember.Status.ACTIVE,
                    ).order_by("name", "pk"),
                )
            else:
                # Named by name and ID number together, as for enrolment: an ID number alone would
                # tell whose it is (the sign-up names the member).
                self.fields["name"] = forms.CharField(label=_("Member's name"), max_length=50)
                self.fields["id_number"] = forms.CharField(
                    label=_("Member's resident ID number"), max_length=24
                )
        if activity.eligibility == Activity.Eligibility.CHILDREN:
            self.fields["child_name"] = forms.CharField(label=_("Child's name"), max_length=50)
            self.fields["child_birth_date"] = BoundedDateField(
                label=_("Child's birth date"), widget=DATE, max_value=timezone.localdate
            )
            self.fields["consent"] = forms.BooleanField(
                label=_("As the guardian, I consent to the child taking part."), required=False
            )

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        if "id_number" in self.fields and data.get("id_number") and data.get("name"):
            member = Member.objects.active().filter(id_number=data["id_number"]).first()
            if member is None or not services.same_name(data["name"], member.name):
                # One answer for a number that is nobody's and for a name that does not match.
                self.add_error("id_number", _("No active member has both this name and this ID number."))
            else:
                data["member"] = member
        return data


class ReportForm(forms.Form):
    report = forms.CharField(
        label=gettext_lazy("Report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
        help_text=gettext_lazy("What was done, who took part, what came of it."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class ShowcaseForm(BoundedModelForm):
    class Meta:
        model = Showcase
        fields = ["year", "edition", "title", "held_on", "venue"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_edition(self):
        edition = self.cleaned_data["edition"]
        if edition is not None and edition < 1:
            raise ValidationError(_("The edition is counted from 1."))
        return edition

    def clean(self):
        data = super().clean()
        year, held_on = data.get("year"), data.get("held_on")
        if year and held_on and held_on.year != year:
            self.add_error("held_on", _("The showcase must be held in its year."))
        return data


class UnionChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, union):
        return f"{union.code} {union.name}"


class ProgrammeForm(BoundedModelForm):
    unions = UnionChoiceField(
        label=gettext_lazy("Unions"),
        required=False,
        queryset=GrassrootsUnion.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Programme
        fields = ["order", "title", "kind", "association", "unions", "performers", "performer_names"]
        widgets = {"performer_names": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Association.objects.order_by("name")

    def clean_order(self):
        order = self.cleaned_data["order"]
        if order is not None:
            if order < 1:
                raise ValidationError(_("The order is counted from 1."))
            taken = Programme.objects.filter(showcase=self.instance.showcase, order=order)
            if taken.exclude(pk=self.instance.pk).exists():
                raise ValidationError(_("Another programme already has this place in the running order."))
        return order

    def clean_performers(self):
        performers = self.cleaned_data["performers"]
        if performers is not None and performers < 1:
            raise ValidationError(_("A programme has at least one performer."))
        return performers


class ProfileForm(forms.Form):
    about = forms.CharField(
        label=gettext_lazy("About me"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    looking_for = forms.CharField(
        label=gettext_lazy("Looking for"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the chair of this association sees my profile, with my name, age and union."
        ),
        help_text=gettext_lazy(
            "Nobody else sees it. You can withdraw at any time; what you wrote is then erased."
        ),
    )


class EventChoiceField(SafeModelChoiceField):
    def label_from_instance(self, activity):
        return f"{activity.starts_at:%Y-%m-%d} {activity.title}"


class MatchRecordForm(forms.Form):
    on = BoundedDateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    couples = BoundedIntegerField(label=gettext_lazy("Couples matched"), min_value=1, max_value=999)
    activity = EventChoiceField(label=gettext_lazy("Event"), required=False, queryset=Activity.objects.none())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("No names: the record is a count."),
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = association.activities.order_by("-starts_at", "pk")
