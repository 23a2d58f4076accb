"""Joining the union online (入会申请): the public form under /m/join/ (no login), and the chair's and the
federation's pages that decide the applications and list the enterprises to organise."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from unionhub.access import check_required
from unionhub.paging import page_of
from unionhub.params import choice_param, clean_text
from unionhub.posted import add_errors, error_messages, form_error_messages

from ..forms import JoinDecisionForm, JoinForm
from ..member_access import current_member
from ..models import Enterprise, JoinApplication
from ..services import join

DONE_KEY = "member_area.join_done"
APPLICANTS_SHOWN = 20


# --- the public form (/m/join/) --------------------------------------------------------------------------


def _remote_addr(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _too_many(request):
    """The polite refusal once this address has sent its share of applications, else None."""
    retry_at = join.retry_after(_remote_addr(request))
    if retry_at is None:
        return None
    response = render(
        request, "member_area/join_limited.html", {"retry_at": timezone.localtime(retry_at)}, status=429
    )
    response["Retry-After"] = str(max(int((retry_at - timezone.now()).total_seconds()), 1))
    return response


def _employer_names() -> list[str]:
    """Every enterprise on file by name (the list the employer field offers): names, nothing else."""
    return list(
        Enterprise.objects.exclude(status=Enterprise.Status.CLOSED)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


@never_cache
@require_http_methods(["GET", "POST"])
def join_form(request):
    """The application. Every application taken in gets the same answer, whoever the person is: the outcome
    comes by SMS. A copy of a form already sent (its token claimed) makes nothing new."""
    member = current_member(request.user)
    if request.method == "POST":
        if refusal := _too_many(request):
            return refusal
        form = JoinForm(request.POST)
        token = clean_text(request.POST.get("form_token"), max_length=64) or join.new_form_token()
        if form.is_valid():
            if not join.claim_form_token(token):
                return redirect("member_area:join_done")
            data = form.cleaned_data
            try:
                application = join.apply_to_join(
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    enterprise=form.enterprise,
                    enterprise_name=data["employer"],
                )
            except ValidationError as error:
                join.release_form_token(token)
                add_errors(form, error)
            else:
                join.count_application(_remote_addr(request))
                request.session[DONE_KEY] = "chair" if application.union_id else "federation"
                return redirect("member_area:join_done")
    else:
        form = JoinForm()
        token = join.new_form_token()
    response = render(
        request,
        "member_area/join.html",
        {"form": form, "form_token": token, "employers": _employer_names(), "member": member},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def join_done(request):
    """What happens next: the chair decides, or (no union at the employer) the federation will call."""
    route = request.session.pop(DONE_KEY, "")
    response = render(request, "member_area/join_done.html", {"route": route})
    add_never_cache_headers(response)
    return response


# --- the chair's and the federation's pages -----------------------------------------------------------------

applications_required = check_required(join.can_see_applications)


def _application_for(user, pk) -> JoinApplication:
    return get_object_or_404(
        JoinApplication.objects.visible_to(user).select_related(
            "union", "enterprise", "decided_by", "member"
        ),
        pk=pk,
    )


STATUS_FILTERS = ("pending", "decided", "referred", "all")


@applications_required
def application_list(request):
    """A chair's applications (their unions'), or every union's for organisation staff: waiting ones first."""
    shown = choice_param(request, "status", STATUS_FILTERS, default="pending")
    rows = JoinApplication.objects.visible_to(request.user).select_related("union")
    if shown == "pending":
        rows = rows.filter(status=JoinApplication.Status.PENDING).order_by("created_at", "pk")
    elif shown == "decided":
        rows = rows.filter(
            status__in=[JoinApplication.Status.APPROVED, JoinApplication.Status.DECLINED]
        ).order_by("-decided_at", "-pk")
    elif shown == "referred":
        rows = rows.filter(status=JoinApplication.Status.REFERRED)
    return render(
        request,
        "members/join/application_list.html",
        {
            "page": page_of(request, rows),
            "shown": shown,
            "can_see_referrals": join.can_see_referrals(request.user),
        },
    )


@applications_required
def application_detail(request, pk):
    application = _application_for(request.user, pk)
    can_decide = application.is_open and join.can_decide(request.user, application)
    return render(
        request,
        "members/join/application_detail.html",
        {
            "application": application,
            "membership_note": join.active_membership_note(application, request.user),
            "form": JoinDecisionForm() if can_decide else None,
        },
    )


@applications_required
@require_POST
def application_decide(request, pk):
    application = _application_for(request.user, pk)
    if not join.can_decide(request.user, application):
        raise PermissionDenied
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(application)
    try:
        if form.cleaned_data["decision"] == "approve":
            application = join.approve_application(application=application, by=request.user)
        else:
            application = join.decline_application(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
    except ValidationError as error:
        error_messages(request, error)
        return redirect(application)
    if application.status == JoinApplication.Status.APPROVED:
        messages.success(
            request,
            _("Approved: %(name)s is a member now and has been told by SMS.") % {"name": application.name},
        )
        return redirect(application.member)
    messages.success(request, _("Declined. The applicant has been told by SMS."))
    return redirect(application)


@check_required(join.can_see_referrals)
def to_organise(request):
    """Workers of enterprises without a union (or not on file) who asked to join, by employer: where the
    federation should organise a union next."""
    page = page_of(request, join.to_organise())
    rows = list(page.object_list)
    names = [row["enterprise_name"] for row in rows]
    applicants: dict[str, list[JoinApplication]] = {}
    for application in (
        JoinApplication.objects.referred()
        .filter(enterprise_name__in=names)
        .only("pk", "name", "phone", "enterprise_name", "created_at")
        .order_by("created_at", "pk")
    ):
        applicants.setdefault(application.enterprise_name, []).append(application)
    for row in rows:
        row["applicants"] = applicants.get(row["enterprise_name"], [])[:APPLICANTS_SHOWN]
    return render(request, "members/join/to_organise.html", {"page": page, "rows": rows})


urlpatterns = [
    path("join-applications/", application_list, name="join_applications"),
    path("join-applications/to-organise/", to_organise, name="join_to_organise"),
    path("join-applications/<int:pk>/", application_detail, name="join_application"),
    path("join-applications/<int:pk>/decide/", application_decide, name="join_application_decide"),
]
