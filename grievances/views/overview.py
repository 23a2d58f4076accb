"""The casework overview (figures, chart, deadlines ahead) and its anonymised export, for the staff
with the casework duty; the list of pending deadlines, for them and for each handler."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from unionhub.access import check_required
from unionhub.workdays import missing_years

from .. import overview as figures
from .. import permissions
from ..deadlines import UrgencyScale
from ..forms import PeriodForm
from ..models import Case
from ..permissions import is_casework
from ..rules import rules


@check_required(permissions.is_casework)
def overview(request):
    today = timezone.localdate()
    return render(
        request,
        "grievances/overview.html",
        {
            "today": today,
            "stages": figures.open_by_stage_and_age(today),
            "age_bands": figures.AGE_BAND_LABELS,
            "monthly": figures.cases_by_category_and_month(today),
            "outcomes": figures.outcomes(today),
            "deadlines": figures.deadlines_ahead(today=today),
            "warn_days": rules().warn_days,
            "export_form": PeriodForm(initial={"year": today.year, "month": today.month}),
        },
    )


@check_required(permissions.is_casework)
def overview_export(request):
    """?year=YYYY[&month=MM]: the cases received in that period; the current year when not given."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"year": today.year})
    year, month = (
        (form.cleaned_data["year"], form.cleaned_data["month"]) if form.is_valid() else (today.year, None)
    )
    name = f"cases-{year}" + (f"-{month:02d}" if month else "") + ".xlsx"
    return FileResponse(
        figures.cases_workbook(year=year, month=month),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def deadline_list(request):
    """Casework staff: every open case's pending deadlines; a handler (staff or cadre): their own."""
    user = request.user
    if is_casework(user):
        cases = Case.objects.all()
    else:
        cases = Case.objects.visible_to(user).filter(handler=user)
        # A cadre whose term has ended may still be handling a case.
        if not (user.is_federation_staff or user.is_seconded_cadre or cases.open().exists()):
            raise PermissionDenied
    today = timezone.localdate()
    pending = figures.pending_deadlines(cases, today=today)
    scale = UrgencyScale.on(today)
    return render(
        request,
        "grievances/deadline_list.html",
        {
            "today": today,
            "rows": [(row, scale.of(row.deadline.due)) for row in pending],
            # The page warns when a deadline it shows falls in a year whose holiday calendar is not entered.
            "calendar_missing": missing_years(today, max(row.deadline.due for row in pending))
            if pending
            else [],
            "warn_days": rules().warn_days,
            "everyone": is_casework(user),
        },
    )
