"""The ledger import pages (台账导入), for staff with the organisation duty: upload a federation's
workbook, watch it being checked, read the preview and the errors, commit it, download the copy with the
errors marked and the template. The work is ``members.services.ledger``; the check and the commit run as
Celery tasks, with the same progress bar as dues uploads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import duty_required
from unionhub.files import stored_response
from unionhub.posted import add_errors

from ..forms import LedgerUploadForm
from ..ledger_sample import template_workbook
from ..models import RegistryImport
from ..services import ledger
from ..services.ledger import issues_from_json

IMPORT_DUTY = "members.add_registryimport"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_for_user(user, pk) -> RegistryImport:
    return get_object_or_404(RegistryImport.objects.visible_to(user).select_related("uploaded_by"), pk=pk)


@duty_required(IMPORT_DUTY)
def registry_import_create(request):
    form = LedgerUploadForm()
    if request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                record = ledger.start_import(by=request.user, filename=file.name, data=file.read())
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect(record)
    recent = RegistryImport.objects.visible_to(request.user).select_related("uploaded_by")[:20]
    return render(request, "members/registry_import_create.html", {"form": form, "recent": recent})


@duty_required(IMPORT_DUTY)
def registry_import_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''ledger-template.xlsx"
    return response


@duty_required(IMPORT_DUTY)
def registry_import_detail(request, pk):
    record = _import_for_user(request.user, pk)
    summary = record.summary or {}
    counts = summary.get("counts", {})
    return render(
        request,
        "members/registry_import_detail.html",
        {
            "record": record,
            "summary": summary,
            "kinds": [
                (_("Unions"), counts.get("unions")),
                (_("Enterprises"), counts.get("enterprises")),
                (_("Members"), counts.get("members")),
            ],
            "errors": issues_from_json(record.issues[:1000]),
            "can_commit": record.status == RegistryImport.Status.VALID,
            "created_chairs": summary.get("created_chairs", []),
        },
    )


@duty_required(IMPORT_DUTY)
def registry_import_progress(request, pk):
    record = _import_for_user(request.user, pk)
    response = render(request, "members/_registry_import_progress.html", {"record": record})
    if not record.is_working:
        response["HX-Refresh"] = "true"
    return response


@duty_required(IMPORT_DUTY)
@require_POST
def registry_import_commit(request, pk):
    """Twice is once: only a checked import without errors moves on to committing."""
    record = _import_for_user(request.user, pk)
    if record.status == RegistryImport.Status.VALID:
        ledger.request_commit(by=request.user, record=record)
    elif record.status not in (RegistryImport.Status.COMMITTING, RegistryImport.Status.COMMITTED):
        messages.error(request, _("Only a checked ledger without errors can be committed."))
    return redirect(record)


@duty_required(IMPORT_DUTY)
def registry_import_errors(request, pk):
    """The ledger with every error marked: it holds full ID numbers, so each download is audited."""
    record = _import_for_user(request.user, pk)
    if not record.errors_file:
        return redirect(record)
    ledger.log_ledger_download(
        by=request.user, record=record, which="errors_file", remote_addr=request.META.get("REMOTE_ADDR")
    )
    stem = record.original_name.rsplit(".", 1)[0]
    return stored_response(
        record.errors_file, as_attachment=True, filename=_("%(stem)s-issues.xlsx") % {"stem": stem}
    )
