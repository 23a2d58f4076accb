"""Dues pages: a union's periods, uploads and payments; the upload check, preview and commit;
the district's overview and arrears."""

import contextlib
import dataclasses
import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import require
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.files import stored_response
from unionhub.money import format_money, money
from unionhub.params import choice_param, text_param, year_param
from unionhub.posted import add_errors

from ..dues_annotate import annotate_errors
from ..dues_sheet import RowIssue, SheetUnreadable
from ..forms import CommitForm, CreditSettlementForm, DuesUploadForm, RemittanceForm
from ..models import (
    CreditSettlement,
    DeclarationReplacement,
    DuesPeriod,
    DuesUpload,
    GrassrootsUnion,
    Remittance,
)
from ..periods import parse_period
from ..permissions import can_download_dues_sheet, can_settle_credit
from ..services import declarations, dues
from . import registry_access_required


def _union_for_user(user, pk) -> GrassrootsUnion:
    return get_object_or_404(GrassrootsUnion.objects.visible_to(user).select_related("chair"), pk=pk)


def _upload_for_user(user, pk) -> DuesUpload:
    return get_object_or_404(
        DuesUpload.objects.visible_to(user).select_related("union", "period", "uploaded_by"), pk=pk
    )


def _period_rows(periods, today):
    rows = []
    for period in periods:
        received = money(period.received_total)
        outstanding = period.outstanding(received)
        overdue = period.due_date < today and (outstanding is None or outstanding > 0)
        rows.append(
            {
                "period": period,
                "received": received,
                "credit_in": money(period.credit_in),
                "credit_out": money(period.credit_out),
                "outstanding": outstanding,
                "overpaid": period.overpaid(received),
                "overdue": overdue,
                "days_overdue": period.days_overdue(today) if overdue else 0,
                "payment_order": overdue and period.payment_order_due(today),
            }
        )
    return rows


@registry_access_required
def union_dues(request, pk, upload_form=None, remittance_form=None, credit_form=None):
    union = _union_for_user(request.user, pk)
    today = timezone.localdate()
    periods = union.dues_periods.with_received().select_related("declared_upload").order_by("-start")
    can_record = request.user.has_perm("members.add_remittance")
    open_periods = dues.declarable_periods(union, today=today)
    if upload_form is None:
        asked = text_param(request, "period", max_length=20)
        initial = {}
        if asked:
            with contextlib.suppress(ValueError):  # an unreadable ?period= leaves the next one due chosen
                initial["period"] = parse_period(asked).label
        upload_form = DuesUploadForm(open_periods=open_periods, initial=initial)
    rows = _period_rows(periods, today)
    return render(
        request,
        "dues/union_dues.html",
        {
            "union": union,
            "today": today,
            "rows": rows,
            "credits": [r for r in rows if r["overpaid"] > 0],
            "can_settle": can_settle_credit(request.user),
            "credit_form": credit_form or CreditSettlementForm(initial={"on": today, "kind": "carried"}),
            "settlements": CreditSettlement.objects.filter(period__union=union).select_related(
                "period", "to_period", "recorded_by"
            )[:20],
            "replacements": DeclarationReplacement.objects.filter(period__union=union).select_related(
                "period", "replaced_upload", "upload", "replaced_by"
            )[:20],
            "uploads": union.dues_uploads.select_related("period", "uploaded_by")[:20],
            "remittances": Remittance.objects.filter(period__union=union).select_related(
                "period", "recorded_by"
            )[:20],
            "upload_form": upload_form,
            "open_periods": open_periods,
            "remittance_form": (
                remittance_form or RemittanceForm(union=union, initial={"received_on": today})
            )
            if can_record
            else None,
        },
    )


@registry_access_required
@require_POST
def dues_upload_create(request, pk):
    union = _union_for_user(request.user, pk)
    form = DuesUploadForm(
        request.POST, request.FILES, open_periods=dues.declarable_periods(union, today=timezone.localdate())
    )
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = dues.start_upload(
                by=request.user,
                union=union,
                period_label=form.cleaned_data["period"],
                filename=file.name,
                data=file.read(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(upload)
    return union_dues(request, pk, upload_form=form)


@registry_access_required
def dues_upload_detail(request, pk, commit_form=None):
    upload = _upload_for_user(request.user, pk)
    issues = [RowIssue(*row) for row in upload.issues[:1000]]
    checked = upload.status in (DuesUpload.Status.VALID, DuesUpload.Status.INVALID)
    # Annotated with what it has received: the comparison and the checks both need it.
    period = DuesPeriod.objects.with_received().select_related("declared_upload").get(pk=upload.period_id)
    return render(
        request,
        "dues/upload_detail.html",
        {
            "upload": upload,
            "summary": upload.summary,
            "errors": [i for i in issues if i.severity == "error"],
            "warnings": [i for i in issues if i.severity == "warning"],
            "comparison": declarations.compare(period, upload.summary, upload=upload) if checked else None,
            "checks": declarations.declaration_warnings(period, upload.summary, upload=upload)
            if checked
            else [],
            "commit_form": commit_form or CommitForm(),
            "can_commit": upload.status == DuesUpload.Status.VALID,
            "can_download": can_download_dues_sheet(request.user, upload),
        },
    )


@registry_access_required
def dues_upload_progress(request, pk):
    upload = _upload_for_user(request.user, pk)
    response = render(request, "dues/_upload_progress.html", {"upload": upload})
    if not upload.is_working:
        response["HX-Refresh"] = "true"
    return response


@registry_access_required
@require_POST
def dues_upload_commit(request, pk):
    upload = _upload_for_user(request.user, pk)
    form = CommitForm(request.POST)
    if upload.status == DuesUpload.Status.VALID and form.is_valid():
        try:
            dues.request_commit(by=request.user, upload=upload, replace=form.cleaned_data["replace"])
        except ValidationError as error:
            add_errors(form, error)
            return dues_upload_detail(request, pk, commit_form=form)
    elif upload.status != DuesUpload.Status.COMMITTING:
        messages.error(request, _("Only a checked sheet without errors can be committed."))
    return redirect(upload)


@registry_access_required
@require_POST
def credit_settle(request, pk):
    """Staff with the finance duty settle an overpaid period's credit: carried to the next period or refunded."""
    period = get_object_or_404(DuesPeriod.objects.visible_to(request.user).select_related("union"), pk=pk)
    if not can_settle_credit(request.user):
        raise PermissionDenied
    form = CreditSettlementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            settlement = declarations.settle_credit(
                by=request.user,
                period=period,
                kind=data["kind"],
                amount=data["amount"],
                on=data["on"],
                reference=data["reference"],
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                (
                    _("¥%(amount)s of credit carried from %(period)s to %(target)s.")
                    if settlement.to_period
                    else _("A refund of ¥%(amount)s recorded for %(period)s.")
                )
                % {
                    "amount": format_money(settlement.amount),
                    "period": period.label,
                    "target": settlement.to_period.label if settlement.to_period else "",
                },
            )
            return redirect("members:union_dues", pk=period.union_id)
    return union_dues(request, period.union_id, credit_form=form)


@registry_access_required
def dues_upload_errors(request, pk):
    """The user's own sheet with the bad cells highlighted and a comment on each. It holds every row's full
    ID number: for the union's chair and staff with the organisation duty, each download audited."""
    upload = _upload_for_user(request.user, pk)
    require(can_download_dues_sheet(request.user, upload))
    stem = upload.original_name.rsplit(".", 1)[0]
    remote_addr = request.META.get("REMOTE_ADDR")
    if upload.errors_file:
        dues.log_sheet_download(by=request.user, upload=upload, sheet="errors_file", remote_addr=remote_addr)
        return stored_response(
            upload.errors_file, as_attachment=True, filename=_("%(stem)s-issues.xlsx") % {"stem": stem}
        )
    with upload.file.open("rb") as handle:
        data = handle.read()
    try:
        plan = dues.read_and_plan(
            union=upload.union,
            period=parse_period(upload.period.label),
            data=data,
            filename=upload.original_name,
        )
    except SheetUnreadable as error:
        messages.error(request, str(error))
        return redirect(upload)
    annotated = annotate_errors(
        data, upload.original_name, dataclasses.replace(plan.parsed, issues=plan.issues)
    )
    dues.log_sheet_download(by=request.user, upload=upload, sheet="annotated", remote_addr=remote_addr)
    response = FileResponse(
        io.BytesIO(annotated), as_attachment=True, filename=_("%(stem)s-issues.xlsx") % {"stem": stem}
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@registry_access_required
@require_POST
def remittance_create(request, pk):
    union = _union_for_user(request.user, pk)
    if not request.user.has_perm("members.add_remittance"):
        raise PermissionDenied
    form = RemittanceForm(request.POST, union=union)
    if form.is_valid():
        data = form.cleaned_data
        try:
            remittance = dues.record_remittance(
                by=request.user,
                period=data["period"],
                amount=data["amount"],
                received_on=data["received_on"],
                voucher_no=data["voucher_no"],
                channel=data["channel"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("¥%(amount)s recorded for %(period)s (¥%(share)s returns to the union).")
                % {
                    "amount": remittance.amount,
                    "period": remittance.period.label,
                    "share": remittance.grassroots_share,
                },
            )
            return redirect("members:union_dues", pk=union.pk)
    return union_dues(request, pk, remittance_form=form)


@login_required
def dues_overview(request):
    user = request.user
    if not user.is_federation_staff:
        union = GrassrootsUnion.objects.visible_to(user).first()
        if union is None:
            raise PermissionDenied
        return redirect("members:union_dues", pk=union.pk)
    today = timezone.localdate()
    year = year_param(request, default=today.year, min_value=2000)
    area = area_filter(request)
    remittances = filter_by_area(Remittance.objects.all(), area, "period__union")
    periods = filter_by_area(DuesPeriod.objects.all(), area, "union")
    declared = periods.filter(start__year=year).aggregate(
        funds=Sum("funds_due"),
        dues=Sum("dues_due"),
        declared=Count("pk", filter=Q(funds_due__isnull=False)),
        total=Count("pk"),
    )
    received = remittances.filter(period__start__year=year).aggregate(
        amount=Sum("amount"), grassroots=Sum("grassroots_share"), federation=Sum("federation_share")
    )
    overdue = dues.arrears(queryset=periods, today=today)
    monthly = (
        remittances.filter(received_on__year=year)
        .values_list("received_on__month")
        .annotate(total=Sum("amount"))
        .order_by("received_on__month")
    )
    by_month = dict(monthly)
    chart_max = max(by_month.values(), default=0) or 1
    return render(
        request,
        "dues/overview.html",
        {
            "year": year,
            "declared": declared,
            "received": received,
            "received_in_year": remittances.received_in_year(year)
            - declarations.refunds_in_year(
                year, filter_by_area(CreditSettlement.objects.all(), area, "period__union")
            ),
            "arrears_count": len(overdue),
            "arrears_total": sum((a.outstanding or 0) for a in overdue),
            "payment_orders": sum(a.payment_order for a in overdue),
            "undeclared": sum(a.outstanding is None for a in overdue),
            "chart": [
                (month, by_month.get(month, 0), int(100 * by_month.get(month, 0) / chart_max))
                for month in range(1, 13)
            ],
            "uploads": filter_by_area(DuesUpload.objects.all(), area, "union").select_related(
                "union", "period", "uploaded_by"
            )[:15],
            **area_context(request),
        },
    )


@login_required
def arrears_list(request):
    if not request.user.is_federation_staff:
        raise PermissionDenied
    periods = filter_by_area(DuesPeriod.objects.all(), area_filter(request), "union")
    rows = dues.arrears(queryset=periods)
    if choice_param(request, "format", ["xlsx"]) == "xlsx":
        return _arrears_xlsx(rows)
    credits = [
        (period, period.overpaid(money(period.received_total)))
        for period in periods.overpaid().select_related("union").order_by("union__code", "start")[:500]
    ]
    return render(
        request,
        "dues/arrears.html",
        {
            "rows": rows[:500],
            "count": len(rows),
            "total": sum((a.outstanding or 0) for a in rows),
            "credits": credits,
            "credits_total": sum((c for _p, c in credits), Decimal(0)),
            **area_context(request),
        },
    )


def _arrears_xlsx(rows):
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Arrears"))
    sheet.append(
        [
            _("Union code"),
            _("Union"),
            _("Period"),
            _("Due date"),
            _("Union funds due"),
            _("Received"),
            _("Outstanding"),
            _("Days overdue"),
            _("Payment order"),
        ]
    )
    for a in rows:
        sheet.append(
            [
                neutralise(a.period.union.code),
                neutralise(a.period.union.name),
                a.period.label,
                a.period.due_date,
                a.period.funds_due,
                a.received,
                a.outstanding,
                a.days_overdue,
                _("Yes") if a.payment_order else "",
            ]
        )
    buffer = spooled(workbook)
    return FileResponse(buffer, as_attachment=True, filename=f"arrears-{timezone.localdate():%Y%m%d}.xlsx")
