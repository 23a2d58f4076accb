"""The news pages' forms: the public list's filter, an item with its photos, the return reason, a
channel, the assessment's rules and sending a result to honours."""

from django import forms
from django.utils.translation import gettext_lazy

from honours.models import AwardRound
from members.models import Area, GrassrootsUnion
from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedIntegerField
from unionhub.uploads import PHOTOS, PolicyFileField

from .models import Category, NewsItem, Outlet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PublicFilterForm(forms.Form):
    """The public list's filter: an unknown category or area is simply no filter (a stale link never errs)."""

    category = forms.ChoiceField(
        label=gettext_lazy("Category"), required=False, choices=[("", gettext_lazy("All"))] + Category.choices
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Grid area"),
        required=False,
        queryset=Area.objects.only("pk", "name"),
        empty_label=gettext_lazy("All"),
    )

    def filters(self) -> dict:
        self.is_valid()  # an invalid field is left out of cleaned_data: no filter on it
        return {key: value for key, value in self.cleaned_data.items() if value}


class ItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("One or two sentences for lists and sharing; the text's start when empty."),
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Markdown: headings, lists, emphasis, links, tables. No scripts or pictures."),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    area = forms.ModelChoiceField(
        label=gettext_lazy("Grid area"), required=False, queryset=Area.objects.only("pk", "name")
    )
    photos = PolicyFileField(
        label=gettext_lazy("Photos"),
        policy=PHOTOS,
        multiple=True,
        help_text=gettext_lazy("JPEG or PNG, at most 10 MB each; the first photo is the cover."),
    )

    def __init__(self, *args, unions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unions is not None:
            # A chair of several unions chooses which one writes; staff may write for a union too.
            self.fields["union"] = forms.ModelChoiceField(
                label=gettext_lazy("Union"), queryset=unions, required=False
            )
            self.order_fields(["union"])


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is returned"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChannelForm(forms.Form):
    outlet = forms.ChoiceField(label=gettext_lazy("Outlet"), choices=Outlet.choices)
    url = forms.URLField(label=gettext_lazy("Link"), max_length=500, required=False, assume_scheme="https")
    published_on = BoundedDateField(label=gettext_lazy("Published on"), widget=DATE)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(gettext_lazy("The link must start with http:// or https://."))
        return url


class RulesForm(forms.Form):
    points_published = BoundedDecimalField(
        label=gettext_lazy("Points per published item"), min_value=0, max_digits=5, decimal_places=1
    )
    published_cap = BoundedIntegerField(
        label=gettext_lazy("Published items counted at most"), min_value=0, max_value=999, required=False
    )
    points_picked_up = BoundedDecimalField(
        label=gettext_lazy("Points per item picked up by a higher outlet"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
    )
    picked_up_cap = BoundedIntegerField(
        label=gettext_lazy("Picked-up items counted at most"), min_value=0, max_value=999, required=False
    )
    points_report_on_time = BoundedDecimalField(
        label=gettext_lazy("Points per required report on time"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        help_text=gettext_lazy(
            "The workers' home self-assessment of the year, submitted before the year ends."
        ),
    )


class SendToHonoursForm(forms.Form):
    union = forms.ModelChoiceField(
        label=gettext_lazy("Union"), queryset=GrassrootsUnion.objects.filter(status="active")
    )
    round = forms.ModelChoiceField(label=gettext_lazy("Honours round"), queryset=AwardRound.objects.none())
    statement = forms.CharField(
        label=gettext_lazy("Statement"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds


def item_initial(item: NewsItem) -> dict:
    return {
        "title": item.title,
        "summary": item.summary,
        "text": item.text,
        "category": item.category,
        "area": item.area_id,
    }
