"""Forms of the perks pages: the merchant's counter (card check, redemption), the merchant, branch
and counter-staff records, the card registry's filter and batch issue, and the savings year."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from members.models import GrassrootsUnion
from unionhub.forms import BoundedDecimalField, BoundedIntegerField, BoundedModelForm, SafeModelChoiceField

from .models import Branch, Card, Merchant


class CheckForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Card number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "autofocus": True,
                "class": "bignumber",
                "placeholder": "8860 0000 0000 0000",
                "enterkeyhint": "go",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_number(self):
        # The number is printed in groups of four and people type it that way: drop the spaces here,
        # so that the check, its log and the field given back after a typo all carry the bare digits.
        return "".join(self.cleaned_data["number"].split())


class RedemptionForm(forms.Form):
    check_id = BoundedIntegerField(widget=forms.HiddenInput)
    amount_spent = BoundedDecimalField(
        label=gettext_lazy("Amount spent (¥)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    discount_given = BoundedDecimalField(
        label=gettext_lazy("Discount given (¥)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("Leave empty to apply the shop's rule."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class MerchantForm(BoundedModelForm):
    class Meta:
        model = Merchant
        fields = [
            "name",
            "credit_code",
            "category",
            "address",
            "contact_name",
            "contact_phone",
            "discount",
            "discount_kind",
            "discount_percent",
            "discount_amount",
            "spend_threshold",
            "agreement_start",
            "agreement_end",
            "is_active",
            "listed_for_members",
        ]
        widgets = {
            "agreement_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreement_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        if code and not uscc.is_valid(code):
            raise ValidationError(_("This is not a valid unified social credit code."))
        return code

    def clean(self):
        data = super().clean()
        kind = data.get("discount_kind")
        percent, amount, threshold = (
            data.get("discount_percent"),
            data.get("discount_amount"),
            data.get("spend_threshold"),
        )
        if kind == Merchant.DiscountKind.PERCENT and not (percent and 0 < percent <= 100):
            self.add_error("discount_percent", _("Give a percentage between 0 and 100."))
        if kind in (Merchant.DiscountKind.FIXED, Merchant.DiscountKind.SPEND_SAVE) and not (
            amount and amount > 0
        ):
            self.add_error("discount_amount", _("Give the amount off."))
        if kind == Merchant.DiscountKind.SPEND_SAVE:
            if not (threshold and threshold > 0):
                self.add_error("spend_threshold", _("Give the amount to spend."))
            elif amount and amount > threshold:
                self.add_error(
                    "discount_amount", _("The amount off cannot be more than the amount to spend.")
                )
        start, end = data.get("agreement_start"), data.get("agreement_end")
        if start and end and end < start:
            self.add_error("agreement_end", _("The agreement cannot end before it starts."))
        return data


class BranchForm(BoundedModelForm):
    class Meta:
        model = Branch
        fields = ["name", "address", "phone"]


class StaffForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


class CardFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or card number"), required=False, max_length=40)
    union = SafeModelChoiceField(
        label=gettext_lazy("Union"), queryset=GrassrootsUnion.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", "—"), *Card.Status.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = GrassrootsUnion.objects.visible_to(user).order_by("code")


class IssueForm(forms.Form):
    # Validated against every union; the view then answers 404 for one outside the user's scope. The
    # page offers only the user's own unions (``unions`` in the template).
    union = SafeModelChoiceField(
        label=gettext_lazy("Union"), queryset=GrassrootsUnion.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_union(self):
        union = self.cleaned_data["union"]
        if union is None and not self.user.is_federation_staff:
            raise ValidationError(_("Choose your union."))
        return union


class YearForm(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
