"""The matchmaking association's pages: a member's own profile; the chair's page of profiles (404 for
everybody else, staff included); the chair's record of couples matched; and a summary of counts for
staff and the chair."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..forms import MatchRecordForm, ProfileForm
from ..models import MatchRecord
from ..services.matchmaking import (
    match_summary,
    matchmaking_association,
    member_record,
    own_profile,
    profiles_for_chair,
    record_match,
    save_profile,
    withdraw_profile,
)


@login_required
def matchmaking_profile(request, pk):
    """A member's own profile in a matchmaking association: opt in, edit, withdraw."""
    association = matchmaking_association(pk)
    member = member_record(request.user)
    if member is None:
        raise PermissionDenied(_("Only union members with an account of their own can keep a profile."))
    profile = own_profile(member, association)
    if request.method == "POST" and "withdraw" in request.POST:
        if withdraw_profile(member=member, association=association):
            messages.success(request, _("Your profile is withdrawn: the chair no longer sees it."))
        return redirect("associations:matchmaking_profile", pk=association.pk)
    initial = (
        {"about": profile.about, "looking_for": profile.looking_for} if profile and profile.active else None
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save_profile(
            member=member,
            association=association,
            about=form.cleaned_data["about"],
            looking_for=form.cleaned_data["looking_for"],
        )
        messages.success(request, _("Your profile is saved. Only the association's chair sees it."))
        return redirect("associations:matchmaking_profile", pk=association.pk)
    return render(
        request,
        "associations/matchmaking_profile.html",
        {
            "association": association,
            "member": member,
            "profile": profile if profile and profile.active else None,
            "form": form,
        },
    )


@login_required
def matchmaking(request, pk):
    """The chair's page: the active profiles, the matches recorded and the yearly counts."""
    association = matchmaking_association(pk)
    today = timezone.localdate()
    profiles = list(profiles_for_chair(request.user, association))
    for profile in profiles:
        profile.age = profile.member.age_on(today)
    return render(
        request,
        "associations/matchmaking.html",
        {
            "association": association,
            "profiles": profiles,
            "summary": match_summary(association),
            "records": MatchRecord.objects.filter(association=association).select_related("activity")[:50],
        },
    )


@login_required
def match_record(request, pk):
    association = matchmaking_association(pk)
    if not permissions.is_matchmaker(request.user, association):
        if request.user.is_federation_staff:
            raise PermissionDenied
        raise Http404
    form = MatchRecordForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            record_match(by=request.user, association=association, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Matches recorded."))
            return redirect(reverse("associations:matchmaking", kwargs={"pk": association.pk}))
    return render(request, "associations/match_record_form.html", {"association": association, "form": form})


@login_required
def matchmaking_summary(request, pk):
    """Counts only, for federation staff and the chair."""
    association = matchmaking_association(pk)
    if not permissions.can_see_summary(request.user, association):
        raise Http404
    return render(
        request,
        "associations/matchmaking_summary.html",
        {
            "association": association,
            "summary": match_summary(association),
            "is_matchmaker": permissions.is_matchmaker(request.user, association),
        },
    )
