"""The tutoring classes' workflows: setting a class up (with its tutors and timetable, sessions generated from
a pattern on the working calendar), approving and running it through its states, enrolling children with the
guardian's consent (a waiting list beyond the places, moved up in order when a place is freed), withdrawing,
taking attendance per session, and the year's figures.

Every write is one transaction run with the acting user set (django-auditlog records who changed what). An
enrolment or a withdrawal locks the class row first (``select_for_update``), so that two requests at once
can neither overfill the class nor promote the same child twice; on SQLite the project's ``IMMEDIATE``
transactions serialise writers. A refusal for lack of permission is PermissionDenied, a refusal of the data a
ValidationError; nothing is written then."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import GrassrootsUnion, Member
from unionhub import workdays
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.models import CalendarDay
from unionhub.notices import notify

from .models import Attendance, Enrolment, Session, Tutor, TutoringClass, age_on
from .permissions import can_approve_classes, can_create_class, can_run_class, is_tutoring_staff

# The youngest and oldest ages a class may be for: children of compulsory-school age and below.
AGE_MIN, AGE_MAX = 0, 17
CAPACITY_MAX = 500
LONGEST_CLASS = datetime.timedelta(days=366)
SESSIONS_MAX = 200  # a pattern that yields more is a mistake (a wrong year), not a timetable
TEXT_LENGTH = 5000
# What the guardian agrees to, shown above the box they tick and kept with the enrolment.
CONSENT_TEXT = gettext_lazy(
    "As the child's guardian, I agree to my child taking part in this class, to the hosting union and the "
    "federation's aid staff keeping the child's name and birth date for the class, and to attendance being "
    "recorded. I will bring and collect the child myself or name who will."
)

CLASS_FIELDS = (
    "union",
    "enterprise",
    "kind",
    "title",
    "subjects",
    "description",
    "support",
    "subsidy",
    "min_age",
    "max_age",
    "capacity",
    "starts_on",
    "ends_on",
    "place",
    "open_to_district",
)


def _clean(text, length: int = TEXT_LENGTH) -> str:
    """A one-line field (``length`` up to 300) with its whitespace collapsed; a longer text only stripped."""
    text = str(text or "").replace("\x00", "")
    return " ".join(text.split())[:length] if length <= 300 else text.strip()[:length]


def hostable_unions(user):
    """The unions a user may host a class for: every active union for aid staff, else those they chair."""
    unions = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE).order_by("code")
    if is_tutoring_staff(user):
        return unions
    return unions.filter(chair=user) if user.is_authenticated else unions.none()


def _check_class(values: dict, user) -> None:
    """Every problem of a class's fields at once, each on its field."""
    problems = {}
    union = values.get("union")
    if union is None or not hostable_unions(user).filter(pk=union.pk).exists():
        problems["union"] = _("Choose a union you may host a class for.")
    enterprise = values.get("enterprise")
    if enterprise is not None and union is not None and enterprise.union_id != union.pk:
        problems["enterprise"] = _("The enterprise must belong to the hosting union.")
    if not values.get("title"):
        problems["title"] = _("Give the class a title.")
    if not values.get("place"):
        problems["place"] = _("Say where the class takes place.")
    low, high = values.get("min_age"), values.get("max_age")
    if low is None or high is None or not (AGE_MIN <= low <= AGE_MAX and AGE_MIN <= high <= AGE_MAX):
        problems["max_age"] = _("Ages are whole years from %(low)d to %(high)d.") % {
            "low": AGE_MIN,
            "high": AGE_MAX,
        }
    elif high < low:
        problems["max_age"] = _("The oldest age cannot be below the youngest.")
    capacity = values.get("capacity")
    if capacity is None or not 1 <= capacity <= CAPACITY_MAX:
        problems["capacity"] = _("A class has from 1 to %(max)d places.") % {"max": CAPACITY_MAX}
    start, end = values.get("starts_on"), values.get("ends_on")
    if start is None or end is None:
        problems["ends_on"] = _("Give the first and the last day.")
    elif end < start:
        problems["ends_on"] = _("The last day cannot be before the first.")
    elif end - start > LONGEST_CLASS:
        problems["ends_on"] = _("A class runs for a year at most.")
    subsidy = values.get("subsidy")
    if subsidy is not None and (not isinstance(subsidy, Decimal) or subsidy < 0 or not subsidy.is_finite()):
        problems["subsidy"] = _("The subsidy is an amount in yuan, not below zero.")
    if values.get("kind") not in TutoringClass.Kind.values:
        problems["kind"] = _("Choose weekend or summer.")
    if problems:
        raise ValidationError(problems)


def _normalise(fields: dict) -> dict:
    values = {name: fields.get(name) for name in CLASS_FIELDS}
    for name in ("title", "subjects", "place"):
        values[name] = _clean(values[name], 200)
    for name in ("description", "support"):
        values[name] = _clean(values[name])
    values["open_to_district"] = bool(values["open_to_district"])
    return values


# --- the class ---------------------------------------------------------------------------------------------


def create_class(*, by, **fields) -> TutoringClass:
    """A class in draft. Created by aid staff it may be approved at once; a chair submits it for approval."""
    if not can_create_class(by):
        raise PermissionDenied(_("Only a union's chair or the federation's aid staff create classes."))
    values = _normalise(fields)
    _check_class(values, by)
    with transaction.atomic(), set_actor(by):
        return TutoringClass.objects.create(**values, created_by=by)


def _locked(tutoring_class: TutoringClass) -> TutoringClass:
    return (
        TutoringClass.objects.select_for_update(of=("self",))
        .select_related("union")
        .get(pk=tutoring_class.pk)
    )


def update_class(*, by, tutoring_class: TutoringClass, **fields) -> TutoringClass:
    if not can_run_class(by, tutoring_class):
        raise PermissionDenied
    values = _normalise(fields)
    _check_class(values, by)
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        if not locked.editable:
            raise ValidationError(_("A finished or cancelled class is no longer changed."))
        if locked.union_id != values["union"].pk and locked.enrolments.exists():
            raise ValidationError({"union": _("Children are enrolled: the hosting union stays.")})
        if locked.sessions.filter(Q(date__lt=values["starts_on"]) | Q(date__gt=values["ends_on"])).exists():
            raise ValidationError({"ends_on": _("Some sessions fall outside these dates: move them first.")})
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
    return locked


def submit_class(*, by, tutoring_class: TutoringClass) -> TutoringClass:
    """The host asks the federation to approve the class (which opens it for enrolment)."""
    if not can_run_class(by, tutoring_class):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        if locked.status != TutoringClass.Status.DRAFT:
            raise ValidationError(_("Only a draft is submitted for approval."))
        if locked.submitted_at is None:
            locked.submitted_at = timezone.now()
            locked.save(update_fields=["submitted_at"])
    return locked


def _require_timetable(locked: TutoringClass) -> None:
    if not locked.sessions.exists():
        raise ValidationError(_("Put the sessions on the timetable first."))


def approve_class(*, by, tutoring_class: TutoringClass, today: datetime.date | None = None) -> TutoringClass:
    """Aid staff approve a draft: it opens for enrolment."""
    if not can_approve_classes(by):
        raise PermissionDenied(_("Only the federation's aid staff approve classes."))
    today = today or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        if locked.status != TutoringClass.Status.DRAFT:
            raise ValidationError(_("Only a draft is approved."))
        if locked.ends_on < today:
            raise ValidationError(_("The class's last day has passed."))
        _require_timetable(locked)
        locked.status = TutoringClass.Status.OPEN
        locked.approved_by, locked.approved_at = by, timezone.now()
        locked.submitted_at = locked.submitted_at or locked.approved_at
        locked.save(update_fields=["status", "approved_by", "approved_at", "submitted_at"])
    return locked


def _move(by, tutoring_class, *, allowed_from, to, message) -> TutoringClass:
    if not can_run_class(by, tutoring_class):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        if locked.status not in allowed_from:
            raise ValidationError(message)
        locked.status = to
        locked.save(update_fields=["status"])
    return locked


def close_enrolment(*, by, tutoring_class: TutoringClass) -> TutoringClass:
    S = TutoringClass.Status
    return _move(by, tutoring_class, allowed_from=(S.OPEN,), to=S.CLOSED, message=_("Enrolment is not open."))


def reopen_enrolment(*, by, tutoring_class: TutoringClass) -> TutoringClass:
    S = TutoringClass.Status
    return _move(
        by,
        tutoring_class,
        allowed_from=(S.CLOSED,),
        to=S.OPEN,
        message=_("Only closed enrolment is reopened."),
    )


def finish_class(*, by, tutoring_class: TutoringClass, today: datetime.date | None = None) -> TutoringClass:
    today = today or timezone.localdate()
    if tutoring_class.ends_on > today:
        raise ValidationError(_("A class is finished after its last day."))
    S = TutoringClass.Status
    return _move(
        by,
        tutoring_class,
        allowed_from=(S.OPEN, S.CLOSED),
        to=S.FINISHED,
        message=_("Only a running class is finished."),
    )


def cancel_class(*, by, tutoring_class: TutoringClass, reason: str) -> TutoringClass:
    reason = _clean(reason, 300)
    if not reason:
        raise ValidationError(_("Say why the class is cancelled."))
    if not can_run_class(by, tutoring_class):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        if locked.status not in TutoringClass.LIVE:
            raise ValidationError(_("A finished or cancelled class is not cancelled."))
        locked.status, locked.cancel_reason = TutoringClass.Status.CANCELLED, reason
        locked.save(update_fields=["status", "cancel_reason"])
        guardians = (
            locked.enrolments.live().exclude(member__user=None).select_related("member__user").order_by("pk")
        )
        for enrolment in guardians:
            notify(
                user=enrolment.member.user,
                key=f"tutoring-cancelled-{enrolment.pk}",
                title=_("Class cancelled: %(title)s") % {"title": locked.title},
                body=reason,
            )
    return locked


# --- tutors and the timetable ------------------------------------------------------------------------------


def _editable(by, tutoring_class) -> TutoringClass:
    if not can_run_class(by, tutoring_class):
        raise PermissionDenied
    locked = _locked(tutoring_class)
    if not locked.editable:
        raise ValidationError(_("A finished or cancelled class is no longer changed."))
    return locked


def add_tutor(*, by, tutoring_class: TutoringClass, name: str, role: str, phone: str = "") -> Tutor:
    name, phone = _clean(name, 50), _clean(phone, 11)
    if not name:
        raise ValidationError({"name": _("Give the tutor's name.")})
    if role not in Tutor.Role.values:
        raise ValidationError({"role": _("Teacher or volunteer.")})
    if phone and not (phone.isascii() and phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise ValidationError({"phone": _("A mobile number has 11 digits.")})
    with transaction.atomic(), set_actor(by):
        locked = _editable(by, tutoring_class)
        return Tutor.objects.create(tutoring_class=locked, name=name, role=role, phone=phone)


def remove_tutor(*, by, tutor: Tutor) -> None:
    with transaction.atomic(), set_actor(by):
        _editable(by, tutor.tutoring_class)
        tutor.delete()


def _check_session(locked: TutoringClass, *, date, starts_at, ends_at, tutor) -> None:
    problems = {}
    if date is None or not locked.starts_on <= date <= locked.ends_on:
        problems["date"] = _(
            "A session falls between the class's first and last day (%(start)s – %(end)s)."
        ) % {
            "start": locked.starts_on.isoformat(),
            "end": locked.ends_on.isoformat(),
        }
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        problems["ends_at"] = _("A session ends after it begins.")
    if tutor is not None and tutor.tutoring_class_id != locked.pk:
        problems["tutor"] = _("Choose one of this class's tutors.")
    if problems:
        raise ValidationError(problems)


def add_session(*, by, tutoring_class, date, starts_at, ends_at, topic="", tutor=None) -> Session:
    with transaction.atomic(), set_actor(by):
        locked = _editable(by, tutoring_class)
        _check_session(locked, date=date, starts_at=starts_at, ends_at=ends_at, tutor=tutor)
        if locked.sessions.filter(date=date, starts_at=starts_at).exists():
            raise ValidationError({"date": _("A session already begins then.")})
        return Session.objects.create(
            tutoring_class=locked,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            topic=_clean(topic, 200),
            tutor=tutor,
        )


def update_session(*, by, session: Session, date, starts_at, ends_at, topic="", tutor=None) -> Session:
    with transaction.atomic(), set_actor(by):
        locked = _editable(by, session.tutoring_class)
        _check_session(locked, date=date, starts_at=starts_at, ends_at=ends_at, tutor=tutor)
        if session.attendance_taken_at and date != session.date:
            raise ValidationError({"date": _("Attendance was taken: the session's date stays.")})
        if locked.sessions.filter(date=date, starts_at=starts_at).exclude(pk=session.pk).exists():
            raise ValidationError({"date": _("A session already begins then.")})
        session.date, session.starts_at, session.ends_at = date, starts_at, ends_at
        session.topic, session.tutor = _clean(topic, 200), tutor
        session.save(update_fields=["date", "starts_at", "ends_at", "topic", "tutor"])
    return session


def delete_session(*, by, session: Session) -> None:
    with transaction.atomic(), set_actor(by):
        _editable(by, session.tutoring_class)
        if session.attendance_taken_at is not None:
            raise ValidationError(_("Attendance was taken at this session: it stays on the timetable."))
        session.delete()


WEEKLY, WORKING_DAYS = "weekly", "working_days"


def pattern_days(
    *, pattern: str, start: datetime.date, end: datetime.date, weekdays: Iterable[int] = ()
) -> list:
    """The days a pattern gives from ``start`` to ``end``: ``weekly`` on the chosen weekdays (0 = Monday), less
    the statutory holidays of the working calendar; ``working_days`` every working day of the calendar (a
    summer class: adjusted working weekends included, holidays left out). Two queries at most."""
    if pattern == WORKING_DAYS:
        return list(workdays.working_days(start, end))
    wanted = {int(day) for day in weekdays}
    holidays = set(
        CalendarDay.objects.filter(date__range=(start, end), kind=CalendarDay.Kind.HOLIDAY).values_list(
            "date", flat=True
        )
    )
    days, day = [], start
    while day <= end:
        if day.weekday() in wanted and day not in holidays:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def generate_sessions(
    *,
    by,
    tutoring_class: TutoringClass,
    pattern: str,
    start: datetime.date,
    end: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    weekdays: Iterable[int] = (),
    topic: str = "",
    tutor: Tutor | None = None,
) -> list[Session]:
    """Sessions on every day of the pattern between ``start`` and ``end`` (within the class's dates) at the same
    hours; a slot already on the timetable is left as it is. Returns the sessions made."""
    if pattern not in (WEEKLY, WORKING_DAYS):
        raise ValidationError({"pattern": _("Choose a pattern.")})
    if pattern == WEEKLY and not list(weekdays):
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    if start is None or end is None or end < start:
        raise ValidationError({"end": _("The last day cannot be before the first.")})
    with transaction.atomic(), set_actor(by):
        locked = _editable(by, tutoring_class)
        if start < locked.starts_on or end > locked.ends_on:
            raise ValidationError(
                {
                    "end": _("Sessions fall between the class's first and last day (%(start)s – %(end)s).")
                    % {"start": locked.starts_on.isoformat(), "end": locked.ends_on.isoformat()}
                }
            )
        _check_session(locked, date=start, starts_at=starts_at, ends_at=ends_at, tutor=tutor)
        days = pattern_days(pattern=pattern, start=start, end=end, weekdays=weekdays)
        if not days:
            raise ValidationError(_("The pattern gives no day between these dates."))
        if len(days) > SESSIONS_MAX:
            raise ValidationError(_("The pattern gives more than %(max)d sessions.") % {"max": SESSIONS_MAX})
        taken = set(locked.sessions.filter(starts_at=starts_at).values_list("date", flat=True))
        made = Session.objects.bulk_create(
            [
                Session(
                    tutoring_class=locked,
                    date=day,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    topic=_clean(topic, 200),
                    tutor=tutor,
                )
                for day in days
                if day not in taken
            ]
        )
    return made


# --- enrolment ---------------------------------------------------------------------------------------------


def eligibility_problem(tutoring_class: TutoringClass, member: Member) -> str | None:
    """Why the member may not enrol a child in the class, or None: an active member of the hosting union, or of
    any union when the class is open to the district."""
    if not member.is_active_member:
        return _("%(name)s is not an active union member.") % {"name": member.name}
    if not tutoring_class.open_to_district and member.union_id != tutoring_class.union_id:
        return _("This class is for the children of %(union)s's members.") % {
            "union": tutoring_class.union.name
        }
    return None


def open_to_member(member: Member):
    """The classes a member may enrol a child in now: open, not over, and for their union or the district."""
    return (
        TutoringClass.objects.filter(status=TutoringClass.Status.OPEN, ends_on__gte=timezone.localdate())
        .filter(Q(union=member.union_id) | Q(open_to_district=True))
        .select_related("union", "enterprise")
    )


def enrol(
    *,
    by,
    tutoring_class: TutoringClass,
    member: Member,
    child_name: str,
    child_birth_date: datetime.date | None,
    consent: bool,
    now: datetime.datetime | None = None,
) -> Enrolment:
    """A place for the member's child, or a place on the waiting list when the class is full. The member enrols
    their own child while the class is open; its host (chair or aid staff) may also enrol one on a member's
    behalf after enrolment has closed, until the last day."""
    now = now or timezone.now()
    on_behalf = can_run_class(by, tutoring_class)
    if not on_behalf and not (member.user_id is not None and member.user_id == by.pk):
        raise PermissionDenied(_("You can enrol only your own child."))
    child_name = _clean(child_name, 50)
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        allowed = (
            (TutoringClass.Status.OPEN, TutoringClass.Status.CLOSED)
            if on_behalf
            else (TutoringClass.Status.OPEN,)
        )
        if locked.status not in allowed:
            raise ValidationError(_("This class is not open for enrolment."))
        if locked.ends_on < timezone.localtime(now).date():
            raise ValidationError(_("This class is over."))
        problem = eligibility_problem(locked, member)
        if problem:
            raise ValidationError(problem)
        if not child_name or child_birth_date is None:
            raise ValidationError(_("Give the child's name and birth date."))
        if child_birth_date > locked.starts_on:
            raise ValidationError(_("The birth date is after the class's first day."))
        age = age_on(child_birth_date, locked.starts_on)
        if not locked.min_age <= age <= locked.max_age:
            raise ValidationError(
                _(
                    "%(child)s will be %(age)d on the first day (%(day)s); this class is for children aged "
                    "%(low)d to %(high)d."
                )
                % {
                    "child": child_name,
                    "age": age,
                    "day": locked.starts_on.isoformat(),
                    "low": locked.min_age,
                    "high": locked.max_age,
                }
            )
        if not consent:
            raise ValidationError(_("The guardian's consent is required for a child to take part."))
        live = locked.enrolments.live()
        duplicate = _("%(name)s is already enrolled in this class.") % {"name": child_name}
        if live.filter(member=member, child_name=child_name).exists():
            raise ValidationError(duplicate)
        enrolment = Enrolment(
            tutoring_class=locked,
            member=member,
            child_name=child_name,
            child_birth_date=child_birth_date,
            guardian_consent_on=now,
            consent_text=str(CONSENT_TEXT),
            enrolled_by=by,
        )
        if live.filter(status=Enrolment.Status.CONFIRMED).count() < locked.capacity:
            enrolment.status = Enrolment.Status.CONFIRMED
        else:
            enrolment.status = Enrolment.Status.WAITING
            enrolment.position = (locked.enrolments.aggregate(last=Max("position"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError as error:
            # The one-live-enrolment constraint: a second request that got past the check above.
            raise ValidationError(duplicate) from error
    return enrolment


def waiting_rank(enrolment: Enrolment) -> int | None:
    """Where the enrolment stands on the waiting list (1 = next to get a place), or None."""
    if enrolment.status != Enrolment.Status.WAITING:
        return None
    return Enrolment.objects.filter(
        tutoring_class=enrolment.tutoring_class_id,
        status=Enrolment.Status.WAITING,
        position__lte=enrolment.position,
    ).count()


def enrolment_message(enrolment: Enrolment) -> str:
    if enrolment.status == Enrolment.Status.CONFIRMED:
        return _("%(name)s has a place.") % {"name": enrolment.child_name}
    return _(
        "The class is full: %(name)s is number %(rank)d on the waiting list and will get a place automatically "
        "if one is freed."
    ) % {"name": enrolment.child_name, "rank": waiting_rank(enrolment)}


def _promote(locked: TutoringClass) -> list[Enrolment]:
    """Fill free places from the waiting list, first come first served; the caller holds the class's lock."""
    free = locked.capacity - locked.enrolments.confirmed().count()
    if free <= 0 or locked.status not in (TutoringClass.Status.OPEN, TutoringClass.Status.CLOSED):
        return []
    promoted = list(
        locked.enrolments.filter(status=Enrolment.Status.WAITING)
        .select_related("member__user")
        .order_by("position", "enrolled_at", "pk")[:free]
    )
    for enrolment in promoted:
        enrolment.status, enrolment.position = Enrolment.Status.CONFIRMED, None
        enrolment.save(update_fields=["status", "position"])
        user = enrolment.member.user
        if user is not None:
            notify(
                user=user,
                key=f"tutoring-promoted-{enrolment.pk}",
                title=_("A place is yours: %(title)s") % {"title": locked.title},
                body=_("A place was freed and %(name)s moved up from the waiting list for %(title)s.")
                % {"name": enrolment.child_name, "title": locked.title},
            )
    return promoted


def can_withdraw(user, enrolment: Enrolment) -> bool:
    """The guardian (their login follows them from union to union: the same ID number) or the class's host."""
    if not user.is_authenticated:
        return False
    guardian = enrolment.member.user_id == user.pk or (
        Member.objects.filter(user=user, id_number=enrolment.member.id_number).exists()
    )
    return guardian or can_run_class(user, enrolment.tutoring_class)


def withdraw(*, by, enrolment: Enrolment) -> list[Enrolment]:
    """Withdraw a child (the guardian, or the class's host). The place freed goes to the first on the waiting
    list, who is told; returns the enrolments promoted."""
    if not can_withdraw(by, enrolment):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        locked = _locked(enrolment.tutoring_class)
        current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if current.status == Enrolment.Status.WITHDRAWN:
            raise ValidationError(_("%(name)s was already withdrawn.") % {"name": current.child_name})
        if locked.status not in TutoringClass.LIVE:
            raise ValidationError(_("The class is over: nothing to withdraw from."))
        current.status, current.position, current.withdrawn_at = (
            Enrolment.Status.WITHDRAWN,
            None,
            timezone.now(),
        )
        current.save(update_fields=["status", "position", "withdrawn_at"])
        enrolment.status = current.status
        return _promote(locked)


# --- attendance --------------------------------------------------------------------------------------------


def take_attendance(
    *, by, session: Session, present: Iterable[int], today: datetime.date | None = None
) -> dict[str, int]:
    """Mark every child with a place present (their enrolment's pk in ``present``) or absent at a session held
    on or before today. Marking again corrects the marks. Returns the counts."""
    today = today or timezone.localdate()
    tutoring_class = session.tutoring_class
    if not can_run_class(by, tutoring_class):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        locked = _locked(tutoring_class)
        if locked.status not in TutoringClass.RUNNING:
            raise ValidationError(_("Attendance is taken for a class that runs."))
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.date > today:
            raise ValidationError(
                _("This session is on %(day)s: attendance is taken on the day or later.")
                % {"day": session.date.isoformat()}
            )
        present = set(present)
        enrolments = list(locked.enrolments.confirmed().order_by("pk"))
        unknown = present - {e.pk for e in enrolments}
        if unknown:
            raise ValidationError(_("Only children with a place in this class are marked."))
        now = timezone.now()
        marks = {mark.enrolment_id: mark for mark in session.attendance.all()}
        new, changed = [], []
        for enrolment in enrolments:
            is_present = enrolment.pk in present
            mark = marks.get(enrolment.pk)
            if mark is None:
                new.append(
                    Attendance(
                        session=session, enrolment=enrolment, present=is_present, marked_by=by, marked_at=now
                    )
                )
            elif mark.present != is_present:
                mark.present, mark.marked_by, mark.marked_at = is_present, by, now
                changed.append(mark)
        Attendance.objects.bulk_create(new)
        for mark in changed:  # audited one by one: a correction names who made it
            mark.save(update_fields=["present", "marked_by", "marked_at"])
        session.attendance_taken_at, session.attendance_taken_by = now, by
        session.save(update_fields=["attendance_taken_at", "attendance_taken_by"])
    return {"present": len(present), "absent": len(enrolments) - len(present)}


def child_rates(tutoring_class: TutoringClass) -> dict[int, tuple[int, int]]:
    """Each enrolment's (sessions present, sessions marked), in one query."""
    rows = (
        Attendance.objects.filter(session__tutoring_class=tutoring_class)
        .values("enrolment")
        .annotate(marked=Count("pk"), present=Count("pk", filter=Q(present=True)))
        .order_by()
    )
    return {row["enrolment"]: (row["present"], row["marked"]) for row in rows}


def rate(present: int, marked: int) -> Decimal | None:
    """A percentage with one decimal, or None when nothing was marked."""
    if not marked:
        return None
    return (Decimal(present) * 100 / Decimal(marked)).quantize(Decimal("0.1"))


# --- figures -----------------------------------------------------------------------------------------------


def year_figures(year: int, *, area=None, sessions: bool = True) -> dict:
    """Counts only, for anyone with a staff role: classes (weekend, summer) that ran in the year, the distinct
    children with a place, the sessions held (attendance taken), the attendance rate, and the enterprises and
    unions taking part. A class belongs to the year of its first day; cancelled and draft classes do not
    count. Four queries; three without the count of sessions held (``sessions=False``: the dashboard's tile)."""
    classes = TutoringClass.objects.in_year(year).running()
    if area is not None:
        classes = classes.filter(union__area=area)
    by_kind = classes.aggregate(
        weekend=Count("pk", filter=Q(kind=TutoringClass.Kind.WEEKEND)),
        summer=Count("pk", filter=Q(kind=TutoringClass.Kind.SUMMER)),
        unions=Count("union", distinct=True),
        enterprises=Count("enterprise", distinct=True),
    )
    # A child is the guardian and the child's name and birth date: the same child in two classes counts once.
    children = (
        Enrolment.objects.filter(tutoring_class__in=classes, status=Enrolment.Status.CONFIRMED)
        .values("member__id_number", "child_name", "child_birth_date")
        .distinct()
        .count()
    )
    held = Session.objects.filter(tutoring_class__in=classes, attendance_taken_at__isnull=False)
    marks = Attendance.objects.filter(session__in=held).aggregate(
        marked=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    return {
        "year": year,
        "classes": by_kind["weekend"] + by_kind["summer"],
        "weekend": by_kind["weekend"],
        "summer": by_kind["summer"],
        "children": children,
        "sessions": held.count() if sessions else None,
        "marked": marks["marked"],
        "present": marks["present"],
        "rate": rate(marks["present"], marks["marked"]),
        "unions": by_kind["unions"],
        "enterprises": by_kind["enterprises"],
    }


# --- export ------------------------------------------------------------------------------------------------


def roster_xlsx(tutoring_class: TutoringClass):
    """The class's children as a workbook for its host: child, birth date, age on the first day, guardian's
    name, status, consent time, attendance (no ID number, no mobile). A spooled file."""
    rates = child_rates(tutoring_class)
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Children"))
    sheet.append(
        [
            _("Child"),
            _("Birth date"),
            _("Age on the first day"),
            _("Guardian"),
            _("Status"),
            _("Consent given"),
            _("Present"),
            _("Sessions marked"),
        ]
    )
    enrolments = (
        tutoring_class.enrolments.live()
        .select_related("member")
        .order_by("status", "position", "child_name", "pk")
    )
    for enrolment in enrolments:
        present, marked = rates.get(enrolment.pk, (0, 0))
        sheet.append(
            [
                neutralise(enrolment.child_name),
                enrolment.child_birth_date.isoformat(),
                age_on(enrolment.child_birth_date, tutoring_class.starts_on),
                neutralise(enrolment.member.name),
                str(enrolment.get_status_display()),
                timezone.localtime(enrolment.guardian_consent_on).strftime("%Y-%m-%d %H:%M"),
                present,
                marked,
            ]
        )
    return spooled(workbook)
