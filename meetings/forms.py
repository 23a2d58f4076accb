"""The forms of the office-meeting pages: a meeting, its minutes (one text per agenda item and the outcome
of each carried task), a decision and closing a task."""

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.forms import BoundedDateField, SafeModelChoiceField, SafeModelMultipleChoiceField

from . import services
from .models import AgendaItem, Department, Meeting, Task

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PersonChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.username


class PeopleChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.username


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices, initial=Meeting.Kind.REGULAR)
    date = BoundedDateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=100)
    host = PersonChoiceField(label=_("Chaired by"), queryset=None)
    recorder = PersonChoiceField(label=_("Minutes taken by"), queryset=None)
    attendees = PeopleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Federation staff and the cadres on an active term; the cadres on duty that day are ticked."
        ),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=services.TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One item a line. The tasks still open from earlier meetings come first on their own; "
            "list the new items here."
        ),
    )

    def __init__(self, *args, day, editing: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        people = services.people_on(day)
        self.fields["host"].queryset = people.filter(is_staff=True)
        self.fields["recorder"].queryset = people
        self.fields["attendees"].queryset = people
        if editing is not None:
            del self.fields["kind"]
            if editing.status != Meeting.Status.PLANNED:
                del self.fields["agenda"]

    def agenda_lines(self) -> list[str] | None:
        if "agenda" not in self.fields:
            return None
        return self.cleaned_data.get("agenda", "").splitlines()


class MinutesForm(forms.Form):
    """The overall minutes, one text per agenda item, and for each carried task still open its outcome."""

    summary = forms.CharField(
        label=_("Overall minutes"),
        required=False,
        max_length=services.TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text or Markdown."),
    )

    def __init__(self, *args, meeting: Meeting, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["summary"].initial = meeting.summary
        for item in items:
            self.fields[f"minutes_{item.pk}"] = forms.CharField(
                label=_("Minutes"),
                required=False,
                max_length=services.TEXT_LENGTH,
                initial=item.minutes,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if item.carried_task_id and not item.outcome and item.carried_task.is_open:
                item.asks_outcome = True
                self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                    label=_("How the task stands"),
                    choices=[("", "—"), *AgendaItem.Outcome.choices],
                    required=False,
                )
                self.fields[f"note_{item.pk}"] = forms.CharField(
                    label=_("How it was done, or why it was dropped"),
                    required=False,
                    max_length=2000,
                )
                self.fields[f"due_{item.pk}"] = BoundedDateField(
                    label=_("New due date (still open)"), required=False, widget=DATE
                )

    def rows(self):
        """``[(item, minutes field, outcome, note, due fields or None)]`` in agenda order."""
        return [
            (
                item,
                self[f"minutes_{item.pk}"],
                *(
                    (self[f"outcome_{item.pk}"], self[f"note_{item.pk}"], self[f"due_{item.pk}"])
                    if f"outcome_{item.pk}" in self.fields
                    else (None, None, None)
                ),
            )
            for item in self.items
        ]

    def minutes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"minutes_{item.pk}", "") for item in self.items}

    def outcomes(self) -> dict[int, tuple]:
        return {
            item.pk: (
                self.cleaned_data.get(f"outcome_{item.pk}", ""),
                self.cleaned_data.get(f"note_{item.pk}", ""),
                self.cleaned_data.get(f"due_{item.pk}"),
            )
            for item in self.items
            if f"outcome_{item.pk}" in self.fields
        }


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("What was decided"), max_length=services.TITLE_LENGTH)
    owner = PersonChoiceField(label=_("Owner"), queryset=None)
    department = forms.ChoiceField(label=_("Department"), choices=Department.choices)
    due_on = BoundedDateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = services.people_on(day)


class CloseTaskForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (Task.Status.DONE, Task.Status.DONE.label),
            (Task.Status.DROPPED, Task.Status.DROPPED.label),
        ],
    )
    note = forms.CharField(
        label=_("How it was done, or why it was dropped"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, can_drop: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_drop:
            self.fields["status"].choices = [(Task.Status.DONE, Task.Status.DONE.label)]
