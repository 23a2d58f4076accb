"""Enterprise mutual-aid funds: the registry (every fund's contributions, claims and balance), a
fund's entries with the form to record money in or out, and its annual disclosure report.

Staff and union chairs see the pages (a chair only the funds of their union's enterprises; any
other fund is 404); recording needs the aid duty's permission, or being that union's chair."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import has_role, require, role_required
from unionhub.posted import add_errors

from .. import permissions
from ..forms.mutual import EntryForm, FundForm
from ..models import MutualAidEntry, MutualAidFund
from ..services import four_eyes, mutual


def _fund_for(user, pk) -> MutualAidFund:
    require(has_role(user, "staff", "union_chair"))
    return get_object_or_404(
        MutualAidFund.objects.visible_to(user).select_related("enterprise__union"), pk=pk
    )


@role_required("staff", "union_chair")
def mutual_fund_list(request):
    funds = MutualAidFund.objects.visible_to(request.user)
    return render(
        request,
        "aid/mutual_fund_list.html",
        {
            "funds": mutual.with_balances(funds.select_related("enterprise__union")),
            "totals": mutual.totals(funds),
            "can_create": permissions.can_create_mutual_fund(request.user),
        },
    )


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
            messages.success(
                request,
                _("The mutual-aid fund of %(enterprise)s is set up.") % {"enterprise": fund.enterprise.name},
            )
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
                    entry = mutual.propose_claim(
                        by=request.user,
                        fund=fund,
                        member=data["member"],
                        on=data["on"],
                        amount=data["amount"],
                        note=data["note"],
                    )
                else:
                    entry = mutual.record_contribution(
                        by=request.user,
                        fund=fund,
                        kind=data["kind"],
                        on=data["on"],
                        amount=data["amount"],
                        note=data["note"],
                    )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if entry.status == MutualAidEntry.Status.PROPOSED:
                    messages.success(
                        request,
                        _("Claim of ¥%(amount)s proposed; it is paid once another person approves it.")
                        % {"amount": f"{entry.amount:,}"},
                    )
                else:
                    messages.success(
                        request,
                        _("Recorded: %(kind)s, ¥%(amount)s.")
                        % {"kind": entry.get_kind_display(), "amount": f"{entry.amount:,}"},
                    )
                return redirect(fund)
    awaiting = list(
        fund.entries.filter(kind=MutualAidEntry.Kind.CLAIM, status=MutualAidEntry.Status.PROPOSED)
        .select_related("member", "recorded_by")
        .order_by("on", "pk")
    )
    for claim in awaiting:
        claim.four_eyes_refusal = four_eyes.refusal(by=request.user, proposer_id=claim.recorded_by_id)
    summary = mutual.with_balances(MutualAidFund.objects.filter(pk=fund.pk)).get()
    entries = fund.entries.select_related("member", "recorded_by").order_by("-on", "-pk")
    return render(
        request,
        "aid/mutual_fund_detail.html",
        {
            "fund": fund,
            "summary": summary,
            "form": form if can_record else None,
            "can_record": can_record,
            "awaiting": awaiting,
            "page": Paginator(entries, 50).get_page(request.GET.get("page")),
            "years": mutual.report_years(fund),
        },
    )


def _claim_decision(request, pk, claim_pk, act, done):
    fund = _fund_for(request.user, pk)
    if not permissions.can_record_mutual_aid(request.user, fund):
        raise PermissionDenied
    claim = get_object_or_404(fund.entries, pk=claim_pk, kind=MutualAidEntry.Kind.CLAIM)
    try:
        act(by=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(fund)


@login_required
@require_POST
def mutual_claim_approve(request, pk, claim_pk):
    return _claim_decision(request, pk, claim_pk, mutual.approve_claim, _("Claim approved and paid."))


@login_required
@require_POST
def mutual_claim_decline(request, pk, claim_pk):
    return _claim_decision(
        request, pk, claim_pk, mutual.decline_claim, _("Claim declined; nothing was paid.")
    )


@login_required
def mutual_fund_report(request, pk, year):
    fund = _fund_for(request.user, pk)
    if year not in mutual.report_years(fund):
        raise Http404
    report = mutual.annual_report(fund, year)
    if request.GET.get("format") == "xlsx":
        return FileResponse(
            mutual.annual_report_xlsx(report),
            as_attachment=True,
            filename=f"mutual-aid-fund-{fund.pk}-{year}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return render(
        request,
        "aid/mutual_fund_report.html",
        {"report": report, "fund": fund, "years": mutual.report_years(fund)},
    )
