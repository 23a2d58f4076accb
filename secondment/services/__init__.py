"""Secondment workflows that change state: nominations, terms, duty logs, assessments. Each one is
a transaction; the rota lives in ``secondment.services.rota``, certificates in ``secondment.services.certificates``."""

import datetime
import secrets
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import GrassrootsUnion, Member
from unionhub.access import require
from unionhub.notices import notify

from .. import permissions
from ..models import Assessment, DutyDay, DutyLog, LateEntryRequest, Nomination, SecondmentTerm, UnionPost
from ..rules import age_on, education_at_least, grade, rules, term_end

# --- eligibility and nominations ----------------------------------------------------------------


def eligibility_problems(
    *,
    member: Member,
    union: GrassrootsUnion,
    union_post: str,
    education: str,
    recommendation: str,
    on: datetime.date,
) -> list[str]:
    """Every rule the nominee fails, each named in a sentence; empty when eligible."""
    r = rules()
    problems = []
    if member.union_id != union.pk:
        problems.append(
            _("%(name)s is not a member of %(union)s; a chair nominates only from their own union.")
            % {"name": member.name, "union": union.name}
        )
    if member.status not in (Member.Status.ACTIVE, Member.Status.RETAINED):
        problems.append(
            _("%(name)s's membership is not active (%(status)s).")
            % {"name": member.name, "status": member.get_status_display()}
        )
    age = age_on(member.birth_date, on)
    if age > r.max_age:
        problems.append(
            _("Over %(max)d: born %(birth)s, aged %(age)d on the nomination date.")
            % {"max": r.max_age, "birth": member.birth_date.isoformat(), "age": age}
        )
    if not education_at_least(education, r.min_education):
        labels = dict(Member.Education.choices)
        problems.append(
            _("Education below %(minimum)s: %(education)s.")
            % {"minimum": labels[r.min_education], "education": labels.get(education, education or "—")}
        )
    if union_post not in r.eligible_posts:
        problems.append(_("Only a union chair, vice-chair or committee member can be seconded."))
    if len("".join(recommendation.split())) < r.min_recommendation_chars:
        problems.append(
            _(
                "The recommendation must state the cadre's commitment to union work (at least %(count)d "
                "characters)."
            )
            % {"count": r.min_recommendation_chars}
        )
    return problems


def nominate(
    *,
    by,
    union: GrassrootsUnion,
    member: Member,
    union_post: str,
    education: str,
    recommendation: str,
    phone: str,
    start_date: datetime.date,
    on: datetime.date | None = None,
) -> Nomination:
    """A chair's nomination (or staff's, with the organisation duty). Raises ValidationError naming every
    failed rule; nothing is saved then."""
    require(permissions.can_nominate(by, union))
    on = on or timezone.localdate()
    problems = eligibility_problems(
        member=member,
        union=union,
        union_post=union_post,
        education=education,
        recommendation=recommendation,
        on=on,
    )
    end = term_end(start_date)
    if SecondmentTerm.objects.filter(member=member).overlapping(start_date, end).exists():
        problems.append(
            _("%(name)s already has a secondment term overlapping %(start)s–%(end)s.")
            % {"name": member.name, "start": start_date, "end": end}
        )
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                union=union,
                member=member,
                union_post=union_post,
                education=education,
                recommendation=recommendation.strip(),
                phone=phone,
                start_date=start_date,
                nominated_on=on,
                nominated_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already has a nomination awaiting review.") % {"name": member.name}
        ) from None


def _account_for(nomination: Nomination) -> tuple[object, str | None]:
    """The cadre's login: the union chair's own account when they nominated themselves, an account
    already registered to the mobile number, or a new one (username = the mobile number) with a
    one-time initial password, returned so that staff can pass it on."""
    user_model = get_user_model()
    chair = nomination.union.chair
    if nomination.union_post == UnionPost.CHAIR and chair is not None:
        return chair, None
    existing = (
        user_model.objects.filter(phone=nomination.phone).order_by("pk").first()
        or user_model.objects.filter(username=nomination.phone).first()
    )
    if existing:
        return existing, None
    password = secrets.token_urlsafe(9)
    user = user_model.objects.create_user(
        username=nomination.phone, password=password, name=nomination.member.name, phone=nomination.phone
    )
    return user, password


def approve_nomination(*, by, nomination: Nomination) -> tuple[SecondmentTerm, str | None]:
    """Approve: create the term (refused if it would overlap another of the person's terms).
    Returns the term and, when an account was created, its initial password."""
    require(permissions.can_decide_nominations(by))
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != Nomination.Status.SUBMITTED:
            raise ValidationError(_("This nomination has already been decided."))
        user, password = _account_for(nomination)
        term = start_term(
            cadre=user,
            union=nomination.union,
            member=nomination.member,
            start_date=nomination.start_date,
            union_post=nomination.union_post,
            nomination=nomination,
        )
        nomination.status = Nomination.Status.APPROVED
        nomination.decided_by, nomination.decided_at = by, timezone.now()
        nomination.save(update_fields=["status", "decided_by", "decided_at"])
    if nomination.nominated_by:
        notify(
            user=nomination.nominated_by,
            key=f"nomination-approved:{nomination.pk}",
            title=_("Nomination approved"),
            body=_("%(name)s will be seconded to the federation from %(start)s.")
            % {"name": nomination.member.name, "start": term.start_date},
            url=nomination.get_absolute_url(),
        )
    return term, password


def return_nomination(*, by, nomination: Nomination, reason: str) -> Nomination:
    require(permissions.can_decide_nominations(by))
    if not reason.strip():
        raise ValidationError(_("Say why the nomination is returned."))
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != Nomination.Status.SUBMITTED:
            raise ValidationError(_("This nomination has already been decided."))
        nomination.status = Nomination.Status.RETURNED
        nomination.decided_by, nomination.decided_at, nomination.decision_note = (
            by,
            timezone.now(),
            reason.strip(),
        )
        nomination.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if nomination.nominated_by:
        notify(
            user=nomination.nominated_by,
            key=f"nomination-returned:{nomination.pk}",
            title=_("Nomination returned"),
            body=_("The nomination of %(name)s was returned: %(reason)s")
            % {"name": nomination.member.name, "reason": nomination.decision_note},
            url=nomination.get_absolute_url(),
        )
    return nomination


def start_term(
    *,
    cadre,
    union: GrassrootsUnion,
    start_date: datetime.date,
    member: Member | None = None,
    union_post: str = "",
    nomination: Nomination | None = None,
    end_date: datetime.date | None = None,
) -> SecondmentTerm:
    """A new term of one year (``rules.term_months``). Refuses a term overlapping another of the
    same person's (by account, and by member record when known)."""
    end = end_date or term_end(start_date)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=cadre.pk).first()  # serialise per person
        clash = SecondmentTerm.objects.filter(cadre=cadre).overlapping(start_date, end)
        if member is not None:
            clash = clash | SecondmentTerm.objects.filter(member=member).overlapping(start_date, end)
        existing = clash.first()
        if existing:
            raise ValidationError(
                _(
                    "This person already has a secondment term from %(start)s to %(end)s; terms "
                    "cannot overlap."
                )
                % {"start": existing.start_date, "end": existing.end_date}
            )
        return SecondmentTerm.objects.create(
            cadre=cadre,
            union=union,
            member=member,
            union_post=union_post,
            start_date=start_date,
            end_date=end,
            nomination=nomination,
        )


# --- duty logs -----------------------------------------------------------------------------------


def late_entry_open(duty_day: DutyDay, today: datetime.date) -> bool:
    """Staff accepted a late entry for this day and its window (``LateEntryRequest.log_by``) still runs."""
    return LateEntryRequest.objects.filter(duty_day=duty_day).open_on(today).exists()


def loggable_problem(duty_day: DutyDay | None, *, user, today: datetime.date | None = None) -> str | None:
    """Why this cadre cannot log this day now (None when they can)."""
    today = today or timezone.localdate()
    if duty_day is None or duty_day.term.cadre_id != user.pk:
        return _("You were not on duty that day.")
    if duty_day.date > today:
        return _("A duty day can be logged on the day or after it, not before.")
    if not (duty_day.term.start_date <= duty_day.date <= duty_day.term.end_date):
        return _("That day is outside your secondment term.")
    if duty_day.window_passed(today) and not late_entry_open(duty_day, today):
        return _(
            "Duty days can be logged up to %(days)d days afterwards; ask the federation staff to record "
            "this one."
        ) % {"days": rules().log_window_days}
    if DutyLog.objects.filter(duty_day=duty_day).exclude(status=DutyLog.Status.REJECTED).exists():
        return _("This duty day is already logged.")
    return None


def log_duty_day(
    *,
    user,
    duty_day: DutyDay | None,
    arrived_at: datetime.time,
    left_at: datetime.time,
    activities: list[str],
    notes: str,
    today: datetime.date | None = None,
) -> DutyLog:
    problem = loggable_problem(duty_day, user=user, today=today)
    if problem:
        raise ValidationError(problem)
    if left_at <= arrived_at:
        raise ValidationError(_("The departure time must be after the arrival time."))
    if not activities:
        raise ValidationError(_("Choose at least one thing you did."))
    with transaction.atomic():
        DutyLog.objects.filter(duty_day=duty_day, status=DutyLog.Status.REJECTED).delete()
        try:
            with transaction.atomic():
                return DutyLog.objects.create(
                    duty_day=duty_day,
                    arrived_at=arrived_at,
                    left_at=left_at,
                    activities=list(activities),
                    notes=notes.strip(),
                )
        except IntegrityError:
            raise ValidationError(_("This duty day is already logged.")) from None


def review_log(*, by, log: DutyLog, confirm: bool, note: str = "") -> DutyLog:
    require(permissions.can_manage_terms(by))
    log.status = DutyLog.Status.CONFIRMED if confirm else DutyLog.Status.REJECTED
    log.reviewed_by, log.reviewed_at, log.review_note = by, timezone.now(), note.strip()[:200]
    log.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return log


# --- attendance and assessment ----------------------------------------------------------------


def attended_filter():
    return Q(log__status__in=[DutyLog.Status.PENDING, DutyLog.Status.CONFIRMED])


def due_filter(until: datetime.date) -> Q:
    """Duty days that count as due on ``until``: on or before it, and either logged or past the
    logging window (a day still inside its window is neither attended nor missed yet)."""
    window_start = until - datetime.timedelta(days=rules().log_window_days)
    return Q(date__lte=until) & (Q(log__isnull=False) | Q(date__lt=window_start))


def attendance(term: SecondmentTerm, *, until: datetime.date | None = None) -> tuple[int, int]:
    """(duty days due, duty days attended) on ``until`` (default today); attended = logged and not
    rejected by staff."""
    until = until or timezone.localdate()
    days = term.duty_days.filter(due_filter(until))
    return days.count(), days.filter(attended_filter()).count()


def rate(due: int, attended: int) -> Decimal:
    return (Decimal(100) * attended / due).quantize(Decimal("0.1")) if due else Decimal(0)


def assess(
    *,
    by,
    term: SecondmentTerm,
    kind: str,
    tasks_score: int,
    evaluation_score: int,
    comments: str = "",
    on: datetime.date | None = None,
    outcomes: dict | None = None,
) -> Assessment:
    """Record (or redo) the mid-term or end-of-term assessment; the grade follows the rules."""
    require(permissions.can_manage_terms(by))
    for value in (tasks_score, evaluation_score):
        if not 0 <= value <= 100:
            raise ValidationError(_("Scores run from 0 to 100."))
    on = on or timezone.localdate()
    due, attended = attendance(term, until=on)
    attendance_rate = rate(due, attended)
    score, the_grade = grade(
        attendance_rate=attendance_rate, tasks_score=tasks_score, evaluation_score=evaluation_score
    )
    with transaction.atomic():
        assessment, _created = Assessment.objects.update_or_create(
            term=term,
            kind=kind,
            defaults={
                "duty_days_due": due,
                "duty_days_attended": attended,
                "attendance_rate": attendance_rate,
                "tasks_score": tasks_score,
                "evaluation_score": evaluation_score,
                "score": score,
                "grade": the_grade,
                "comments": comments.strip(),
                "assessed_by": by,
                "assessed_on": on,
            },
        )
        if outcomes:
            for field in ("recommended_for_party", "joined_committee", "hired_full_time"):
                if field in outcomes:
                    setattr(term, field, bool(outcomes[field]))
            term.save(update_fields=["recommended_for_party", "joined_committee", "hired_full_time"])
    return assessment


def complete_ended_terms(today: datetime.date | None = None) -> int:
    """Active terms whose last day has passed become completed."""
    today = today or timezone.localdate()
    return SecondmentTerm.objects.filter(status=SecondmentTerm.Status.ACTIVE, end_date__lt=today).update(
        status=SecondmentTerm.Status.COMPLETED
    )


def end_early(*, by, term: SecondmentTerm, last_day: datetime.date, reason: str) -> SecondmentTerm:
    """End a term before its year is out: it keeps its history up to ``last_day``; later duty days
    that nobody logged are taken off the rota."""
    require(permissions.can_manage_terms(by))
    if not term.start_date < last_day <= term.end_date:
        raise ValidationError(
            _("The last day must fall after the start and within the term (%(start)s–%(end)s).")
            % {"start": term.start_date, "end": term.end_date}
        )
    with transaction.atomic():
        term = SecondmentTerm.objects.select_for_update().get(pk=term.pk)
        if term.status == SecondmentTerm.Status.ENDED_EARLY:
            return term
        DutyDay.objects.filter(term=term, date__gt=last_day, log__isnull=True).delete()
        term.status, term.end_date = SecondmentTerm.Status.ENDED_EARLY, last_day
        term.save(update_fields=["status", "end_date"])
        LogEntry.objects.log_create(
            term,
            action=LogEntry.Action.UPDATE,
            actor=by,
            force_log=True,
            changes={"status": ["active", "ended_early"]},
            additional_data={"reason": reason.strip()[:200]},
        )
    return term


def reveal_nomination_phone(*, by, nomination: Nomination, remote_addr: str | None = None) -> str:
    """Return the nominee's full mobile and log that ``by`` saw it (PIPL: access is recorded, as for a
    member's ID number)."""
    require(permissions.can_reveal_nomination_phone(by, nomination))
    LogEntry.objects.log_create(
        nomination,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        additional_data={"revealed": "phone"},
    )
    return nomination.phone
