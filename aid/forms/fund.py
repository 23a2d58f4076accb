"""Forms of the fund's pages: income posted by hand and the statement's period."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField

from ..models import FundEntry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            (FundEntry.Kind.DONATION, FundEntry.Kind.DONATION.label),
            (FundEntry.Kind.CHARITY_TRANSFER, FundEntry.Kind.CHARITY_TRANSFER.label),
        ],
    )
    amount = BoundedDecimalField(
        label=gettext_lazy("Amount (yuan)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000000"),
        decimal_places=2,
    )
    on = BoundedDateField(label=gettext_lazy("Date received"), widget=DATE)
    description = forms.CharField(label=gettext_lazy("From whom, for what"), max_length=300)
    reference = forms.CharField(label=gettext_lazy("Voucher or reference"), max_length=60, required=False)


class PeriodForm(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    month = BoundedIntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12, required=False)
