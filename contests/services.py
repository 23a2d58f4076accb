"""Skills contests (技能比武): setting a contest up, its state (draft → open for entry → judging → results
published), quotas, entries and their eligibility, judges and their scores, the ranking, the results with
their prizes and certificates, and the feed into the honours programme.

Every operation that changes state is one transaction run with the acting user set (django-auditlog). A
refusal for lack of permission is PermissionDenied; a refusal of the data is a ValidationError naming every
reason, and nothing is written then. Functions that depend on the day take ``on`` (default: today), so that
the demo can replay past years.

Scoring (``round_scores``): for each part (theory, practical), a judge's part total is the sum of their
points on that part's items; the contestant's part score is the mean of the part totals over the judges
who scored them, normalised to 100 by the part's maximum; the round score is the parts weighted by the
contest's percentages, rounded to two decimals half up (``ROUND_HALF_UP``) at the end only. The ranking
(``rank_rows``) orders by round score, then by the tie-break part's score (two decimals); contestants
still equal share the rank (standard competition ranking: 1, 2, 2, 4)."""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from honours import services as honours_services
from honours.models import AwardRound, NomineeKind
from members.models import GrassrootsUnion, Member
from secondment.models import SecondmentTerm
from unionhub.access import require
from unionhub.certificates import (
    federation_name,
    lock_numbering_for,
    next_sequence_for,
    qr_code_svg,
    verification_url,
)
from unionhub.exports import exact_number, neutralise, spooled, write_only_workbook
from unionhub.masking import mask_name
from unionhub.pdf import render_template_pdf

from . import permissions
from .models import (
    Certificate,
    Contest,
    ContestRound,
    Entry,
    Judge,
    Part,
    Prize,
    Score,
    ScoreItem,
    TieBreak,
    Trade,
    UnionQuota,
)

State = Contest.State
Kind = ContestRound.Kind
HUNDRED = Decimal(100)
CENTS = Decimal("0.01")
POINTS_STEP = Decimal("0.1")
AGE_LIMIT = 80
QUOTA_MAX = 100
NUMBER_PREFIX = "JN"
_NUMBERING_LOCK_NAMESPACE = 0x4A4E  # "JN"
CERTIFICATE_TEMPLATE = "contests/certificate_pdf.html"


def _require_staff(user) -> None:
    require(permissions.is_contest_staff(user))


def _locked(contest: Contest) -> Contest:
    """The contest's row, locked until the transaction ends (a plain row: PostgreSQL refuses FOR UPDATE across
    the nullable outer joins a select_related would add)."""
    return Contest.objects.select_for_update().get(pk=contest.pk)


# --- setting a contest up -------------------------------------------------------------------------


def _contest_problems(fields: dict) -> list[str]:
    problems = []
    if not fields["title"].strip():
        problems.append(_("Give the contest a title."))
    if fields["trade"] not in Trade.values:
        problems.append(_("Choose the contest's trade."))
    if fields["trade"] == Trade.OTHER and not fields.get("trade_other", "").strip():
        problems.append(_("Name the trade when it is “other”."))
    accepted = fields.get("accepted_trades") or []
    if not accepted or set(accepted) - set(Trade.values):
        problems.append(_("List the trades a contestant may enter with."))
    if not fields["venue"].strip():
        problems.append(_("Give the venue."))
    starts, ends = fields["starts_on"], fields["ends_on"]
    opens, closes = fields["entry_opens_on"], fields["entry_closes_on"]
    if starts and ends and ends < starts:
        problems.append(_("The contest's last day cannot be before its first day."))
    if opens and closes and closes < opens:
        problems.append(_("Entries must close on or after the day they open."))
    if closes and starts and closes > starts:
        problems.append(_("Entries must close by the contest's first day."))
    if starts and ends and starts.year != ends.year:
        problems.append(_("A contest is held within one calendar year."))
    low, high = fields.get("min_age"), fields.get("max_age")
    if low is not None and not 16 <= low <= AGE_LIMIT:
        problems.append(_("The minimum age must be between 16 and %(limit)d.") % {"limit": AGE_LIMIT})
    if high is not None and not 16 <= high <= AGE_LIMIT:
        problems.append(_("The maximum age must be between 16 and %(limit)d.") % {"limit": AGE_LIMIT})
    if low is not None and high is not None and low > high:
        problems.append(_("The minimum age cannot be above the maximum age."))
    theory, practical = fields["theory_weight"], fields["practical_weight"]
    if theory is None or practical is None or theory < 0 or practical < 0 or theory + practical != HUNDRED:
        problems.append(_("The theory and practical weights must add up to 100%."))
    elif theory != theory.quantize(CENTS) or practical != practical.quantize(CENTS):
        problems.append(_("Weights are given to two decimals at most."))
    for name in ("default_quota", "first_prizes", "second_prizes", "third_prizes", "merit_prizes"):
        value = fields.get(name)
        if value is None or value < 0 or value > QUOTA_MAX:
            problems.append(_("Numbers of places and prizes are between 0 and %(max)d.") % {"max": QUOTA_MAX})
            break
    if fields["tie_break"] not in TieBreak.values:
        problems.append(_("Choose how ties are broken."))
    final_on, preliminary_on = fields.get("final_on"), fields.get("preliminary_on")
    for day in (final_on, preliminary_on):
        if day and starts and ends and not starts <= day <= ends:
            problems.append(_("Rounds are held between the contest's first and last day."))
            break
    if preliminary_on and final_on and preliminary_on > final_on:
        problems.append(_("The preliminary comes before the final."))
    advance = fields.get("advance")
    if preliminary_on and (advance is None or advance < 1):
        problems.append(_("Say how many contestants of the preliminary go to the final (at least 1)."))
    return problems


CONTEST_FIELDS = (
    "title",
    "trade",
    "trade_other",
    "accepted_trades",
    "venue",
    "starts_on",
    "ends_on",
    "entry_opens_on",
    "entry_closes_on",
    "min_age",
    "max_age",
    "default_quota",
    "theory_weight",
    "practical_weight",
    "tie_break",
    "first_prizes",
    "second_prizes",
    "third_prizes",
    "merit_prizes",
)


def save_contest(
    *,
    by,
    contest: Contest | None = None,
    final_on: datetime.date,
    preliminary_on: datetime.date | None = None,
    advance: int | None = None,
    organisers: Iterable = (),
    organising_cadres: Iterable = (),
    **fields,
) -> Contest:
    """Create a contest (a draft) or change one still in draft, with its rounds: the final on ``final_on``
    and, when ``preliminary_on`` is given, a preliminary whose top ``advance`` go to the final."""
    _require_staff(by)
    fields.setdefault("trade_other", "")
    fields.setdefault("min_age", None)
    fields.setdefault("max_age", None)
    fields["accepted_trades"] = list(dict.fromkeys(fields.get("accepted_trades") or [fields.get("trade")]))
    problems = _contest_problems(
        {**fields, "final_on": final_on, "preliminary_on": preliminary_on, "advance": advance}
    )
    organising_cadres = list(organising_cadres)
    if any(not isinstance(t, SecondmentTerm) for t in organising_cadres):
        problems.append(_("Organising cadres are chosen among the secondment terms."))
    if contest is not None and contest.state != State.DRAFT:
        problems.append(_("Only a draft contest can be changed."))
    if problems:
        raise ValidationError(problems)
    values = {name: fields[name] for name in CONTEST_FIELDS}
    values["title"], values["venue"] = values["title"].strip(), values["venue"].strip()
    values["trade_other"] = values["trade_other"].strip() if values["trade"] == Trade.OTHER else ""
    with transaction.atomic(), set_actor(by):
        if contest is None:
            contest = Contest.objects.create(year=values["starts_on"].year, created_by=by, **values)
        else:
            contest = _locked(contest)
            if contest.state != State.DRAFT:
                raise ValidationError(_("Only a draft contest can be changed."))
            for name, value in values.items():
                setattr(contest, name, value)
            contest.year = values["starts_on"].year
            contest.save()
        contest.organisers.set(organisers)
        contest.organising_cadres.set(organising_cadres)
        ContestRound.objects.update_or_create(
            contest=contest,
            kind=Kind.FINAL,
            defaults={"date": final_on, "venue": values["venue"], "advance": None},
        )
        if preliminary_on:
            ContestRound.objects.update_or_create(
                contest=contest,
                kind=Kind.PRELIMINARY,
                defaults={"date": preliminary_on, "advance": advance},
            )
        else:
            ContestRound.objects.filter(contest=contest, kind=Kind.PRELIMINARY).delete()
    return contest


def save_round(
    *, by, contest_round: ContestRound, date: datetime.date, venue: str = "", advance: int | None = None
) -> ContestRound:
    """An organiser (staff, or an organising cadre of this contest) changes a round's date, venue and, for the
    preliminary, how many go to the final — until the round is closed."""
    contest = contest_round.contest
    require(permissions.can_manage_rounds(by, contest))
    problems = []
    if contest_round.closed or contest.state == State.PUBLISHED:
        problems.append(_("This round is closed; it can no longer be changed."))
    if date is None or not contest.starts_on <= date <= contest.ends_on:
        problems.append(_("Rounds are held between the contest's first and last day."))
    if contest_round.kind == Kind.PRELIMINARY:
        if advance is None or advance < 1 or advance > 1000:
            problems.append(_("Say how many contestants of the preliminary go to the final (at least 1)."))
        final = contest.rounds.filter(kind=Kind.FINAL).first()
        if final and date and date > final.date:
            problems.append(_("The preliminary comes before the final."))
    else:
        advance = None
        preliminary = contest.rounds.filter(kind=Kind.PRELIMINARY).first()
        if preliminary and date and date < preliminary.date:
            problems.append(_("The preliminary comes before the final."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        contest_round.date, contest_round.venue, contest_round.advance = date, venue.strip()[:100], advance
        contest_round.save(update_fields=["date", "venue", "advance"])
    return contest_round


def save_sheet(*, by, contest: Contest, items: Sequence[Mapping]) -> list[ScoreItem]:
    """The scoring sheet: ``items`` in order, each ``{"part", "title", "max_points"}``, replacing the sheet.
    Changed only before any score is given (while the contest is a draft or open for entry)."""
    _require_staff(by)
    problems = []
    clean = []
    for n, item in enumerate(items, start=1):
        title = str(item.get("title") or "").strip()
        points = item.get("max_points")
        if item.get("part") not in Part.values:
            problems.append(_("Item %(n)d: choose theory or practical.") % {"n": n})
        if not title or len(title) > 100:
            problems.append(_("Item %(n)d: a title of at most 100 characters is required.") % {"n": n})
        if not isinstance(points, int) or not 1 <= points <= 1000:
            problems.append(
                _("Item %(n)d: the maximum points must be a whole number from 1 to 1000.") % {"n": n}
            )
        clean.append({"part": item.get("part"), "title": title, "max_points": points})
    if not clean:
        problems.append(_("List at least one item with its maximum points."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        if (
            contest.state not in (State.DRAFT, State.ENTRY_OPEN)
            or Score.objects.filter(entry__contest=contest).exists()
        ):
            raise ValidationError(_("The scoring sheet cannot change once judging has begun."))
        contest.items.all().delete()
        return ScoreItem.objects.bulk_create(
            [ScoreItem(contest=contest, order=order, **item) for order, item in enumerate(clean, start=1)]
        )


# --- quotas ---------------------------------------------------------------------------------------


def quota_for(contest: Contest, union) -> int:
    override = contest.quotas.filter(union=union).values_list("places", flat=True).first()
    return contest.default_quota if override is None else override


def entries_by_union(contest: Contest) -> dict[int, int]:
    return dict(
        contest.entries.values_list("union_id")
        .annotate(n=Count("pk"))
        .values_list("union_id", "n")
        .order_by()
    )


def set_quotas(*, by, contest: Contest, default_quota: int, overrides: Mapping) -> Contest:
    """The default number of places per union and the unions' own numbers (``{union: places}``; a union
    mapped to None goes back to the default). Never below the entries a union has already made."""
    _require_staff(by)
    problems = []
    if default_quota is None or not 0 <= default_quota <= QUOTA_MAX:
        problems.append(_("Numbers of places and prizes are between 0 and %(max)d.") % {"max": QUOTA_MAX})
    for union, places in overrides.items():
        if places is not None and not 0 <= places <= QUOTA_MAX:
            problems.append(
                _("%(union)s: places are between 0 and %(max)d.") % {"union": union, "max": QUOTA_MAX}
            )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        if contest.state not in (State.DRAFT, State.ENTRY_OPEN):
            raise ValidationError(_("Quotas can only change before entry closes."))
        made = entries_by_union(contest)
        given = {getattr(union, "pk", union): places for union, places in overrides.items()}
        kept = dict(contest.quotas.values_list("union_id", "places"))
        names = dict(GrassrootsUnion.objects.filter(pk__in=made).values_list("pk", "name"))
        for union_id, n in made.items():
            places = given[union_id] if union_id in given else kept.get(union_id)
            if (default_quota if places is None else places) < n:
                problems.append(
                    _("%(union)s has already entered %(n)d contestants; its places cannot be fewer.")
                    % {"union": names[union_id], "n": n}
                )
        if problems:
            raise ValidationError(problems)
        contest.default_quota = default_quota
        contest.save(update_fields=["default_quota"])
        for union, places in overrides.items():
            if places is None:
                UnionQuota.objects.filter(contest=contest, union=union).delete()
            else:
                UnionQuota.objects.update_or_create(contest=contest, union=union, defaults={"places": places})
    return contest


# --- the state ------------------------------------------------------------------------------------


def open_entry(*, by, contest: Contest) -> Contest:
    """Draft → open for entry: the scoring sheet covers every weighted part, and the final has a date."""
    _require_staff(by)
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        if contest.state != State.DRAFT:
            raise ValidationError(_("Only a draft contest can be opened for entry."))
        parts = set(contest.items.values_list("part", flat=True))
        problems = [
            _("The scoring sheet has no %(part)s item, but %(part)s weighs %(weight)s%%.")
            % {"part": label, "weight": contest.weight(part)}
            for part, label in Part.choices
            if contest.weight(part) > 0 and part not in parts
        ]
        if not contest.rounds.filter(kind=Kind.FINAL).exists():
            problems.append(_("Give the final's date."))
        if problems:
            raise ValidationError(problems)
        contest.state = State.ENTRY_OPEN
        contest.save(update_fields=["state"])
    return contest


def close_entry(*, by, contest: Contest) -> Contest:
    """Open for entry → judging: no more entries; judges may score."""
    _require_staff(by)
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        if contest.state != State.ENTRY_OPEN:
            raise ValidationError(_("Only a contest open for entry can be closed for entry."))
        if not contest.entries.exists():
            raise ValidationError(_("Nobody has been entered; there is nothing to judge."))
        contest.state = State.JUDGING
        contest.save(update_fields=["state"])
    return contest


# --- entries --------------------------------------------------------------------------------------


def eligibility_problems(contest: Contest, member: Member, declared_trade: str) -> list[str]:
    """Why ``member`` may not enter with ``declared_trade``: an active member of an active union of the
    district, a trade the contest accepts, and an age within the contest's range on its first day."""
    problems = []
    if member.status not in Member.ACTIVE_STATUSES or member.union.status != GrassrootsUnion.Status.ACTIVE:
        problems.append(
            _("%(name)s is not an active member of a union of the district.") % {"name": member.name}
        )
    if declared_trade not in contest.accepted_trades:
        problems.append(
            _("This contest is for %(trades)s; a contestant of another trade cannot enter.")
            % {"trades": "、".join(contest.accepted_trade_names())}
        )
    age = member.age_on(contest.starts_on)
    if contest.min_age is not None and age < contest.min_age:
        problems.append(
            _("%(name)s is %(age)d on the contest's first day (%(day)s); contestants are at least %(min)d.")
            % {"name": member.name, "age": age, "day": contest.starts_on.isoformat(), "min": contest.min_age}
        )
    if contest.max_age is not None and age > contest.max_age:
        problems.append(
            _("%(name)s is %(age)d on the contest's first day (%(day)s); contestants are at most %(max)d.")
            % {"name": member.name, "age": age, "day": contest.starts_on.isoformat(), "max": contest.max_age}
        )
    return problems


def enter(
    *,
    by,
    contest: Contest,
    member: Member,
    declared_trade: str,
    job_title: str = "",
    on: datetime.date | None = None,
) -> Entry:
    """A union's chair enters one of their union's members (the staff may enter for any union) while the
    contest is open for entry, within the union's places. The quota is counted under the contest row's lock,
    so two chairs' (or one chair's two) simultaneous entries cannot overfill it; entering the same member
    twice is refused with a message, not a second entry."""
    on = on or timezone.localdate()
    union = member.union
    if not (union.chair_id == by.pk or permissions.is_contest_staff(by)):
        raise PermissionDenied(_("Only the chair of %(union)s can enter its members.") % {"union": union})
    problems = eligibility_problems(contest, member, declared_trade)
    if problems:
        raise ValidationError(problems)
    already = _("%(name)s is already entered in this contest.") % {"name": member.name}
    try:
        with transaction.atomic(), set_actor(by):
            contest = _locked(contest)
            if not contest.entry_open_on(on):
                raise ValidationError(
                    _("Entries are taken from %(opens)s to %(closes)s while the contest is open for entry.")
                    % {
                        "opens": contest.entry_opens_on.isoformat(),
                        "closes": contest.entry_closes_on.isoformat(),
                    }
                )
            if Entry.objects.filter(contest=contest, member=member).exists():
                raise ValidationError(already)
            places = quota_for(contest, union)
            if Entry.objects.filter(contest=contest, union=union).count() >= places:
                raise ValidationError(
                    _("%(union)s has used all its %(places)d places in this contest.")
                    % {"union": union.name, "places": places}
                )
            return Entry.objects.create(
                contest=contest,
                member=member,
                union=union,
                declared_trade=declared_trade,
                job_title=job_title.strip()[:60],
                entered_by=by,
            )
    except IntegrityError:  # the other request of a double submission won the race
        raise ValidationError(already) from None


def remove_entry(*, by, entry: Entry, on: datetime.date | None = None) -> None:
    """The entering union's chair (or the staff) takes an entry back while entry is open; the place is free."""
    on = on or timezone.localdate()
    if not (entry.union.chair_id == by.pk or permissions.is_contest_staff(by)):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        contest = _locked(entry.contest)
        if not contest.entry_open_on(on):
            raise ValidationError(_("Entries can only be taken back while entry is open."))
        entry.delete()


# --- judges ---------------------------------------------------------------------------------------


def union_of(user):
    """The union a judge belongs to: their membership, else the union they chair, else their secondment's home
    union; None for a judge from outside the district's unions."""
    member = Member.objects.active().filter(user=user).select_related("union").first()
    if member is not None:
        return member.union
    chaired = GrassrootsUnion.objects.filter(chair=user).order_by("code").first()
    if chaired is not None:
        return chaired
    term = SecondmentTerm.objects.filter(cadre=user).select_related("union").order_by("-start_date").first()
    return term.union if term else None


def add_judge(*, by, contest: Contest, user, union=None, derive: bool = True) -> Judge:
    """Assign a judge, with their union (derived from their membership or chair role unless given)."""
    _require_staff(by)
    if contest.state == State.PUBLISHED:
        raise ValidationError(_("The results are published; the judges can no longer change."))
    if union is None and derive:
        union = union_of(user)
    try:
        with transaction.atomic(), set_actor(by):
            return Judge.objects.create(contest=contest, user=user, union=union)
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already a judge of this contest.") % {"name": user.name or user.username}
        ) from None


def set_judge_union(*, by, judge: Judge, union) -> Judge:
    """Staff correct a judge's union. Refused once the judge has scored a contestant of that union."""
    _require_staff(by)
    if union is not None and judge.scores.filter(entry__union=union).exists():
        raise ValidationError(_("This judge has already scored contestants of %(union)s.") % {"union": union})
    with transaction.atomic(), set_actor(by):
        judge.union = union
        judge.save(update_fields=["union"])
    return judge


def remove_judge(*, by, judge: Judge) -> None:
    _require_staff(by)
    if judge.scores.exists():
        raise ValidationError(_("This judge has given scores and cannot be removed."))
    with transaction.atomic(), set_actor(by):
        judge.delete()


# --- scoring --------------------------------------------------------------------------------------


def current_round(contest: Contest) -> ContestRound | None:
    """The round being judged: the preliminary until it is closed, then the final."""
    rounds = {r.kind: r for r in contest.rounds.all()}
    preliminary = rounds.get(Kind.PRELIMINARY)
    if preliminary is not None and not preliminary.closed:
        return preliminary
    final = rounds.get(Kind.FINAL)
    return final if final is not None and not final.closed else None


def round_entries(contest: Contest, contest_round: ContestRound):
    """The contestants of a round: everybody in the preliminary (or a final without one), the finalists in a
    final after a preliminary."""
    entries = contest.entries.all()
    if contest_round.kind == Kind.FINAL and contest.rounds.filter(kind=Kind.PRELIMINARY).exists():
        entries = entries.filter(finalist=True)
    return entries


def entries_to_score(judge: Judge, contest_round: ContestRound):
    """The contestants a judge may score in a round: never those of the judge's own union."""
    entries = round_entries(judge.contest, contest_round)
    if judge.union_id is not None:
        entries = entries.exclude(union_id=judge.union_id)
    return entries


def score_entry(*, by, entry: Entry, points: Mapping, on: datetime.date | None = None) -> list[Score]:
    """A judge scores a contestant in the round being judged, every item of the sheet (0 to the item's
    maximum, in tenths); scoring again replaces the judge's scores. A judge never scores a contestant of
    their own union. ``points`` maps items (or their ids) to points."""
    contest = entry.contest
    judge = permissions.judge_of(by, contest)
    if judge is None:
        raise PermissionDenied(_("Only the contest's judges score its contestants."))
    if judge.union_id is not None and judge.union_id == entry.union_id:
        raise ValidationError(_("A judge never scores a contestant from their own union."))
    given = {getattr(key, "pk", key): value for key, value in points.items()}
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        if contest.state != State.JUDGING:
            raise ValidationError(_("Scores are given while the contest is being judged."))
        contest_round = current_round(contest)
        if contest_round is None or not round_entries(contest, contest_round).filter(pk=entry.pk).exists():
            raise ValidationError(_("This contestant is not in the round being judged."))
        items = list(contest.items.all())
        problems, clean = [], {}
        if set(given) - {i.pk for i in items}:
            problems.append(_("An item does not belong to this contest's scoring sheet."))
        for item in items:
            raw = given.get(item.pk)
            try:
                value = Decimal(str(raw).strip()) if raw not in (None, "") else None
            except InvalidOperation:
                value = None
            if value is not None and not value.is_finite():
                value = None
            if value is None:
                problems.append(_("“%(item)s”: give the points.") % {"item": item.title})
            elif value < 0 or value > item.max_points:
                problems.append(
                    _("“%(item)s”: points must be between 0 and %(max)d.")
                    % {"item": item.title, "max": item.max_points}
                )
            elif value != value.quantize(POINTS_STEP):
                problems.append(_("“%(item)s”: points are given in tenths at most.") % {"item": item.title})
            else:
                clean[item.pk] = value
        if problems:
            raise ValidationError(problems)
        saved = []
        for item in items:
            score, _created = Score.objects.update_or_create(
                entry=entry, judge=judge, round=contest_round, item=item, defaults={"points": clean[item.pk]}
            )
            saved.append(score)
    return saved


@dataclasses.dataclass
class RoundScore:
    """A contestant's score in a round: each part normalised to 100, and the weighted total."""

    entry_id: int
    theory: Decimal
    practical: Decimal
    total: Decimal
    judges: int

    def part(self, part: str) -> Decimal:
        return self.theory if part == Part.THEORY else self.practical


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def compute_score(
    contest: Contest,
    part_max: Mapping[str, int],
    judge_totals: Mapping[int, Mapping[str, Decimal]],
    entry_id=None,
) -> RoundScore:
    """The round score from each judge's part totals (``{judge: {part: total}}``), as the module says."""
    n = len(judge_totals)
    parts, total = {}, Decimal(0)
    for part in Part.values:
        mean = sum((totals.get(part, Decimal(0)) for totals in judge_totals.values()), Decimal(0)) / n
        normalised = mean / part_max[part] * HUNDRED if part_max.get(part) else Decimal(0)
        parts[part] = normalised
        total += normalised * contest.weight(part) / HUNDRED
    return RoundScore(
        entry_id=entry_id,
        theory=_q(parts[Part.THEORY]),
        practical=_q(parts[Part.PRACTICAL]),
        total=_q(total),
        judges=n,
    )


def round_scores(contest: Contest, contest_round: ContestRound) -> dict[int, RoundScore]:
    """Every scored contestant's round score, by entry id (one query for the sheet, one for the scores)."""
    part_max = dict(
        contest.items.values_list("part").annotate(m=Sum("max_points")).values_list("part", "m").order_by()
    )
    totals: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        Score.objects.filter(round=contest_round)
        .values_list("entry_id", "judge_id", "item__part")
        .annotate(total=Sum("points"))
        .order_by()
    )
    for entry_id, judge_id, part, total in rows:
        totals[entry_id][judge_id][part] = total
    return {
        entry_id: compute_score(contest, part_max, judges, entry_id=entry_id)
        for entry_id, judges in totals.items()
    }


def rank_rows(
    scores: Sequence[RoundScore], tie_break: str, *, start: int = 1
) -> list[tuple[int, RoundScore]]:
    """Rank by total, then by the tie-break part; still equal: the same rank (1, 2, 2, 4), from ``start``."""

    def key(s):
        return (s.total, s.part(tie_break))

    ordered = sorted(scores, key=lambda s: (key(s), -s.entry_id), reverse=True)
    ranked, rank = [], start
    for position, score in enumerate(ordered):
        if position and key(score) != key(ordered[position - 1]):
            rank = start + position
        ranked.append((rank, score))
    return ranked


@dataclasses.dataclass
class Standing:
    rank: int | None
    entry: Entry
    score: RoundScore | None
    round_kind: str
    prize: str = ""


def prizes_for(contest: Contest, ranks: Sequence[int | None]) -> list[str]:
    """Prizes in rank order: the first ``first_prizes`` places a first prize, and so on. A contestant whose
    rank falls within a prize's places gets it, so contestants tied at a boundary share the higher prize."""
    bounds, upto = [], 0
    for prize, count in contest.prize_counts():
        upto += count
        bounds.append((upto, prize))
    result = []
    for rank in ranks:
        prize = "" if rank is None else next((p for bound, p in bounds if rank <= bound), "")
        result.append(prize)
    return result


def standings(contest: Contest) -> list[Standing]:
    """The ranking: after a preliminary, the finalists by their final score, then the others by their
    preliminary score, ranked on after the finalists; without one, everybody by the final. Contestants not yet
    scored come last, without a rank. Published results read the fixed ranks instead (``published_standings``)."""
    rounds = {r.kind: r for r in contest.rounds.all()}
    entries = list(contest.entries.select_related("member", "union").order_by("pk"))
    by_id = {e.pk: e for e in entries}
    groups = []
    preliminary, final = rounds.get(Kind.PRELIMINARY), rounds.get(Kind.FINAL)
    if preliminary is not None:
        finalists = {e.pk for e in entries if e.finalist}
        if final is not None and finalists:
            groups.append((final, finalists))
        groups.append((preliminary, {e.pk for e in entries} - finalists))
    elif final is not None:
        groups.append((final, {e.pk for e in entries}))
    result, start, placed = [], 1, set()
    for contest_round, ids in groups:
        scores = [s for entry_id, s in round_scores(contest, contest_round).items() if entry_id in ids]
        ranked = rank_rows(scores, contest.tie_break, start=start)
        result += [Standing(rank, by_id[s.entry_id], s, contest_round.kind) for rank, s in ranked]
        placed |= {s.entry_id for s in scores}
        start += len(ids)
    result += [Standing(None, e, None, "") for e in entries if e.pk not in placed]
    for standing, prize in zip(result, prizes_for(contest, [s.rank for s in result]), strict=True):
        standing.prize = prize
    return result


def published_standings(contest: Contest) -> list[Standing]:
    entries = contest.entries.select_related("member", "union", "certificate").order_by("rank", "pk")
    return [
        Standing(e.rank, e, None, "", e.prize)
        for e in sorted(entries, key=lambda e: (e.rank is None, e.rank or 0, e.pk))
    ]


def choose_finalists(*, by, contest: Contest) -> list[Entry]:
    """Close the preliminary: the top ``advance`` by its score go to the final (contestants tied at the last
    place all go). Every contestant must have been scored."""
    require(permissions.can_manage_rounds(by, contest))
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        preliminary = contest.rounds.filter(kind=Kind.PRELIMINARY).first()
        if contest.state != State.JUDGING or preliminary is None or preliminary.closed:
            raise ValidationError(_("There is no preliminary being judged."))
        scores = round_scores(contest, preliminary)
        missing = contest.entries.exclude(pk__in=scores).count()
        if missing:
            raise ValidationError(_("%(n)d contestants have no preliminary score yet.") % {"n": missing})
        chosen = [
            s.entry_id
            for rank, s in rank_rows(list(scores.values()), contest.tie_break)
            if rank <= preliminary.advance
        ]
        contest.entries.filter(pk__in=chosen).update(finalist=True)
        preliminary.closed = True
        preliminary.save(update_fields=["closed"])
    return list(contest.entries.filter(finalist=True))


# --- results and certificates ---------------------------------------------------------------------


def publish_results(*, by, contest: Contest, on: datetime.date | None = None) -> Contest:
    """Judging → results published: the ranks, scores and prizes are fixed on the entries, the final is
    closed, and every prize winner gets a numbered certificate. Every contestant of the final must have
    been scored (after a preliminary, the finalists must have been chosen)."""
    _require_staff(by)
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        contest = _locked(contest)
        if contest.state != State.JUDGING:
            raise ValidationError(_("Only a contest being judged can publish its results."))
        rounds = {r.kind: r for r in contest.rounds.all()}
        if Kind.PRELIMINARY in rounds and not rounds[Kind.PRELIMINARY].closed:
            raise ValidationError(_("Choose the finalists from the preliminary first."))
        final = rounds[Kind.FINAL]
        unscored = round_entries(contest, final).exclude(pk__in=round_scores(contest, final)).count()
        if unscored:
            raise ValidationError(_("%(n)d contestants of the final have no score yet.") % {"n": unscored})
        for standing in standings(contest):
            entry = standing.entry
            entry.rank, entry.prize = standing.rank, standing.prize
            entry.score = standing.score.total if standing.score else None
            entry.save(update_fields=["rank", "prize", "score"])
            if entry.prize:
                _issue_certificate(entry, on=on)
        final.closed = True
        final.save(update_fields=["closed"])
        contest.state, contest.published_on = State.PUBLISHED, on
        contest.save(update_fields=["state", "published_on"])
    return contest


def certificate_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:04d}"


def _issue_certificate(entry: Entry, *, on: datetime.date) -> Certificate:
    existing = Certificate.objects.filter(entry=entry).first()
    if existing:
        return existing
    year = entry.contest.year
    lock_numbering_for(_NUMBERING_LOCK_NAMESPACE, year)
    return Certificate.objects.create(
        entry=entry,
        issued_on=on,
        number=certificate_number(year, next_sequence_for(Certificate, NUMBER_PREFIX, year)),
    )


def certificate_context(certificate: Certificate) -> dict:
    entry = certificate.entry
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "entry": entry,
        "contest": entry.contest,
        "holder_name": entry.member.name,
        "union_name": entry.union.name,
        "prize": entry.get_prize_display(),
        "federation_name": federation_name(),
        "verify_url": url,
        "qr_code": mark_safe(qr_code_svg(url)),  # noqa: S308 — SVG made by qrcode from our own URL
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    return render_template_pdf(CERTIFICATE_TEMPLATE, certificate_context(certificate))


def verification(token: str) -> dict | None:
    """What the public verification page shows: no more than the certificate prints, the name masked."""
    certificate = (
        Certificate.objects.filter(token=token)
        .select_related("entry__contest", "entry__member", "entry__union")
        .first()
    )
    if certificate is None:
        return None
    entry = certificate.entry
    return {
        "certificate": certificate,
        "holder": mask_name(entry.member.name),
        "union": entry.union.name,
        "contest": entry.contest,
        "prize": entry.get_prize_display(),
    }


# --- the honours feed -----------------------------------------------------------------------------


def open_member_rounds(on: datetime.date):
    """The honours rounds open on ``on`` whose award is given to members (技术能手 and the like)."""
    return (
        AwardRound.objects.filter(
            award_type__nominee_kind=NomineeKind.MEMBER,
            award_type__active=True,
            decided_on__isnull=True,
            opens_on__lte=on,
            closes_on__gte=on,
        )
        .select_related("award_type")
        .order_by("award_type__name")
    )


def nominate_for_honours(
    *, by, contest: Contest, award_round: AwardRound, top: int, on: datetime.date | None = None
) -> tuple[list, list[tuple[Entry, list[str]]]]:
    """The federation nominates the top ``top`` contestants of published results (in rank order, ties at the
    last place included) for an honours round, through the honours programme's own service; each
    contestant's refusal (the round's quota, already nominated, no longer a member…) comes back as it is.
    Returns (nominations made, [(entry, refusal messages)])."""
    _require_staff(by)
    on = on or timezone.localdate()
    if contest.state != State.PUBLISHED:
        raise ValidationError(_("Contestants are nominated from published results."))
    if top is None or top < 1:
        raise ValidationError(_("Nominate at least one contestant."))
    if award_round.award_type.nominee_kind != NomineeKind.MEMBER:
        raise ValidationError(_("%(award)s is not given to members.") % {"award": award_round.award_type})
    made, refused = [], []
    entries = (
        contest.entries.filter(rank__isnull=False, rank__lte=top)
        .select_related("member__union")
        .order_by("rank", "pk")
    )
    for entry in entries:
        statement = _("%(name)s won %(prize)s (rank %(rank)d) in the %(contest)s.") % {
            "name": entry.member.name,
            "prize": entry.get_prize_display() or _("a place"),
            "rank": entry.rank,
            "contest": contest.title,
        }
        try:
            made.append(
                honours_services.nominate(
                    round=award_round, union=None, nominee=entry.member, statement=statement, by=by, on=on
                )
            )
        except ValidationError as error:
            refused.append((entry, error.messages))
    return made, refused


# --- figures and the export -----------------------------------------------------------------------


def year_figures(year: int) -> dict:
    """A year's contests, trades, entries, unions taking part and prizes given (two queries)."""
    contests = Contest.objects.filter(year=year).exclude(state=State.DRAFT)
    head = contests.aggregate(n=Count("pk"), trades=Count("trade", distinct=True))
    entries = Entry.objects.filter(contest__in=contests).aggregate(
        n=Count("pk"),
        unions=Count("union", distinct=True),
        prizes=Count("pk", filter=~Q(prize="")),
        first=Count("pk", filter=Q(prize=Prize.FIRST)),
        second=Count("pk", filter=Q(prize=Prize.SECOND)),
        third=Count("pk", filter=Q(prize=Prize.THIRD)),
        merit=Count("pk", filter=Q(prize=Prize.MERIT)),
    )
    return {
        "year": year,
        "contests": head["n"],
        "trades": head["trades"],
        "entries": entries["n"],
        "unions": entries["unions"],
        "prizes": entries["prizes"],
        "by_prize": [
            (Prize.FIRST.label, entries["first"]),
            (Prize.SECOND.label, entries["second"]),
            (Prize.THIRD.label, entries["third"]),
            (Prize.MERIT.label, entries["merit"]),
        ],
    }


def export_xlsx(contest: Contest):
    """The contest's results, one row per contestant (full names: the export is for the organisers)."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Results"))
    sheet.append(
        [
            _("Rank"),
            _("Name"),
            _("Union code"),
            _("Union"),
            _("Declared trade"),
            _("Job"),
            _("Score"),
            _("Prize"),
            _("Certificate number"),
        ]
    )
    rows = published_standings(contest) if contest.state == State.PUBLISHED else standings(contest)
    for standing in rows:
        entry = standing.entry
        score = (
            entry.score
            if contest.state == State.PUBLISHED
            else (standing.score.total if standing.score else None)
        )
        certificate = getattr(entry, "certificate", None) if contest.state == State.PUBLISHED else None
        sheet.append(
            [
                standing.rank if standing.rank is not None else "",
                neutralise(entry.member.name),
                neutralise(entry.union.code),
                neutralise(entry.union.name),
                str(entry.get_declared_trade_display()),
                neutralise(entry.job_title),
                exact_number(sheet, score) if score is not None else "",
                str(Prize(standing.prize).label) if standing.prize else "",
                certificate.number if certificate else "",
            ]
        )
    return spooled(workbook)
