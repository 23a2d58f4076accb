"""Forms of the tutoring classes: the class, its tutors, a session, the pattern that generates sessions, an
enrolment (by the guardian, or by the host on a member's behalf), attendance and cancelling. Whatever is typed
or forged is a form error; the rules that need the database (ages on the first day, places) are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Enterprise, Member
from members.validators import clean_resident_id
from unionhub.forms import BoundedDateField, BoundedModelForm, SafeModelChoiceField
from unionhub.params import parse_id

from . import services
from .models import Session, Tutor, TutoringClass

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


class ClassForm(BoundedModelForm):
    class Meta:
        model = TutoringClass
        fields = list(services.CLASS_FIELDS)
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "support": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "support": gettext_lazy("What the federation provides: premises, teachers, materials, funds…"),
            "subjects": gettext_lazy("e.g. homework help, reading, art, safety"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unions = services.hostable_unions(user)
        self.fields["union"].queryset = unions
        self.fields["enterprise"].queryset = (
            Enterprise.objects.filter(union__in=unions)
            .select_related("union")
            .order_by("union__code", "name")
        )
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.union.code} · {e.name}"
        if self.instance.pk is None and not self.is_bound and unions.count() == 1:
            self.initial["union"] = unions.first().pk
        # The ranges the service checks (and names on the field), said in the page too.
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs.update(min=services.AGE_MIN, max=services.AGE_MAX)
        self.fields["capacity"].widget.attrs.update(min=1, max=services.CAPACITY_MAX)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The oldest age cannot be below the youngest."))
        return data

    def validate_constraints(self):
        """The service checks the same rules and names every problem; the form's own checks come first."""


class TutorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Tutor.Role.choices)
    phone = forms.CharField(label=gettext_lazy("Mobile"), max_length=11, required=False)


class SessionForm(forms.Form):
    date = BoundedDateField(label=gettext_lazy("Date"), widget=DATE)
    starts_at = forms.TimeField(label=gettext_lazy("From"), widget=TIME)
    ends_at = forms.TimeField(label=gettext_lazy("Until"), widget=TIME)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200, required=False)
    tutor = SafeModelChoiceField(label=gettext_lazy("Tutor"), queryset=Tutor.objects.none(), required=False)

    def __init__(self, *args, tutoring_class: TutoringClass, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutoring_class.tutors.order_by("role", "name", "pk")

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        return {
            "date": session.date,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "topic": session.topic,
            "tutor": session.tutor_id,
        }


class GenerateForm(SessionForm):
    """Sessions from a pattern: every chosen weekday (holidays left out), or every working day (summer)."""

    pattern = forms.ChoiceField(
        label=gettext_lazy("Pattern"),
        choices=[
            (services.WEEKLY, gettext_lazy("Every week on the days chosen (statutory holidays left out)")),
            (services.WORKING_DAYS, gettext_lazy("Every working day (the working calendar)")),
        ],
        initial=services.WEEKLY,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    end = BoundedDateField(label=gettext_lazy("Until"), widget=DATE)
    field_order = ["pattern", "weekdays", "date", "end", "starts_at", "ends_at", "topic", "tutor"]

    def __init__(self, *args, tutoring_class: TutoringClass, **kwargs):
        super().__init__(*args, tutoring_class=tutoring_class, **kwargs)
        self.fields["date"].label = gettext_lazy("From")
        self.fields["starts_at"].label = gettext_lazy("Begins at")
        self.fields["ends_at"].label = gettext_lazy("Ends at")


class EnrolForm(forms.Form):
    """The child and the guardian's consent; for the host enrolling on a member's behalf, the member too."""

    child_name = forms.CharField(label=gettext_lazy("Child's name"), max_length=50)
    child_birth_date = BoundedDateField(
        label=gettext_lazy("Child's birth date"), widget=DATE, max_value=timezone.localdate
    )
    consent = forms.BooleanField(label=services.CONSENT_TEXT, required=False)

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            # Named by name and ID number together: an ID number alone would tell whose it is.
            self.fields["name"] = forms.CharField(
                label=gettext_lazy("Guardian's name (a member)"), max_length=50
            )
            self.fields["id_number"] = forms.CharField(
                label=gettext_lazy("Guardian's resident ID number"), max_length=24
            )
            self.fields["consent"].label = gettext_lazy(
                "The guardian has given their consent in writing to the text below."
            )
            self.order_fields(["name", "id_number", "child_name", "child_birth_date", "consent"])

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        if "id_number" in self.fields and data.get("id_number") and data.get("name"):
            member = Member.objects.active().filter(id_number=data["id_number"]).first()
            typed = "".join(data["name"].split())
            if member is None or typed != "".join(member.name.split()):
                # One answer for a number that is nobody's and for a name that does not match.
                self.add_error("id_number", _("No active member has both this name and this ID number."))
            else:
                data["member"] = member
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why the class is cancelled"), max_length=300)


def attendance_ids(request, enrolment_ids: set[int]) -> set[int] | None:
    """The enrolments posted as present (``present`` checkboxes); None when a value is not one of them."""
    present = set()
    for raw in request.POST.getlist("present"):
        pk = parse_id(raw)  # the shared parser: ASCII digits within a key's range, else None
        if pk is None or pk not in enrolment_ids:
            return None
        present.add(pk)
    return present
