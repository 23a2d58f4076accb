"""Completion certificates: the list (staff: all, with the month's batch; a cadre: their own),
issuing one, downloading the PDF, and the public verification page behind the QR code."""

import uuid

from celery.backends.base import DisabledBackend
from celery.result import AsyncResult
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, public_page, require, role_required
from unionhub.files import stored_response
from unionhub.masking import mask_name
from unionhub.paging import page_of
from unionhub.params import REASON_MAX, clean_text

from .. import permissions
from ..forms import BatchForm, CertificateFilter
from ..models import Assessment, Certificate, SecondmentTerm
from ..services.certificates import (
    ensure_rendered,
    holder_name,
    issue_and_render,
    revoke_certificate,
    start_month,
)


def _awaiting_certificate():
    """Terms with a passed end-of-term assessment and no certificate yet."""
    passed = [Assessment.Grade.EXCELLENT, Assessment.Grade.PASS, Assessment.Grade.BASIC_PASS]
    return (
        SecondmentTerm.objects.filter(
            certificate__isnull=True, assessments__kind=Assessment.Kind.END, assessments__grade__in=passed
        )
        .exclude(status=SecondmentTerm.Status.ENDED_EARLY)
        .select_related("cadre", "union", "member")
        .order_by("-end_date", "pk")
    )


@login_required
def certificate_list(request, batch_form=None):
    user = request.user
    require(permissions.can_see_certificates(user))
    certificates = Certificate.objects.visible_to(user).select_related(
        "term__cadre", "term__union", "term__member"
    )
    filters = CertificateFilter(request.GET)
    if filters.is_valid():
        if filters.cleaned_data["year"]:
            certificates = certificates.filter(issued_on__year=filters.cleaned_data["year"])
        if filters.cleaned_data["month"]:
            certificates = certificates.filter(issued_on__month=filters.cleaned_data["month"])
    page = page_of(request, certificates)
    for certificate in page.object_list:
        certificate.holder_name = holder_name(certificate.term)
    context = {"page": page, "filters": filters, "is_staff": user.is_federation_staff}
    if user.is_federation_staff:
        awaiting = list(_awaiting_certificate()[:100])
        for term in awaiting:
            term.holder_name = holder_name(term)
        context.update(
            awaiting=awaiting,
            batch_form=batch_form or BatchForm(),
            batch=_batch_status(request.GET.get("batch", "")),
        )
    return render(request, "secondment/certificate_list.html", context)


@check_required(permissions.can_issue_certificates)
@require_POST
def certificate_issue(request, term_pk):
    term = get_object_or_404(SecondmentTerm.objects.select_related("cadre", "member"), pk=term_pk)
    already = Certificate.objects.filter(term=term).exists()
    try:
        certificate = issue_and_render(term=term, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("secondment:certificate_list")
    if already:
        messages.info(
            request,
            _("%(name)s already has certificate %(number)s.")
            % {"name": holder_name(term), "number": certificate.number},
        )
    else:
        messages.success(
            request,
            _("Certificate %(number)s issued to %(name)s.")
            % {"name": holder_name(term), "number": certificate.number},
        )
    return redirect("secondment:certificate_list")


@login_required
@require_POST
def certificate_batch(request):
    """Issue the certificates of a month's ending terms as a Celery task; the list page then shows
    its progress (or, when tasks run in process, its outcome at once)."""
    require(permissions.can_issue_certificates(request.user))
    form = BatchForm(request.POST)
    if not form.is_valid():
        return certificate_list(request, batch_form=form)
    year, month = form.cleaned_data["month"]
    result = start_month(year=year, month=month, by=request.user)
    if result.ready():
        messages.success(request, _batch_summary(result.get()))
        return redirect("secondment:certificate_list")
    return redirect(reverse("secondment:certificate_list") + f"?batch={result.id}")


def _batch_summary(counts: dict) -> str:
    return (
        _("Certificates issued: %(issued)d; already issued: %(existing)d; not eligible: %(skipped)d.")
        % counts
    )


def _batch_status(task_id: str) -> dict | None:
    """A batch task's state from the result backend (None for no task, or without a backend)."""
    try:
        task_id = str(uuid.UUID(task_id))
    except ValueError:
        return None
    result = AsyncResult(task_id)
    if isinstance(result.backend, DisabledBackend):
        return None
    status = {
        "task_id": task_id,
        "ready": result.ready(),
        "failed": result.failed(),
        "done": 0,
        "total": 0,
        "percent": 0,
        "summary": "",
    }
    if result.successful():
        status["summary"] = _batch_summary(result.result)
    elif result.state == "PROGRESS" and isinstance(result.info, dict):
        done, total = result.info.get("done", 0), result.info.get("total", 0)
        status.update(done=done, total=total, percent=int(100 * done / total) if total else 0)
    return status


@role_required("staff")
def certificate_batch_progress(request, task_id):
    batch = _batch_status(str(task_id))
    if batch is None:
        raise Http404
    response = render(request, "secondment/certificate_batch_progress.html", {"batch": batch})
    if batch["ready"]:
        response["HX-Refresh"] = "true"
    return response


@check_required(permissions.can_issue_certificates)
@require_POST
def certificate_revoke(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        revoke_certificate(
            by=request.user,
            certificate=certificate,
            reason=clean_text(request.POST.get("reason"), max_length=REASON_MAX),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Certificate %(number)s is revoked; its verification page says so.")
            % {"number": certificate.number},
        )
    return redirect("secondment:certificate_list")


@login_required
def certificate_download(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.visible_to(request.user).select_related(
            "term__cadre", "term__union", "term__member"
        ),
        pk=pk,
    )
    ensure_rendered(certificate)
    return stored_response(certificate.pdf, filename=f"{certificate.number}.pdf")


@public_page
def certificate_verify(request, token):
    """Public (the QR code's target): genuine, revoked or unknown, with no more than is printed on
    the certificate, and the name masked."""
    certificate = (
        Certificate.objects.select_related("term__cadre", "term__union", "term__member")
        .filter(token=token)
        .first()
    )
    if certificate is None:
        response = render(request, "secondment/certificate_verify.html", {"certificate": None}, status=404)
    else:
        response = render(
            request,
            "secondment/certificate_verify.html",
            {
                "certificate": certificate,
                "term": certificate.term,
                "masked_name": mask_name(holder_name(certificate.term)),
            },
        )
    response["X-Robots-Tag"] = "noindex"
    return response
