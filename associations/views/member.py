"""The member's side of the associations, on the phone (/m/activities/): the activities open to them (their
associations' first, then those open to every member), sign-up with the waiting list, cancelling before the
deadline, their attendance, and the associations they belong to or may ask to join.

Every page reads from ``request.member`` (members.member_access): an activity not open to this member, or
somebody else's sign-up, is 404. The rules (places, deadline, eligibility, one sign-up each) are the
services'; these views only parse the request and say what the service answered."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.member_access import member_required, member_rows
from unionhub.posted import error_messages, form_error_messages

from .. import services
from ..forms import SignUpForm
from ..models import Activity, Association, AssociationMember, SignUp
from ..services import activities as svc

UPCOMING_SHOWN = 30  # the next activities open to the member; more is scrolling nobody does on a phone
HISTORY_SHOWN = 100


def _confirmed():
    return Count("signups", filter=Q(signups__status=SignUp.Status.CONFIRMED))


def _ranked(signups: list[SignUp]) -> list[SignUp]:
    for signup in signups:
        signup.rank = svc.waiting_rank(signup)
    return signups


@member_required
def index(request):
    member, now = request.member, timezone.now()
    mine = _ranked(
        list(
            SignUp.objects.filter(
                member=member,
                status__in=svc.LIVE,
                activity__status=Activity.Status.PLANNED,
                activity__ends_at__gte=now,
            )
            .select_related("activity__association")
            .order_by("activity__starts_at", "pk")
        )
    )
    in_my_association = AssociationMember.objects.filter(
        member=member, status=AssociationMember.Status.ACTIVE, association=OuterRef("association")
    )
    upcoming = list(
        svc.open_to_member(member)
        .filter(pk__in=svc.open_for_signup(now).values("pk"))
        .exclude(pk__in=[signup.activity_id for signup in mine if not signup.child_name])
        .select_related("association")
        .annotate(mine=Exists(in_my_association), confirmed=_confirmed())
        .order_by("-mine", "starts_at", "pk")[:UPCOMING_SHOWN]
    )
    for activity in upcoming:
        activity.left = max(activity.capacity - activity.confirmed, 0)
    return render(request, "associations/member/index.html", {"mine": mine, "upcoming": upcoming})


@member_required
def detail(request, pk):
    member, now = request.member, timezone.now()
    activity = get_object_or_404(svc.open_to_member(member).select_related("association"), pk=pk)
    counts = activity.signups.aggregate(
        confirmed=Count("pk", filter=Q(status=SignUp.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignUp.Status.WAITING)),
    )
    mine = _ranked(list(activity.signups.filter(member=member, status__in=svc.LIVE).order_by("pk")))
    taking = activity.status == Activity.Status.PLANNED and now <= activity.signup_deadline
    one_each = activity.eligibility != Activity.Eligibility.CHILDREN
    past = list(
        activity.signups.filter(member__in=member_rows(member), status=SignUp.Status.CONFIRMED).exclude(
            attended=None
        )
    )
    return render(
        request,
        "associations/member/detail.html",
        {
            "activity": activity,
            "left": max(activity.capacity - counts["confirmed"], 0),
            "waiting": counts["waiting"],
            "mine": mine,
            "taking": taking,
            "form": SignUpForm(activity=activity, on_behalf=False)
            if taking and not (mine and one_each)
            else None,
            "attendance": past,
        },
    )


@require_POST
@member_required
def sign_up(request, pk):
    member = request.member
    activity = get_object_or_404(svc.open_to_member(member), pk=pk)
    form = SignUpForm(request.POST, activity=activity, on_behalf=False)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("member_activities:detail", pk=activity.pk)
    try:
        signup = svc.sign_up(
            by=request.user,
            activity=activity,
            member=member,
            child_name=form.cleaned_data.get("child_name", ""),
            child_birth_date=form.cleaned_data.get("child_birth_date"),
            consent=form.cleaned_data.get("consent", False),
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        level = messages.success if signup.status == SignUp.Status.CONFIRMED else messages.warning
        level(request, svc.signup_message(signup))
    return redirect("member_activities:detail", pk=activity.pk)


@require_POST
@member_required
def cancel(request, pk):
    signup = get_object_or_404(SignUp.objects.filter(member=request.member), pk=pk)
    try:
        svc.cancel(by=request.user, signup=signup)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("member_activities:detail", pk=signup.activity_id)


@member_required
def history(request):
    """The activities the member had a place at and that have begun, newest first, with their attendance."""
    signups = (
        SignUp.objects.filter(
            member__in=member_rows(request.member),
            status=SignUp.Status.CONFIRMED,
            activity__starts_at__lt=timezone.now(),
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .select_related("activity__association")
        .order_by("-activity__starts_at", "-pk")[:HISTORY_SHOWN]
    )
    signups = list(signups)
    attended = sum(1 for signup in signups if signup.attended)
    return render(request, "associations/member/history.html", {"signups": signups, "attended": attended})


@member_required
def associations(request):
    """The associations the member belongs to (or asked to join), then the others they may ask to join."""
    statuses = dict(
        AssociationMember.objects.filter(member=request.member).values_list("association_id", "status")
    )
    mine, others = [], []
    for association in Association.objects.filter(status=Association.Status.ACTIVE).order_by("name"):
        association.membership = statuses.get(association.pk, "")
        live = association.membership in (AssociationMember.Status.ACTIVE, AssociationMember.Status.PENDING)
        (mine if live else others).append(association)
    return render(request, "associations/member/associations.html", {"mine": mine, "others": others})


@require_POST
@member_required
def join(request, pk):
    association = get_object_or_404(Association.objects.filter(status=Association.Status.ACTIVE), pk=pk)
    try:
        membership = services.join(by=request.user, association=association, member=request.member)
    except ValidationError as error:
        error_messages(request, error)
    else:
        if membership.status == AssociationMember.Status.ACTIVE:
            messages.success(
                request, _("You are now a member of %(association)s.") % {"association": association.name}
            )
        else:
            messages.success(
                request,
                _("Your request has been sent to the chair of %(association)s.")
                % {"association": association.name},
            )
    return redirect("member_activities:associations")
