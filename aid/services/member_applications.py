"""A member's own aid application from the phone (/m/applications/): the golden-autumn education grant
(金秋助学) in its July–August window and temporary relief (临时救助), with photos of the documents.

It goes first to the chair of the member's union, who forwards it to the federation with a note (it then
becomes an ``Application``, made by the chair through ``applications.apply`` and decided by aid staff with
four eyes) or returns it with a reason the member reads. The member follows every step on the phone; the
chair's note and the federation's internal decision notes are never shown to them.

Each operation is one transaction run as the acting user (the audit trail records the actor); a refusal is
a ``ValidationError`` naming every problem, and nothing is written then."""

import dataclasses
import datetime
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members.models import Member
from members.validators import clean_resident_id
from unionhub.money import money
from unionhub.notices import notify
from unionhub.uploads import PHOTOS

from ..models import Application, HardshipFile, MemberApplication, MemberApplicationPhoto, Programme
from . import applications

# What a member applies for on the phone; living and medical aid go through the hardship file, holiday
# visits are the federation's campaign.
MEMBER_KINDS = (Programme.Kind.EDUCATION, Programme.Kind.TEMPORARY)
MAX_PHOTOS = 6
Status = MemberApplication.Status
# Still in progress: with the chair, or forwarded and not yet decided by the federation.
IN_PROGRESS = Q(status=Status.AT_CHAIR) | Q(
    status=Status.FORWARDED,
    application__status__in=[Application.Status.SUBMITTED, Application.Status.APPROVED],
)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,}"


def member_programmes(day: datetime.date):
    """The programmes a member can see on the phone: this year's and any open today, of the kinds members
    apply for themselves, the open ones first."""
    return (
        Programme.objects.filter(kind__in=MEMBER_KINDS)
        .filter(Q(year=day.year) | Q(opens_on__lte=day, closes_on__gte=day))
        .order_by("-closes_on", "name")
    )


def open_member_programme(day: datetime.date) -> Programme | None:
    return (
        Programme.objects.filter(kind__in=MEMBER_KINDS, opens_on__lte=day, closes_on__gte=day)
        .order_by("closes_on", "name")
        .first()
    )


def _window_problem(programme: Programme, day: datetime.date) -> str | None:
    if programme.is_open_on(day):
        return None
    return _("%(programme)s takes applications from %(opens)s to %(closes)s; it is closed on %(day)s.") % {
        "programme": programme.name,
        "opens": programme.opens_on,
        "closes": programme.closes_on,
        "day": day,
    }


def _child_problems(programme: Programme, *, child_name: str, child_id_number: str, school: str):
    problems, number = [], ""
    if not child_name.strip():
        problems.append(_("An education grant needs the child's name."))
    if not child_id_number.strip():
        problems.append(_("An education grant needs the child's ID number."))
    else:
        try:
            number = clean_resident_id(child_id_number)
        except ValidationError as error:
            problems.append(_("The child's ID number: %(problem)s") % {"problem": error.messages[0]})
    if not school.strip():
        problems.append(_("An education grant needs the university the child was admitted to."))
    if number and (
        Application.objects.filter(
            programme__kind=Programme.Kind.EDUCATION,
            programme__year=programme.year,
            child_id_number=number,
            status__in=applications.STANDING,
        ).exists()
        or MemberApplication.objects.filter(
            programme__kind=Programme.Kind.EDUCATION,
            programme__year=programme.year,
            child_id_number=number,
            status=Status.AT_CHAIR,
        ).exists()
    ):
        problems.append(
            _(
                "This child already has an education grant application in %(year)d; a child receives one grant a year."
            )
            % {"year": programme.year}
        )
    return problems, number


def submit(
    *,
    by,
    member: Member,
    programme: Programme,
    amount_requested: Decimal,
    reason: str,
    photos: list,
    child_name: str = "",
    child_id_number: str = "",
    school: str = "",
    on: datetime.date | None = None,
) -> MemberApplication:
    """The member's application, sent to their union's chair. Refused with every reason named, and nothing
    saved, when the programme is not one members apply for, its window is closed, the membership is not
    active, the programme is for workers on file and the member has none, the amount is outside the range,
    the photos are missing, too many or not pictures, an education grant lacks the child's details, or the
    member already has an application to it in progress (a form sent twice makes one)."""
    if not Member.objects.filter(pk=member.pk, user_id=by.pk).exists():
        raise PermissionDenied(_("Members apply for themselves only."))
    on = on or timezone.localdate()
    amount = money(amount_requested)
    with transaction.atomic(), set_actor(by):
        # One application at a time per programme, so the duplicate checks below see each other.
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        problems = []
        if programme.kind not in MEMBER_KINDS:
            raise ValidationError(
                _("Members do not apply for %(programme)s.") % {"programme": programme.name}
            )
        if problem := _window_problem(programme, on):
            problems.append(problem)
        if not member.is_active_member:
            problems.append(
                _("Your membership is not active (%(status)s).") % {"status": member.get_status_display()}
            )
        if (
            programme.on_file_only
            and not member.hardship_files.filter(status=HardshipFile.Status.ACTIVE).exists()
        ):
            problems.append(
                _(
                    "%(programme)s is for workers on file in hardship (困难职工档案); ask your union chair about "
                    "being put on file."
                )
                % {"programme": programme.name}
            )
        if amount <= 0:
            problems.append(_("The amount must be more than zero."))
        elif problem := applications._range_problem(programme, amount):
            problems.append(problem)
        if not reason.strip():
            problems.append(_("Say why you need the aid."))
        if not photos:
            problems.append(_("Add at least one photo of your documents."))
        elif len(photos) > MAX_PHOTOS:
            problems.append(_("At most %(count)d photos can be sent.") % {"count": MAX_PHOTOS})
        problems.extend(PHOTOS.problems(photos))
        child_number = ""
        education = programme.kind == Programme.Kind.EDUCATION
        if education:
            child_problems, child_number = _child_problems(
                programme, child_name=child_name, child_id_number=child_id_number, school=school
            )
            problems.extend(child_problems)
        if (
            MemberApplication.objects.for_person(member)
            .filter(programme=programme)
            .filter(IN_PROGRESS)
            .exists()
        ):
            problems.append(
                _("You already have an application to %(programme)s in progress.")
                % {"programme": programme.name}
            )
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                request = MemberApplication.objects.create(
                    programme=programme,
                    member=member,
                    union=member.union,
                    submitted_on=on,
                    amount_requested=amount,
                    reason=reason.strip(),
                    child_name=child_name.strip() if education else "",
                    child_id_number=child_number,
                    school=school.strip() if education else "",
                )
        except IntegrityError:
            raise ValidationError(
                _("You already have an application to %(programme)s in progress.")
                % {"programme": programme.name}
            ) from None
        for photo in photos:
            MemberApplicationPhoto.objects.create(request=request, upload=photo)
    chair = member.union.chair
    if chair is not None:
        notify(
            user=chair,
            key=f"aid-member-application:{request.pk}:submitted",
            title=_("A member's aid application to review"),
            body=_("%(name)s applies for %(programme)s (%(amount)s yuan).")
            % {"name": member.name, "programme": programme.name, "amount": _yuan(amount)},
            url=reverse("aid:member_application_review", kwargs={"pk": request.pk}),
        )
    return request


def _locked_at_chair(request: MemberApplication, by) -> MemberApplication:
    locked = (
        MemberApplication.objects.select_for_update(of=("self",))
        .select_related("programme", "member", "member__union", "union")
        .get(pk=request.pk)
    )
    if locked.union.chair_id != by.pk:
        raise PermissionDenied(_("Only the chair of the member's union reviews this application."))
    if locked.status != Status.AT_CHAIR:
        raise ValidationError(
            _("This application has already been reviewed (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def forward(
    *, by, request: MemberApplication, note: str = "", on: datetime.date | None = None
) -> MemberApplication:
    """The chair sends the application on to the federation: it becomes an ``Application`` made by the chair
    on the day the member applied (so a review after the window closed still counts), with the member's
    reason and the chair's note, and the first photo as the admission letter of an education grant. Refused
    as ``applications.apply`` refuses (range, cap rules, the child already granted...)."""
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        request = _locked_at_chair(request, by)
        reason = request.reason
        if note.strip():
            reason = f"{reason}\n\n{_('Union chair')}: {note.strip()}"
        letter = None
        if request.programme.kind == Programme.Kind.EDUCATION:
            first = request.photos.order_by("pk").first()
            letter = first.upload if first else None
        application = applications.apply(
            by=by,
            programme=request.programme,
            member=request.member,
            amount_requested=request.amount_requested,
            reason=reason,
            child_name=request.child_name,
            child_id_number=request.child_id_number,
            school=request.school,
            admission_letter=letter,
            on=request.submitted_on,
        )
        request.status, request.application = Status.FORWARDED, application
        request.reviewed_by, request.reviewed_on, request.chair_note = by, on, note.strip()
        request.save(update_fields=["status", "application", "reviewed_by", "reviewed_on", "chair_note"])
    return request


def return_to_member(
    *, by, request: MemberApplication, reason: str, on: datetime.date | None = None
) -> MemberApplication:
    """The chair returns the application to the member with a reason the member reads on the phone; the
    member may apply again."""
    if not reason.strip():
        raise ValidationError(_("Say why the application is returned; the member reads it."))
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        request = _locked_at_chair(request, by)
        request.status, request.return_reason = Status.RETURNED, reason.strip()
        request.reviewed_by, request.reviewed_on = by, on
        request.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_on"])
    return request


# --- what the member sees -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Step:
    label: str
    day: datetime.date | None
    state: str  # "done", "now" or "" (still to come)
    detail: str = ""


def stage(request: MemberApplication) -> tuple[str, str]:
    """Where the application stands, in the member's words, and its badge ("ok", "warn", "bad")."""
    if request.status == Status.AT_CHAIR:
        return _("With your union chair"), "warn"
    if request.status == Status.RETURNED:
        return _("Returned by your union chair"), "bad"
    application = request.application
    return {
        Application.Status.SUBMITTED: (_("Being decided by the federation"), "warn"),
        Application.Status.APPROVED: (_("Approved, payment on its way"), "ok"),
        Application.Status.PAID: (_("Paid"), "ok"),
        Application.Status.REJECTED: (_("Not approved"), "bad"),
        Application.Status.REFERRED: (_("Referred to the charity federation"), "warn"),
        Application.Status.WITHDRAWN: (_("Withdrawn by your union"), "bad"),
    }[application.status]


def timeline(request: MemberApplication) -> list[Step]:
    """Submitted, chair reviewed, federation decision, paid: with their dates, never a staff-internal note."""
    steps = [Step(pgettext("application step", "Submitted"), request.submitted_on, "done")]
    if request.status == Status.AT_CHAIR:
        steps.append(Step(_("Review by your union chair"), None, "now"))
    elif request.status == Status.RETURNED:
        steps.append(
            Step(_("Returned by your union chair"), request.reviewed_on, "done", request.return_reason)
        )
        return steps
    else:
        steps.append(Step(_("Forwarded by your union chair to the federation"), request.reviewed_on, "done"))
    application = request.application
    decided = application is not None and application.status != Application.Status.SUBMITTED
    if not decided:
        steps.append(Step(_("Decision by the federation"), None, "now" if application else ""))
        steps.append(Step(_("Paid"), None, ""))
        return steps
    A = Application.Status
    if application.status in (A.APPROVED, A.PAID):
        amount = _("%(amount)s yuan approved") % {"amount": _yuan(application.approved_amount)}
        steps.append(Step(_("Approved by the federation"), application.decided_on, "done", amount))
        if application.status == A.PAID:
            steps.append(Step(_("Paid"), application.paid_on, "done"))
        else:
            steps.append(Step(_("Paid"), None, "now"))
    elif application.status == A.REJECTED:
        steps.append(Step(_("Not approved by the federation"), application.decided_on, "done"))
    elif application.status == A.REFERRED:
        steps.append(Step(_("Referred to the charity federation"), application.referred_on, "done"))
    else:
        steps.append(Step(_("Withdrawn by your union"), None, "done"))
    return steps
