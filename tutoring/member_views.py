"""The member's side of the tutoring classes, on the phone (/m/tutoring/): the classes open to them, enrolling
a child with the guardian's consent (a waiting list when full), their children's enrolments and attendance, and
withdrawing a child.

Every page reads from ``request.member`` (members.member_access): a class not open to this member and in which
they have no child, or somebody else's enrolment, is 404. A guardian sees only their own children."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.member_access import member_required, member_rows
from unionhub.posted import error_messages, form_error_messages

from . import services
from .forms import EnrolForm
from .models import Enrolment, TutoringClass

SHOWN = 30


def _mine(member):
    return Enrolment.objects.filter(member__in=member_rows(member))


def _visible_classes(member):
    """The classes open to the member now, and those any of their children was enrolled in."""
    return TutoringClass.objects.filter(
        Q(pk__in=services.open_to_member(member).values("pk"))
        | Q(pk__in=_mine(member).values("tutoring_class"))
    ).select_related("union", "enterprise")


def _with_rates(enrolments: list[Enrolment]) -> list[Enrolment]:
    for enrolment in enrolments:
        enrolment.rate = services.rate(enrolment.n_present, enrolment.n_marked)
        enrolment.rank = services.waiting_rank(enrolment)
    return enrolments


def _annotated(enrolments):
    return enrolments.annotate(
        n_marked=Count("attendance"), n_present=Count("attendance", filter=Q(attendance__present=True))
    )


@member_required
def index(request):
    member = request.member
    mine = _with_rates(
        list(
            _annotated(_mine(member).live().select_related("tutoring_class__union"))
            .exclude(tutoring_class__status=TutoringClass.Status.CANCELLED)
            .order_by("-tutoring_class__starts_on", "child_name", "pk")[:SHOWN]
        )
    )
    confirmed = Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED))
    open_classes = list(
        services.open_to_member(member).annotate(n_confirmed=confirmed).order_by("starts_on", "pk")[:SHOWN]
    )
    for tutoring_class in open_classes:
        tutoring_class.left = max(tutoring_class.capacity - tutoring_class.n_confirmed, 0)
    return render(request, "tutoring/member/index.html", {"mine": mine, "open_classes": open_classes})


@member_required
def detail(request, pk):
    member = request.member
    tutoring_class = get_object_or_404(_visible_classes(member), pk=pk)
    mine = _with_rates(
        list(
            _annotated(_mine(member).live().filter(tutoring_class=tutoring_class)).order_by(
                "child_name", "pk"
            )
        )
    )
    confirmed = tutoring_class.enrolments.confirmed().count()
    sessions = list(tutoring_class.sessions.select_related("tutor").order_by("date", "starts_at", "pk"))
    taking = (
        tutoring_class.status == TutoringClass.Status.OPEN
        and tutoring_class.ends_on >= timezone.localdate()
        and services.eligibility_problem(tutoring_class, member) is None
    )
    return render(
        request,
        "tutoring/member/detail.html",
        {
            "c": tutoring_class,
            "mine": mine,
            "left": max(tutoring_class.capacity - confirmed, 0),
            "sessions": sessions,
            "form": EnrolForm() if taking else None,
            "consent_text": services.CONSENT_TEXT,
            "withdrawable": tutoring_class.status in TutoringClass.LIVE,
        },
    )


@require_POST
@member_required
def enrol(request, pk):
    member = request.member
    tutoring_class = get_object_or_404(services.open_to_member(member), pk=pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("member_tutoring:detail", pk=tutoring_class.pk)
    try:
        enrolment = services.enrol(
            by=request.user,
            tutoring_class=tutoring_class,
            member=member,
            child_name=form.cleaned_data["child_name"],
            child_birth_date=form.cleaned_data["child_birth_date"],
            consent=form.cleaned_data["consent"],
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        level = messages.success if enrolment.status == Enrolment.Status.CONFIRMED else messages.warning
        level(request, services.enrolment_message(enrolment))
    return redirect("member_tutoring:detail", pk=tutoring_class.pk)


@require_POST
@member_required
def withdraw(request, pk):
    enrolment = get_object_or_404(
        _mine(request.member).select_related("tutoring_class__union", "member"), pk=pk
    )
    try:
        services.withdraw(by=request.user, enrolment=enrolment)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("%(name)s is withdrawn from the class.") % {"name": enrolment.child_name})
    return redirect("member_tutoring:detail", pk=enrolment.tutoring_class_id)
