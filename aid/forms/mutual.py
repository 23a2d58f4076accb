"""Forms of the enterprise mutual-aid funds: setting up a fund and recording money in or out."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Enterprise, Member
from unionhub.forms import BoundedDateField, BoundedDecimalField, SafeModelChoiceField

from ..models import MutualAidEntry, MutualAidFund
from ..services import mutual

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FundForm(forms.Form):
    enterprise = SafeModelChoiceField(label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.none())
    name = forms.CharField(label=gettext_lazy("Name of the fund"), max_length=100)
    established_on = BoundedDateField(label=gettext_lazy("Established on"), widget=DATE)
    rules = forms.CharField(
        label=gettext_lazy("Rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Who contributes how much, and what a claim can be paid for."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = mutual.enterprises_open_to(user).order_by("name")
        self.fields["enterprise"].label_from_instance = lambda e: (
            f"{e.name} ({e.union.code})" if e.union else e.name
        )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MutualAidEntry.Kind.choices)
    on = BoundedDateField(label=gettext_lazy("Date"), widget=DATE)
    amount = BoundedDecimalField(
        label=gettext_lazy("Amount (yuan)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000000"),
        decimal_places=2,
    )
    member = SafeModelChoiceField(
        label=gettext_lazy("Claimant"),
        required=False,
        queryset=Member.objects.none(),
        help_text=gettext_lazy("For a claim: the worker paid."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For a claim: what it is for."),
    )

    def __init__(self, *args, fund: MutualAidFund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["member"].queryset = (
            Member.objects.active().filter(enterprise=fund.enterprise_id).order_by("name", "pk")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.name} {m.masked_id_number}"

    def clean(self):
        data = super().clean()
        if data.get("kind") == MutualAidEntry.Kind.CLAIM and not data.get("member"):
            self.add_error("member", _("Name the worker the claim is paid to."))
        return data
