"""The job-finding help's workflows: a chair posts, edits and resubmits a vacancy; the casework staff approve
or return it; the chair (or the staff) extend or close an open one; staff and cadres refer a worker to an
open vacancy, optionally linked to the worker's registry record and grievance case; the referral's outcome;
the daily recording of expiry; the year's figures and the referrals' export.

Each workflow checks who acts, runs in one transaction with the audit actor set, and locks the row it
changes, so a double submit finds the row already moved (or the worker already referred) and is refused
with a clear message, writing nothing."""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case as Conditional
from django.db.models import Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from grievances.models import Case
from members.models import Area, Enterprise, Member
from members.validators import clean_phone
from unionhub import exports

from .models import MAX_OPENINGS, MAX_RUN_DAYS, WAGE_MAX, WAGE_MIN, Referral, Trade, Vacancy
from .permissions import (
    can_approve,
    can_edit,
    can_manage_open,
    can_post,
    can_record_outcome,
    can_refer,
)

Status = Vacancy.Status
Outcome = Referral.Status
# The grievance categories of a worker whose job ended or who asks for work: offered first when linking.
JOB_CATEGORIES = (Case.Category.DISMISSAL, Case.Category.EMPLOYMENT)


def _today() -> datetime.date:
    return timezone.localdate()


def postable_enterprises(user):
    """The enterprises a chair may post for: those their unions cover, still operating."""
    return Enterprise.objects.filter(union__chair=user).exclude(status=Enterprise.Status.CLOSED)


@dataclasses.dataclass
class VacancyData:
    enterprise: Enterprise
    title: str
    trade: str
    openings: int
    wage_min: Decimal
    wage_max: Decimal
    requirements: str
    contact_name: str
    contact_phone: str
    area: Area | None = None
    run_days: int = 30
    publish_wage: bool = True
    publish_enterprise: bool = True
    publish_contact_name: bool = False
    publish_contact_phone: bool = False

    FIELDS = (
        "enterprise",
        "title",
        "trade",
        "openings",
        "wage_min",
        "wage_max",
        "requirements",
        "contact_name",
        "contact_phone",
        "area",
        "run_days",
        "publish_wage",
        "publish_enterprise",
        "publish_contact_name",
        "publish_contact_phone",
    )


def _problems(data: VacancyData, *, by) -> tuple[list[str], str]:
    problems = []
    if not data.title.strip():
        problems.append(_("Give the job a title."))
    if data.trade not in Trade.values:
        problems.append(_("Choose the trade."))
    if not isinstance(data.openings, int) or not 1 <= data.openings <= MAX_OPENINGS:
        problems.append(_("The number of openings is 1 to %(n)d.") % {"n": MAX_OPENINGS})
    wages = (data.wage_min, data.wage_max)
    if any(not isinstance(w, Decimal) or not w.is_finite() for w in wages):
        problems.append(_("Give the wage range in yuan a month."))
    elif any(not WAGE_MIN <= w <= WAGE_MAX for w in wages):
        problems.append(
            _("A monthly wage is between ¥%(low)s and ¥%(high)s.")
            % {"low": WAGE_MIN, "high": f"{WAGE_MAX:,}"}
        )
    elif data.wage_min > data.wage_max:
        problems.append(_("The lowest wage cannot be above the highest."))
    if not data.requirements.strip():
        problems.append(_("Describe the job and what it asks of a worker."))
    if not isinstance(data.run_days, int) or not 1 <= data.run_days <= MAX_RUN_DAYS:
        problems.append(_("A vacancy runs for 1 to %(n)d days.") % {"n": MAX_RUN_DAYS})
    if not data.contact_name.strip():
        problems.append(_("Name the contact person."))
    phone = ""
    try:
        phone = clean_phone(data.contact_phone or "")
    except ValidationError as error:
        problems.extend(error.messages)
    if data.enterprise is None or not postable_enterprises(by).filter(pk=data.enterprise.pk).exists():
        problems.append(_("Choose an enterprise your union covers."))
    return problems, phone


def _apply(vacancy: Vacancy, data: VacancyData, phone: str) -> None:
    for name in VacancyData.FIELDS:
        setattr(vacancy, name, getattr(data, name))
    vacancy.title = data.title.strip()[:60]
    vacancy.requirements = data.requirements.strip()
    vacancy.contact_name = data.contact_name.strip()[:50]
    vacancy.contact_phone = phone
    vacancy.wage_min, vacancy.wage_max = (
        data.wage_min.quantize(Decimal("0.01")),
        data.wage_max.quantize(Decimal("0.01")),
    )
    if vacancy.area_id is None and data.enterprise.union_id is not None:
        vacancy.area_id = data.enterprise.union.area_id


def post_vacancy(*, by, data: VacancyData) -> Vacancy:
    """A chair posts a vacancy of an enterprise their union covers; it waits for the casework staff."""
    if not can_post(by):
        raise PermissionDenied
    problems, phone = _problems(data, by=by)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        vacancy = Vacancy(union_id=data.enterprise.union_id, posted_by=by, submitted_at=timezone.now())
        _apply(vacancy, data, phone)
        vacancy.save()
    return vacancy


def _locked(vacancy: Vacancy) -> Vacancy:
    return Vacancy.objects.select_for_update().select_related("union").get(pk=vacancy.pk)


def update_vacancy(*, vacancy: Vacancy, by, data: VacancyData) -> Vacancy:
    """The posting chair changes a vacancy waiting for approval, or a returned one — which goes back to the
    casework staff (submitted again)."""
    with transaction.atomic(), set_actor(by):
        vacancy = _locked(vacancy)
        if not can_edit(by, vacancy):
            raise PermissionDenied
        problems, phone = _problems(data, by=by)
        if problems:
            raise ValidationError(problems)
        _apply(vacancy, data, phone)
        vacancy.union_id = data.enterprise.union_id
        vacancy.status, vacancy.submitted_at = Status.SUBMITTED, timezone.now()
        vacancy.save()
    return vacancy


def approve_vacancy(*, vacancy: Vacancy, by, on: datetime.date | None = None) -> Vacancy:
    """The casework staff approve a submitted vacancy: it is open from ``on`` (today) to ``on`` + its run."""
    if not can_approve(by):
        raise PermissionDenied
    on = on or _today()
    with transaction.atomic(), set_actor(by):
        vacancy = _locked(vacancy)
        if vacancy.status != Status.SUBMITTED:
            raise ValidationError(_("Only a vacancy waiting for approval can be approved."))
        vacancy.status, vacancy.approved_on, vacancy.approved_by = Status.APPROVED, on, by
        vacancy.expires_on = on + datetime.timedelta(days=vacancy.run_days)
        vacancy.return_reason = ""
        vacancy.save(update_fields=["status", "approved_on", "approved_by", "expires_on", "return_reason"])
    return vacancy


def return_vacancy(*, vacancy: Vacancy, by, reason: str) -> Vacancy:
    """The casework staff send a submitted vacancy back to its chair, saying why (the chair reads it)."""
    if not can_approve(by):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError(_("Say why the vacancy is returned: the chair reads it."))
    with transaction.atomic(), set_actor(by):
        vacancy = _locked(vacancy)
        if vacancy.status != Status.SUBMITTED:
            raise ValidationError(_("Only a vacancy waiting for approval can be returned."))
        vacancy.status, vacancy.return_reason = Status.RETURNED, reason.strip()[:2000]
        vacancy.save(update_fields=["status", "return_reason"])
    return vacancy


def extend_vacancy(*, vacancy: Vacancy, by, days: int, on: datetime.date | None = None) -> Vacancy:
    """Keep an open vacancy listed until ``on`` + ``days`` (1 to 90): later than it now runs. No new approval:
    the post's content does not change (a changed post is closed and posted again), and the extension is in
    the audit trail; the listing never runs more than 90 days ahead of the day it was extended."""
    on = on or _today()
    if not isinstance(days, int) or not 1 <= days <= MAX_RUN_DAYS:
        raise ValidationError(_("A vacancy is extended by 1 to %(n)d days.") % {"n": MAX_RUN_DAYS})
    with transaction.atomic(), set_actor(by):
        vacancy = _locked(vacancy)
        if not can_manage_open(by, vacancy):
            raise PermissionDenied
        if not vacancy.is_open_on(on):
            raise ValidationError(_("Only an open vacancy can be extended; post an expired one again."))
        until = on + datetime.timedelta(days=days)
        if until <= vacancy.expires_on:
            raise ValidationError(
                _("The vacancy already runs until %(day)s.") % {"day": vacancy.expires_on.isoformat()}
            )
        vacancy.expires_on, vacancy.extended_on = until, on
        vacancy.save(update_fields=["expires_on", "extended_on"])
    return vacancy


def close_vacancy(*, vacancy: Vacancy, by, reason: str, on: datetime.date | None = None) -> Vacancy:
    """Close a vacancy early: filled, or withdrawn by the employer. The posting chair closes any of theirs
    that is not closed or expired (a post waiting for approval is withdrawn); the casework staff close an
    open one. Referrals already made keep their course."""
    on = on or _today()
    if reason not in Vacancy.CloseReason.values:
        raise ValidationError(_("Say why the vacancy closes."))
    with transaction.atomic(), set_actor(by):
        vacancy = _locked(vacancy)
        if not can_manage_open(by, vacancy):
            raise PermissionDenied
        if vacancy.status in (Status.CLOSED, Status.EXPIRED) or vacancy.is_expired_on(on):
            raise ValidationError(_("This vacancy is no longer open."))
        if vacancy.status != Status.APPROVED and not can_edit(by, vacancy):
            raise ValidationError(_("Only an open vacancy can be closed."))
        vacancy.status, vacancy.closed_on, vacancy.close_reason = Status.CLOSED, on, reason
        vacancy.save(update_fields=["status", "closed_on", "close_reason"])
    return vacancy


def record_expiry(*, on: datetime.date | None = None) -> int:
    """Record as expired the approved vacancies whose date has passed (the daily ``expire_vacancies``): for
    the lists and the audit trail only — they stopped being listed on the day after ``expires_on`` anyway.
    Running it twice does nothing the second time."""
    on = on or _today()
    with transaction.atomic():
        return Vacancy.objects.filter(status=Status.APPROVED, expires_on__lt=on).update(status=Status.EXPIRED)


# --- referrals ---------------------------------------------------------------------------------------------


def linkable_cases(user):
    """The grievance cases ``user`` may link a referral to — those grievances lets them see (its own
    ``Case.objects.visible_to``) — with the cases of a worker whose job ended or who asks for work first."""
    return (
        Case.objects.visible_to(user)
        .annotate(
            job_first=Conditional(When(category__in=JOB_CATEGORIES, then=Value(0)), default=Value(1)),
        )
        .order_by("job_first", "-received_on", "-pk")
    )


def refer_worker(
    *,
    by,
    vacancy: Vacancy,
    worker_name: str,
    worker_phone: str,
    member: Member | None = None,
    case: Case | None = None,
    note: str = "",
    on: datetime.date | None = None,
) -> Referral:
    """Staff or a cadre refer a worker to an open vacancy. The case, when given, must be one grievances lets
    ``by`` see; the registry record, an active member (from the case's record when none is given). A worker is
    referred to a vacancy once: a second submit is refused."""
    if not can_refer(by):
        raise PermissionDenied
    on = on or _today()
    problems = []
    if not (worker_name or "").strip():
        problems.append(_("Give the worker's name."))
    phone = ""
    try:
        phone = clean_phone(worker_phone or "")
    except ValidationError as error:
        problems.extend(error.messages)
    if case is not None and not linkable_cases(by).filter(pk=case.pk).exists():
        problems.append(_("You cannot link that grievance case."))
    if member is None and case is not None and case.member_id is not None:
        member = Member.objects.filter(pk=case.member_id).first()
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if not vacancy.is_open_on(on):
            raise ValidationError(_("Workers are referred only to an open vacancy."))
        if Referral.objects.filter(vacancy=vacancy, worker_phone=phone).exists():
            raise ValidationError(_("This worker is already referred to this vacancy."))
        try:
            with transaction.atomic():
                return Referral.objects.create(
                    vacancy=vacancy,
                    worker_name=worker_name.strip()[:50],
                    worker_phone=phone,
                    member=member,
                    case=case,
                    referred_by=by,
                    referred_on=on,
                    note=(note or "").strip()[:2000],
                )
        except IntegrityError:
            raise ValidationError(_("This worker is already referred to this vacancy.")) from None


def record_outcome(
    *, referral: Referral, by, to: str, on: datetime.date | None = None, note: str = ""
) -> Referral:
    """Move a referral along: referred → interviewed → hired | not hired, or referred → not hired. Any other
    move is refused and writes nothing. The day is not before the referral nor in the future."""
    on = on or _today()
    with transaction.atomic(), set_actor(by):
        referral = Referral.objects.select_for_update().select_related("vacancy__union").get(pk=referral.pk)
        if not can_record_outcome(by, referral):
            raise PermissionDenied
        if to not in Outcome.values or to not in referral.moves():
            raise ValidationError(
                _("A referral that is %(now)s cannot become %(to)s.")
                % {
                    "now": referral.get_status_display(),
                    "to": Outcome(to).label if to in Outcome.values else to,
                }
            )
        if on < referral.referred_on or on > _today():
            raise ValidationError(_("The day is between the referral and today."))
        if referral.interviewed_on is not None and on < referral.interviewed_on:
            raise ValidationError(_("The outcome cannot come before the interview."))
        referral.status = to
        fields = ["status"]
        if to == Outcome.INTERVIEWED:
            referral.interviewed_on = on
            fields.append("interviewed_on")
        else:
            referral.outcome_on = on
            fields.append("outcome_on")
        if note.strip():
            referral.note = "\n".join(filter(None, [referral.note, note.strip()[:2000]]))
            fields.append("note")
        referral.save(update_fields=fields)
    return referral


# --- figures and export ----------------------------------------------------------------------------------


@dataclasses.dataclass
class YearFigures:
    year: int
    posted: int
    approved: int
    openings: int
    referrals: int
    interviews: int
    hires: int
    not_hired: int
    pending: int
    linked_to_cases: int

    @property
    def hire_rate(self) -> Decimal | None:
        """Hires per referral of the year, in per cent to one decimal (None without referrals)."""
        if not self.referrals:
            return None
        return (Decimal(self.hires) * 100 / Decimal(self.referrals)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def year_figures(year: int, *, area: Area | None = None) -> YearFigures:
    """The year's figures in two queries: vacancies posted (submitted during the year), approved (approved
    during the year) and their openings; referrals made during the year, how many were interviewed (an
    interview recorded, whatever came after), hired, not hired, still pending, and linked to a grievance case.
    ``area`` keeps the vacancies (and the referrals to them) of one grid area."""
    start, end = year_bounds(year)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    vacancies = Vacancy.objects.all() if area is None else Vacancy.objects.filter(area=area)
    in_year = Q(approved_on__gte=first, approved_on__lte=last)
    v = vacancies.aggregate(
        posted=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
        approved=Count("pk", filter=in_year),
        openings=Sum("openings", filter=in_year, default=0, output_field=IntegerField()),
    )
    referrals = Referral.objects.filter(referred_on__gte=first, referred_on__lte=last)
    if area is not None:
        referrals = referrals.filter(vacancy__area=area)
    r = referrals.aggregate(
        n=Count("pk"),
        interviews=Count("pk", filter=Q(interviewed_on__isnull=False)),
        hires=Count("pk", filter=Q(status=Outcome.HIRED)),
        not_hired=Count("pk", filter=Q(status=Outcome.NOT_HIRED)),
        pending=Count("pk", filter=Q(status__in=(Outcome.REFERRED, Outcome.INTERVIEWED))),
        linked=Count("pk", filter=Q(case__isnull=False)),
    )
    return YearFigures(
        year=year,
        posted=v["posted"],
        approved=v["approved"],
        openings=v["openings"] or 0,
        referrals=r["n"],
        interviews=r["interviews"],
        hires=r["hires"],
        not_hired=r["not_hired"],
        pending=r["pending"],
        linked_to_cases=r["linked"],
    )


def export_referrals(year: int):
    """The year's referrals as a workbook (streamed): the worker's name and masked phone, the vacancy, the
    enterprise, who referred, the outcome with its dates, and the linked case's number."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        Referral.objects.filter(referred_on__gte=first, referred_on__lte=last)
        .select_related("vacancy__enterprise", "referred_by", "case")
        .order_by("referred_on", "pk")
    )
    workbook = exports.write_only_workbook()
    sheet = workbook.create_sheet(exports.sheet_name(_("Referrals %(year)d") % {"year": year}, set()))
    sheet.append(
        [
            _("Referred on"),
            _("Worker"),
            _("Phone"),
            _("Job"),
            _("Enterprise"),
            _("Referred by"),
            _("Outcome"),
            _("Interviewed on"),
            _("Outcome on"),
            _("Grievance case"),
        ]
    )
    for ref in rows.iterator(chunk_size=1000):
        sheet.append(
            [
                ref.referred_on.isoformat(),
                exports.neutralise(ref.worker_name),
                ref.masked_phone,
                exports.neutralise(ref.vacancy.title),
                exports.neutralise(ref.vacancy.enterprise.name),
                exports.neutralise(ref.referred_by.name or ref.referred_by.username),
                str(ref.get_status_display()),
                ref.interviewed_on.isoformat() if ref.interviewed_on else "",
                ref.outcome_on.isoformat() if ref.outcome_on else "",
                ref.case.number if ref.case_id else "",
            ]
        )
    return exports.spooled(workbook)


def can_refer_to(user, vacancy: Vacancy, day: datetime.date) -> bool:
    return can_refer(user) and vacancy.is_open_on(day)
