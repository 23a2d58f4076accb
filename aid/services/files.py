"""Hardship files (困难职工档案): submission by the union chair, categorisation against the year's
minimum-living standard, home visit, public notice (公示) over working days, objections, approval,
the yearly review with its spot checks, and closing (withdrawn, cancelled, left hardship).

Every operation that changes state is one transaction run with the acting user set, so that
django-auditlog records who changed what; reading a file is logged as an ACCESS entry."""

import dataclasses
import datetime
import math
import random
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from unionhub.access import require
from unionhub.dates import months_after
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.masking import mask_name
from unionhub.notices import notify
from unionhub.uploads import document_problem
from unionhub.workdays import next_working_day, working_days_after

from ..models import (
    FileReview,
    HardshipDocument,
    HardshipFile,
    HouseholdMember,
    LivingStandard,
    NoticeObjection,
)
from ..permissions import can_review_hardship_files, is_aid_staff, is_chair_of
from ..rules import rules
from . import four_eyes

CENT = Decimal("0.01")
OPEN_STATUSES = (HardshipFile.Status.APPLYING, HardshipFile.Status.NOTICE, HardshipFile.Status.ACTIVE)
HOUSEHOLD_FIELDS = ("name", "relation", "age", "occupation", "monthly_income", "health")


# --- categorisation ----------------------------------------------------------------------------


def categorise(
    *, household_income: Decimal, hardship_expenses: Decimal, household_size: int, standard: Decimal
) -> tuple[str, Decimal]:
    """The category by the income rule and the per-capita monthly income it rests on: income after
    hardship expenses, shared by the household (never below zero); deep hardship at or below the
    standard, relative hardship at or below ``relative_multiple`` times it, otherwise none."""
    remaining = max(Decimal(household_income) - Decimal(hardship_expenses), Decimal(0))
    per_capita = (remaining / household_size).quantize(CENT, rounding=ROUND_HALF_UP)
    if per_capita <= standard:
        return HardshipFile.Category.DEEP, per_capita
    if per_capita <= standard * rules().relative_multiple:
        return HardshipFile.Category.RELATIVE, per_capita
    return HardshipFile.Category.NONE, per_capita


def per_capita_income(file: HardshipFile) -> Decimal:
    return categorise(
        household_income=file.household_income,
        hardship_expenses=file.hardship_expenses,
        household_size=file.household_size,
        standard=file.living_standard,
    )[1]


def standard_for(year: int) -> LivingStandard:
    standard = LivingStandard.objects.filter(year=year).first()
    if standard is None:
        raise ValidationError(
            _(
                "The minimum-living standard for %(year)d has not been entered; federation staff "
                "must enter it before files can be categorised."
            )
            % {"year": year}
        )
    return standard


def save_living_standard(*, by, year: int, monthly_amount: Decimal, note: str = "") -> LivingStandard:
    """Enter or correct a year's standard. Files keep the standard they were categorised with."""
    require(can_review_hardship_files(by))
    if monthly_amount <= 0:
        raise ValidationError(_("The standard must be more than zero."))
    with transaction.atomic(), set_actor(by):
        standard, _created = LivingStandard.objects.update_or_create(
            year=year, defaults={"monthly_amount": monthly_amount, "note": note.strip()}
        )
    return standard


def set_accident_category(*, by, file: HardshipFile, reason: str) -> HardshipFile:
    """Hardship caused by an accident (意外致困) is a staff decision, not an income figure."""
    require(can_review_hardship_files(by))
    if not reason.strip():
        raise ValidationError(_("Say why the hardship is accident-caused."))
    with transaction.atomic(), set_actor(by):
        file = _locked(file, HardshipFile.Status.APPLYING)
        file.category, file.category_reason = HardshipFile.Category.ACCIDENT, reason.strip()
        file.save(update_fields=["category", "category_reason", "updated_at"])
    return file


# --- submission --------------------------------------------------------------------------------


def required_documents(causes: Iterable[str]) -> list[str]:
    """The document kinds a file needs: always the general ones, and more for some causes."""
    r = rules()
    needed = list(r.required_documents)
    for cause, kind in r.documents_for_cause:
        if cause in causes and kind not in needed:
            needed.append(kind)
    return needed


def _household_problems(household: Sequence[dict]) -> list[str]:
    problems = []
    for n, person in enumerate(household, start=1):
        if not str(person.get("name", "")).strip() or not str(person.get("relation", "")).strip():
            problems.append(_("Household member %(n)d: name and relation are required.") % {"n": n})
        if person.get("age") is None or int(person["age"]) < 0:
            problems.append(_("Household member %(n)d: the age is required.") % {"n": n})
        if Decimal(person.get("monthly_income") or 0) < 0:
            problems.append(_("Household member %(n)d: the income cannot be negative.") % {"n": n})
    return problems


def _next_number(year: int) -> str:
    prefix = f"KN{year}-"
    taken = HardshipFile.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    return f"{prefix}{max((int(n[len(prefix) :]) for n in taken), default=0) + 1:04d}"


def _open_file_message(member: Member) -> str:
    return _("%(name)s already has an open hardship file; a household has one file at a time.") % {
        "name": member.name
    }


def submit_file(
    *,
    by,
    member: Member,
    causes: Sequence[str],
    situation: str,
    household_income: Decimal,
    hardship_expenses: Decimal,
    household: Sequence[dict] = (),
    documents: Sequence[tuple[str, object]] = (),
    on: datetime.date | None = None,
) -> HardshipFile:
    """A chair (for a member of their own union) or aid staff opens a file. Every problem is named
    in one ValidationError and nothing is written then. ``household`` lists the other people in the
    household (dicts of ``HOUSEHOLD_FIELDS``); ``documents`` are ``(kind, uploaded file)`` pairs."""
    on = on or timezone.localdate()
    problems = []
    if not is_aid_staff(by) and member.union.chair_id != by.pk:
        problems.append(
            _("%(name)s is not a member of your union; a chair submits files only for their own members.")
            % {"name": member.name}
        )
    if member.status not in Member.ACTIVE_STATUSES:
        problems.append(
            _("%(name)s's membership is not active (%(status)s).")
            % {"name": member.name, "status": member.get_status_display()}
        )
    unknown = [c for c in causes if c not in HardshipFile.Cause.values]
    if not causes or unknown:
        problems.append(_("Choose at least one cause of hardship."))
    if household_income < 0 or hardship_expenses < 0:
        problems.append(_("Income and expenses cannot be negative."))
    problems += _household_problems(household)
    kinds_given = {kind for kind, _upload in documents}
    labels = dict(HardshipDocument.Kind.choices)
    missing = [labels[kind] for kind in required_documents(causes) if kind not in kinds_given]
    if missing:
        problems.append(
            _("Documents missing: %(documents)s.") % {"documents": "、".join(str(m) for m in missing)}
        )
    problems += [p for _kind, upload in documents if (p := document_problem(upload))]
    if HardshipFile.objects.filter(member=member, status__in=OPEN_STATUSES).exists():
        problems.append(_open_file_message(member))
    standard = None
    try:
        standard = standard_for(on.year)
    except ValidationError as error:
        problems += error.messages
    if problems:
        raise ValidationError(problems)

    size = 1 + len(household)
    category, _per_capita = categorise(
        household_income=household_income,
        hardship_expenses=hardship_expenses,
        household_size=size,
        standard=standard.monthly_amount,
    )
    try:
        with transaction.atomic(), set_actor(by):
            file = HardshipFile.objects.create(
                number=_next_number(on.year),
                member=member,
                union=member.union,
                submitted_by=by,
                submitted_on=on,
                causes=list(dict.fromkeys(causes)),
                situation=situation.strip(),
                household_income=household_income,
                hardship_expenses=hardship_expenses,
                household_size=size,
                living_standard=standard.monthly_amount,
                category=category,
            )
            HouseholdMember.objects.bulk_create(
                [
                    HouseholdMember(
                        file=file, **{k: person[k] for k in HOUSEHOLD_FIELDS if person.get(k) is not None}
                    )
                    for person in household
                ]
            )
            for kind, upload in documents:
                HardshipDocument.objects.create(file=file, kind=kind, upload=upload, uploaded_by=by)
    except IntegrityError:
        # Two submissions at the same moment: the partial unique index keeps one open file per member
        # (a number taken by a concurrent submission also lands here; submitting again takes the next).
        if HardshipFile.objects.filter(member=member, status__in=OPEN_STATUSES).exists():
            raise ValidationError(_open_file_message(member)) from None
        raise
    return file


# --- visit, notice, objections, approval --------------------------------------------------------


def _locked(file: HardshipFile, *statuses: str) -> HardshipFile:
    file = (
        HardshipFile.objects.select_for_update(of=("self",)).select_related("member", "union").get(pk=file.pk)
    )
    if statuses and file.status not in statuses:
        raise ValidationError(
            _("This cannot be done to a file that is %(status)s.") % {"status": file.get_status_display()}
        )
    return file


def record_visit(
    *, by, file: HardshipFile, visited_on: datetime.date, visitors: str, findings: str
) -> HardshipFile:
    require(can_review_hardship_files(by))
    if visited_on > timezone.localdate():
        raise ValidationError(_("A home visit cannot be recorded for a future date."))
    if not visitors.strip() or not findings.strip():
        raise ValidationError(_("Name who visited and what they found."))
    with transaction.atomic(), set_actor(by):
        file = _locked(file, HardshipFile.Status.APPLYING)
        file.visited_on, file.visitors, file.visit_findings = visited_on, visitors.strip(), findings.strip()
        file.save(update_fields=["visited_on", "visitors", "visit_findings", "updated_at"])
    return file


def notice_period(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The notice runs ``notice_working_days`` working days from the first working day on or after
    ``start``: holidays and weekends are skipped, adjusted working weekends count."""
    first = next_working_day(start)
    return first, working_days_after(first - datetime.timedelta(days=1), rules().notice_working_days)


def start_notice(*, by, file: HardshipFile, start: datetime.date | None = None) -> HardshipFile:
    """Post the file for public notice (公示), from ``start`` (by default the first working day from
    today). Needs the home visit and a hardship category."""
    require(can_review_hardship_files(by))
    with transaction.atomic(), set_actor(by):
        file = _locked(file, HardshipFile.Status.APPLYING)
        if file.visited_on is None:
            raise ValidationError(_("Record the home visit before the public notice."))
        if file.category == HardshipFile.Category.NONE:
            raise ValidationError(
                _(
                    "By the income rule this household is not in hardship; it cannot go to public "
                    "notice unless staff decide the hardship was caused by an accident."
                )
            )
        file.notice_start, file.notice_end = notice_period(start or timezone.localdate())
        file.status = HardshipFile.Status.NOTICE
        file.save(update_fields=["notice_start", "notice_end", "status", "updated_at"])
    return file


def record_objection(*, by, file: HardshipFile, received_on: datetime.date, content: str) -> NoticeObjection:
    require(can_review_hardship_files(by))
    if not content.strip():
        raise ValidationError(_("Write down the objection."))
    with transaction.atomic(), set_actor(by):
        file = _locked(file, HardshipFile.Status.NOTICE)
        if not file.notice_start <= received_on <= file.notice_end:
            raise ValidationError(
                _("Objections are received during the notice, %(start)s to %(end)s.")
                % {"start": file.notice_start, "end": file.notice_end}
            )
        return NoticeObjection.objects.create(
            file=file, received_on=received_on, content=content.strip(), recorded_by=by
        )


def resolve_objection(*, by, objection: NoticeObjection, resolution: str, upheld: bool) -> NoticeObjection:
    """Record how an objection was looked into. An upheld objection stops the approval."""
    require(can_review_hardship_files(by))
    if not resolution.strip():
        raise ValidationError(_("Say how the objection was resolved."))
    with transaction.atomic(), set_actor(by):
        _locked(objection.file, HardshipFile.Status.NOTICE)
        objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.resolution:
            raise ValidationError(_("This objection has already been resolved."))
        objection.resolution, objection.upheld = resolution.strip(), upheld
        objection.save(update_fields=["resolution", "upheld"])
    return objection


def approve(*, by, file: HardshipFile, on: datetime.date | None = None) -> HardshipFile:
    """Put the file on record once the notice is over with no open or upheld objection; the first
    yearly review falls ``review_months`` later. The submitting chair is told. Whoever submitted
    the file does not approve it (four eyes)."""
    on = on or timezone.localdate()
    with transaction.atomic(), four_eyes.audited(by):
        file = _locked(file, HardshipFile.Status.NOTICE)
        four_eyes.check(by=by, proposer_id=file.submitted_by_id)
        if on <= file.notice_end:
            raise ValidationError(
                _("The public notice runs until %(end)s; the file can be approved after that.")
                % {"end": file.notice_end}
            )
        objections = list(file.objections.all())
        if any(not o.resolution for o in objections):
            raise ValidationError(_("An objection raised during the notice has not been resolved."))
        if any(o.upheld for o in objections):
            raise ValidationError(_("An objection was upheld; the file cannot be approved."))
        file.status, file.approved_by, file.approved_on = HardshipFile.Status.ACTIVE, by, on
        file.next_review_on = months_after(on, rules().review_months)
        file.save(update_fields=["status", "approved_by", "approved_on", "next_review_on", "updated_at"])
        # The union's chair today, who may not be the one who submitted the file.
        chair = file.union.chair
        if chair is not None and chair.pk != by.pk and chair.is_active:
            notify(
                user=chair,
                key=f"hardship-file-approved:{file.pk}",
                title=_("Hardship file %(number)s approved") % {"number": file.number},
                body=_("%(name)s is on file as a worker in hardship (%(category)s).")
                % {"name": file.member.name, "category": file.get_category_display()},
                url=file.get_absolute_url(),
            )
    return file


# --- closing -----------------------------------------------------------------------------------


def _close(*, by, file: HardshipFile, status: str, on: datetime.date, reason: str, allowed: Sequence[str]):
    with transaction.atomic(), set_actor(by):
        file = _locked(file, *allowed)
        file.status, file.closed_on, file.closing_reason = status, on, reason.strip()
        file.save(update_fields=["status", "closed_on", "closing_reason", "updated_at"])
    return file


def withdraw(*, by, file: HardshipFile, on: datetime.date | None = None) -> HardshipFile:
    """The chair (or staff) withdraws a file that is not yet on record."""
    require(is_chair_of(by, file.union) or can_review_hardship_files(by))
    return _close(
        by=by,
        file=file,
        status=HardshipFile.Status.WITHDRAWN,
        on=on or timezone.localdate(),
        reason="",
        allowed=(HardshipFile.Status.APPLYING, HardshipFile.Status.NOTICE),
    )


def cancel(*, by, file: HardshipFile, reason: str, on: datetime.date | None = None) -> HardshipFile:
    """Staff cancel a file that should not be (or no longer be) on record, with the reason."""
    require(can_review_hardship_files(by))
    if not reason.strip():
        raise ValidationError(_("Say why the file is cancelled."))
    return _close(
        by=by,
        file=file,
        status=HardshipFile.Status.CANCELLED,
        on=on or timezone.localdate(),
        reason=reason,
        allowed=OPEN_STATUSES,
    )


def mark_left(*, by, file: HardshipFile, on: datetime.date, reason: str) -> HardshipFile:
    """The household has left hardship (脱困)."""
    require(can_review_hardship_files(by))
    if not reason.strip():
        raise ValidationError(_("Say how the household left hardship."))
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return _close(
        by=by,
        file=file,
        status=HardshipFile.Status.LEFT,
        on=on,
        reason=reason,
        allowed=(HardshipFile.Status.ACTIVE,),
    )


# --- the yearly review -------------------------------------------------------------------------


def review_list(year: int, *, seed: int | str | None = None) -> list[FileReview]:
    """The year's review: every file on record whose review falls in or before ``year`` gets a
    review row, and ``spot_check_share`` of the rows (rounded up) are drawn for a visit. Running it
    again adds the files that became due since and tops up the draw; it never redraws. The draw is
    reproducible: the random generator is seeded with ``seed``, by default the year."""
    with transaction.atomic():
        due = HardshipFile.objects.filter(
            status=HardshipFile.Status.ACTIVE, next_review_on__lte=datetime.date(year, 12, 31)
        )
        have = set(FileReview.objects.filter(year=year).values_list("file_id", flat=True))
        FileReview.objects.bulk_create(
            [FileReview(file_id=pk, year=year) for pk in due.values_list("pk", flat=True) if pk not in have],
            ignore_conflicts=True,
        )
        reviews = FileReview.objects.select_for_update().filter(year=year).order_by("file_id")
        total = reviews.count()
        drawn = reviews.filter(spot_check=True).count()
        wanted = math.ceil(Decimal(total) * rules().spot_check_share)
        if wanted > drawn:
            candidates = list(reviews.filter(spot_check=False).values_list("pk", flat=True))
            generator = random.Random(f"hardship-review:{year if seed is None else seed}")
            chosen = generator.sample(candidates, wanted - drawn)
            FileReview.objects.filter(pk__in=chosen).update(spot_check=True)
    return list(
        FileReview.objects.filter(year=year)
        .select_related("file", "file__member", "file__member__enterprise", "file__union", "reviewed_by")
        .order_by("-spot_check", "file__union__code", "file__number")
    )


def record_review(
    *, by, review: FileReview, outcome: str, notes: str, on: datetime.date | None = None
) -> FileReview:
    """The outcome of a yearly review: the file stays on record (next review a year on), or it is
    closed because the household left hardship or the file is cancelled."""
    require(can_review_hardship_files(by))
    on = on or timezone.localdate()
    outcomes = {
        "continue": None,
        "left": HardshipFile.Status.LEFT,
        "cancelled": HardshipFile.Status.CANCELLED,
    }
    if outcome not in outcomes:
        raise ValidationError(_("Choose the outcome of the review."))
    if outcome != "continue" and not notes.strip():
        raise ValidationError(_("Say why the file is closed."))
    with transaction.atomic(), set_actor(by):
        review = FileReview.objects.select_for_update().get(pk=review.pk)
        if review.outcome:
            raise ValidationError(_("This review has already been recorded."))
        file = _locked(review.file, HardshipFile.Status.ACTIVE)
        review.outcome, review.notes, review.reviewed_on, review.reviewed_by = outcome, notes.strip(), on, by
        review.save(update_fields=["outcome", "notes", "reviewed_on", "reviewed_by"])
        if outcomes[outcome] is None:
            file.next_review_on = months_after(file.next_review_on or on, rules().review_months)
            file.save(update_fields=["next_review_on", "updated_at"])
        else:
            file.status, file.closed_on, file.closing_reason = outcomes[outcome], on, notes.strip()
            file.save(update_fields=["status", "closed_on", "closing_reason", "updated_at"])
    return review


# --- reading -----------------------------------------------------------------------------------


def log_file_access(*, by, file: HardshipFile, remote_addr: str | None = None, document: str = "") -> None:
    """Every look at a hardship file (or one of its documents) is recorded (PIPL)."""
    LogEntry.objects.log_create(
        file,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        changes={},
        additional_data={"document": document} if document else None,
    )


@dataclasses.dataclass(frozen=True)
class NoticeRow:
    """One line of a public notice: what may be posted on a notice board and nothing more."""

    name: str
    enterprise: str
    category: str
    notice_start: datetime.date
    notice_end: datetime.date


def under_notice(on: datetime.date | None = None):
    on = on or timezone.localdate()
    return (
        HardshipFile.objects.filter(
            status=HardshipFile.Status.NOTICE, notice_start__lte=on, notice_end__gte=on
        )
        .select_related("member__enterprise")
        .order_by("notice_start", "number")
    )


def notice_rows(files: Iterable[HardshipFile]) -> list[NoticeRow]:
    """The public notice: masked name, employer and category — never the ID number, the causes or
    the figures."""
    return [
        NoticeRow(
            name=mask_name(f.member.name),
            enterprise=f.member.enterprise.name,
            category=str(f.get_category_display()),
            notice_start=f.notice_start,
            notice_end=f.notice_end,
        )
        for f in files
    ]


def notice_workbook(rows: Iterable[NoticeRow]):
    """The notice as a write-only workbook, spooled to a temporary file handed to FileResponse."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Public notice"))
    sheet.append([_("Name"), _("Enterprise"), _("Category"), _("Notice from"), _("Notice until")])
    for row in rows:
        sheet.append(
            [
                neutralise(v)
                for v in (
                    row.name,
                    row.enterprise,
                    row.category,
                    row.notice_start.isoformat(),
                    row.notice_end.isoformat(),
                )
            ]
        )
    return spooled(workbook)
