"""The forms of the contests' pages: a contest's settings, its scoring sheet, quotas, rounds and judges; a
chair's entry; a judge's score sheet; the honours feed; the list's filter. Whatever is typed or forged is a
form error, never a server error; the services check the rest."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import GrassrootsUnion
from secondment.models import SecondmentTerm
from unionhub.forms import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)

from .models import Contest, ContestRound, Part, TieBreak, Trade

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _count(label, **kwargs):
    return BoundedIntegerField(label=label, min_value=0, max_value=100, **kwargs)


def active_unions():
    return GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE).order_by("code")


class FilterForm(forms.Form):
    year = BoundedIntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def year_or(self, default: int) -> int:
        return self.cleaned_data.get("year") or default if self.is_valid() else default


class ContestForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("skills contest", "Title"), max_length=100)
    trade = forms.ChoiceField(label=_("Trade"), choices=Trade.choices)
    trade_other = forms.CharField(label=_("Trade (when “other”)"), max_length=40, required=False)
    accepted_trades = forms.MultipleChoiceField(
        label=_("Accepted trades"),
        choices=Trade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The trades a contestant may declare; none ticked: the contest's own trade."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=100)
    starts_on = BoundedDateField(label=_("First day"), widget=DATE)
    ends_on = BoundedDateField(label=_("Last day"), widget=DATE)
    entry_opens_on = BoundedDateField(label=_("Entries open"), widget=DATE)
    entry_closes_on = BoundedDateField(label=_("Entries close"), widget=DATE)
    preliminary_on = BoundedDateField(
        label=_("Preliminary on"),
        widget=DATE,
        required=False,
        help_text=_("Empty: no preliminary, only a final."),
    )
    advance = BoundedIntegerField(
        label=_("Advance to the final"), min_value=1, max_value=1000, required=False
    )
    final_on = BoundedDateField(label=_("Final on"), widget=DATE)
    min_age = BoundedIntegerField(label=_("Minimum age"), min_value=16, max_value=80, required=False)
    max_age = BoundedIntegerField(label=_("Maximum age"), min_value=16, max_value=80, required=False)
    default_quota = _count(_("Places per union"))
    theory_weight = BoundedDecimalField(
        label=_("Theory weight (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    practical_weight = BoundedDecimalField(
        label=_("Practical weight (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    tie_break = forms.ChoiceField(label=_("Tie-break"), choices=TieBreak.choices)
    first_prizes = _count(_("First prizes"))
    second_prizes = _count(_("Second prizes"))
    third_prizes = _count(_("Third prizes"))
    merit_prizes = _count(_("Merit awards"))
    organisers = SafeModelMultipleChoiceField(
        label=_("Organising staff"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    organising_cadres = SafeModelMultipleChoiceField(
        label=_("Organising cadres"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Cadres seconded today; hold Ctrl to choose several."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = (
            get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
        )
        today = timezone.localdate()
        self.fields["organising_cadres"].queryset = (
            SecondmentTerm.objects.active_on(today)
            .select_related("cadre", "union")
            .order_by("cadre__name", "pk")
        )
        self.fields["organising_cadres"].label_from_instance = lambda t: (
            f"{t.cadre.name or t.cadre.username}（{t.union.code}）"
        )
        self.fields["organisers"].label_from_instance = lambda u: u.name or u.username

    def clean(self):
        data = super().clean()
        theory, practical = data.get("theory_weight"), data.get("practical_weight")
        if theory is not None and practical is not None and theory + practical != Decimal(100):
            self.add_error("practical_weight", _("The theory and practical weights must add up to 100%."))
        return data

    @staticmethod
    def initial_for(contest: Contest) -> dict:
        rounds = {r.kind: r for r in contest.rounds.all()}
        preliminary, final = rounds.get(ContestRound.Kind.PRELIMINARY), rounds.get(ContestRound.Kind.FINAL)
        return {
            **{
                name: getattr(contest, name)
                for name in (
                    "title",
                    "trade",
                    "trade_other",
                    "accepted_trades",
                    "venue",
                    "starts_on",
                    "ends_on",
                    "entry_opens_on",
                    "entry_closes_on",
                    "min_age",
                    "max_age",
                    "default_quota",
                    "theory_weight",
                    "practical_weight",
                    "tie_break",
                    "first_prizes",
                    "second_prizes",
                    "third_prizes",
                    "merit_prizes",
                )
            },
            "preliminary_on": preliminary.date if preliminary else None,
            "advance": preliminary.advance if preliminary else None,
            "final_on": final.date if final else None,
            "organisers": list(contest.organisers.values_list("pk", flat=True)),
            "organising_cadres": list(contest.organising_cadres.values_list("pk", flat=True)),
        }


class ItemForm(forms.Form):
    part = forms.ChoiceField(label=_("Part"), choices=[("", "—"), *Part.choices], required=False)
    title = forms.CharField(label=_("Item"), max_length=100, required=False)
    max_points = BoundedIntegerField(label=_("Maximum points"), min_value=1, max_value=1000, required=False)

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(name)) for name in ("part", "title", "max_points")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("Fill in the part, the item and its maximum points, or leave the row empty.")
            )
        return data


ItemFormSet = forms.formset_factory(ItemForm, extra=4, max_num=40, absolute_max=60, validate_max=True)


def sheet_items(formset) -> list[dict]:
    return [
        {
            "part": f.cleaned_data["part"],
            "title": f.cleaned_data["title"],
            "max_points": f.cleaned_data["max_points"],
        }
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


class QuotaForm(forms.Form):
    default_quota = _count(_("Places per union"))
    union = SafeModelChoiceField(label=_("Union"), queryset=None, required=False)
    places = _count(_("Its places"), required=False, help_text=_("Empty: back to the default."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = active_unions()


class RoundForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=DATE)
    venue = forms.CharField(label=_("Venue"), max_length=100, required=False)
    advance = BoundedIntegerField(
        label=_("Advance to the final"), min_value=1, max_value=1000, required=False
    )


class JudgeForm(forms.Form):
    user = SafeModelChoiceField(label=_("Judge"), queryset=None)
    union = SafeModelChoiceField(
        label=_("Judge's union"),
        queryset=None,
        required=False,
        help_text=_("Empty: taken from their membership, the union they chair or their secondment."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).exclude(name="").order_by("name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.name}（{u.username}）"
        self.fields["union"].queryset = active_unions()


class JudgeUnionForm(forms.Form):
    union = SafeModelChoiceField(label=_("Judge's union"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = active_unions()


class EntryForm(forms.Form):
    id_number = forms.CharField(
        label=_("Contestant's resident ID number"),
        max_length=18,
        min_length=18,
        help_text=_("The member is found in your union's register by their ID number."),
    )
    declared_trade = forms.ChoiceField(label=_("Declared trade"), choices=())
    job_title = forms.CharField(label=_("Job"), max_length=60, required=False)

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Trade.choices)
        self.fields["declared_trade"].choices = [
            (t, contest.trade_other if t == Trade.OTHER and contest.trade_other else labels.get(t, t))
            for t in contest.accepted_trades
        ]

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class ScoreForm(forms.Form):
    """One field per item of the sheet, 0 to its maximum, in tenths."""

    def __init__(self, *args, items, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = BoundedDecimalField(
                label=f"{item.get_part_display()} · {item.title}（{item.max_points}）",
                min_value=0,
                max_value=item.max_points,
                max_digits=5,
                decimal_places=1,
                initial=(scores or {}).get(item.pk),
            )

    def points(self) -> dict:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class NominateForm(forms.Form):
    award_round = SafeModelChoiceField(label=_("Honours round"), queryset=None)
    top = BoundedIntegerField(label=_("Nominate the top"), min_value=1, max_value=50, initial=3)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_round"].queryset = rounds
