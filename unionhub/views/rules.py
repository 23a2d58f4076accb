"""The rules library (制度汇编) at /rules/: everyone logged in browses, searches and reads every version
of every rule (and its PDF); staff with the duty to publish rules (``unionhub.add_ruleversion``) add
rules, publish new versions and mark a rule superseded by another (403 for anyone else)."""

from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from unionhub.forms import BoundedDateField, SafeModelChoiceField

from .. import rules_library as library
from ..files import stored_response
from ..models import Rule, RuleVersion
from ..paging import page_of
from ..posted import add_errors
from ..uploads import PDF_ONLY, PolicyFileField

app_name = "rules"


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TEXT = 100_000


def can_publish(user) -> bool:
    return user.is_authenticated and user.is_federation_staff and user.has_perm("unionhub.add_ruleversion")


def _publishers_only(user):
    if not can_publish(user):
        raise PermissionDenied


# --- forms -------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search title and text"), max_length=library.MAX_QUERY_LENGTH, required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories")), *Rule.Category.choices],
    )
    superseded = forms.BooleanField(label=gettext_lazy("Include superseded versions"), required=False)


class PdfField(PolicyFileField):
    """One PDF of at most 10 MB, recognised by its content (the PDF policy)."""

    def __init__(self, **kwargs):
        super().__init__(policy=PDF_ONLY, required=False, **kwargs)

    def clean(self, data, initial=None):
        return super().clean(data, initial) or None


class VersionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=gettext_lazy(
            "Markdown: “## Chapter” for a heading, “**Article 1**” for bold, "
            "“- ” for a list item. Leave empty if the rule is only a PDF."
        ),
    )
    pdf = PdfField(
        label=gettext_lazy("PDF"), help_text=gettext_lazy("The signed document, optional (at most 10 MB).")
    )
    effective_on = BoundedDateField(label=gettext_lazy("In effect from"), widget=DATE)
    change_note = forms.CharField(label=gettext_lazy("What changed"), max_length=300)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("pdf") and "pdf" not in self.errors:
            raise ValidationError(_("Give the rule's text or attach it as a PDF."))
        return data


class RuleForm(VersionForm):
    number = forms.CharField(
        label=gettext_lazy("Number"), max_length=30, help_text=gettext_lazy("e.g. HNZGH-ZZ-01")
    )
    title = forms.CharField(label=pgettext_lazy("rule", "Title"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Rule.Category.choices)
    programme = forms.ChoiceField(
        label=gettext_lazy("Programme it governs"),
        choices=Rule.Programme.choices,
        required=False,
        help_text=gettext_lazy("That programme's pages link to the rule."),
    )
    field_order = ["number", "title", "category", "programme", "text", "pdf", "effective_on", "change_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_note"].required = False


class SupersedeForm(forms.Form):
    by_rule = SafeModelChoiceField(label=gettext_lazy("Superseded by"), queryset=Rule.objects.none())

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_rule"].queryset = (
            Rule.objects.filter(superseded_by__isnull=True).exclude(pk=rule.pk).order_by("number")
        )


# --- reading -----------------------------------------------------------------------------------


def _rule(pk) -> Rule:
    return get_object_or_404(Rule.objects.select_related("superseded_by"), pk=pk)


def _history(rule: Rule) -> list[RuleVersion]:
    return list(
        rule.versions.select_related("published_by").defer("text", "search_text").order_by("-version")
    )


@login_required
def rule_list(request):
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    query, category = data.get("q", "").strip(), data.get("category") or None
    context = {"form": form, "query": query, "can_publish": can_publish(request.user)}
    if query:
        results = library.search_rules(
            query, include_superseded=data.get("superseded", False), category=category
        )
        context["page"] = page_of(request, results)
        return render(request, "rules/rule_list.html", context)
    rules = library.rules_with_versions()
    if category:
        rules = rules.filter(category=category)
    rules = list(rules)
    order = {value: n for n, value in enumerate(Rule.Category.values)}
    in_force = sorted(
        (r for r in rules if r.superseded_by_id is None), key=lambda r: (order[r.category], r.number)
    )
    context["groups"] = [
        (Rule.Category(value).label, list(group))
        for value, group in groupby(in_force, key=lambda r: r.category)
    ]
    context["superseded"] = [r for r in rules if r.superseded_by_id is not None]
    return render(request, "rules/rule_list.html", context)


def _version_page(request, rule: Rule, shown: RuleVersion | None, current: RuleVersion | None):
    today = timezone.localdate()
    history = _history(rule)
    for version in history:
        version.state = library.version_state(version, current, today=today)
    return render(
        request,
        "rules/rule_detail.html",
        {
            "rule": rule,
            "version": shown,
            "current": current,
            "history": history,
            "state": library.version_state(shown, current, today=today) if shown else None,
            "upcoming": next((v for v in reversed(history) if v.state == "upcoming"), None),
            "body": library.rendered(shown) if shown and shown.text else "",
            "supersedes": list(rule.supersedes.only("pk", "number", "title").order_by("number")),
            "can_publish": can_publish(request.user),
        },
    )


@login_required
def rule_detail(request, pk):
    """The current text; when no version is in effect yet, the first upcoming one (marked so)."""
    rule = _rule(pk)
    current = library.current_version(rule)
    shown = current or rule.versions.select_related("published_by").order_by("version").first()
    return _version_page(request, rule, shown, current)


@login_required
def version_detail(request, pk, version):
    rule = _rule(pk)
    shown = get_object_or_404(rule.versions.select_related("published_by"), version=version)
    return _version_page(request, rule, shown, library.current_version(rule))


@login_required
def version_pdf(request, pk, version):
    shown = get_object_or_404(RuleVersion.objects.only("pk", "pdf", "rule_id"), rule_id=pk, version=version)
    if not shown.pdf:
        raise Http404
    return stored_response(shown.pdf)


# --- publishing --------------------------------------------------------------------------------


@login_required
def rule_create(request):
    _publishers_only(request.user)
    form = RuleForm(
        request.POST or None, request.FILES or None, initial={"effective_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = library.create_rule(
                number=data["number"],
                title=data["title"],
                category=data["category"],
                programme=data["programme"],
                text=data["text"],
                pdf=data["pdf"],
                effective_on=data["effective_on"],
                change_note=data["change_note"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Rule %(number)s published.") % {"number": rule.number})
            return redirect(rule)
    return render(
        request, "rules/rule_form.html", {"form": form, "heading": _("New rule"), "submit": _("Publish")}
    )


@login_required
def version_create(request, pk):
    _publishers_only(request.user)
    rule = _rule(pk)
    latest = rule.versions.order_by("-version").first()
    initial = {"text": latest.text if latest else "", "effective_on": timezone.localdate()}
    form = VersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = library.publish_version(
                rule=rule,
                text=data["text"],
                pdf=data["pdf"],
                effective_on=data["effective_on"],
                change_note=data["change_note"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)d of %(number)s published.")
                % {"version": version.version, "number": rule.number},
            )
            return redirect(rule)
    return render(
        request,
        "rules/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "latest": latest,
            "submit": _("Publish"),
            "heading": _("Publish a new version of %(number)s") % {"number": rule.number},
        },
    )


@login_required
def rule_supersede(request, pk):
    _publishers_only(request.user)
    rule = _rule(pk)
    form = SupersedeForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            library.supersede_rule(rule=rule, by_rule=form.cleaned_data["by_rule"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(number)s is marked superseded.") % {"number": rule.number})
            return redirect(rule)
    return render(
        request,
        "rules/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "submit": _("Mark superseded"),
            "heading": _("Mark %(number)s superseded by another rule") % {"number": rule.number},
        },
    )


urlpatterns = [
    path("", rule_list, name="rule_list"),
    path("new/", rule_create, name="rule_create"),
    path("<int:pk>/", rule_detail, name="rule_detail"),
    path("<int:pk>/versions/new/", version_create, name="version_create"),
    path("<int:pk>/supersede/", rule_supersede, name="rule_supersede"),
    path("<int:pk>/v<int:version>/", version_detail, name="version_detail"),
    path("<int:pk>/v<int:version>/pdf/", version_pdf, name="version_pdf"),
]
