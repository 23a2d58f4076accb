"""A member's own aid applications on the phone (/m/applications/: the programmes, the form with the phone's
camera, each application's steps) and the chair's review of them (/aid/member-applications/<pk>/). A member
reaches only their own applications (another's is 404); a chair only their own union's (another's is 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members.member_access import member_required
from unionhub.access import check_required, require
from unionhub.posted import add_errors

from .. import permissions
from ..forms.member_applications import ChairReviewForm, MemberApplicationForm
from ..models import MemberApplication, Programme
from ..services import member_applications as services

# --- the member's pages ------------------------------------------------------------------------------


def _own(request):
    return (
        MemberApplication.objects.for_person(request.member)
        .select_related("programme", "application")
        .order_by("-submitted_on", "-pk")
    )


@member_required
def home(request):
    day = request.member_scope.day
    programmes = [{"programme": p, "open": p.is_open_on(day)} for p in services.member_programmes(day)]
    rows = [{"request": r, "stage": services.stage(r)} for r in _own(request)]
    return render(request, "aid/member/home.html", {"programmes": programmes, "rows": rows, "today": day})


@member_required
def apply(request, programme_pk):
    programme = get_object_or_404(Programme.objects.filter(kind__in=services.MEMBER_KINDS), pk=programme_pk)
    day = request.member_scope.day
    education = programme.kind == Programme.Kind.EDUCATION
    form = MemberApplicationForm(request.POST or None, request.FILES or None, education=education)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.submit(
                by=request.user,
                member=request.member,
                programme=programme,
                amount_requested=data["amount_requested"],
                reason=data["reason"],
                photos=data["photos"],
                child_name=data.get("child_name", ""),
                child_id_number=data.get("child_id_number", ""),
                school=data.get("school", ""),
                on=day,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent to your union chair."))
            return redirect("member_applications:detail", pk=created.pk)
    elif request.method == "POST" and not programme.is_open_on(day):
        form.add_error(
            None,
            _("%(programme)s takes applications from %(opens)s to %(closes)s; it is closed on %(day)s.")
            % {
                "programme": programme.name,
                "opens": programme.opens_on,
                "closes": programme.closes_on,
                "day": day,
            },
        )
    return render(
        request,
        "aid/member/apply.html",
        {
            "programme": programme,
            "open": programme.is_open_on(day),
            "form": form,
            "education": education,
            "max_photos": services.MAX_PHOTOS,
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required
def detail(request, pk):
    own = get_object_or_404(_own(request).prefetch_related("photos"), pk=pk)
    return render(
        request,
        "aid/member/detail.html",
        {"application": own, "stage": services.stage(own), "steps": services.timeline(own)},
    )


# --- the chair's review ------------------------------------------------------------------------------


@check_required(permissions.can_use_aid)
def review(request, pk):
    """The chair of the member's union forwards the application to the federation with a note, or returns
    it to the member with a reason; aid staff may read it. Chair of another union: 404."""
    own = get_object_or_404(
        MemberApplication.objects.visible_to(request.user)
        .select_related("programme", "member", "member__enterprise", "union", "application", "reviewed_by")
        .prefetch_related("photos"),
        pk=pk,
    )
    may_review = own.status == MemberApplication.Status.AT_CHAIR and own.union.chair_id == request.user.pk
    form = ChairReviewForm(request.POST or None)
    if request.method == "POST":
        require(own.union.chair_id == request.user.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "forward":
                    services.forward(by=request.user, request=own, note=data["text"])
                    messages.success(request, _("Forwarded to the federation."))
                else:
                    services.return_to_member(by=request.user, request=own, reason=data["text"])
                    messages.success(request, _("Returned to the member."))
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("aid:member_application_review", pk=own.pk)
    return render(
        request,
        "aid/member_application_review.html",
        {"own": own, "may_review": may_review, "form": form, "steps": services.timeline(own)},
        status=400 if request.method == "POST" else 200,
    )
