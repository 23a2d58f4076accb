"""Dues pages: a union's periods, uploads and payments; the upload check, preview and commit;
the district's overview and arrears."""

import dataclasses
import io

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
from unionhub.params import year_param
from unionhub.posted import add_errors

from ..dues_annotate import annotate_errors
from ..dues_sheet import RowIssue, SheetUnreadable
from ..forms import DuesUploadForm, RemittanceForm
from ..models import DuesPeriod, DuesUpload, GrassrootsUnion, Remittance
from ..periods import parse_period, period_containing
from ..permissions import can_download_dues_sheet
from ..services import dues
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
        outstanding = period.outstanding(period.received_total)
        overdue = period.due_date < today and (outstanding is None or outstanding > 0)
        rows.append(
            {
                "period": period,
                "received": period.received_total,
                "outstanding": outstanding,
                "overdue": overdue,
                "days_overdue": period.days_overdue(today) if overdue else 0,
                "payment_order": overdue and period.payment_order_due(today),
            }
        )
    return rows


def _suggested_periods(union, today):
    current = period_containing(union.dues_schedule, today)
    return [current.previous().label, current.label]


@registry_access_required
def union_dues(request, pk, upload_form=None, remittance_form=None):
    union = _union_for_user(request.user, pk)
    today = timezone.localdate()
    periods = union.dues_periods.with_received().select_related("declared_upload").order_by("-start")
    can_record = request.user.has_perm("members.add_remittance")
    return render(
        request,
        "dues/union_dues.html",
        {
            "union": union,
            "today": today,
            "rows": _period_rows(periods, today),
            "uploads": union.dues_uploads.select_related("period", "uploaded_by")[:20],
            "remittances": Remittance.objects.filter(period__union=union).select_related(
                "period", "recorded_by"
            )[:20],
            "upload_form": upload_form
            or DuesUploadForm(initial={"period": _suggested_periods(union, today)[0]}),
            "suggested_periods": _suggested_periods(union, today),
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
    form = DuesUploadForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = dues.start_upload(
                by=request.user,
                union=union,
                period_label=form.cleaned_data["period"],
                filename=file.name,
                data=file.read(),
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(upload)
    return union_dues(request, pk, upload_form=form)


@registry_access_required
def dues_upload_detail(request, pk):
    upload = _upload_for_user(request.user, pk)
    issues = [RowIssue(*row) for row in upload.issues[:1000]]
    return render(
        request,
        "dues/upload_detail.html",
        {
            "upload": upload,
            "summary": upload.summary,
            "errors": [i for i in issues if i.severity == "error"],
            "warnings": [i for i in issues if i.severity == "warning"],
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
    if upload.status == DuesUpload.Status.VALID:
        dues.request_commit(by=request.user, upload=upload)
    elif upload.status != DuesUpload.Status.COMMITTING:
        messages.error(request, _("Only a checked sheet without errors can be committed."))
    return redirect(upload)


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
            "received_in_year": remittances.received_in_year(year),
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
    rows = dues.arrears(queryset=filter_by_area(DuesPeriod.objects.all(), area_filter(request), "union"))
    if request.GET.get("format") == "xlsx":
        return _arrears_xlsx(rows)
    return render(
        request,
        "dues/arrears.html",
        {
            "rows": rows[:500],
            "count": len(rows),
            "total": sum((a.outstanding or 0) for a in rows),
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
