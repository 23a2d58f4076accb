"""Honours (评先评优): award types and their criteria, the yearly rounds, the chairs' nominations, the
staff's review and scores, the committee's decision, the public notice (公示) and the honours
themselves — numbered certificates printed by the core's certificate engine (``unionhub.certificates``).

Every operation that changes state is one transaction run with the acting user set, so that
django-auditlog records who changed what. A refusal for lack of permission is PermissionDenied (who
may do what is asked of ``permissions``); a refusal of the data is a ValidationError naming the
reason; nothing is written then. Celery tasks are enqueued here, on commit, never by views. Functions that depend on the day take ``on`` (default: today), so that
the demo data can replay past years."""

import contextlib
import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from associations.models import Association
from members.models import Enterprise, GrassrootsUnion, Member
from unionhub.access import has_duty, require
from unionhub.certificates import (
    federation_name,
    lock_numbering_for,
    next_sequence_for,
    qr_code_svg,
    revoke,
    save_pdf,
    verification_url,
)
from unionhub.enqueue import enqueue_on_commit
from unionhub.masking import mask_name
from unionhub.notices import notify
from unionhub.pdf import render_template_pdf
from unionhub.uploads import document_problem
from unionhub.workdays import next_working_day, working_days_after

from .models import (
    CANDIDATE_STATUSES,
    FEDERATION_AWARD_YEARS,
    AwardCriterion,
    AwardLevel,
    AwardRound,
    AwardType,
    FederationAward,
    FederationAwardDocument,
    FederationAwardLevel,
    Honour,
    HonourNomination,
    NominationEvidence,
    NominationScore,
    NomineeKind,
    SeriesTier,
    Team,
)
from .permissions import can_manage_team_of, can_withdraw, is_honours_staff

Status = HonourNomination.Status
NUMBER_PREFIX = "RY"
# Two 32-bit keys for PostgreSQL's advisory lock: this namespace, then the year being numbered.
_NUMBERING_LOCK_NAMESPACE = 0x5259  # "RY"
_NUMBER_ATTEMPTS = 3
CERTIFICATE_TEMPLATE = "honours/certificate_pdf.html"
POINTS_STEP = Decimal("0.1")
UNCHANGED = object()  # a keyword left out: the field keeps its value


class Phase(models.TextChoices):
    """Where a round stands on a given day."""

    UPCOMING = "upcoming", pgettext_lazy("award round", "Upcoming")
    OPEN = "open", pgettext_lazy("award round", "Open for nominations")
    REVIEW = "review", pgettext_lazy("award round", "Under review")
    DECIDED = "decided", pgettext_lazy("award round", "Decided")
    NOTICE = "notice", pgettext_lazy("award round", "On public notice")
    FINAL = "final", pgettext_lazy("award round", "Final")


def round_phase(award_round: AwardRound, today: datetime.date) -> Phase:
    if award_round.decided_on is None:
        if today < award_round.opens_on:
            return Phase.UPCOMING
        return Phase.OPEN if today <= award_round.closes_on else Phase.REVIEW
    if award_round.notice_starts_on is None or today < award_round.notice_starts_on:
        return Phase.DECIDED
    return Phase.NOTICE if today <= award_round.notice_ends_on else Phase.FINAL


# --- who may do what ------------------------------------------------------------------------------


def _require(user, perm: str) -> None:
    """Refuse (PermissionDenied) unless the user is federation staff holding ``perm``."""
    require(has_duty(user, perm))


# --- award types ----------------------------------------------------------------------------------


def save_award_type(
    *,
    by,
    award_type: AwardType | None = None,
    name: str,
    level: int,
    nominee_kind: str,
    criteria: str = "",
    active: bool = True,
    items: Sequence[Mapping],
    tier: SeriesTier | None | object = UNCHANGED,
) -> AwardType:
    """Create (``award_type=None``) or edit an award type with its scoring sheet. ``items`` are the
    criteria in order, each ``{"title", "max_points"}`` and, for an existing criterion, its ``pk``;
    a criterion left out is removed, unless a nomination was scored against it. ``tier`` puts the award
    in a programme's tier (None: in none; left out: as it was)."""
    _require(by, "honours.change_awardtype" if award_type else "honours.add_awardtype")
    name = name.strip()
    problems = []
    if not name or len(name) > 60:
        problems.append(_("Give the award a name of at most 60 characters."))
    if level not in AwardLevel.values:
        problems.append(_("Choose the award's level."))
    if nominee_kind not in NomineeKind.values:
        problems.append(_("Choose who can be nominated."))
    items = [dict(item) for item in items]
    if not items:
        problems.append(_("List at least one criterion with its points."))
    for n, item in enumerate(items, start=1):
        item["title"] = str(item.get("title") or "").strip()
        if not item["title"] or len(item["title"]) > 200:
            problems.append(_("Criterion %(n)d: a title of at most 200 characters is required.") % {"n": n})
        if not isinstance(item.get("max_points"), int) or item["max_points"] < 1:
            problems.append(
                _("Criterion %(n)d: the maximum points must be a whole number of at least 1.") % {"n": n}
            )
    duplicate = AwardType.objects.filter(name=name, level=level).exclude(
        pk=award_type.pk if award_type else None
    )
    if name and duplicate.exists():
        problems.append(_("There is already an award “%(name)s” at this level.") % {"name": name})
    if award_type is not None:
        if (
            nominee_kind != award_type.nominee_kind
            and award_type.rounds.filter(nominations__isnull=False).exists()
        ):
            problems.append(
                _("Who can be nominated cannot change once nominations were made for this award.")
            )
        kept = {item["pk"] for item in items if item.get("pk")}
        existing = {c.pk: c for c in award_type.criteria_items.all()}
        if kept - set(existing):
            problems.append(_("A criterion does not belong to this award."))
        scored = set(
            NominationScore.objects.filter(criterion__award_type=award_type).values_list(
                "criterion_id", flat=True
            )
        )
        for pk in (set(existing) - kept) & scored:
            problems.append(
                _("“%(title)s” cannot be removed: nominations were scored against it.")
                % {"title": existing[pk].title}
            )
        highest = dict(
            NominationScore.objects.filter(criterion__award_type=award_type)
            .values_list("criterion_id")
            .annotate(top=models.Max("points"))
            .values_list("criterion_id", "top")
            .order_by()
        )
        for item in items:
            top = highest.get(item.get("pk"))
            if top is not None and isinstance(item.get("max_points"), int) and item["max_points"] < top:
                problems.append(
                    _("“%(title)s” already gave %(points)s points; its maximum cannot be lower.")
                    % {"title": item["title"], "points": top}
                )
    if problems:
        raise ValidationError(problems)

    with transaction.atomic(), set_actor(by):
        if award_type is None:
            award_type = AwardType.objects.create(
                name=name,
                level=level,
                nominee_kind=nominee_kind,
                criteria=criteria.strip(),
                active=active,
                tier=None if tier is UNCHANGED else tier,
            )
        else:
            award_type.name, award_type.level, award_type.nominee_kind = name, level, nominee_kind
            award_type.criteria, award_type.active = criteria.strip(), active
            if tier is not UNCHANGED:
                award_type.tier = tier
            award_type.save()
        kept = [item["pk"] for item in items if item.get("pk")]
        award_type.criteria_items.exclude(pk__in=kept).delete()
        for order, item in enumerate(items, start=1):
            fields = {"title": item["title"], "max_points": item["max_points"], "order": order}
            if item.get("pk"):
                AwardCriterion.objects.filter(pk=item["pk"], award_type=award_type).update(**fields)
            else:
                AwardCriterion.objects.create(award_type=award_type, **fields)
    return award_type


# --- rounds ---------------------------------------------------------------------------------------


def _round_problems(*, opens_on, closes_on, quota, per_union_limit, notice_working_days) -> list[str]:
    problems = []
    if opens_on and closes_on and closes_on < opens_on:
        problems.append(_("Nominations must close on or after the day they open."))
    if quota is None or quota < 1:
        problems.append(_("The quota must be at least 1."))
    if per_union_limit is not None and per_union_limit < 1:
        problems.append(_("The limit per union must be at least 1, or left empty for no limit."))
    if per_union_limit is not None and quota and per_union_limit > quota:
        problems.append(_("The limit per union cannot be more than the quota."))
    if notice_working_days is None or notice_working_days < 1:
        problems.append(_("The public notice lasts at least one working day."))
    return problems


def open_round(
    *,
    by,
    award_type: AwardType,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    quota: int,
    per_union_limit: int | None = None,
    notice_working_days: int = 5,
) -> AwardRound:
    """A year's round of an award: nominations from ``opens_on`` to ``closes_on`` inclusive."""
    _require(by, "honours.add_awardround")
    problems = _round_problems(
        opens_on=opens_on,
        closes_on=closes_on,
        quota=quota,
        per_union_limit=per_union_limit,
        notice_working_days=notice_working_days,
    )
    if not award_type.active:
        problems.append(_("%(award)s is no longer in use.") % {"award": award_type})
    if AwardRound.objects.filter(award_type=award_type, year=year).exists():
        problems.append(_("%(award)s already has a round in %(year)d.") % {"award": award_type, "year": year})
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(), set_actor(by):
            return AwardRound.objects.create(
                award_type=award_type,
                year=year,
                opens_on=opens_on,
                closes_on=closes_on,
                quota=quota,
                per_union_limit=per_union_limit,
                notice_working_days=notice_working_days,
                created_by=by,
            )
    except IntegrityError:  # a double submission: the unique constraint keeps one round per year
        raise ValidationError(
            _("%(award)s already has a round in %(year)d.") % {"award": award_type, "year": year}
        ) from None


def update_round(
    *,
    by,
    award_round: AwardRound,
    opens_on: datetime.date,
    closes_on: datetime.date,
    quota: int,
    per_union_limit: int | None = None,
    notice_working_days: int = 5,
) -> AwardRound:
    """Change a round's window, quota or notice length until the committee has decided."""
    _require(by, "honours.change_awardround")
    with transaction.atomic(), set_actor(by):
        award_round = _locked_round(award_round)
        problems = _round_problems(
            opens_on=opens_on,
            closes_on=closes_on,
            quota=quota,
            per_union_limit=per_union_limit,
            notice_working_days=notice_working_days,
        )
        if award_round.decided_on is not None:
            problems.append(_("The committee has decided this round; it can no longer be changed."))
        used = award_round.nominations.counting().count()
        if quota and quota < used:
            problems.append(
                _("%(used)d nominations were already made; the quota cannot be lower.") % {"used": used}
            )
        if problems:
            raise ValidationError(problems)
        award_round.opens_on, award_round.closes_on, award_round.quota = opens_on, closes_on, quota
        award_round.per_union_limit, award_round.notice_working_days = per_union_limit, notice_working_days
        award_round.save(
            update_fields=["opens_on", "closes_on", "quota", "per_union_limit", "notice_working_days"]
        )
    return award_round


def _locked_round(award_round: AwardRound) -> AwardRound:
    """The round's row, locked until the transaction ends: nominations, the decision and the notice
    of one round happen one at a time."""
    return (
        AwardRound.objects.select_for_update(of=("self",)).select_related("award_type").get(pk=award_round.pk)
    )


# --- nominations ----------------------------------------------------------------------------------

NOMINEE_FIELDS = {
    NomineeKind.UNION: ("nominee_union", GrassrootsUnion),
    NomineeKind.ENTERPRISE: ("nominee_enterprise", Enterprise),
    NomineeKind.UNION_WORKER: ("nominee_member", Member),
    NomineeKind.MEMBER: ("nominee_member", Member),
    NomineeKind.ASSOCIATION: ("nominee_association", Association),
    NomineeKind.TEAM: ("nominee_team", Team),
}


def nominee_union(nomination: HonourNomination) -> GrassrootsUnion | None:
    """The union a nomination belongs to: the nominating union, else the nominee's own."""
    if nomination.union_id:
        return nomination.union
    if nomination.nominee_union_id:
        return nomination.nominee_union
    if nomination.nominee_enterprise_id:
        return nomination.nominee_enterprise.union
    if nomination.nominee_member_id:
        return nomination.nominee_member.union
    if nomination.nominee_team_id:
        return nomination.nominee_team.enterprise.union
    return None


def _nominee_problems(award_type: AwardType, union: GrassrootsUnion | None, nominee) -> list[str]:
    kind = NomineeKind(award_type.nominee_kind)
    model = NOMINEE_FIELDS[kind][1]
    if not isinstance(nominee, model):
        return [
            _("%(award)s is for %(kind)s; choose one.") % {"award": award_type, "kind": kind.label.lower()}
        ]
    if isinstance(nominee, Member) and nominee.status not in Member.ACTIVE_STATUSES:
        return [_("%(name)s is not an active union member.") % {"name": nominee.name}]
    if union is None:
        return []
    if kind == NomineeKind.ASSOCIATION:
        return [_("Associations are nominated by the federation directly, not by a union.")]
    if kind == NomineeKind.UNION and nominee.pk != union.pk:
        return [_("A union can only nominate itself for %(award)s.") % {"award": award_type}]
    if kind == NomineeKind.ENTERPRISE and nominee.union_id != union.pk:
        return [_("%(enterprise)s is not covered by %(union)s.") % {"enterprise": nominee, "union": union}]
    if kind == NomineeKind.TEAM and nominee.enterprise.union_id != union.pk:
        return [
            _("%(team)s is not a team of an enterprise covered by %(union)s.")
            % {"team": nominee, "union": union}
        ]
    if isinstance(nominee, Member) and nominee.union_id != union.pk:
        return [_("%(name)s is not an active member of %(union)s.") % {"name": nominee.name, "union": union}]
    return []


def _already_nominated(award_round: AwardRound, field: str, nominee) -> bool:
    return award_round.nominations.counting().filter(**{field: nominee}).exists()


def nominate(
    *,
    round: AwardRound,
    union: GrassrootsUnion | None,
    nominee,
    statement: str,  # noqa: A002
    evidence: Sequence = (),
    by,
    on: datetime.date | None = None,
) -> HonourNomination:
    """A union's chair (or the staff, for a union or for the federation itself with ``union=None``)
    nominates a union, enterprise, person or association, with a statement and evidence files (PDF,
    JPEG or PNG uploads, or ``(upload, description)`` pairs). Refused, naming every reason, outside
    the round's window, once it is decided or its quota (or the union's limit) is reached, for a
    nominee not of that union or not of the award's kind, without a statement or with a bad file."""
    on = on or timezone.localdate()
    award_type = round.award_type
    field = NOMINEE_FIELDS[NomineeKind(award_type.nominee_kind)][0]
    evidence = [item if isinstance(item, tuple) else (item, "") for item in evidence]
    problems = []
    if union is None:
        if not is_honours_staff(by):
            problems.append(_("Choose the union that makes the nomination."))
    elif union.chair_id != by.pk and not is_honours_staff(by):
        problems.append(_("Only the chair of %(union)s can nominate for it.") % {"union": union})
    if not award_type.active:
        problems.append(_("%(award)s is no longer in use.") % {"award": award_type})
    problems += _nominee_problems(award_type, union, nominee)
    if not statement.strip():
        problems.append(_("Write the statement: why the nominee deserves the award."))
    problems += [p for upload, _description in evidence if (p := document_problem(upload))]
    if problems:
        raise ValidationError(problems)

    try:
        with transaction.atomic(), set_actor(by):
            award_round = _locked_round(round)
            if award_round.decided_on is not None:
                problems.append(_("The committee has already decided this round."))
            elif not award_round.opens_on <= on <= award_round.closes_on:
                problems.append(
                    _("Nominations for this round are taken from %(opens)s to %(closes)s.")
                    % {"opens": award_round.opens_on.isoformat(), "closes": award_round.closes_on.isoformat()}
                )
            counting = award_round.nominations.counting()
            if counting.count() >= award_round.quota:
                problems.append(
                    _("The round's quota of %(quota)d nominations is reached.") % {"quota": award_round.quota}
                )
            elif (
                union is not None
                and award_round.per_union_limit
                and counting.filter(union=union).count() >= award_round.per_union_limit
            ):
                problems.append(
                    _("%(union)s has made %(limit)d nominations, the most one union may make in this round.")
                    % {"union": union, "limit": award_round.per_union_limit}
                )
            if _already_nominated(award_round, field, nominee):
                problems.append(_("%(name)s is already nominated in this round.") % {"name": nominee.name})
            if problems:
                raise ValidationError(problems)
            nomination = HonourNomination.objects.create(
                round=award_round,
                union=union,
                nominee_name=nominee.name,
                statement=statement.strip(),
                submitted_by=by,
                **{field: nominee},
            )
            for upload, description in evidence:
                NominationEvidence.objects.create(
                    nomination=nomination,
                    upload=upload,
                    description=str(description).strip()[:200],
                    uploaded_by=by,
                )
    except IntegrityError:
        # A double submission: the partial unique index keeps one live nomination per nominee.
        raise ValidationError(
            _("%(name)s is already nominated in this round.") % {"name": nominee.name}
        ) from None
    return nomination


def withdraw(*, nomination: HonourNomination, by, on: datetime.date | None = None) -> HonourNomination:
    """The nominating chair takes a nomination back while the round is open; its place in the quota
    is free again. (The federation's own nominations are withdrawn by the staff.)"""
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        _locked_round(nomination.round)
        nomination = _locked_nomination(nomination)
        if not can_withdraw(by, nomination, on):
            if nomination.status not in CANDIDATE_STATUSES:
                raise ValidationError(
                    _("This nomination is %(status)s; it cannot be withdrawn.")
                    % {"status": nomination.get_status_display()}
                )
            if not nomination.round.is_open_on(on):
                raise ValidationError(_("A nomination can only be withdrawn while the round is open."))
            raise PermissionDenied(_("Only the nominating union's chair can withdraw this nomination."))
        nomination.status = Status.WITHDRAWN
        nomination.save(update_fields=["status"])
    return nomination


def _locked_nomination(nomination: HonourNomination) -> HonourNomination:
    return (
        HonourNomination.objects.select_for_update(of=("self",))
        .select_related("round__award_type", "union")
        .get(pk=nomination.pk)
    )


def _reviewable(nomination: HonourNomination) -> None:
    if nomination.round.decided_on is not None:
        raise ValidationError(_("The committee has already decided this round."))
    if nomination.status not in CANDIDATE_STATUSES:
        raise ValidationError(
            _("This nomination is %(status)s.") % {"status": nomination.get_status_display()}
        )


def mark_ineligible(*, nomination: HonourNomination, by, reason: str) -> HonourNomination:
    """Staff find that a nomination does not meet the award's conditions: it stays on file, out of
    the committee's choice, with the reason."""
    _require(by, "honours.change_honournomination")
    if not reason.strip():
        raise ValidationError(_("Say why the nomination is ineligible."))
    with transaction.atomic(), set_actor(by):
        nomination = _locked_nomination(nomination)
        _reviewable(nomination)
        nomination.status, nomination.review_note = Status.INELIGIBLE, reason.strip()
        nomination.save(update_fields=["status", "review_note"])
    return nomination


def score_nomination(
    *, nomination: HonourNomination, by, points: Mapping, on: datetime.date | None = None
) -> HonourNomination:
    """Staff score a nomination against every criterion of its award (0 to the criterion's maximum,
    in tenths); the total is stored on the nomination. Scoring again replaces the scores. Scoring
    starts once nominations have closed. ``points`` maps criteria (or their ids) to points."""
    _require(by, "honours.change_honournomination")
    on = on or timezone.localdate()
    given = {getattr(key, "pk", key): value for key, value in points.items()}
    with transaction.atomic(), set_actor(by):
        nomination = _locked_nomination(nomination)
        _reviewable(nomination)
        if on <= nomination.round.closes_on:
            raise ValidationError(
                _("Nominations are open until %(closes)s; scoring starts after they close.")
                % {"closes": nomination.round.closes_on.isoformat()}
            )
        criteria = list(nomination.round.award_type.criteria_items.all())
        problems, clean = [], {}
        if not criteria:
            problems.append(_("This award has no criteria to score against."))
        if set(given) - {c.pk for c in criteria}:
            problems.append(_("A criterion does not belong to this award."))
        for criterion in criteria:
            try:
                value = (
                    Decimal(str(given[criterion.pk])) if given.get(criterion.pk) not in (None, "") else None
                )
            except InvalidOperation:
                value = None
            if value is None:
                problems.append(_("“%(criterion)s”: give the points.") % {"criterion": criterion.title})
            elif value < 0 or value > criterion.max_points:
                problems.append(
                    _("“%(criterion)s”: points must be between 0 and %(max)d.")
                    % {"criterion": criterion.title, "max": criterion.max_points}
                )
            elif value != value.quantize(POINTS_STEP):
                problems.append(
                    _("“%(criterion)s”: points are given in tenths at most.") % {"criterion": criterion.title}
                )
            else:
                clean[criterion.pk] = value
        if problems:
            raise ValidationError(problems)
        for criterion in criteria:
            NominationScore.objects.update_or_create(
                nomination=nomination,
                criterion=criterion,
                defaults={"points": clean[criterion.pk], "scored_by": by},
            )
        nomination.score = sum(clean.values(), Decimal(0))
        nomination.status = Status.SCORED
        nomination.save(update_fields=["score", "status"])
    return nomination


# --- the decision, the public notice --------------------------------------------------------------


def record_decision(
    *,
    round: AwardRound,
    by,
    winners: Iterable,
    note: str = "",  # noqa: A002
    on: datetime.date | None = None,
) -> AwardRound:
    """The committee's decision: at most ``quota`` winners among the round's nominations that are
    neither withdrawn nor ineligible; the other candidates are not awarded."""
    _require(by, "honours.change_awardround")
    on = on or timezone.localdate()
    winner_ids = {getattr(w, "pk", w) for w in winners}
    with transaction.atomic(), set_actor(by):
        award_round = _locked_round(round)
        if award_round.decided_on is not None:
            raise ValidationError(
                _("The committee's decision on this round was recorded on %(day)s.")
                % {"day": award_round.decided_on.isoformat()}
            )
        if on <= award_round.closes_on:
            raise ValidationError(
                _("Nominations are open until %(closes)s; the committee decides after they close.")
                % {"closes": award_round.closes_on.isoformat()}
            )
        candidates = set(
            award_round.nominations.filter(status__in=CANDIDATE_STATUSES).values_list("pk", flat=True)
        )
        problems = []
        if winner_ids - candidates:
            problems.append(
                _(
                    "Winners are chosen among this round's nominations that are neither withdrawn nor "
                    "ineligible."
                )
            )
        if len(winner_ids) > award_round.quota:
            problems.append(
                _("The committee may award at most %(quota)d places; %(chosen)d were chosen.")
                % {"quota": award_round.quota, "chosen": len(winner_ids)}
            )
        if problems:
            raise ValidationError(problems)
        for nomination in award_round.nominations.filter(pk__in=candidates).order_by("pk"):
            nomination.status = Status.AWARDED if nomination.pk in winner_ids else Status.NOT_AWARDED
            nomination.save(update_fields=["status"])
        award_round.decided_on, award_round.committee_note = on, note.strip()
        award_round.save(update_fields=["decided_on", "committee_note"])
    return award_round


def notice_period(start: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """The first working day on or after ``start`` and the ``days``-th working day counting from it:
    weekends and holidays are skipped, adjusted working weekends (调休) count."""
    first = next_working_day(start)
    return first, working_days_after(first - datetime.timedelta(days=1), days)


def publish_notice(*, round: AwardRound, by, start: datetime.date | None = None) -> AwardRound:  # noqa: A002
    """Put the winners on public notice (公示) for the round's ``notice_working_days`` working days from
    the first working day on or after ``start`` (default today), and tell each nominating chair the
    outcome of their nominations."""
    _require(by, "honours.change_awardround")
    start = start or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        award_round = _locked_round(round)
        if award_round.decided_on is None:
            raise ValidationError(_("Record the committee's decision before the public notice."))
        if award_round.notice_starts_on is not None:
            raise ValidationError(
                _("The winners are already on public notice from %(start)s to %(end)s.")
                % {
                    "start": award_round.notice_starts_on.isoformat(),
                    "end": award_round.notice_ends_on.isoformat(),
                }
            )
        if start < award_round.decided_on:
            raise ValidationError(
                _("The public notice cannot start before the decision (%(day)s).")
                % {"day": award_round.decided_on.isoformat()}
            )
        award_round.notice_starts_on, award_round.notice_ends_on = notice_period(
            start, award_round.notice_working_days
        )
        award_round.save(update_fields=["notice_starts_on", "notice_ends_on"])
        _tell_chairs(award_round)
    return award_round


def _tell_chairs(award_round: AwardRound) -> None:
    nominations = (
        award_round.nominations.filter(
            union__chair__isnull=False, status__in=(Status.AWARDED, Status.NOT_AWARDED)
        )
        .select_related("union__chair")
        .order_by("pk")
    )
    notice_url = reverse("honours:honour_notice", kwargs={"pk": award_round.pk})
    for nomination in nominations:
        awarded = nomination.status == Status.AWARDED
        body = (
            _("%(name)s is awarded %(award)s. The winners are on public notice from %(start)s to %(end)s.")
            if awarded
            else _(
                "%(name)s is not among the winners of %(award)s. The winners are on public notice from "
                "%(start)s to %(end)s."
            )
        ) % {
            "name": nomination.nominee_name,
            "award": f"{award_round.year} {award_round.award_type}",
            "start": award_round.notice_starts_on.isoformat(),
            "end": award_round.notice_ends_on.isoformat(),
        }
        notify(
            user=nomination.union.chair,
            key=f"honour-result:{nomination.pk}",
            title=_("Honours decision: %(award)s")
            % {"award": f"{award_round.year} {award_round.award_type}"},
            body=body,
            url=notice_url if awarded else nomination.get_absolute_url(),
        )


# --- honours and their certificates ---------------------------------------------------------------


def honour_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:04d}"


def _next_sequence(year: int) -> int:
    return next_sequence_for(Honour, NUMBER_PREFIX, year)


def _lock_numbering(year: int) -> None:
    lock_numbering_for(_NUMBERING_LOCK_NAMESPACE, year)


def issue_honour(nomination: HonourNomination, *, on: datetime.date | None = None, by=None) -> Honour:
    """The honour of an awarded nomination, numbered ``RY-<award year>-<sequence>``, or the one it
    already has. The number carries the round's year, the year the certificate names."""
    if by is not None:
        _require(by, "honours.add_honour")
    on = on or timezone.localdate()
    for _attempt in range(_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                nomination = _locked_nomination(nomination)  # serialise per nomination
                existing = Honour.objects.filter(nomination=nomination).first()
                if existing:
                    return existing
                if nomination.status != Status.AWARDED:
                    raise ValidationError(_("%(name)s was not awarded.") % {"name": nomination.nominee_name})
                year = nomination.round.year
                _lock_numbering(year)
                with set_actor(by) if by is not None else contextlib.nullcontext():
                    honour = Honour.objects.create(
                        nomination=nomination, issued_on=on, number=honour_number(year, _next_sequence(year))
                    )
                _tell_holder(honour)
                return honour
        except IntegrityError:
            # Another process issued this honour, or took the number, between our read and our write.
            continue
    existing = Honour.objects.filter(nomination=nomination).first()
    if existing:
        return existing
    raise ValidationError(_("A certificate number could not be allocated; please try again."))


def _tell_holder(honour: Honour) -> None:
    """A member with a login of their own hears of their honour and finds their certificate."""
    member = honour.nomination.nominee_member
    if member is not None and member.user_id:
        notify(
            user=member.user,
            key=f"honour-issued:{honour.pk}",
            title=_("Your honour: %(award)s") % {"award": honour.nomination.round.award_type},
            body=_("Certificate %(number)s is ready to download.") % {"number": honour.number},
            url=reverse("honours:honour_certificate", kwargs={"pk": honour.pk}),
        )


def issue_honours(
    *,
    round: AwardRound,
    by=None,
    on: datetime.date | None = None,  # noqa: A002
    render_certificates: bool = False,
) -> list[Honour]:
    """Issue the winners' honours once the public notice has ended (existing ones are returned as
    they are). ``by`` is the staff member who asks, None for the daily task. With
    ``render_certificates`` their PDFs are rendered in the background once the honours are committed
    (otherwise on first download)."""
    if by is not None:
        _require(by, "honours.add_honour")
    on = on or timezone.localdate()
    award_round = AwardRound.objects.select_related("award_type").get(pk=round.pk)
    if award_round.notice_ends_on is None:
        raise ValidationError(_("The winners have not been on public notice yet."))
    if on <= award_round.notice_ends_on:
        raise ValidationError(
            _("The public notice runs until %(end)s; honours are issued after it ends.")
            % {"end": award_round.notice_ends_on.isoformat()}
        )
    winners = award_round.nominations.filter(status=Status.AWARDED).order_by("-score", "pk")
    honours = [issue_honour(nomination, on=on, by=by) for nomination in winners]
    if render_certificates:
        for honour in honours:
            enqueue_on_commit("honours.tasks.render_honour_task", honour.pk)
    return honours


def issue_due_honours(today: datetime.date | None = None) -> int:
    """The daily sweep: issue the honours of every round whose public notice has ended. Returns how
    many were issued now."""
    today = today or timezone.localdate()
    rounds = AwardRound.objects.filter(
        notice_ends_on__lt=today, nominations__status=Status.AWARDED, nominations__honour__isnull=True
    ).distinct()
    issued = 0
    for award_round in rounds:
        before = Honour.objects.filter(nomination__round=award_round).count()
        issue_honours(round=award_round, on=today)
        issued += Honour.objects.filter(nomination__round=award_round).count() - before
    return issued


def revoke_honour(*, by, honour: Honour, reason: str) -> Honour:
    """Withdraw an honour awarded in error: the verification page then says it is revoked. The number
    is never reused; the reason goes into the audit trail."""
    _require(by, "honours.change_honour")
    return revoke(honour, by=by, reason=reason, reason_missing=_("Say why the honour is revoked."))


def honour_context(honour: Honour) -> dict:
    nomination = honour.nomination
    award_round = nomination.round
    union = nominee_union(nomination)
    url = verification_url(honour)
    team = nomination.nominee_team
    return {
        "is_team": team is not None,
        "enterprise_name": team.enterprise.name if team is not None else "",
        "honour": honour,
        "nomination": nomination,
        "award_type": award_round.award_type,
        "year": award_round.year,
        "holder_name": nomination.nominee_name,
        "is_person": award_round.award_type.nominates_people,
        "union_name": union.name if union and union.pk != nomination.nominee_union_id else "",
        "federation_name": federation_name(),
        "verify_url": url,
        "qr_code": mark_safe(qr_code_svg(url)),  # noqa: S308 — SVG made by qrcode from our own URL
    }


def render_honour(honour: Honour) -> str:
    """Render the certificate, store it in ``honour.pdf`` (replacing any earlier file) and return
    its filesystem path."""
    return save_pdf(
        honour, render_template_pdf(CERTIFICATE_TEMPLATE, honour_context(honour)), f"{honour.number}.pdf"
    ).path


def ensure_honour_rendered(honour: Honour) -> str:
    """The PDF's path, rendering it first if its file is missing."""
    if honour.pdf and honour.pdf.storage.exists(honour.pdf.name):
        return honour.pdf.path
    return render_honour(honour)


def with_nominee(queryset):
    """Honours with everything a list prints, in one query."""
    return queryset.select_related(
        "nomination__round__award_type",
        "nomination__union",
        "nomination__nominee_union",
        "nomination__nominee_enterprise__union",
        "nomination__nominee_member__union",
        "nomination__nominee_association",
        "nomination__nominee_team__enterprise__union",
    )


def honours_of_union(union: GrassrootsUnion):
    """The valid honours won by a union, its enterprises and its members, newest first."""
    return with_nominee(
        Honour.objects.filter(
            Q(nomination__nominee_union=union)
            | Q(nomination__nominee_enterprise__union=union)
            | Q(nomination__nominee_member__union=union)
            | Q(nomination__nominee_team__enterprise__union=union),
            revoked=False,
        )
    ).order_by("-nomination__round__year", "-issued_on", "number")


def honours_of_member(member: Member):
    return with_nominee(Honour.objects.filter(nomination__nominee_member=member, revoked=False)).order_by(
        "-nomination__round__year", "-issued_on", "number"
    )


# --- teams (班组) ------------------------------------------------------------------------------------

TEAM_NAME_MAX = 100


def save_team(
    *,
    by,
    team: Team | None = None,
    enterprise: Enterprise | None = None,
    name: str,
    leader: Member | None = None,
    members: Iterable[Member] = (),
) -> Team:
    """Create (``team=None``, with its ``enterprise``) or edit a team: its name, its leader and its
    members. Honours staff keep any enterprise's teams, a chair those of the enterprises their union
    covers; the leader and the members are active members of that union (the leader is one of the
    members). An existing team stays with its enterprise."""
    if team is not None:
        enterprise = team.enterprise
    if enterprise is None:
        raise ValidationError(_("Choose the team's enterprise."))
    if not can_manage_team_of(by, enterprise):
        raise PermissionDenied(_("Only the chair of the enterprise's union can keep its teams."))
    name = " ".join(name.split())
    members = list(dict.fromkeys(members))
    if leader is not None and leader not in members:
        members.insert(0, leader)
    problems = []
    if not name or len(name) > TEAM_NAME_MAX:
        problems.append(_("Give the team a name of at most 100 characters."))
    if enterprise.union_id is None:
        problems.append(_("%(enterprise)s is covered by no union.") % {"enterprise": enterprise})
    outside = [
        m for m in members if m.union_id != enterprise.union_id or m.status not in Member.ACTIVE_STATUSES
    ]
    if outside:
        problems.append(
            _("Only active members of %(union)s can be in the team: %(names)s.")
            % {"union": enterprise.union or enterprise, "names": "、".join(m.name for m in outside)}
        )
    taken = Team.objects.filter(enterprise=enterprise, name=name).exclude(pk=team.pk if team else None)
    if name and taken.exists():
        problems.append(
            _("%(enterprise)s already has a team “%(name)s”.") % {"enterprise": enterprise, "name": name}
        )
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(), set_actor(by):
            if team is None:
                team = Team.objects.create(enterprise=enterprise, name=name, leader=leader, created_by=by)
            else:
                team.name, team.leader = name, leader
                team.save(update_fields=["name", "leader"])
            team.members.set(members)
    except IntegrityError:  # a double submission: one name per enterprise
        raise ValidationError(
            _("%(enterprise)s already has a team “%(name)s”.") % {"enterprise": enterprise, "name": name}
        ) from None
    return team


def honours_of_team(team: Team):
    return with_nominee(Honour.objects.filter(nomination__nominee_team=team, revoked=False)).order_by(
        "-nomination__round__year", "-issued_on", "number"
    )


def public_team_honours():
    """The district's valid team honours of provincial level and above, for the public honours page."""
    return with_nominee(
        Honour.objects.filter(
            revoked=False,
            nomination__nominee_team__isnull=False,
            nomination__round__award_type__level__gte=AwardLevel.PROVINCE,
        )
    ).order_by("-nomination__round__year", "-nomination__round__award_type__level", "number")


# --- the 十百千 programme ---------------------------------------------------------------------------


def programme_years(series: str) -> list[int]:
    """The years with a round of the series' awards, newest first."""
    return list(
        AwardRound.objects.filter(award_type__tier__series=series)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def programme_summary(series: str, year: int) -> list[dict]:
    """Each tier of the series in ``year``: its target, how many were nominated (withdrawn ones aside) and
    awarded, and its award types with their rounds — in two queries."""
    tiers = list(SeriesTier.objects.filter(series=series).prefetch_related("award_types").order_by("order"))
    counts = {
        row["round__award_type"]: row
        for row in HonourNomination.objects.filter(round__year=year, round__award_type__tier__series=series)
        .values("round__award_type")
        .annotate(
            nominated=models.Count("pk", filter=~Q(status=Status.WITHDRAWN)),
            awarded=models.Count("pk", filter=Q(status=Status.AWARDED)),
        )
        .order_by()
    }
    rounds = {
        r.award_type_id: r
        for r in AwardRound.objects.filter(year=year, award_type__tier__series=series).select_related(
            "award_type"
        )
    }
    summary = []
    for tier in tiers:
        types = []
        for award_type in sorted(tier.award_types.all(), key=lambda t: t.name):
            row = counts.get(award_type.pk, {})
            types.append(
                {
                    "award_type": award_type,
                    "round": rounds.get(award_type.pk),
                    "nominated": row.get("nominated", 0),
                    "awarded": row.get("awarded", 0),
                }
            )
        awarded = sum(t["awarded"] for t in types)
        summary.append(
            {
                "tier": tier,
                "types": types,
                "nominated": sum(t["nominated"] for t in types),
                "awarded": awarded,
                "percent": min(100, round(100 * awarded / tier.target)) if tier.target else 0,
            }
        )
    return summary


def programme_by_year(series: str) -> list[dict]:
    """Every year of the series, newest first: the awarded per tier (in tier order), in one query."""
    tiers = list(SeriesTier.objects.filter(series=series).order_by("order"))
    awarded = {
        (row["round__year"], row["round__award_type__tier"]): row["n"]
        for row in HonourNomination.objects.filter(
            round__award_type__tier__series=series, status=Status.AWARDED
        )
        .values("round__year", "round__award_type__tier")
        .annotate(n=models.Count("pk"))
        .order_by()
    }
    return [
        {"year": year, "tiers": [(tier, awarded.get((year, tier.pk), 0)) for tier in tiers]}
        for year in programme_years(series)
    ]


def programme_awarded(series: str, year: int) -> list[dict]:
    """The nominations awarded in the series' rounds of ``year``, tier by tier: the award, the name as
    nominated (a person's masked), a team's enterprise and the union (none for a union honoured itself) —
    read as plain rows, since a year lists hundreds."""
    rows = (
        HonourNomination.objects.filter(
            round__year=year, round__award_type__tier__series=series, status=Status.AWARDED
        )
        .annotate(
            union_name=Coalesce(
                "union__name",
                "nominee_enterprise__union__name",
                "nominee_member__union__name",
                "nominee_team__enterprise__union__name",
            )
        )
        .values(
            "nominee_name",
            "nominee_union_id",
            "union_name",
            "round__award_type__name",
            "round__award_type__nominee_kind",
            "nominee_team__enterprise__name",
        )
        .order_by("round__award_type__tier__order", "round__award_type__name", "nominee_name", "pk")
    )
    people = (NomineeKind.MEMBER, NomineeKind.UNION_WORKER)
    return [
        {
            "award": row["round__award_type__name"],
            "name": mask_name(row["nominee_name"])
            if row["round__award_type__nominee_kind"] in people
            else row["nominee_name"],
            "enterprise": row["nominee_team__enterprise__name"] or "",
            "union": "" if row["nominee_union_id"] else (row["union_name"] or ""),
        }
        for row in rows
    ]


# --- the federation's own awards ---------------------------------------------------------------------


def _award_problems(*, title, year, level, awarding_body, result) -> list[str]:
    problems = []
    if not title or len(title) > 120:
        problems.append(_("Name the award in at most 120 characters."))
    low, high = FEDERATION_AWARD_YEARS
    if not isinstance(year, int) or not low <= year <= high:
        problems.append(_("The year must be between %(low)d and %(high)d.") % {"low": low, "high": high})
    if level not in FederationAwardLevel.values:
        problems.append(_("Choose the award's level."))
    if not awarding_body or len(awarding_body) > 120:
        problems.append(_("Name the awarding body in at most 120 characters."))
    if len(result) > 60:
        problems.append(_("The grade or result is at most 60 characters."))
    return problems


def save_federation_award(
    *,
    by,
    award: FederationAward | None = None,
    title: str,
    year: int,
    level: str,
    awarding_body: str,
    result: str = "",
    description: str = "",
    public: bool = True,
) -> FederationAward:
    """Record (``award=None``) or correct an award the federation received."""
    _require(by, "honours.change_federationaward" if award else "honours.add_federationaward")
    title, awarding_body, result = title.strip(), awarding_body.strip(), result.strip()
    problems = _award_problems(
        title=title, year=year, level=level, awarding_body=awarding_body, result=result
    )
    if problems:
        raise ValidationError(problems)
    fields = {
        "title": title,
        "year": year,
        "level": level,
        "awarding_body": awarding_body,
        "result": result,
        "description": description.strip(),
        "public": public,
    }
    with transaction.atomic(), set_actor(by):
        if award is None:
            return FederationAward.objects.create(created_by=by, **fields)
        for field, value in fields.items():
            setattr(award, field, value)
        award.save(update_fields=list(fields))
    return award


def add_federation_document(
    *, by, award: FederationAward, upload, title: str = "", public: bool = False
) -> FederationAwardDocument:
    """A document of a federation award (PDF, JPEG or PNG of at most 10 MB), public only if marked so."""
    _require(by, "honours.add_federationawarddocument")
    title = (title.strip() or getattr(upload, "name", "") or _("Document"))[:120]
    if upload is None:
        raise ValidationError(_("Choose the file to upload."))
    if problem := document_problem(upload):
        raise ValidationError(problem)
    with transaction.atomic(), set_actor(by):
        return FederationAwardDocument.objects.create(
            award=award, file=upload, title=title, public=public, uploaded_by=by
        )


def set_document_public(*, by, document: FederationAwardDocument, public: bool) -> FederationAwardDocument:
    _require(by, "honours.change_federationawarddocument")
    with transaction.atomic(), set_actor(by):
        document.public = public
        document.save(update_fields=["public"])
    return document


def remove_federation_document(*, by, document: FederationAwardDocument) -> None:
    """Remove a document and its stored file (after the removal commits)."""
    _require(by, "honours.delete_federationawarddocument")
    fieldfile = document.file
    name, storage = fieldfile.name, fieldfile.storage
    with transaction.atomic(), set_actor(by):
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)
