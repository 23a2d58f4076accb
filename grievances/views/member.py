"""The member area's complaints (/m/complaints/): my signed cases, a new complaint (signed or anonymous), one of
my cases, and the receipt of a complaint just filed. Cases are read only through ``Case.objects.filed_by``:
another member's case, or an anonymous one, is 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from members.member_access import member_required
from unionhub.params import clean_text
from unionhub.posted import add_errors

from ..deadlines import CALLBACK_WORKING_DAYS
from ..forms import MemberComplaintForm
from ..models import Case
from ..services import member as member_services
from ..services import public as public_services

RECEIPT_SESSION_KEY = "grievances.services.member.receipt"
HOTLINE = "12351"


def _too_many(request):
    """The public form's hourly limit per client, in the member area's frame; None while within it."""
    retry_at = public_services.retry_after("submission", request.META.get("REMOTE_ADDR", ""))
    if retry_at is None:
        return None
    response = render(
        request,
        "grievances/member/limited.html",
        {"retry_at": timezone.localtime(retry_at), "hotline": HOTLINE},
        status=429,
    )
    response["Retry-After"] = str(max(int((retry_at - timezone.now()).total_seconds()), 1))
    return response


@require_GET
@member_required
def complaint_list(request):
    cases = (
        Case.objects.filed_by(request.member)
        .order_by("-received_on", "-pk")
        .only("pk", "number", "received_on", "stage", "category", "employer_name", "outcome")[:50]
    )
    return render(request, "grievances/member/list.html", {"cases": cases, "hotline": HOTLINE})


@require_http_methods(["GET", "POST"])
@member_required
def complaint_new(request):
    """The form; POST-redirect-GET. A copy of a form already sent (its token claimed) makes no second case."""
    member = request.member
    if request.method == "POST":
        if refusal := _too_many(request):
            return refusal
        form = MemberComplaintForm(request.POST, request.FILES, member=member)
        token = clean_text(request.POST.get("form_token"), max_length=64) or public_services.new_form_token()
        if form.is_valid():
            if not public_services.claim_form_token(token):
                return redirect("member_complaints:complaint_received")
            try:
                case, code = member_services.submit_member(
                    by=request.user,
                    member=member,
                    data=form.cleaned_data,
                    files=form.cleaned_data["evidence"],
                )
            except ValidationError as error:
                public_services.release_form_token(token)
                add_errors(form, error)
            else:
                public_services.count_attempt("submission", request.META.get("REMOTE_ADDR", ""))
                if case.anonymous:
                    # Shown once, then gone: nothing in the member's session or pages leads back to the case.
                    request.session[RECEIPT_SESSION_KEY] = {"number": case.number, "code": code}
                    return redirect("member_complaints:complaint_received")
                messages.success(
                    request,
                    _("Your complaint %(number)s has been received. Follow it here.")
                    % {"number": case.number},
                )
                return redirect("member_complaints:complaint_detail", pk=case.pk)
    else:
        form = MemberComplaintForm(member=member)
        token = public_services.new_form_token()
    return render(
        request,
        "grievances/member/new.html",
        {
            "form": form,
            "form_token": token,
            "member": member,
            "hotline": HOTLINE,
            "callback_days": CALLBACK_WORKING_DAYS,
            "files_sent": bool(request.FILES),
        },
    )


@require_GET
@member_required
def complaint_received(request):
    """An anonymous complaint's receipt: its number and tracking code, shown this once (taken out of the
    session as they are shown, and never cached). A second copy of a form lands here too, with no code."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    response = render(request, "grievances/member/received.html", {"receipt": receipt, "hotline": HOTLINE})
    add_never_cache_headers(response)
    return response


@require_GET
@member_required
def complaint_detail(request, pk: int):
    case = get_object_or_404(Case.objects.filed_by(request.member), pk=pk)
    view = member_services.member_view(case, today=request.member_scope.day)
    return render(request, "grievances/member/detail.html", {"case": view, "hotline": HOTLINE})
