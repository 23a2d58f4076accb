"""The fund's pages: balance, the year's allocation, income, the ledger with reversals, and the
monthly or yearly statement (with an XLSX export). Staff with the aid or finance duty see them;
posting needs the aid duty."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.params import REASON_MAX, choice_param, clean_text, parse_year

from ..forms.fund import IncomeForm, PeriodForm
from ..models import FundEntry, ReversalProposal
from ..services import four_eyes, fund


def _viewer(user):
    if not (user.is_federation_staff and user.has_perm("aid.view_fundentry")):
        raise PermissionDenied


def _poster(user):
    if not (user.is_federation_staff and user.has_perm("aid.add_fundentry")):
        raise PermissionDenied


@login_required
def aid_home(request):
    """/aid/: the fund for the staff who keep it; the hardship files for aid staff and chairs; the
    mutual-aid funds for other staff."""
    user = request.user
    if user.is_federation_staff and user.has_perm("aid.view_fundentry"):
        return redirect("aid:fund")
    if user.has_perm("aid.view_hardshipfile") or user.is_union_chair:
        return redirect("aid:file_list")
    if user.is_federation_staff:
        return redirect("aid:mutual_fund_list")
    raise PermissionDenied


@login_required
def fund_page(request, income_form=None):
    _viewer(request.user)
    today = timezone.localdate()
    entries = FundEntry.objects.select_related("programme", "created_by", "reverses").order_by(
        "-posted_on", "-pk"
    )
    kind = choice_param(request, "kind", FundEntry.Kind.values)
    if kind:
        entries = entries.filter(kind=kind)
    reversed_ids = set(
        FundEntry.objects.filter(kind=FundEntry.Kind.REVERSAL).values_list("reverses_id", flat=True)
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    proposals = list(
        ReversalProposal.objects.filter(status=ReversalProposal.Status.PROPOSED).select_related(
            "entry", "proposed_by"
        )
    )
    proposed_ids = {proposal.entry_id for proposal in proposals}
    for entry in page.object_list:
        entry.is_reversed = entry.pk in reversed_ids
        entry.reversal_proposed = entry.pk in proposed_ids
    for proposal in proposals:
        proposal.four_eyes_refusal = four_eyes.refusal(by=request.user, proposer_id=proposal.proposed_by_id)
    years = [today.year - n for n in range(1, 4)]
    allocations = [
        {"year": year, "due": fund.allocation_due(year), "posted": fund.allocated(year)} for year in years
    ]
    return render(
        request,
        "aid/fund.html",
        {
            "balance": fund.balance(),
            "statement": fund.statement(year=today.year),
            "today": today,
            "allocations": allocations,
            "page": page,
            "proposals": proposals,
            "kind": kind,
            "kinds": FundEntry.Kind.choices,
            "can_post": request.user.has_perm("aid.add_fundentry"),
            "income_form": income_form or IncomeForm(initial={"on": today}),
        },
    )


@login_required
@require_POST
def fund_allocate(request):
    _poster(request.user)
    try:
        year = parse_year(request.POST.get("year"))
        if year is None:
            raise ValueError("no year")
        if request.POST.get("adjust"):
            amount = fund.post_adjustment(year=year, by=request.user)
        else:
            amount = fund.post_allocation(year=year, by=request.user)
    except (ValueError, ValidationError, LookupError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Choose a year.")])))
    else:
        if amount:
            messages.success(
                request, _("Posted %(amount)s yuan for %(year)d.") % {"amount": f"{amount:,}", "year": year}
            )
        else:
            messages.info(
                request, _("Nothing to post for %(year)d: the allocation is up to date.") % {"year": year}
            )
    return redirect("aid:fund")


@login_required
@require_POST
def fund_income(request):
    _poster(request.user)
    form = IncomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            fund.post_income(
                kind=data["kind"],
                amount=data["amount"],
                on=data["on"],
                by=request.user,
                description=data["description"],
                reference=data["reference"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("Income of %(amount)s yuan posted.") % {"amount": f"{data['amount']:,}"}
            )
            return redirect("aid:fund")
    return fund_page(request, income_form=form)


@login_required
@require_POST
def fund_reverse(request, pk):
    _poster(request.user)
    entry = get_object_or_404(FundEntry, pk=pk)
    try:
        fund.propose_reversal(
            entry=entry, reason=clean_text(request.POST.get("reason"), max_length=REASON_MAX), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if four_eyes.required():
            messages.success(request, _("Reversal proposed; another staff member approves it."))
        else:
            messages.success(request, _("Reversal proposed; approve it below."))
    return redirect("aid:fund")


@login_required
@require_POST
def fund_reversal_approve(request, pk):
    _poster(request.user)
    proposal = get_object_or_404(ReversalProposal, pk=pk)
    try:
        fund.approve_reversal(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Entry reversed."))
    return redirect("aid:fund")


@login_required
@require_POST
def fund_reversal_decline(request, pk):
    _poster(request.user)
    proposal = get_object_or_404(ReversalProposal, pk=pk)
    try:
        fund.decline_reversal(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposed reversal was declined; the entry stands."))
    return redirect("aid:fund")


@login_required
def fund_statement(request):
    _viewer(request.user)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"year": today.year})
    year, month = (
        (form.cleaned_data["year"], form.cleaned_data["month"]) if form.is_valid() else (today.year, None)
    )
    result = fund.statement(year=year, month=month)
    if request.GET.get("format") == "xlsx":
        return _statement_xlsx(result, year, month)
    months = []
    if month is None:
        # The year's months side by side: twelve statements, two queries each.
        months = [
            fund.statement(year=year, month=m) for m in range(1, 13) if datetime.date(year, m, 1) <= today
        ]
    return render(
        request,
        "aid/fund_statement.html",
        {"form": form, "statement": result, "year": year, "month": month, "months": months},
    )


def _statement_xlsx(result: fund.Statement, year: int, month: int | None) -> FileResponse:
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Statement"))
    title = (
        _("Hardship fund statement, %(year)d-%(month)02d") % {"year": year, "month": month}
        if month
        else _("Hardship fund statement, %(year)d") % {"year": year}
    )
    sheet.append([title])
    sheet.append([_("From"), result.start.isoformat(), _("to"), result.end.isoformat()])
    sheet.append([])
    rows = [
        (_("Opening balance"), result.opening),
        (_("Allocations"), result.allocations),
        (_("Donations"), result.donations),
        (_("Transfers from the charity federation"), result.charity),
    ]
    rows += [
        (_("Paid out: %(programme)s") % {"programme": label}, -amount)
        for label, amount in result.by_programme
    ]
    if result.unassigned:
        rows.append((_("Paid out: other"), -result.unassigned))
    rows.append((_("Closing balance"), result.closing))
    for label, amount in rows:
        sheet.append([label, float(amount)])
    entries = workbook.create_sheet(_("Entries"))
    entries.append([_("Date"), _("Kind"), _("Programme"), _("Amount"), _("Description"), _("Reference")])
    for entry in (
        FundEntry.objects.filter(posted_on__range=(result.start, result.end))
        .select_related("programme")
        .order_by("posted_on", "pk")
        .iterator(chunk_size=2000)
    ):
        entries.append(
            [
                entry.posted_on.isoformat(),
                entry.get_kind_display(),
                entry.programme.name if entry.programme else "",
                float(entry.amount),
                neutralise(entry.description),
                neutralise(entry.reference),
            ]
        )
    buffer = spooled(workbook)
    name = f"hardship-fund-{year}" + (f"-{month:02d}" if month else "") + ".xlsx"
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
