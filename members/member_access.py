"""The door to the member area (/m/): who the signed-in member is, and the decorator every member page wears.

A member's login is the registry's ``Member.user``. A membership is one ``Member`` row; a member who moved to
another union (a transfer) has a new row, and the login follows them: ``current_member`` finds the current
row by the ID number of the row the login was tied to, and moves the tie. Every member page reads the
member's own rows from ``request.member`` (or ``member_rows`` for the whole history), never from an id in the
address alone: another member's object is 404."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from unionhub.contributions import MemberScope

from .models import Member, PrivacyConsent


def current_member(user) -> Member | None:
    """The user's current membership (active or retained), or None."""
    if not user.is_authenticated:
        return None
    linked = Member.objects.select_related("union", "enterprise").filter(user=user).first()
    if linked is None:
        return None
    if linked.is_active_member:
        return linked
    # Transferred: the current row of the same person, if there is one, takes over the login.
    current = (
        Member.objects.select_related("union", "enterprise")
        .filter(id_number=linked.id_number, status__in=Member.ACTIVE_STATUSES, user=None)
        .first()
    )
    if current is None:
        return None
    with transaction.atomic():
        Member.objects.filter(pk=linked.pk).update(user=None)
        Member.objects.filter(pk=current.pk, user=None).update(user=user)
    current.user = user
    return current


def member_rows(member: Member):
    """Every membership row of the same person (their history across unions), oldest first."""
    return Member.objects.filter(id_number=member.id_number).order_by("joined_on", "pk")


def has_consented(user) -> bool:
    return PrivacyConsent.objects.filter(user=user, version=settings.MEMBER_PRIVACY_VERSION).exists()


def member_required(view):
    """A member area page: signed in (else the code sign-in), a current member (else a page that says how to
    become one) who has accepted the current privacy notice (else the notice). Sets ``request.member`` and
    ``request.member_scope``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('member_area:login')}?{urlencode({'next': request.get_full_path()})}")
        member = current_member(request.user)
        if member is None:
            return render(request, "member_area/not_member.html", status=403)
        if not has_consented(request.user):
            return redirect(
                f"{reverse('member_area:privacy')}?{urlencode({'next': request.get_full_path()})}"
            )
        request.member = member
        request.member_scope = MemberScope(user=request.user, member=member, day=timezone.localdate())
        return view(request, *args, **kwargs)

    return wrapper
