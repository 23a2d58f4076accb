"""Monthly report pages: the list (with a form to ask for a month), the progress row it polls, and the
downloads. Staff see every report; a union's chair sees their union's; the district's is for staff only."""

import datetime
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from unionhub.forms import SafeModelChoiceField

from ..contributions import union_model
from ..files import stored_response
from ..models import MonthlyReport
from ..reports import runs, services

app_name = "reports"


def registry_access_required(view):
    """Reports are for federation staff and union chairs, as the registry's pages (403 for other roles)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_federation_staff or request.user.is_union_chair):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _reports_for_user(user):
    """Every report for staff; a chair's unions' reports (never the district's) for a chair."""
    reports = MonthlyReport.objects.select_related("union", "requested_by")
    if user.is_federation_staff:
        return reports
    return reports.filter(union__chair=user)


def _report_for_user(user, pk) -> MonthlyReport:
    return get_object_or_404(_reports_for_user(user), pk=pk)


class ReportRequestForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    union = SafeModelChoiceField(
        label=gettext_lazy("Scope"),
        queryset=None,
        required=False,
        # "全区": the same words as the district's rows in the list (not the dashboard's "The district").
        empty_label=gettext_lazy("The whole district"),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Produce it again if it is already ready"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A union's report: the union is the registry's model, contributed to the core (which imports no app).
        unions = union_model().objects.visible_to(user).order_by("code")
        self.fields["union"].queryset = unions
        self.fields["union"].label_from_instance = lambda union: f"{union.code} {union.name}"
        if not user.is_federation_staff:
            self.fields["union"].required = True
            self.fields["union"].empty_label = None
        if not self.is_bound:
            self.initial["month"] = f"{runs.previous_month(timezone.localdate()):%Y-%m}"

    def clean_month(self) -> datetime.date:
        try:
            return runs.parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise ValidationError(str(error)) from None


@registry_access_required
def report_list(request):
    user = request.user
    form = ReportRequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_report(
                by=user,
                month=form.cleaned_data["month"],
                union=form.cleaned_data["union"],
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            return redirect("reports:report_list")
    page = Paginator(_reports_for_user(user), 50).get_page(request.GET.get("page"))
    # The district's report is the staff's (and the scheduled run's): only they are told it is missing.
    missing = runs.missing_district_report(timezone.localdate()) if user.is_federation_staff else None
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "page": page, "reports": page.object_list, "missing": missing},
        status=400 if form.errors else 200,
    )


@registry_access_required
@require_GET
def report_progress(request, pk):
    """The row of one report, polled while it is queued or being produced."""
    return render(request, "reports/_report_row.html", {"report": _report_for_user(request.user, pk)})


@registry_access_required
@require_GET
def report_download(request, pk, kind):
    if kind not in ("pdf", "xlsx"):
        raise Http404
    report = _report_for_user(request.user, pk)
    file = report.pdf if kind == "pdf" else report.xlsx
    if report.status != MonthlyReport.Status.READY or not file or not file.storage.exists(file.name):
        raise Http404
    scope = report.union.code if report.union_id else _("district")
    filename = _("%(scope)s monthly report %(month)s") % {"scope": scope, "month": f"{report.month:%Y-%m}"}
    return stored_response(file, as_attachment=True, filename=f"{filename}.{kind}")


urlpatterns = [
    path("", report_list, name="report_list"),
    path("<int:pk>/progress/", report_progress, name="report_progress"),
    path("<int:pk>/<str:kind>/", report_download, name="report_download"),
]
