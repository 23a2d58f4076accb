"""Forms of casework: the staff pages (a new case, the list's filter, assigning, stages,
arbitration, timeline events, help, legal aid, closing, the overview's period) and the worker's
public complaint and tracking forms."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Enterprise, GrassrootsUnion
from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField, SafeModelChoiceField
from unionhub.uploads import PolicyFileField

from . import access, services
from .conflicts import conflict_of_interest, conflicted_users
from .models import Case, CaseEvent
from .rules import rules
from .services import public as public_services


class PeriodForm(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    month = BoundedIntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12, required=False)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0), "required": False}


class CaseForm(forms.Form):
    """Intake of a call, visit, letter or referral."""

    channel = forms.ChoiceField(label=gettext_lazy("Came in through"), choices=Case.Channel.choices)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=Case.Type.choices, initial=Case.Type.COMPLAINT
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Case.Category.choices)
    received_on = BoundedDateField(label=gettext_lazy("Received on"), widget=DATE)
    complainant_name = forms.CharField(label=gettext_lazy("Complainant"), max_length=50, required=False)
    complainant_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=20, required=False)
    complainant_id_number = forms.CharField(
        label=gettext_lazy("Resident ID number"), max_length=24, required=False
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Anonymous: the worker asks that the handler not know their name"), required=False
    )
    is_member = forms.BooleanField(label=gettext_lazy("Union member"), required=False)
    is_migrant_worker = forms.BooleanField(label=gettext_lazy("Migrant worker"), required=False)
    enterprise = SafeModelChoiceField(
        label=gettext_lazy("Employer in the registry"),
        required=False,
        queryset=Enterprise.objects.order_by("name"),
        empty_label=gettext_lazy("— not in the registry —"),
    )
    employer_name = forms.CharField(
        label=gettext_lazy("Employer"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("As the worker names it; taken from the registry when left empty."),
    )
    workers_affected = BoundedIntegerField(label=gettext_lazy("Workers affected"), min_value=1, initial=1)
    amount_claimed = BoundedDecimalField(label=gettext_lazy("Amount claimed (yuan)"), **MONEY_FIELD)
    harm_known_on = BoundedDateField(
        label=gettext_lazy("Learned of the harm on"), widget=DATE, required=False
    )
    employment_ended_on = BoundedDateField(
        label=gettext_lazy("Employment ended on"), widget=DATE, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Number or employer"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"), required=False, choices=[("", gettext_lazy("All")), *Case.Stage.choices]
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All")), *Case.Category.choices],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Came in through"),
        required=False,
        choices=[("", gettext_lazy("All")), *Case.Channel.choices],
    )
    handler = forms.TypedChoiceField(
        label=gettext_lazy("Handler"), required=False, coerce=int, empty_value=None
    )
    due_soon = forms.BooleanField(required=False)
    unassigned = forms.BooleanField(label=gettext_lazy("Unassigned, oldest first"), required=False)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_soon"].label = _("Deadline within %(days)d days") % {"days": rules().warn_days}
        if handlers is None:
            del self.fields["handler"]
        else:
            self.fields["handler"].choices = [("", _("All")), *((h.pk, str(h)) for h in handlers)]


class AssignForm(forms.Form):
    handler = SafeModelChoiceField(label=gettext_lazy("Handler"), queryset=Case.objects.none())
    difficulty = forms.ChoiceField(label=gettext_lazy("Difficulty"), choices=Case.Difficulty.choices)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        # As of today (terms end). Those on the employer's side stay in the list, flagged, so that
        # choosing one is answered with the reason (``assign`` refuses them too).
        self.conflicted = conflicted_users(case)
        field = self.fields["handler"]
        field.queryset = access.assignable_handlers()
        field.label_from_instance = self._label
        if self.conflicted:
            field.help_text = _(
                "The chair of the union at the complainant's employer, and anyone holding a post in that "
                "union, may not handle the case."
            )

    def _label(self, user) -> str:
        if user.pk in self.conflicted:
            return _("%(name)s (on the employer's side: may not handle this case)") % {"name": user}
        return str(user)

    def clean_handler(self):
        handler = self.cleaned_data["handler"]
        if conflict := conflict_of_interest(self.case, handler):
            raise forms.ValidationError(conflict)
        return handler


class StageForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("Next stage"), choices=Case.Stage.choices)
    on = BoundedDateField(
        label=gettext_lazy("Date"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Today when left empty."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Case.Stage.choices)
        self.fields["to"].choices = [(stage, labels[stage]) for stage in services.moves(case)]


class ArbitrationForm(forms.Form):
    accepted_on = BoundedDateField(
        label=gettext_lazy("Accepted by the commission on"), widget=DATE, required=False
    )
    extended = forms.BooleanField(label=gettext_lazy("Award period extended"), required=False)
    award_on = BoundedDateField(label=gettext_lazy("Award on"), widget=DATE, required=False)


class CallbackForm(forms.Form):
    """已回电: the call back the public form promised."""

    note = forms.CharField(
        label=gettext_lazy("What was said"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    on = BoundedDateField(
        label=gettext_lazy("Called on"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Today when left empty."),
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"))
    text = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )
    public = forms.BooleanField(
        label=gettext_lazy("Show this reply to the worker on the tracking page"), required=False
    )
    attachment = PolicyFileField(
        label=gettext_lazy("Attachment"),
        required=False,
        policy=public_services.EVIDENCE_POLICY,
        help_text=gettext_lazy("PDF, JPEG or PNG."),
    )

    def __init__(self, *args, helper_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = (
            services.HELPER_EVENT_KINDS
            if helper_only
            else set(CaseEvent.Kind.values) - {CaseEvent.Kind.STAGE}
        )
        self.fields["kind"].choices = [
            (value, label) for value, label in CaseEvent.Kind.choices if value in kinds
        ]
        if helper_only:
            del self.fields["public"]


class HelpForm(forms.Form):
    union = SafeModelChoiceField(
        label=gettext_lazy("Union to ask"),
        queryset=GrassrootsUnion.objects.filter(chair__isnull=False).order_by("code"),
    )


class LegalAidForm(forms.Form):
    household_income = BoundedDecimalField(
        label=gettext_lazy("Household monthly income per person (yuan)"), **MONEY_FIELD
    )
    legal_aid = forms.ChoiceField(
        label=gettext_lazy("Legal aid given"),
        required=False,
        choices=[("", gettext_lazy("None yet")), *Case.LegalAid.choices],
    )
    lawyer = forms.CharField(label=gettext_lazy("Lawyer"), max_length=100, required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"))
    amount_recovered = BoundedDecimalField(label=gettext_lazy("Amount recovered (yuan)"), **MONEY_FIELD)
    other_outcome = forms.CharField(
        label=gettext_lazy("Other outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("Worker's satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((n, str(n)) for n in range(1, 6))],
    )
    on = BoundedDateField(
        label=gettext_lazy("Closed on"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Today when left empty."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Case.Outcome.choices)
        self.fields["outcome"].choices = [(o, labels[o]) for o in services.closing_outcomes(case)]


class EvidenceField(PolicyFileField):
    """Several files in one input, each a PDF, JPEG or PNG by content within the size the rules set; the
    service checks their number (and the policy again, for complaints from elsewhere)."""

    def __init__(self, **kwargs):
        super().__init__(policy=public_services.EVIDENCE_POLICY, multiple=True, **kwargs)


class ComplaintForm(forms.Form):
    """Parses what the worker typed; what a complaint needs is checked by ``submit_public``, so the
    same messages apply wherever a complaint comes from."""

    type = forms.ChoiceField(
        label=gettext_lazy("What do you need?"), choices=Case.Type.choices, initial=Case.Type.COMPLAINT
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What is it about?"),
        required=False,
        choices=[("", gettext_lazy("Choose…")), *Case.Category.choices],
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    employer_name = forms.CharField(
        label=gettext_lazy("Employer"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The company's full name, as on your contract or pay slip."),
    )
    workers_affected = BoundedIntegerField(
        label=gettext_lazy("How many workers are affected?"), required=False, max_value=100_000, initial=1
    )
    amount_claimed = BoundedDecimalField(
        label=gettext_lazy("Amount owed to you (yuan), if any"),
        required=False,
        max_digits=14,
        decimal_places=2,
    )
    harm_known_on = BoundedDateField(
        label=gettext_lazy("When did you learn of the problem?"), required=False, widget=DATE
    )
    employment_ended_on = BoundedDateField(
        label=gettext_lazy("When did your employment end, if it has?"), required=False, widget=DATE
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Complain anonymously"),
        required=False,
        help_text=gettext_lazy(
            "Your name is not recorded. You may still leave a phone number so that the station "
            "can call you back; without one, follow your case with the tracking code."
        ),
    )
    complainant_name = forms.CharField(label=gettext_lazy("Your name"), required=False, max_length=50)
    complainant_phone = forms.CharField(
        label=gettext_lazy("Your phone number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    is_member = forms.BooleanField(label=gettext_lazy("I am a trade union member"), required=False)
    is_migrant_worker = forms.BooleanField(label=gettext_lazy("I am a migrant worker"), required=False)
    evidence = EvidenceField(label=gettext_lazy("Evidence (optional)"), required=False)

    # Marked as needed on the page; ``submit_public`` checks them (name and phone unless anonymous).
    ESSENTIAL = ("type", "category", "description", "employer_name", "complainant_name", "complainant_phone")
    FACTS = (
        "type",
        "category",
        "description",
        "employer_name",
        "workers_affected",
        "amount_claimed",
        "harm_known_on",
        "employment_ended_on",
    )
    PERSON = ("anonymous", "complainant_name", "complainant_phone", "is_member", "is_migrant_worker")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        r = rules()
        self.fields["description"].help_text = _(
            "Who, when, what was promised and what was not paid or done; at least %(count)d characters."
        ) % {"count": public_services.MIN_DESCRIPTION_CHARACTERS}
        # The live counter (static/js/complaint_form.js) reads these; the server checks the length anyway.
        self.fields["description"].widget.attrs.update(
            {
                "data-min-length": public_services.MIN_DESCRIPTION_CHARACTERS,
                "data-counter-short": _("{count} characters typed, {left} more needed"),
                "data-counter-ok": _("{count} characters typed"),
            }
        )
        self.fields["evidence"].help_text = _(
            "Contract, pay slips, attendance records, chat screenshots: up to %(count)d files, PDF, JPEG or PNG, "
            "at most %(size)s MB each."
        ) % {"count": r.public_max_files, "size": f"{r.public_max_file_bytes / 1024 / 1024:g}"}

    def facts(self):
        return [self[name] for name in self.FACTS]

    def person(self):
        return [self[name] for name in self.PERSON]


class TrackForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Case number"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "WQ2026-0001", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Tracking code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "placeholder": "XXXX-XXXX-XXXX",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class MemberComplaintForm(ComplaintForm):
    """The complaint form of the member area: the public form's facts and evidence; the name and phone come from
    the membership (``grievances.services.member``). An anonymous complaint may leave a phone for a call back."""

    PERSON = ("anonymous", "complainant_phone", "is_migrant_worker")

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["complainant_name"]
        del self.fields["is_member"]
        self.fields["anonymous"].label = _("File it anonymously")
        self.fields["anonymous"].help_text = _(
            "Nothing that names you is kept with the case, and it does not appear under My cases: follow it with "
            "the case number and the tracking code shown once."
        )
        self.fields["complainant_phone"].label = _("Phone for a call back (anonymous complaints, optional)")
        if member.enterprise_id:
            self.fields["employer_name"].initial = member.enterprise.name
