"""Activities of the hobby associations: planning one, signing up (with a waiting list that moves up
by itself), check-in on the day, attendance, the closing report with photos, and cancellation.

Every sign-up and every cancellation of a place locks the activity row first (``select_for_update``),
so that two requests at once can neither overfill the activity nor promote the same person twice.
On SQLite, where row locks do not exist, the project's ``IMMEDIATE`` transactions serialise writers."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from secondment.models import SecondmentTerm
from unionhub.notices import notify
from unionhub.uploads import PHOTOS

from ..models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Association,
    AssociationMember,
    PlannedActivity,
    SignUp,
)
from ..permissions import (
    can_confirm_activities,
    can_sign_up_for,
    manages_activity,
    manages_association,
    require_manager,
)

# An activity's photos: JPEG or PNG by content, at most 10 MB each (unionhub.uploads).
PHOTO_POLICY = PHOTOS
LIVE = (SignUp.Status.CONFIRMED, SignUp.Status.WAITING)
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "planned",
    "starts_at",
    "ends_at",
    "venue",
    "capacity",
    "signup_deadline",
    "eligibility",
    "child_min_age",
    "child_max_age",
    "cost",
    "paid_by",
    "organiser",
    "description",
)


# --- who may do what ---------------------------------------------------------------------------


def organiser_candidates(association: Association, day: datetime.date | None = None):
    """Who may organise: the chair, a vice-chair or a seconded cadre whose term is active."""
    day = day or timezone.localdate()
    cadres = SecondmentTerm.objects.active_on(day).values("cadre")
    query = Q(pk__in=association.vice_chairs.values("pk")) | Q(pk__in=cadres)
    if association.chair_id:
        query |= Q(pk=association.chair_id)
    return get_user_model().objects.filter(query, is_active=True).order_by("name", "username")


def visible_activities(user):
    """Activities a user may open: staff all; those they manage; for a member, those of associations
    they belong to, those open to every member or to their children, and those they signed up for."""
    if not user.is_authenticated:
        return Activity.objects.none()
    if user.is_federation_staff:
        return Activity.objects.all()
    query = Q(pk__in=Activity.objects.managed_by(user).values("pk"))
    member = member_of(user)
    if member is not None:
        query |= Q(signups__member=member)
        if member.is_active_member:
            query |= Q(eligibility__in=[Activity.Eligibility.ALL_MEMBERS, Activity.Eligibility.CHILDREN])
            query |= Q(
                eligibility=Activity.Eligibility.ASSOCIATION,
                association__memberships__member=member,
                association__memberships__status=AssociationMember.Status.ACTIVE,
            )
    return Activity.objects.filter(query).distinct()


def upcoming_for(user, now: datetime.datetime | None = None):
    """Activities still open for sign-up (or not yet over) that concern the user: staff every one;
    a chair their association's; a member those they may sign up for."""
    now = now or timezone.now()
    upcoming = Activity.objects.filter(status=Activity.Status.PLANNED, ends_at__gte=now)
    if user.is_authenticated and user.is_federation_staff:
        return upcoming
    return upcoming.filter(pk__in=visible_activities(user).values("pk"))


def open_to_member(member: Member):
    """The activities a member may open in the member area (/m/activities/): those they (any of their
    membership rows) signed up for, and, while they are a current member, those open to every member or
    to their children and those of the associations they belong to. What they manage as a chair is not
    here: the member area shows a member's own side only."""
    query = Q(signups__member__id_number=member.id_number)
    if member.is_active_member:
        query |= Q(eligibility__in=[Activity.Eligibility.ALL_MEMBERS, Activity.Eligibility.CHILDREN])
        query |= Q(pk__in=Activity.objects.filter(association__in=member_associations(member)).values("pk"))
    return Activity.objects.filter(query).distinct()


def member_associations(member: Member):
    """The ids of the associations the member belongs to now (an approved membership)."""
    return AssociationMember.objects.filter(member=member, status=AssociationMember.Status.ACTIVE).values(
        "association"
    )


def open_for_signup(now: datetime.datetime | None = None):
    """Activities still taking sign-ups: planned and before their deadline."""
    return Activity.objects.filter(status=Activity.Status.PLANNED, signup_deadline__gte=now or timezone.now())


def member_of(user) -> Member | None:
    """The user's own member record, if they have one."""
    if not user.is_authenticated:
        return None
    try:
        return user.member_record
    except Member.DoesNotExist:
        return None


# --- planning ----------------------------------------------------------------------------------


def _check_activity(activity: Activity, *, today: datetime.date) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    association = activity.association
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        refuse("ends_at", _("The activity must end after it starts."))
    if activity.starts_at and activity.signup_deadline and activity.signup_deadline > activity.starts_at:
        refuse("signup_deadline", _("The sign-up deadline cannot be after the start."))
    if activity.capacity is None or activity.capacity < 1:
        refuse("capacity", _("An activity needs at least one place."))
    if activity.cost is not None and Decimal(activity.cost) < 0:
        refuse("cost", _("The cost cannot be negative."))
    if activity.planned_id:
        planned = activity.planned
        if planned.association_id != association.pk:
            refuse("planned", _("This plan line belongs to another association."))
        elif activity.starts_at and timezone.localtime(activity.starts_at).year != planned.year:
            refuse(
                "starts_at",
                _("The activity is planned for %(year)d; its date must fall in that year.")
                % {"year": planned.year},
            )
    if activity.eligibility == Activity.Eligibility.CHILDREN or activity.kind == ActivityKind.SUMMER_CAMP:
        if activity.eligibility != Activity.Eligibility.CHILDREN:
            refuse("eligibility", _("A summer camp is for members' children."))
        low, high = activity.child_min_age, activity.child_max_age
        if low is None or high is None:
            refuse("child_min_age", _("A children's activity needs the youngest and the oldest age."))
        elif low > high:
            refuse("child_max_age", _("The oldest age cannot be below the youngest."))
    if (
        activity.organiser_id
        and not organiser_candidates(association, today).filter(pk=activity.organiser_id).exists()
    ):
        refuse(
            "organiser",
            _("The organiser must be the chair, a vice-chair or a seconded cadre on an active term."),
        )
    if errors:
        raise ValidationError(errors)


def create_activity(
    *,
    by,
    association: Association,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue: str,
    capacity: int,
    signup_deadline: datetime.datetime,
    eligibility: str = Activity.Eligibility.ASSOCIATION,
    child_min_age: int | None = None,
    child_max_age: int | None = None,
    cost: Decimal = Decimal(0),
    paid_by: str = Activity.Payer.UNION,
    organiser=None,
    planned: PlannedActivity | None = None,
    description: str = "",
) -> Activity:
    """Plan an activity (the association's chair or vice-chairs, or federation staff). The organiser
    defaults to the one who plans it when they may organise, else to the chair."""
    if not manages_association(by, association):
        raise PermissionDenied(
            _("Only the association's chair or vice-chairs, or federation staff, can plan its activities.")
        )
    today = timezone.localdate()
    if organiser is None:
        organiser = (
            by if organiser_candidates(association, today).filter(pk=by.pk).exists() else association.chair
        )
    activity = Activity(
        association=association,
        title=title.strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        capacity=capacity,
        signup_deadline=signup_deadline,
        eligibility=eligibility,
        child_min_age=child_min_age,
        child_max_age=child_max_age,
        cost=cost,
        paid_by=paid_by,
        organiser=organiser,
        planned=planned,
        description=description.strip(),
    )
    if activity.eligibility != Activity.Eligibility.CHILDREN:
        activity.child_min_age = activity.child_max_age = None
    _check_activity(activity, today=today)
    _mark_past_dated(activity, by=by, today=today)
    with transaction.atomic(), set_actor(by):
        activity.save()
    return activity


def is_past_dated(activity: Activity, today: datetime.date) -> bool:
    return activity.starts_at is not None and timezone.localtime(activity.starts_at).date() < today


def _mark_past_dated(activity: Activity, *, by, today: datetime.date) -> None:
    """An activity dated before today, entered by anyone but staff who may confirm it, waits for that
    confirmation before it counts towards its association's year; staff entering one confirm it."""
    if not is_past_dated(activity, today):
        return
    if can_confirm_activities(by):
        activity.needs_confirmation = False
        activity.confirmed_by, activity.confirmed_at = by, timezone.now()
    else:
        activity.needs_confirmation = True
        activity.confirmed_by = activity.confirmed_at = None


def confirm_activity(*, by, activity: Activity) -> Activity:
    """Staff confirm that a past-dated activity took place: from now on it counts (once held)."""
    if not can_confirm_activities(by):
        raise PermissionDenied(_("Only federation staff with the organisation duty confirm activities."))
    with transaction.atomic(), set_actor(by):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if not activity.needs_confirmation:
            raise ValidationError(_("This activity is not waiting for confirmation."))
        activity.needs_confirmation = False
        activity.confirmed_by, activity.confirmed_at = by, timezone.now()
        activity.save(update_fields=["needs_confirmation", "confirmed_by", "confirmed_at"])
    return activity


def awaiting_confirmation():
    """Past-dated activities staff have yet to confirm, oldest first."""
    return (
        Activity.objects.filter(needs_confirmation=True)
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("association")
        .order_by("starts_at", "pk")
    )


def update_activity(*, by, activity: Activity, **changes) -> Activity:
    """Change an activity still open for sign-up. Places added move the waiting list up; places cannot
    be cut below those already confirmed."""
    if not manages_association(by, activity.association):
        raise PermissionDenied(
            _("Only the association's chair or vice-chairs, or federation staff, can change its activities.")
        )
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    with transaction.atomic(), set_actor(by):
        locked = (
            Activity.objects.select_for_update(of=("self",)).select_related("association").get(pk=activity.pk)
        )
        if locked.status != Activity.Status.PLANNED:
            raise ValidationError(_("Only an activity still open for sign-up can be changed."))
        moved = "starts_at" in changes and changes["starts_at"] != locked.starts_at
        for field, value in changes.items():
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        if locked.eligibility != Activity.Eligibility.CHILDREN:
            locked.child_min_age = locked.child_max_age = None
        _check_activity(locked, today=timezone.localdate())
        if moved and is_past_dated(locked, timezone.localdate()):
            # moved to a past date: it waits for staff like one entered with that date
            _mark_past_dated(locked, by=by, today=timezone.localdate())
        elif moved:  # to today or later: it can only be closed once it has begun
            locked.needs_confirmation = False
        confirmed = locked.signups.filter(status=SignUp.Status.CONFIRMED).count()
        if locked.capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(count)d places are already confirmed; cancel sign-ups before cutting the places."
                    )
                    % {"count": confirmed}
                }
            )
        locked.save()
        _promote(locked)
    return locked


# --- sign-up -----------------------------------------------------------------------------------


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _eligibility_problem(activity: Activity, member: Member) -> str | None:
    if not member.is_active_member:
        return _("%(name)s is not an active union member.") % {"name": member.name}
    if (
        activity.eligibility == Activity.Eligibility.ASSOCIATION
        and not AssociationMember.objects.filter(
            association=activity.association_id, member=member, status=AssociationMember.Status.ACTIVE
        ).exists()
    ):
        return _("This activity is for members of %(association)s only, and %(name)s is not one.") % {
            "association": activity.association.name,
            "name": member.name,
        }
    return None


def sign_up(
    *,
    by,
    activity: Activity,
    member: Member,
    child_name: str = "",
    child_birth_date: datetime.date | None = None,
    consent: bool = False,
    now: datetime.datetime | None = None,
) -> SignUp:
    """A place for the member (or, for a children's activity, their child), or a place on the waiting
    list when the activity is full (status ``waiting``, ``position`` the next number)."""
    now = now or timezone.now()
    if not can_sign_up_for(by, activity, member):
        raise PermissionDenied(_("You can sign up only yourself."))
    child_name = " ".join(child_name.split())
    with transaction.atomic(), set_actor(by):
        activity = (
            Activity.objects.select_for_update(of=("self",)).select_related("association").get(pk=activity.pk)
        )
        if activity.status == Activity.Status.CANCELLED:
            raise ValidationError(_("This activity has been cancelled."))
        if activity.status == Activity.Status.HELD:
            raise ValidationError(_("This activity has already been held."))
        if now > activity.signup_deadline:
            raise ValidationError(
                _("Sign-up closed on %(deadline)s.")
                % {"deadline": timezone.localtime(activity.signup_deadline).strftime("%Y-%m-%d %H:%M")}
            )
        problem = _eligibility_problem(activity, member)
        if problem:
            raise ValidationError(problem)
        consent_on = None
        if activity.eligibility == Activity.Eligibility.CHILDREN:
            if not child_name or child_birth_date is None:
                raise ValidationError(_("Give the child's name and birth date."))
            age = age_on(child_birth_date, timezone.localtime(activity.starts_at).date())
            if not activity.child_min_age <= age <= activity.child_max_age:
                raise ValidationError(
                    _(
                        "%(child)s will be %(age)d on the first day; this activity is for children aged %(low)d to "
                        "%(high)d."
                    )
                    % {
                        "child": child_name,
                        "age": age,
                        "low": activity.child_min_age,
                        "high": activity.child_max_age,
                    }
                )
            if not consent:
                raise ValidationError(_("The guardian's consent is required for a child to take part."))
            consent_on = now
        elif child_name or child_birth_date:
            raise ValidationError(_("This activity is not for children: sign up the member themself."))
        live = activity.signups.filter(status__in=LIVE)
        if live.filter(member=member, child_name=child_name).exists():
            raise ValidationError(
                _("%(name)s is already signed up for this activity.") % {"name": child_name or member.name}
            )
        signup = SignUp(
            activity=activity,
            member=member,
            child_name=child_name,
            child_birth_date=child_birth_date if child_name else None,
            guardian_consent_on=consent_on,
            signed_up_by=by,
        )
        if live.filter(status=SignUp.Status.CONFIRMED).count() < activity.capacity:
            signup.status = SignUp.Status.CONFIRMED
        else:
            signup.status = SignUp.Status.WAITING
            signup.position = (activity.signups.aggregate(last=Max("position"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError as error:
            # The one-live-sign-up constraint: a second request that got past the check above.
            raise ValidationError(
                _("%(name)s is already signed up for this activity.") % {"name": child_name or member.name}
            ) from error
    return signup


def waiting_rank(signup: SignUp) -> int | None:
    """Where the sign-up stands on the waiting list (1 = next to get a place), or None."""
    if signup.status != SignUp.Status.WAITING:
        return None
    return signup.activity.signups.filter(status=SignUp.Status.WAITING, position__lte=signup.position).count()


def signup_message(signup: SignUp) -> str:
    who = signup.child_name or signup.member.name
    if signup.status == SignUp.Status.CONFIRMED:
        return _("%(name)s has a place.") % {"name": who}
    return _(
        "The activity is full: %(name)s is number %(rank)d on the waiting list and will get a place "
        "automatically if one is freed."
    ) % {"name": who, "rank": waiting_rank(signup)}


def _promote(activity: Activity) -> list[SignUp]:
    """Fill free places from the waiting list, first come first served. The caller holds the lock on
    the activity row, so no other promotion or sign-up of this activity runs meanwhile."""
    promoted = []
    free = activity.capacity - activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    if free <= 0:
        return promoted
    waiting = (
        activity.signups.filter(status=SignUp.Status.WAITING)
        .select_related("member__user")
        .order_by("position", "signed_up_at", "pk")[:free]
    )
    for signup in waiting:
        signup.status, signup.position = SignUp.Status.CONFIRMED, None
        signup.save(update_fields=["status", "position"])
        promoted.append(signup)
        user = signup.member.user
        if user is not None:
            who = signup.child_name or signup.member.name
            notify(
                user=user,
                key=f"activity-promoted-{signup.pk}",
                title=_("A place is yours: %(title)s") % {"title": activity.title},
                body=_(
                    "A place was freed and %(name)s moved up from the waiting list for %(title)s on %(day)s."
                )
                % {
                    "name": who,
                    "title": activity.title,
                    "day": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                },
                url=activity.get_absolute_url(),
            )
    return promoted


def cancel(*, by, signup: SignUp, now: datetime.datetime | None = None) -> SignUp | None:
    """Cancel a sign-up (the member themself until the sign-up deadline, or the organiser, chair,
    vice-chairs or staff until the activity ends). A place freed goes to the first on the waiting list,
    who is notified; returns that sign-up, or None."""
    now = now or timezone.now()
    with transaction.atomic(), set_actor(by):
        activity = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("association")
            .get(pk=signup.activity_id)
        )
        signup = SignUp.objects.select_for_update(of=("self",)).select_related("member").get(pk=signup.pk)
        if not (signup.member.user_id == by.pk or manages_activity(by, activity)):
            raise PermissionDenied(_("You can cancel only your own sign-ups."))
        if signup.status == SignUp.Status.CANCELLED:
            raise ValidationError(_("This sign-up is already cancelled."))
        if activity.status != Activity.Status.PLANNED:
            raise ValidationError(_("The activity is no longer open: sign-ups cannot be cancelled."))
        if now >= activity.ends_at:
            raise ValidationError(_("The activity is over: sign-ups cannot be cancelled."))
        if now > activity.signup_deadline and not manages_activity(by, activity):
            # After the deadline the organiser has planned with the list (buses, meals): a member tells them.
            raise ValidationError(
                _(
                    "Sign-up closed on %(deadline)s: a place can no longer be cancelled here. If you cannot "
                    "come, tell the organiser."
                )
                % {"deadline": timezone.localtime(activity.signup_deadline).strftime("%Y-%m-%d %H:%M")}
            )
        signup.status, signup.position = SignUp.Status.CANCELLED, None
        signup.save(update_fields=["status", "position"])
        promoted = _promote(activity)
    return promoted[0] if promoted else None


# --- on the day --------------------------------------------------------------------------------


def activity_days(activity: Activity) -> tuple[datetime.date, datetime.date]:
    return timezone.localtime(activity.starts_at).date(), timezone.localtime(activity.ends_at).date()


def check_in(*, by, signup: SignUp, now: datetime.datetime | None = None) -> SignUp:
    """Check a confirmed participant in, on the day (from the first to the last day of the activity).
    Checking in twice keeps the first time."""
    now = now or timezone.now()
    with transaction.atomic(), set_actor(by):
        signup = (
            SignUp.objects.select_for_update(of=("self",))
            .select_related("activity__association", "member")
            .get(pk=signup.pk)
        )
        activity = signup.activity
        require_manager(by, activity)
        if activity.status != Activity.Status.PLANNED:
            raise ValidationError(_("Check-in is closed: the activity is no longer open."))
        if signup.status != SignUp.Status.CONFIRMED:
            raise ValidationError(_("Only participants with a confirmed place can check in."))
        first, last = activity_days(activity)
        if not first <= timezone.localtime(now).date() <= last:
            raise ValidationError(_("Check-in is open on the day of the activity only."))
        if signup.checked_in_at is None:
            signup.checked_in_at, signup.attended = now, True
            signup.save(update_fields=["checked_in_at", "attended"])
    return signup


def record_attendance(
    *, by, activity: Activity, attended_ids: Iterable[int], now: datetime.datetime | None = None
) -> int:
    """Mark who came among the confirmed participants: those in ``attended_ids`` attended, the others
    did not. Returns how many attended."""
    now = now or timezone.now()
    require_manager(by, activity)
    wanted = {int(pk) for pk in attended_ids}
    with transaction.atomic(), set_actor(by):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status == Activity.Status.CANCELLED:
            raise ValidationError(_("The activity was cancelled."))
        if now < activity.starts_at:
            raise ValidationError(_("Attendance can be recorded once the activity has begun."))
        confirmed = activity.signups.filter(status=SignUp.Status.CONFIRMED)
        stray = wanted - set(confirmed.values_list("pk", flat=True))
        if stray:
            raise ValidationError(_("Only participants with a confirmed place can be marked as present."))
        confirmed.filter(pk__in=wanted).update(attended=True)
        confirmed.exclude(pk__in=wanted).update(attended=False)
    return len(wanted)


# --- after the activity ------------------------------------------------------------------------


def photo_problem(upload) -> str | None:
    """Why an uploaded photo cannot be accepted (the photos policy: a JPEG or PNG by its content, named
    as a picture or not at all, at most 10 MB), or None."""
    return PHOTO_POLICY.problem(upload)


def close_activity(
    *, by, activity: Activity, report: str, photos: Iterable = (), now: datetime.datetime | None = None
) -> Activity:
    """Record that the activity was held, with its report and photos (JPEG or PNG, at most 10 MB each).
    Confirmed participants whose attendance was not recorded count as present if they checked in."""
    now = now or timezone.now()
    require_manager(by, activity)
    report = report.strip()
    photos = list(photos)
    errors: dict[str, list[str]] = {}
    if not report:
        errors["report"] = [_("Write a short report of the activity.")]
    problems = [problem for problem in map(photo_problem, photos) if problem]
    if problems:
        errors["photos"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != Activity.Status.PLANNED:
            raise ValidationError(_("Only an activity still open can be closed."))
        if now < activity.starts_at:
            raise ValidationError(_("The activity has not begun yet."))
        activity.status, activity.report = Activity.Status.HELD, report
        activity.save(update_fields=["status", "report"])
        confirmed = activity.signups.filter(status=SignUp.Status.CONFIRMED, attended__isnull=True)
        confirmed.filter(checked_in_at__isnull=False).update(attended=True)
        confirmed.filter(checked_in_at__isnull=True).update(attended=False)
        for upload in photos:
            ActivityPhoto.objects.create(activity=activity, image=upload, uploaded_by=by)
    return activity


def cancel_activity(*, by, activity: Activity, reason: str) -> Activity:
    """Call the activity off; everybody signed up (or waiting) with a login is notified. The reason is
    kept as the activity's report."""
    require_manager(by, activity)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the activity is cancelled.")]})
    with transaction.atomic(), set_actor(by):
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != Activity.Status.PLANNED:
            raise ValidationError(_("Only an activity still open can be cancelled."))
        activity.status, activity.report = Activity.Status.CANCELLED, reason
        activity.save(update_fields=["status", "report"])
        users = {
            signup.member.user
            for signup in activity.signups.filter(status__in=LIVE, member__user__isnull=False).select_related(
                "member__user"
            )
        }
        for user in users:
            notify(
                user=user,
                key=f"activity-cancelled-{activity.pk}",
                title=_("Cancelled: %(title)s") % {"title": activity.title},
                body=_("%(title)s on %(day)s is cancelled. Reason: %(reason)s")
                % {
                    "title": activity.title,
                    "reason": reason,
                    "day": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                },
                url=activity.get_absolute_url(),
            )
    return activity
