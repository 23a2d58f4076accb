"""Forms of the holiday ticket campaigns: the campaign, a chair's application, prices, issuing
by priority and declining."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField, SafeModelChoiceField

from ..models import TicketApplication, TicketCampaign, TicketType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_FIELD = {"min_value": Decimal("0.01"), "max_value": Decimal("100000000"), "decimal_places": 2}


class CampaignForm(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Spring Festival of"), min_value=2000, max_value=2100)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    budget = BoundedDecimalField(label=gettext_lazy("Budget (yuan)"), **MONEY_FIELD)
    opens_on = BoundedDateField(label=gettext_lazy("Applications from"), widget=DATE)
    closes_on = BoundedDateField(label=gettext_lazy("Applications until"), widget=DATE)
    travel_from = BoundedDateField(label=gettext_lazy("Travel from"), widget=DATE)
    travel_until = BoundedDateField(label=gettext_lazy("Travel until"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for mode, label in TicketType.Mode.choices:
            self.fields[f"{mode}_seats"] = BoundedIntegerField(
                label=_("%(mode)s: seats") % {"mode": label},
                min_value=1,
                required=False,
                help_text=_("Leave empty if this means of travel is not offered."),
            )
            self.fields[f"{mode}_price"] = BoundedDecimalField(
                label=_("%(mode)s: average price (yuan)") % {"mode": label}, required=False, **MONEY_FIELD
            )

    def clean(self):
        data = super().clean()
        for mode, label in TicketType.Mode.choices:
            seats, price = data.get(f"{mode}_seats"), data.get(f"{mode}_price")
            if (seats is None) != (price is None) and f"{mode}_seats" not in self.errors:
                self.add_error(
                    f"{mode}_price" if price is None else f"{mode}_seats",
                    _("Give both the seats and the average price for %(mode)s.") % {"mode": label},
                )
        return data

    def ticket_types(self) -> list[tuple[str, int, Decimal]]:
        data = self.cleaned_data
        return [
            (mode, data[f"{mode}_seats"], data[f"{mode}_price"])
            for mode in TicketType.Mode.values
            if data.get(f"{mode}_seats") is not None
        ]


class ApplicationForm(forms.Form):
    member = SafeModelChoiceField(
        label=gettext_lazy("Worker"),
        queryset=Member.objects.none(),
        help_text=gettext_lazy("Migrant workers of your union."),
    )
    ticket_type = SafeModelChoiceField(label=gettext_lazy("Ticket"), queryset=TicketType.objects.none())
    destination = forms.CharField(
        label=gettext_lazy("Destination"), max_length=100, help_text=gettext_lazy("e.g. 安徽省阜阳市")
    )
    travel_on = BoundedDateField(label=gettext_lazy("Travel date"), widget=DATE)
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"),
        choices=[("", "---------"), *TicketApplication.Priority.choices],
        help_text=gettext_lazy("The hardship priority is for workers with a hardship file on record."),
    )

    def __init__(self, *args, campaign: TicketCampaign, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        # Offered: the migrant workers; any member of the union is accepted, so the service names
        # the rule a non-migrant worker breaks.
        self.fields["member"].widget.choices = [("", "---------")] + [
            (m.pk, f"{m.name} {m.masked_id_number}") for m in members.filter(is_migrant_worker=True)
        ]
        self.fields["ticket_type"].queryset = campaign.ticket_types.all()
        self.fields["ticket_type"].label_from_instance = lambda t: (
            _("%(mode)s (about ¥%(price)s)") % {"mode": t.get_mode_display(), "price": f"{t.average_price:,}"}
        )
        self.fields["travel_on"].initial = campaign.travel_from


class PriceForm(forms.Form):
    price = BoundedDecimalField(
        label=gettext_lazy("Price (yuan)"),
        required=False,
        **MONEY_FIELD,
        help_text=gettext_lazy("Leave empty for the ticket's average price."),
    )


class ByPriorityForm(forms.Form):
    ticket_type = SafeModelChoiceField(queryset=TicketType.objects.none())
    count = BoundedIntegerField(label=gettext_lazy("How many"), min_value=1)

    def __init__(self, *args, campaign: TicketCampaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].queryset = campaign.ticket_types.all()


class IssueForm(forms.Form):
    ticket_number = forms.CharField(label=gettext_lazy("Ticket number"), max_length=40)
    price = BoundedDecimalField(label=gettext_lazy("Price paid (yuan)"), **MONEY_FIELD)
    issued_on = BoundedDateField(label=gettext_lazy("Issued on"), widget=DATE)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
