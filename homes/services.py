"""Workers' homes (职工之家): the federation's checklist, the chair's yearly self-assessment, the
staff's inspection visits (scores, findings, photos, the level after the visit), levels set from
paper records, and the re-inspection each rated home falls due for, with its reminders.

Every write is one transaction run with the acting user set, so that django-auditlog records who
changed what. A union's home is written under a lock on the union's row: two inspections (or an
inspection and a level change) of the same union are serialised, and a double-posted form finds
the first one already there. Who may do what is asked of ``permissions``; a refusal for lack of
permission is PermissionDenied, a refusal of the data a ValidationError naming every problem;
nothing is written then."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Enterprise, GrassrootsUnion
from unionhub.dates import months_after
from unionhub.notices import notify
from unionhub.uploads import PHOTOS, UploadPolicy

from .models import (
    ChecklistItem,
    HomeInspection,
    HomeLevel,
    InspectionPhoto,
    InspectionScore,
    SelfAssessment,
    SelfAssessmentScore,
    WorkersHome,
)
from .permissions import (
    can_add_checklist_item,
    can_assess,
    can_change_checklist_item,
    can_record_inspection,
    can_set_level,
)

POINT_STEP = Decimal("0.1")
# An inspection's photos: JPEG or PNG by content, at most 10 MB each (unionhub.uploads).
PHOTO_POLICY = UploadPolicy(
    kinds=PHOTOS.kinds,
    max_bytes=PHOTOS.max_bytes,
    refusal=gettext_lazy("%(name)s: only JPEG and PNG photos can be uploaded."),
    name_must_match=False,
    accept=PHOTOS.accept,
)
NOTE_LENGTH = SelfAssessmentScore._meta.get_field("note").max_length
FIRST_YEAR = 2000


def home_of(union: GrassrootsUnion) -> WorkersHome | None:
    """The union's home, or None when it has none yet (a missing one-to-one raises otherwise)."""
    return getattr(union, "workers_home", None)


def reinspection_due(visited_on: datetime.date) -> datetime.date:
    """``WORKERS_HOME_REINSPECTION_MONTHS`` after the visit, on the same day of the month or the last
    day of a shorter month (31 January + 1 month: 28 or 29 February; 29 February + 12: 28 February)."""
    return months_after(visited_on, settings.WORKERS_HOME_REINSPECTION_MONTHS)


# --- the checklist -------------------------------------------------------------------------------


def active_items() -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(active=True))


def _item_problems(*, category: str, title: str, max_points, exclude_pk=None) -> list[str]:
    problems = []
    if category not in ChecklistItem.Category.values:
        problems.append(_("Choose the item's category."))
    if not title.strip():
        problems.append(_("Give the item a title."))
    if max_points is None or int(max_points) < 1:
        problems.append(_("An item is worth at least 1 point."))
    duplicate = ChecklistItem.objects.filter(category=category, title__iexact=title.strip())
    if title.strip() and duplicate.exclude(pk=exclude_pk).exists():
        problems.append(
            _("The checklist already has an item “%(title)s” in this category.") % {"title": title.strip()}
        )
    return problems


def create_checklist_item(
    *, by, category: str, title: str, max_points: int, guidance: str = "", order: int = 0
) -> ChecklistItem:
    if not can_add_checklist_item(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        # Serialise additions to a category, so that a form posted twice adds the item once.
        list(ChecklistItem.objects.select_for_update().filter(category=category).values_list("pk", flat=True))
        problems = _item_problems(category=category, title=title, max_points=max_points)
        if problems:
            raise ValidationError(problems)
        return ChecklistItem.objects.create(
            category=category,
            title=title.strip(),
            guidance=guidance.strip(),
            max_points=max_points,
            order=order,
        )


def update_checklist_item(
    *, by, item: ChecklistItem, category: str, title: str, max_points: int, guidance: str = "", order: int = 0
) -> ChecklistItem:
    """Change an item. Scores already given keep their points; a lower maximum applies to the
    self-assessments and inspections scored from now on."""
    if not can_change_checklist_item(by):
        raise PermissionDenied
    problems = _item_problems(category=category, title=title, max_points=max_points, exclude_pk=item.pk)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        item.category, item.title, item.guidance = category, title.strip(), guidance.strip()
        item.max_points, item.order = max_points, order
        item.save(update_fields=["category", "title", "guidance", "max_points", "order"])
    return item


def set_checklist_item_active(*, by, item: ChecklistItem, active: bool) -> ChecklistItem:
    """Take an item out of use (or back): it is no longer scored, and the scores it already has stay."""
    if not can_change_checklist_item(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if item.active != active:
            item.active = active
            item.save(update_fields=["active"])
    return item


# --- scoring -------------------------------------------------------------------------------------


def _scores(points: Mapping, items: Sequence[ChecklistItem], *, complete: bool) -> tuple[list, list[str]]:
    """Check ``{item or item pk: points}`` against the items in use: ``[(item, points)]`` for the
    scored ones, and the problems (an item above its maximum is named)."""
    by_pk = {item.pk: item for item in items}
    scored, problems, unknown = [], [], False
    given = {getattr(key, "pk", key): value for key, value in points.items()}
    for pk, value in given.items():
        if pk not in by_pk:
            unknown = True
            continue
        if value is None or value == "":
            continue
        item = by_pk[pk]
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            problems.append(_("%(item)s: the points must be a number.") % {"item": item.title})
            continue
        if not value.is_finite():
            problems.append(_("%(item)s: the points must be a number.") % {"item": item.title})
        elif value < 0:
            problems.append(_("%(item)s: the points cannot be negative.") % {"item": item.title})
        elif value > item.max_points:
            problems.append(
                _("%(item)s: at most %(max)d points, %(points)s given.")
                % {"item": item.title, "max": item.max_points, "points": value.normalize()}
            )
        elif value != value.quantize(POINT_STEP):
            problems.append(_("%(item)s: points are given in steps of 0.1.") % {"item": item.title})
        else:
            scored.append((item, value.quantize(POINT_STEP)))
    if unknown:
        problems.append(
            _("A score is for an item that is no longer on the checklist; reload the page and score again.")
        )
    if complete:
        done = {item.pk for item, _points in scored}
        missing = [item.title for item in items if item.pk not in done and given.get(item.pk) in (None, "")]
        if missing:
            problems.append(_("Score every item; not scored: %(items)s.") % {"items": "、".join(missing)})
    return scored, problems


def _total(scored) -> Decimal:
    return sum((points for _item, points in scored), Decimal(0)).quantize(POINT_STEP)


def _locked_union(union: GrassrootsUnion) -> GrassrootsUnion:
    return GrassrootsUnion.objects.select_for_update().get(pk=union.pk)


# --- the chair's self-assessment -----------------------------------------------------------------


def save_self_assessment(
    *,
    by,
    union: GrassrootsUnion,
    year: int,
    points: Mapping,
    notes: Mapping | None = None,
    submit: bool = False,
) -> SelfAssessment:
    """The chair saves the year's self-assessment as a draft (items may be left blank) or submits it
    (every item in use scored). A submitted one cannot be changed. ``points`` and ``notes`` are keyed
    by checklist item (or its pk); each item scores 0 up to its maximum."""
    if not can_assess(by, union):
        raise PermissionDenied
    problems = []
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        problems.append(_("A self-assessment is for this year or an earlier one."))
    items = active_items()
    scored, score_problems = _scores(points, items, complete=submit)
    problems += score_problems
    notes = {getattr(key, "pk", key): (text or "").strip() for key, text in (notes or {}).items()}
    titles = {item.pk: item.title for item in items}
    problems += [
        _("%(item)s: the note is longer than %(n)d characters.") % {"item": titles[pk], "n": NOTE_LENGTH}
        for pk, text in notes.items()
        if pk in titles and len(text) > NOTE_LENGTH
    ]
    if problems:
        raise ValidationError(problems)

    with transaction.atomic(), set_actor(by):
        _locked_union(union)
        assessment = SelfAssessment.objects.filter(union=union, year=year).first()
        if assessment is not None and assessment.status == SelfAssessment.Status.SUBMITTED:
            raise ValidationError(
                _("The %(year)d self-assessment was submitted on %(date)s and can no longer be changed.")
                % {"year": year, "date": timezone.localdate(assessment.submitted_at).isoformat()}
            )
        if assessment is None:
            assessment = SelfAssessment(union=union, year=year)
        assessment.total = _total(scored)
        if submit:
            assessment.status = SelfAssessment.Status.SUBMITTED
            assessment.submitted_by, assessment.submitted_at = by, timezone.now()
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError:
            # Only without row locks (SQLite): another request created the year's assessment first.
            raise ValidationError(
                _("The self-assessment was changed at the same time; reload the page.")
            ) from None
        assessment.scores.all().delete()
        SelfAssessmentScore.objects.bulk_create(
            [
                SelfAssessmentScore(
                    assessment=assessment, item=item, points=value, note=notes.get(item.pk, "")
                )
                for item, value in scored
            ]
        )
    return assessment


# --- inspections and levels ----------------------------------------------------------------------


def photo_problem(upload) -> str | None:
    """Why an uploaded photo cannot be accepted, or None (``PHOTO_POLICY``)."""
    return PHOTO_POLICY.problem(upload)


def _update_home(union: GrassrootsUnion, **values) -> WorkersHome:
    """Create the union's home with ``values``, or change the existing one (its row locked): one audit
    entry either way."""
    home, created = WorkersHome.objects.select_for_update().get_or_create(union=union, defaults=values)
    changed = [field for field, value in values.items() if getattr(home, field) != value]
    if not created and changed:
        for field in changed:
            setattr(home, field, values[field])
        home.save(update_fields=changed)
    return home


def record_inspection(
    *,
    by,
    union: GrassrootsUnion,
    kind: str,
    visited_on: datetime.date,
    inspectors: str,
    findings: str,
    points: Mapping,
    level_after: int,
    photos: Sequence = (),
) -> HomeInspection:
    """Record a visit with its scores (every item in use), findings, photos and the level the home holds
    after it. The union's home follows its latest visit: the level (and the date it was reached, when it
    changes), the last inspection and the re-inspection due date — none for a home rated "not rated". A
    visit older than the home's last inspection is added to the history without changing the home.
    ``photos`` are uploaded files, or ``(file, caption)`` pairs."""
    if not can_record_inspection(by):
        raise PermissionDenied
    problems = []
    if union.status != GrassrootsUnion.Status.ACTIVE:
        problems.append(_("%(union)s is dissolved.") % {"union": union})
    if kind not in HomeInspection.Kind.values:
        problems.append(_("Choose the kind of visit."))
    if visited_on > timezone.localdate():
        problems.append(_("An inspection cannot be recorded for a future date."))
    if not inspectors.strip() or not findings.strip():
        problems.append(_("Name the inspectors and record what they found."))
    if level_after not in HomeLevel.values:
        problems.append(_("Choose the level the home holds after the visit."))
    scored, score_problems = _scores(points, active_items(), complete=True)
    problems += score_problems
    photos = [photo if isinstance(photo, tuple) else (photo, "") for photo in photos]
    problems += [p for upload, _caption in photos if (p := photo_problem(upload))]
    if problems:
        raise ValidationError(problems)

    with transaction.atomic(), set_actor(by):
        _locked_union(union)
        if HomeInspection.objects.filter(union=union, kind=kind, visited_on=visited_on).exists():
            raise ValidationError(
                _("%(kind)s of %(date)s is already recorded for this union.")
                % {"kind": HomeInspection.Kind(kind).label, "date": visited_on.isoformat()}
            )
        inspection = HomeInspection.objects.create(
            union=union,
            kind=kind,
            visited_on=visited_on,
            inspectors=inspectors.strip(),
            findings=findings.strip(),
            total=_total(scored),
            level_after=level_after,
            recorded_by=by,
        )
        InspectionScore.objects.bulk_create(
            [InspectionScore(inspection=inspection, item=item, points=value) for item, value in scored]
        )
        for upload, caption in photos:
            InspectionPhoto.objects.create(inspection=inspection, image=upload, caption=caption.strip()[:200])
        home = WorkersHome.objects.select_for_update().filter(union=union).first()
        if home is None or home.last_inspected_on is None or visited_on >= home.last_inspected_on:
            values = {
                "last_inspected_on": visited_on,
                "reinspection_due_on": reinspection_due(visited_on)
                if level_after != HomeLevel.NONE
                else None,
            }
            if home is None or home.level != level_after:
                values.update(level=level_after, level_reached_on=visited_on)
            _update_home(union, **values)
    return inspection


def set_level(*, by, union: GrassrootsUnion, level: int, on: datetime.date) -> WorkersHome:
    """Record the level a home reached on a day, from the federation's paper records. A rating counts
    as an acceptance: the home falls due for re-inspection the set number of months after it (or after
    its last inspection, when that is later); a home set to "not rated" has no due date."""
    if not can_set_level(by):
        raise PermissionDenied
    problems = []
    if level not in HomeLevel.values:
        problems.append(_("Choose the level."))
    if on > timezone.localdate():
        problems.append(_("A level cannot be recorded for a future date."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        _locked_union(union)
        last = WorkersHome.objects.filter(union=union).values_list("last_inspected_on", flat=True).first()
        basis = max(on, last) if last else on
        return _update_home(
            union,
            level=level,
            level_reached_on=on,
            reinspection_due_on=reinspection_due(basis) if level != HomeLevel.NONE else None,
        )


# --- due dates and reminders ---------------------------------------------------------------------


def homes_due(within_days: int = 30, on: datetime.date | None = None):
    """Rated homes of active unions whose re-inspection falls due on or before ``on + within_days``
    (overdue ones included), soonest first."""
    on = on or timezone.localdate()
    return (
        WorkersHome.objects.due_by(on + datetime.timedelta(days=within_days))
        .filter(union__status=GrassrootsUnion.Status.ACTIVE)
        .select_related("union")
        .order_by("reinspection_due_on", "union__code")
    )


def organisation_staff() -> list:
    """Active staff who record inspections (the organisation duty): they arrange the visits."""
    candidates = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
    return [user for user in candidates.order_by("pk") if user.has_perm("homes.add_homeinspection")]


def _reminder(home: WorkersHome, on: datetime.date, *, for_chair: bool) -> dict:
    union, due = home.union, home.reinspection_due_on
    days = (due - on).days
    when = (
        _("overdue by %(days)d days") % {"days": -days}
        if days < 0
        else _("due today")
        if days == 0
        else _("in %(days)d days") % {"days": days}
    )
    values = {
        "code": union.code,
        "name": union.name,
        "date": due.isoformat(),
        "when": when,
        "level": home.get_level_display(),
    }
    if for_chair:
        title = _("Your workers' home is due for re-inspection on %(date)s") % values
        body = (
            _(
                "%(name)s (%(level)s): re-inspection %(when)s. The federation will arrange the visit; please "
                "keep this year's self-assessment up to date."
            )
            % values
        )
    else:
        title = _("%(code)s %(name)s: workers' home re-inspection due on %(date)s") % values
        body = _("%(level)s, re-inspection %(when)s. Arrange the visit and record it.") % values
    return {
        "key": f"workers-home-due:{union.pk}:{due.isoformat()}",
        "title": title,
        "body": body,
        "url": home.get_absolute_url(),
    }


def send_due_reminders(on: datetime.date | None = None) -> dict[str, int]:
    """Remind the chair, and staff with the organisation duty, of each rated home whose re-inspection
    falls due within ``WORKERS_HOME_REMINDER_DAYS`` (overdue ones included), once per due date: the
    notice key names the union and the date, and ``reminded_for`` records it, so a second run sends
    nothing and a new due date is announced again. Returns the homes reminded and notices sent."""
    on = on or timezone.localdate()
    homes = list(
        homes_due(settings.WORKERS_HOME_REMINDER_DAYS, on)
        .exclude(reminded_for=F("reinspection_due_on"))
        .select_related("union__chair")
    )
    staff = organisation_staff() if homes else []
    sent = 0
    for home in homes:
        chair = home.union.chair
        with transaction.atomic():
            if chair is not None and chair.is_active:
                sent += notify(user=chair, **_reminder(home, on, for_chair=True))
            notice = _reminder(home, on, for_chair=False)
            sent += sum(notify(user=user, **notice) for user in staff if user != chair)
            WorkersHome.objects.filter(pk=home.pk, reinspection_due_on=home.reinspection_due_on).update(
                reminded_for=home.reinspection_due_on
            )
    return {"homes": len(homes), "notified": sent}


# --- district figures ----------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(POINT_STEP) if whole else None


def district_figures(unions) -> dict:
    """Counts per level and the rates over the given (active) unions, in one query. 建家率: among the
    unions covering at least one large enterprise, the share whose home is at least qualified; also
    the share of all the unions with a rated home. A union without a home counts as not rated."""
    rated = Q(workers_home__level__gte=HomeLevel.QUALIFIED)
    large = Exists(Enterprise.objects.filter(union=OuterRef("pk"), size_band=Enterprise.SizeBand.LARGE))
    counts = unions.annotate(has_large=large).aggregate(
        total=Count("pk"),
        rated=Count("pk", filter=rated),
        large=Count("pk", filter=Q(has_large=True)),
        large_rated=Count("pk", filter=Q(has_large=True) & rated),
        **{
            f"level_{level.value}": Count("pk", filter=Q(workers_home__level=level.value))
            for level in HomeLevel
            if level != HomeLevel.NONE
        },
    )
    levels = [(HomeLevel.NONE, counts["total"] - counts["rated"])]
    levels += [(level, counts[f"level_{level.value}"]) for level in HomeLevel if level != HomeLevel.NONE]
    return {
        "total": counts["total"],
        "rated": counts["rated"],
        "levels": levels,
        "large": counts["large"],
        "large_rated": counts["large_rated"],
        "large_rate": _percent(counts["large_rated"], counts["large"]),
        "rated_rate": _percent(counts["rated"], counts["total"]),
    }
