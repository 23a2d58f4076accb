"""Association workflows: membership (join, the chair's decision, leaving), the yearly plan, and the
federation's compliance check (planned vs held activities against the yearly minimum) with its
monthly reminder to the chairs of associations that fall behind.

Every function that changes state takes the acting user (``by``), runs in one transaction and writes
an audit record inside it."""

import dataclasses
import datetime
import re
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.validators import clean_resident_id
from unionhub.access import has_duty
from unionhub.masking import mask_id_number
from unionhub.notices import notify

from ..models import Activity, ActivityKind, Association, AssociationMember, PlannedActivity, SignUp
from ..permissions import can_manage
from ..rules import rules


def _audit(instance, by, changes: dict, **extra) -> None:
    LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.UPDATE,
        actor=by,
        force_log=True,
        changes=changes,
        additional_data=extra or None,
    )


# --- the association itself -----------------------------------------------------------------------

# What an association's chair may change; everything else is the federation's decision.
CHAIR_FIELDS = ("description", "joining")


@transaction.atomic
def save_association(
    *, by, association: Association, fields: dict, vice_chairs=None, unions=None
) -> Association:
    """Create (``association.pk`` is None) or update an association. Staff may set every field, the
    unions it draws from included; the association's own chair only its description and joining
    policy."""
    creating = association.pk is None
    chair_may = (
        not creating
        and association.chair_id == by.pk
        and not set(fields) - set(CHAIR_FIELDS)
        and vice_chairs is None
        and unions is None
    )
    duty = "associations.add_association" if creating else "associations.change_association"
    if not (has_duty(by, duty) or chair_may):
        raise PermissionDenied
    changes = {}
    for name, value in fields.items():
        old = getattr(association, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(association, name, value)
    association.full_clean()
    association.save()
    if vice_chairs is not None:
        before = set(association.vice_chairs.values_list("pk", flat=True))
        after = {user.pk for user in vice_chairs}
        if before != after:
            association.vice_chairs.set(vice_chairs)
            changes["vice_chairs"] = [str(sorted(before)), str(sorted(after))]
    if unions is not None:
        before = set(association.unions.values_list("pk", flat=True))
        after = {union.pk for union in unions}
        if before != after:
            association.unions.set(unions)
            changes["unions"] = [str(sorted(before)), str(sorted(after))]
    if creating:
        LogEntry.objects.log_create(
            association, action=LogEntry.Action.CREATE, actor=by, force_log=True, changes=changes
        )
    elif changes:
        _audit(association, by, changes)
    return association


# --- membership ---------------------------------------------------------------------------------------


@transaction.atomic
def join(*, by, association: Association, member: Member) -> AssociationMember:
    """``member`` joins ``association``: by themself (their login is ``member.user``), or added by the
    chair, a vice-chair or staff. Open joining, or a member added by the association's managers, is
    active at once; otherwise the membership waits for the chair, who is sent a notice."""
    managing = can_manage(by, association)
    themself = member.user_id is not None and member.user_id == by.pk
    if not (managing or themself):
        raise PermissionDenied
    if association.status != Association.Status.ACTIVE:
        raise ValidationError(_("This association is not taking members."))
    if not themself and not association.draws_from(member):
        raise ValidationError(enrolment_refused())
    if member.status not in Member.ACTIVE_STATUSES:
        raise ValidationError(_("Only current union members can join an association."))
    membership = (
        AssociationMember.objects.select_for_update().filter(association=association, member=member).first()
    )
    if membership and membership.status in (
        AssociationMember.Status.ACTIVE,
        AssociationMember.Status.PENDING,
    ):
        raise ValidationError(
            _("%(member)s is already a member of %(association)s or waiting for approval.")
            % {"member": member.name, "association": association.name}
        )
    at_once = managing or association.joining == Association.Joining.OPEN
    status = AssociationMember.Status.ACTIVE if at_once else AssociationMember.Status.PENDING
    before = membership.status if membership else ""
    if membership is None:
        membership = AssociationMember(association=association, member=member)
    membership.status = status
    membership.joined_on = timezone.localdate() if at_once else None
    membership.save()
    _audit(membership, by, {"status": [before, status]})
    if not at_once and association.chair_id:
        notify(
            user=association.chair,
            key=f"association-join-{membership.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
            title=_("%(member)s asks to join %(association)s")
            % {"member": member.name, "association": association.name},
            url=reverse("associations:association_members", kwargs={"pk": association.pk}),
        )
    return membership


def enrolment_refused() -> str:
    """The one answer to an enrolment that does not match, whatever the reason (no such ID number, a
    different name, a member of a union the association does not draw from), so that the form tells
    nobody whose an ID number is."""
    return _(
        "No member of a union this association draws from has both this name and this ID number. Check "
        "them, or ask the member to apply to join themselves."
    )


def same_name(typed: str, stored: str) -> bool:
    """Whether a typed name is the stored one, spaces and dots aside."""

    def folded(name):
        return re.sub(r"[\s\u3000·•・.]", "", name or "").casefold()

    return bool(folded(typed)) and folded(typed) == folded(stored)


def enrol_on_behalf(*, by, association: Association, name: str, id_number: str) -> AssociationMember:
    """A manager of ``association`` enrols a member who has no login, or asked them to: named by their
    name AND their ID number, both of the same current member of a union the association draws from
    (``Association.draws_from``). Anything else gets ``enrolment_refused``, one message that names
    nobody; the refusal is audited, with the number masked."""
    if not can_manage(by, association):
        raise PermissionDenied
    number = clean_resident_id(id_number)  # a malformed number says so: that reveals nobody
    if association.status != Association.Status.ACTIVE:
        raise ValidationError(_("This association is not taking members."))
    member = Member.objects.active().filter(id_number=number).select_related("union").first()
    if member is None or not same_name(name, member.name) or not association.draws_from(member):
        LogEntry.objects.log_create(
            association,
            action=LogEntry.Action.ACCESS,
            actor=by,
            force_log=True,
            changes={},
            additional_data={"enrolment refused": mask_id_number(number)},
        )
        raise ValidationError(enrolment_refused())
    return join(by=by, association=association, member=member)


@transaction.atomic
def decide_membership(*, by, membership: AssociationMember, admit: bool) -> AssociationMember:
    """The chair (or a vice-chair, or staff) admits or refuses a pending membership."""
    membership = (
        AssociationMember.objects.select_for_update(of=("self",))
        .select_related("association", "member")
        .get(pk=membership.pk)
    )
    if not can_manage(by, membership.association):
        raise PermissionDenied
    if membership.status != AssociationMember.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    membership.status = AssociationMember.Status.ACTIVE if admit else AssociationMember.Status.REFUSED
    membership.joined_on = timezone.localdate() if admit else None
    membership.save(update_fields=["status", "joined_on"])
    _audit(membership, by, {"status": ["pending", membership.status]})
    if membership.member.user_id:
        association = membership.association
        notify(
            user=membership.member.user,
            key=f"association-decision-{membership.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
            title=(
                _("You are now a member of %(association)s")
                if admit
                else _("%(association)s did not admit you")
            )
            % {"association": association.name},
            url=association.get_absolute_url(),
        )
    return membership


@transaction.atomic
def leave(*, by, membership: AssociationMember) -> AssociationMember:
    """The member leaves (or their managers remove them); a pending request is withdrawn."""
    membership = (
        AssociationMember.objects.select_for_update(of=("self",))
        .select_related("association", "member")
        .get(pk=membership.pk)
    )
    if membership.member.user_id != by.pk and not can_manage(by, membership.association):
        raise PermissionDenied
    if membership.status not in (AssociationMember.Status.ACTIVE, AssociationMember.Status.PENDING):
        raise ValidationError(_("This membership has already ended."))
    before = membership.status
    membership.status = AssociationMember.Status.LEFT
    membership.save(update_fields=["status"])
    _audit(membership, by, {"status": [before, "left"]})
    return membership


# --- the yearly plan ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PlanLine:
    month: int
    title: str
    kind: str


@dataclasses.dataclass(frozen=True)
class PlanResult:
    lines: int
    minimum: int

    @property
    def below_minimum(self) -> bool:
        return self.lines < self.minimum

    @property
    def missing(self) -> int:
        return max(self.minimum - self.lines, 0)


def _clean_lines(lines: Iterable) -> list[PlanLine]:
    cleaned, errors = [], []
    for n, line in enumerate(lines, start=1):
        if isinstance(line, dict):
            month, title, kind = line.get("month"), line.get("title"), line.get("kind")
        else:
            month, title, kind = line
        title = (title or "").strip()
        try:
            month = int(month)
        except (TypeError, ValueError):
            month = 0
        if not 1 <= month <= 12:
            errors.append(_("Line %(n)d: the month must be between 1 and 12.") % {"n": n})
        if not title:
            errors.append(_("Line %(n)d: give the activity a title.") % {"n": n})
        if kind not in ActivityKind.values:
            errors.append(_("Line %(n)d: choose the kind of activity.") % {"n": n})
        cleaned.append(PlanLine(month, title[:200], kind))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_plan(*, by, association: Association, year: int, lines: Iterable) -> PlanResult:
    """Replace the plan of ``year`` with ``lines`` (each a month 1–12, a title and an activity kind).

    A plan with fewer lines than the yearly minimum is saved — a chair may plan in stages — and the
    result says how many lines are missing; the compliance report flags it until it is complete.
    Unchanged lines keep their identity, so activities already linked to them stay linked."""
    if not can_manage(by, association):
        raise PermissionDenied
    wanted = _clean_lines(lines)
    minimum = rules().min_activities_per_year
    Association.objects.select_for_update().filter(pk=association.pk).first()
    existing = list(
        PlannedActivity.objects.filter(association=association, year=year).order_by("month", "pk")
    )
    by_key: dict[tuple, list[PlannedActivity]] = {}
    for line in existing:
        by_key.setdefault((line.month, line.title, line.kind), []).append(line)
    keep, create = set(), []
    for line in wanted:
        matches = by_key.get((line.month, line.title, line.kind))
        if matches:
            keep.add(matches.pop(0).pk)
        else:
            create.append(
                PlannedActivity(
                    association=association, year=year, month=line.month, title=line.title, kind=line.kind
                )
            )
    removed = [line.pk for line in existing if line.pk not in keep]
    PlannedActivity.objects.filter(pk__in=removed).delete()
    PlannedActivity.objects.bulk_create(create)
    _audit(
        association,
        by,
        {"plan": [str(len(existing)), str(len(wanted))]},
        year=year,
        added=len(create),
        removed=len(removed),
    )
    return PlanResult(lines=len(wanted), minimum=minimum)


# --- compliance ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    association: Association
    planned: int = 0
    held: int = 0  # held and counted (a past-dated activity once staff confirmed it)
    unconfirmed: int = 0  # held, past-dated, waiting for staff to confirm: not counted yet
    cancelled: int = 0
    attendance: int = 0
    upcoming: int = 0  # activities scheduled and still ahead this year
    unscheduled: int = 0  # plan lines of this or later months with no activity yet
    expected: int = 0
    minimum: int = 0
    below_minimum: bool = False
    behind: bool = False
    will_miss: bool = False

    @property
    def ahead(self) -> int:
        return self.upcoming + self.unscheduled

    @property
    def ok(self) -> bool:
        return not (self.below_minimum or self.behind or self.will_miss)

    @property
    def flags(self) -> list[str]:
        """Stable tokens, for the command's output and the CSS classes."""
        tokens = [
            token
            for token, on in (
                ("BELOW-MINIMUM", self.below_minimum),
                ("BEHIND", self.behind),
                ("WILL-MISS", self.will_miss),
            )
            if on
        ]
        return tokens or ["OK"]


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone))


def expected_by(year: int, today: datetime.date, minimum: int) -> int:
    """How many activities should have been held by ``today``: the minimum for a past year, nothing
    for a future one, and for the current year the minimum's share of the months completed so far
    (a month counts once it is over), rounded down."""
    if year < today.year:
        return minimum
    if year > today.year:
        return 0
    return minimum * (today.month - 1) // 12


def compliance(year: int, *, today: datetime.date | None = None, associations=None) -> list[Row]:
    """One row per active association (or per association of ``associations``), in five queries
    whatever the number of associations, plan lines, activities and sign-ups."""
    today = today or timezone.localdate()
    settings = rules()
    minimum, grace = settings.min_activities_per_year, settings.behind_grace_activities
    start, end = _year_bounds(year)
    if associations is None:
        associations = Association.objects.filter(status=Association.Status.ACTIVE)
    associations = list(associations.select_related("chair").order_by("name"))
    ids = [a.pk for a in associations]
    current = year == today.year
    # From this moment on an activity is "ahead"; plan lines of this month onwards may still be scheduled.
    now = datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())
    first_open_month = 13 if year < today.year else (today.month if current else 1)

    plans = {
        row["association_id"]: row
        for row in (
            PlannedActivity.objects.filter(year=year, association_id__in=ids)
            .values("association_id")
            .annotate(
                lines=Count("id", distinct=True),
                unscheduled=Count(
                    "id", distinct=True, filter=Q(month__gte=first_open_month, activities__isnull=True)
                ),
            )
        )
    }
    in_year = Q(starts_at__gte=start, starts_at__lt=end)
    activities = {
        row["association_id"]: row
        for row in (
            Activity.objects.filter(in_year, association_id__in=ids)
            .order_by()
            .values("association_id")
            .annotate(
                held=Count("id", filter=Activity.COUNTS),
                unconfirmed=Count("id", filter=Q(status=Activity.Status.HELD, needs_confirmation=True)),
                cancelled=Count("id", filter=Q(status=Activity.Status.CANCELLED)),
                upcoming=Count("id", filter=Q(status=Activity.Status.PLANNED, starts_at__gte=now)),
            )
        )
    }
    attendance = dict(
        SignUp.objects.filter(
            attended=True,
            activity__status=Activity.Status.HELD,
            activity__needs_confirmation=False,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
            activity__association_id__in=ids,
        )
        .order_by()
        .values_list("activity__association_id")
        .annotate(n=Count("id"))
    )

    expected = expected_by(year, today, minimum)
    rows = []
    for association in associations:
        plan, done = plans.get(association.pk, {}), activities.get(association.pk, {})
        row = Row(
            association=association,
            planned=plan.get("lines", 0),
            held=done.get("held", 0),
            unconfirmed=done.get("unconfirmed", 0),
            cancelled=done.get("cancelled", 0),
            attendance=attendance.get(association.pk, 0),
            upcoming=done.get("upcoming", 0) if year >= today.year else 0,
            unscheduled=plan.get("unscheduled", 0),
            expected=expected,
            minimum=minimum,
        )
        row.below_minimum = row.planned < minimum
        row.behind = row.held < expected - grace
        row.will_miss = row.held + row.ahead < minimum
        rows.append(row)
    return rows


def remind_behind(year: int | None = None, today: datetime.date | None = None) -> int:
    """Send each behind association's chair one notice a month (the key holds the year and month, so
    running it twice sends nothing more). Returns the number of notices sent."""
    today = today or timezone.localdate()
    year = year or today.year
    sent = 0
    for row in compliance(year, today=today):
        association = row.association
        if not row.behind or association.chair is None:
            continue
        title = _(
            "%(association)s has held %(held)d of the %(expected)d activities due by now in %(year)d"
        ) % {"association": association.name, "held": row.held, "expected": row.expected, "year": year}
        body = _(
            "Plan lines: %(planned)d. Each association holds at least %(minimum)d activities a year."
        ) % {"planned": row.planned, "minimum": row.minimum}
        sent += notify(
            user=association.chair,
            key=f"association-behind-{association.pk}-{today:%Y-%m}",
            title=title,
            body=body,
            url=association.get_absolute_url(),
        )
    return sent
