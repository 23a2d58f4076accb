"""Enterprise mutual-aid funds: the registry (every fund's contributions, claims and balance), a
fund's entries with the form to record money in or out, and its annual disclosure report.

Staff and union chairs see the pages (a chair only the funds of their union's enterprises; any
other fund is 404); recording needs the aid duty's permission, or being that union's chair."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Enterprise, Member
from unionhub.access import has_role, require, role_required
from unionhub.posted import add_errors

from .. import permissions
from ..models import MutualAidEntry, MutualAidFund
from ..services import mutual

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FundForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.none())
    name = forms.CharField(label=gettext_lazy("Name of the fund"), max_length=100)
    established_on = forms.DateField(label=gettext_lazy("Established on"), widget=DATE)
    rules = forms.CharField(label=gettext_lazy("Rules"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=gettext_lazy("Who contributes how much, and what a claim can be paid for."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = mutual.enterprises_open_to(user).order_by("name")
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name} ({e.union.code})" if e.union else e.name


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MutualAidEntry.Kind.choices)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), min_value=Decimal("0.01"),
                                max_value=Decimal("100000000"), decimal_places=2)
    member = forms.ModelChoiceField(label=gettext_lazy("Claimant"), required=False, queryset=Member.objects.none(),
                                    help_text=gettext_lazy("For a claim: the worker paid."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False,
                           help_text=gettext_lazy("For a claim: what it is for."))

    def __init__(self, *args, fund: MutualAidFund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["member"].queryset = Member.objects.active().filter(enterprise=fund.enterprise_id).order_by(
            "name", "pk")
        self.fields["member"].label_from_instance = lambda m: f"{m.name} {m.masked_id_number}"

    def clean(self):
        data = super().clean()
        if data.get("kind") == MutualAidEntry.Kind.CLAIM and not data.get("member"):
            self.add_error("member", _("Name the worker the claim is paid to."))
        return data


def _fund_for(user, pk) -> MutualAidFund:
    require(has_role(user, "staff", "union_chair"))
    return get_object_or_404(MutualAidFund.objects.visible_to(user).select_related("enterprise__union"), pk=pk)


@role_required("staff", "union_chair")
def mutual_fund_list(request):
    funds = MutualAidFund.objects.visible_to(request.user)
    return render(request, "aid/mutual_fund_list.html", {
        "funds": mutual.with_balances(funds.select_related("enterprise__union")),
        "totals": mutual.totals(funds),
        "can_create": permissions.can_create_mutual_fund(request.user),
    })


@login_required
def mutual_fund_create(request):
    if not permissions.can_create_mutual_fund(request.user):
        raise PermissionDenied
    form = FundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fund = mutual.create_fund(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The mutual-aid fund of %(enterprise)s is set up.")
                             % {"enterprise": fund.enterprise.name})
            return redirect(fund)
    return render(request, "aid/mutual_fund_form.html", {"form": form})


@login_required
def mutual_fund_detail(request, pk):
    fund = _fund_for(request.user, pk)
    can_record = permissions.can_record_mutual_aid(request.user, fund)
    form = EntryForm(request.POST or None, fund=fund)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["kind"] == MutualAidEntry.Kind.CLAIM:
                    entry = mutual.pay_claim(by=request.user, fund=fund, member=data["member"], on=data["on"],
                                             amount=data["amount"], note=data["note"])
                else:
                    entry = mutual.record_contribution(by=request.user, fund=fund, kind=data["kind"], on=data["on"],
                                                       amount=data["amount"], note=data["note"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Recorded: %(kind)s, ¥%(amount)s.")
                                 % {"kind": entry.get_kind_display(), "amount": f"{entry.amount:,}"})
                return redirect(fund)
    summary = mutual.with_balances(MutualAidFund.objects.filter(pk=fund.pk)).get()
    entries = fund.entries.select_related("member", "recorded_by").order_by("-on", "-pk")
    return render(request, "aid/mutual_fund_detail.html", {
        "fund": fund, "summary": summary, "form": form if can_record else None,
        "page": Paginator(entries, 50).get_page(request.GET.get("page")),
        "years": mutual.report_years(fund),
    })


@login_required
def mutual_fund_report(request, pk, year):
    fund = _fund_for(request.user, pk)
    if year not in mutual.report_years(fund):
        raise Http404
    report = mutual.annual_report(fund, year)
    if request.GET.get("format") == "xlsx":
        return FileResponse(mutual.annual_report_xlsx(report), as_attachment=True,
                            filename=f"mutual-aid-fund-{fund.pk}-{year}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return render(request, "aid/mutual_fund_report.html", {"report": report, "fund": fund,
                                                           "years": mutual.report_years(fund)})


urlpatterns = [
    path("mutual/", mutual_fund_list, name="mutual_fund_list"),
    path("mutual/new/", mutual_fund_create, name="mutual_fund_create"),
    path("mutual/<int:pk>/", mutual_fund_detail, name="mutual_fund_detail"),
    path("mutual/<int:pk>/report/<int:year>/", mutual_fund_report, name="mutual_fund_report"),
]
