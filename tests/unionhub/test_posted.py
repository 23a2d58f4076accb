"""Posted forms (unionhub.posted): a service's refusal lands on the field it names, else on the form."""

from django import forms
from django.core.exceptions import ValidationError

from unionhub.posted import add_errors


class AmountForm(forms.Form):
    amount = forms.DecimalField()


def bound() -> AmountForm:
    form = AmountForm({"amount": "12"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_lands_on_it_and_other_fields_on_the_form():
    form = bound()
    add_errors(form, ValidationError({"amount": "Over the budget.", "programme": "Closed."}))
    assert form.errors["amount"] == ["Over the budget."]
    assert form.non_field_errors() == ["Closed."]


def test_a_plain_refusal_lands_on_the_form():
    form = bound()
    add_errors(form, ValidationError(["One.", "Two."]))
    assert form.non_field_errors() == ["One.", "Two."] and "amount" not in form.errors
