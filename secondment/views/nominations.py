"""Nominations: a chair nominates a cadre of their own union, the rules are checked on submission,
staff approve (which starts the term) or return it with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import has_role, require, role_required
from unionhub.areas import area_context, area_filter, filter_by_area
from unionhub.params import choice_param
from unionhub.posted import add_errors, error_messages

from .. import permissions, services
from ..forms import NominationForm, ReturnForm
from ..models import Nomination
from ..rules import age_on, rules


@role_required("staff", "union_chair")
def nomination_list(request):
    nominations = Nomination.objects.visible_to(request.user).select_related(
        "union", "member", "nominated_by"
    )
    status = choice_param(request, "status", Nomination.Status.values)
    if status:
        nominations = nominations.filter(status=status)
    nominations = filter_by_area(nominations, area_filter(request), "union")
    return render(
        request,
        "secondment/nomination_list.html",
        {
            "nominations": nominations[:300],
            "status": status,
            "statuses": Nomination.Status.choices,
            **area_context(request),
        },
    )


@role_required("staff", "union_chair")
def nomination_create(request):
    require(permissions.can_nominate(request.user))
    form = NominationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nominate(
                by=request.user,
                union=data["union"],
                member=data["member"],
                union_post=data["union_post"],
                education=data["education"],
                recommendation=data["recommendation"],
                phone=data["phone"],
                start_date=data["start_date"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Nomination of %(name)s submitted; the federation staff will review it.")
                % {"name": nomination.member.name},
            )
            return redirect(nomination)
    return render(request, "secondment/nomination_form.html", {"form": form, "rules": rules()})


def _nomination_for(user, pk) -> Nomination:
    require(has_role(user, "staff", "union_chair"))
    return get_object_or_404(
        Nomination.objects.visible_to(user).select_related(
            "union", "member", "member__enterprise", "nominated_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
def nomination_detail(request, pk):
    nomination = _nomination_for(request.user, pk)
    term = getattr(nomination, "term", None) if nomination.status == Nomination.Status.APPROVED else None
    return render(
        request,
        "secondment/nomination_detail.html",
        {
            "nomination": nomination,
            "term": term,
            "age": age_on(nomination.member.birth_date, nomination.nominated_on),
            "can_decide": permissions.can_decide_nominations(request.user)
            and nomination.status == Nomination.Status.SUBMITTED,
            "return_form": ReturnForm(),
            "can_reveal_phone": permissions.can_reveal_nomination_phone(request.user, nomination),
        },
    )


@login_required
@require_POST
def nomination_decide(request, pk):
    nomination = _nomination_for(request.user, pk)
    if not permissions.can_decide_nominations(request.user):
        raise PermissionDenied
    try:
        if request.POST.get("decision") == "approve":
            term, password = services.approve_nomination(by=request.user, nomination=nomination)
            messages.success(
                request,
                _("Approved: %(name)s is seconded from %(start)s to %(end)s.")
                % {"name": nomination.member.name, "start": term.start_date, "end": term.end_date},
            )
            if password:
                messages.warning(
                    request,
                    _(
                        "An account was created: user name %(username)s, initial password "
                        "%(password)s. Pass it on to the cadre; it is shown only once."
                    )
                    % {"username": term.cadre.username, "password": password},
                )
        else:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the nomination is returned."))
            services.return_nomination(
                by=request.user, nomination=nomination, reason=form.cleaned_data["reason"]
            )
            messages.info(request, _("The nomination was returned to the chair."))
    except ValidationError as error:
        error_messages(request, error)
    return redirect(nomination)


@login_required
@require_POST
def nomination_reveal_phone(request, pk):
    """The nominee's full mobile, for staff who decide nominations and the nominating union's chair;
    every look is logged (PIPL), as for a member's ID number."""
    nomination = _nomination_for(request.user, pk)
    require(permissions.can_reveal_nomination_phone(request.user, nomination))
    phone = services.reveal_nomination_phone(
        by=request.user, nomination=nomination, remote_addr=request.META.get("REMOTE_ADDR")
    )
    response = render(request, "secondment/_revealed_phone.html", {"phone": phone})
    response["Cache-Control"] = "no-store"
    return response
