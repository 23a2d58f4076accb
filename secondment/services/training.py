"""Training of seconded cadres: courses (rotation, specialist, central, new-chair induction),
enrolments on them, and the hours ledger. A completed enrolment is credited the course's hours;
an enrolment still open or marked absent counts nothing."""

import dataclasses
import datetime
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import require

from .. import permissions
from ..models import Course, Enrolment, SecondmentTerm
from .certificates import holder_name


def save_course(*, by, form) -> Course:
    """Create or change a course from its validated form. Hours already credited for it follow a
    corrected figure: a completed enrolment is always credited the course's hours."""
    require(permissions.can_manage_training(by))
    with transaction.atomic(), set_actor(by):
        course = form.save()
        course.enrolments.filter(status=Enrolment.Status.COMPLETED).update(hours_credited=course.hours)
    return course


def enrollable_terms(course: Course):
    """Active terms that overlap the course's dates."""
    return (
        SecondmentTerm.objects.filter(
            status=SecondmentTerm.Status.ACTIVE,
            start_date__lte=course.ends_on,
            end_date__gte=course.starts_on,
        )
        .select_related("cadre", "union", "member")
        .order_by("cadre__name", "pk")
    )


def enrol(*, by, course: Course, terms) -> int:
    """Enrol these terms' cadres on the course; those already enrolled stay as they are. Returns
    how many enrolments were created."""
    require(permissions.can_manage_training(by))
    wanted = {term.pk for term in terms}
    allowed = set(enrollable_terms(course).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed:
        raise ValidationError(_("Only cadres whose term is active during the course can be enrolled."))
    with transaction.atomic(), set_actor(by):
        enrolled = set(course.enrolments.filter(term_id__in=allowed).values_list("term_id", flat=True))
        new = [Enrolment(course=course, term_id=pk) for pk in sorted(allowed - enrolled)]
        Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def record_attendance(
    *, by, enrolment: Enrolment, completed: bool, today: datetime.date | None = None
) -> Enrolment:
    """Mark an enrolment completed (credited the course's hours) or absent (nothing credited).
    A mark can be corrected; nobody can be marked before the course has begun."""
    require(permissions.can_manage_training(by))
    today = today or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.pk)
        )
        if enrolment.course.starts_on > today:
            raise ValidationError(_("Attendance can be recorded once the course has begun."))
        enrolment.status = Enrolment.Status.COMPLETED if completed else Enrolment.Status.ABSENT
        enrolment.hours_credited = enrolment.course.hours if completed else Decimal(0)
        enrolment.save(update_fields=["status", "hours_credited"])
    return enrolment


@dataclasses.dataclass
class LedgerRow:
    term: SecondmentTerm
    name: str
    by_track: list[Decimal]  # in the order of ``Course.Track``
    total: Decimal


def _credited(track: str | None = None):
    condition = Q(enrolments__status=Enrolment.Status.COMPLETED)
    if track:
        condition &= Q(enrolments__course__track=track)
    return Coalesce(
        Sum("enrolments__hours_credited", filter=condition),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


def hours_ledger(terms) -> list[LedgerRow]:
    """Hours credited to each of these terms, by track and in total, in one query."""
    tracks = Course.Track.values
    annotated = terms.select_related("cadre", "union", "member").annotate(
        hours_total=_credited(), **{f"hours_{track}": _credited(track) for track in tracks}
    )
    return [
        LedgerRow(
            term=term,
            name=holder_name(term),
            by_track=[getattr(term, f"hours_{t}") for t in tracks],
            total=term.hours_total,
        )
        for term in annotated
    ]
