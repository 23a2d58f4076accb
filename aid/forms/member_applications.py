"""Forms of a member's own aid application (on the phone) and of the chair's review."""

from django import forms
from django.utils.translation import gettext_lazy

from unionhub.uploads import PHOTOS, MultipleFileInput, PolicyFileField


class MemberApplicationForm(forms.Form):
    """What the member fills in on the phone; the child's details only for an education grant (the view
    drops them otherwise). The photos come from the phone's camera (``capture``) or its gallery."""

    amount_requested = forms.DecimalField(
        label=gettext_lazy("Amount requested (yuan)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why you need the aid"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    child_name = forms.CharField(label=gettext_lazy("Child's name"), max_length=50, required=False)
    child_id_number = forms.CharField(label=gettext_lazy("Child's ID number"), max_length=30, required=False)
    school = forms.CharField(
        label=gettext_lazy("University the child was admitted to"), max_length=100, required=False
    )
    photos = PolicyFileField(
        policy=PHOTOS,
        multiple=True,
        label=gettext_lazy("Photos of your documents"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, education: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not education:
            for name in ("child_name", "child_id_number", "school"):
                del self.fields[name]
        else:
            self.fields["photos"].help_text = gettext_lazy(
                "The admission letter (录取通知书) first, then anything else that helps."
            )


class ChairReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("forward", "forward"), ("return", "return")], widget=forms.HiddenInput
    )
    text = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
