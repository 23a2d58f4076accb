"""Aid programmes and applications: a chair applies for a worker of their union, aid staff decide,
an approval pays out of the hardship fund in the same transaction, payment and referral to the
charity federation (慈善总会) are recorded, and holiday visits (送温暖) are approved by campaign.

Each operation is one transaction run as the acting user (django-auditlog records ``Programme`` and
``Application`` changes with the actor); a refusal is a ``ValidationError`` naming the rule and its
figures, and nothing is written then. Money leaves the fund only through ``aid.services.fund.disburse``."""

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.validators import clean_resident_id
from unionhub.dates import month_bounds
from unionhub.money import ZERO, money
from unionhub.notices import notify
from unionhub.uploads import document_problem

from ..models import Application, HardshipFile, Programme
from ..permissions import can_decide_applications, is_aid_staff
from ..rules import rules
from . import four_eyes, fund

Status = Application.Status
# What counts against the yearly cap: money granted, whether or not the bank transfer has gone out.
GRANTED = (Status.APPROVED, Status.PAID)
# An application that still stands: a second one for the same child or visit is a duplicate.
STANDING = (Status.SUBMITTED, Status.APPROVED, Status.PAID, Status.REFERRED)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,}"


# --- who may do what ------------------------------------------------------------------------------


def _require_decider(user) -> None:
    if not can_decide_applications(user):
        raise PermissionDenied(_("Only aid staff may decide aid applications."))


# --- programmes -----------------------------------------------------------------------------------


def programme_defaults(*, year: int, kind: str) -> dict:
    """What a new programme of this kind starts with: education grants take the rules' range and
    July–August window; temporary relief is open to workers who are not on file."""
    defaults = {"on_file_only": kind != Programme.Kind.TEMPORARY}
    if kind == Programme.Kind.EDUCATION:
        r = rules()
        first, last = r.education_months
        defaults.update(
            min_amount=r.education_min,
            max_amount=r.education_max,
            opens_on=datetime.date(year, first, 1),
            closes_on=month_bounds(year, last)[1],
        )
    return defaults


def _programme_problems(values: dict) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def refuse(field, message):
        problems.setdefault(field, []).append(message)

    for field in ("min_amount", "max_amount", "opens_on", "closes_on"):
        if values[field] is None:
            refuse(field, _("This field is required."))
    if not values["name"].strip():
        refuse("name", _("This field is required."))
    low, high = values["min_amount"], values["max_amount"]
    if low is not None and low <= 0:
        refuse("min_amount", _("The smallest amount must be more than zero."))
    if low is not None and high is not None and high < low:
        refuse(
            "max_amount",
            _("The largest amount (%(high)s) is below the smallest (%(low)s).")
            % {"high": _yuan(high), "low": _yuan(low)},
        )
    if values["budget"] is not None and values["budget"] <= 0:
        refuse("budget", _("The budget must be more than zero, or left empty."))
    if values["opens_on"] and values["closes_on"] and values["closes_on"] < values["opens_on"]:
        refuse(
            "closes_on",
            _("Applications close (%(closes)s) before they open (%(opens)s).")
            % {"closes": values["closes_on"], "opens": values["opens_on"]},
        )
    return problems


def _save_programme(programme: Programme, values: dict, *, by) -> Programme:
    for money_field in ("min_amount", "max_amount", "budget"):
        if values[money_field] is not None:
            values[money_field] = money(values[money_field])
    problems = _programme_problems(values)
    if problems:
        raise ValidationError(problems)
    values["name"], values["description"] = values["name"].strip(), values["description"].strip()
    for field, value in values.items():
        setattr(programme, field, value)
    try:
        with transaction.atomic(), set_actor(by):
            programme.save()
    except IntegrityError:
        raise ValidationError(
            {
                "name": [
                    _("There is already a programme called %(name)s in %(year)d.")
                    % {"name": values["name"], "year": values["year"]}
                ]
            }
        ) from None
    return programme


def create_programme(
    *,
    by,
    year: int,
    kind: str,
    name: str,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    on_file_only: bool | None = None,
    budget: Decimal | None = None,
    description: str = "",
) -> Programme:
    """A new programme; what is left out is taken from ``programme_defaults`` (education grants
    need nothing but a year and a name). Refuses a range or a window out of order."""
    if not by.has_perm("aid.add_programme"):
        raise PermissionDenied(_("Only aid staff may set up aid programmes."))
    given = {
        "min_amount": min_amount,
        "max_amount": max_amount,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "on_file_only": on_file_only,
    }
    values = {**programme_defaults(year=year, kind=kind), **{k: v for k, v in given.items() if v is not None}}
    for field in ("min_amount", "max_amount", "opens_on", "closes_on"):
        values.setdefault(field, None)
    values.update(year=year, kind=kind, name=name, budget=budget, description=description)
    return _save_programme(Programme(), values, by=by)


def update_programme(
    *,
    by,
    programme: Programme,
    year: int,
    kind: str,
    name: str,
    min_amount: Decimal | None,
    max_amount: Decimal | None,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    on_file_only: bool,
    budget: Decimal | None,
    description: str,
) -> Programme:
    """Change a programme. Its year and kind stay as they are once anyone has applied: the
    applications were made, and capped, under them."""
    if not by.has_perm("aid.change_programme"):
        raise PermissionDenied(_("Only aid staff may change aid programmes."))
    if (year, kind) != (programme.year, programme.kind) and programme.applications.exists():
        raise ValidationError(
            _("The year and kind of a programme cannot change once there are applications.")
        )
    if budget is not None and programme.pk and (granted := programme_totals(programme).granted) > budget:
        raise ValidationError(
            {
                "budget": [
                    _("%(granted)s yuan is already granted in this programme; the budget cannot be less.")
                    % {"granted": _yuan(granted)}
                ]
            }
        )
    values = {
        "year": year,
        "kind": kind,
        "name": name,
        "min_amount": min_amount,
        "max_amount": max_amount,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "on_file_only": on_file_only,
        "budget": budget,
        "description": description,
    }
    return _save_programme(programme, values, by=by)


@dataclasses.dataclass(frozen=True)
class ProgrammeTotals:
    approved: Decimal  # approved and waiting for the bank transfer
    paid: Decimal
    budget: Decimal | None

    @property
    def granted(self) -> Decimal:
        return self.approved + self.paid

    @property
    def remaining(self) -> Decimal | None:
        """What the budget still allows: never below zero (approvals beyond the budget are refused)."""
        return None if self.budget is None else max(self.budget - self.granted, ZERO)


def programme_totals(programme: Programme) -> ProgrammeTotals:
    sums = programme.applications.aggregate(
        approved=Sum("approved_amount", filter=Q(status=Status.APPROVED), default=ZERO),
        paid=Sum("approved_amount", filter=Q(status=Status.PAID), default=ZERO),
    )
    return ProgrammeTotals(
        approved=money(sums["approved"]), paid=money(sums["paid"]), budget=programme.budget
    )


def _budget_problem(programme: Programme, amount: Decimal) -> str | None:
    """The budget is a hard limit. Read under the fund's lock (``fund.lock``), so that two approvals
    at the same moment see each other's grants."""
    if programme.budget is None:
        return None
    granted = programme_totals(programme).granted
    if granted + amount <= programme.budget:
        return None
    return _(
        "%(programme)s has a budget of %(budget)s yuan and %(granted)s yuan is already granted; "
        "%(amount)s yuan more would pass the budget (at most %(left)s yuan can still be granted)."
    ) % {
        "programme": programme.name,
        "budget": _yuan(programme.budget),
        "granted": _yuan(granted),
        "amount": _yuan(amount),
        "left": _yuan(max(programme.budget - granted, ZERO)),
    }


def open_programmes(on: datetime.date):
    """Programmes a chair can apply to on this day (holiday visits are made by campaign, not applied for)."""
    return (
        Programme.objects.filter(opens_on__lte=on, closes_on__gte=on)
        .exclude(kind=Programme.Kind.HOLIDAY_VISIT)
        .order_by("closes_on", "name")
    )


# --- the person's yearly cap ----------------------------------------------------------------------


def received_in_year(member: Member, year: int) -> Decimal:
    """What the person (by ID number, whatever their union) has been granted in the calendar year."""
    return _received_by_person([member.id_number], year).get(member.id_number, ZERO)


def _received_by_person(id_numbers: list[str], year: int) -> dict[str, Decimal]:
    rows = (
        Application.objects.filter(
            member__id_number__in=id_numbers, status__in=GRANTED, decided_on__year=year
        )
        .values_list("member__id_number")
        .annotate(total=Sum("approved_amount"))
        .order_by()
    )
    return {id_number: money(total) for id_number, total in rows}


def _cap_problem(member: Member, amount: Decimal, year: int, *, received: Decimal) -> str | None:
    cap = rules().yearly_cap_per_person
    if received + amount <= cap:
        return None
    return _(
        "%(name)s has been granted %(received)s yuan in %(year)d; with %(amount)s yuan more the total "
        "would pass the yearly cap of %(cap)s yuan per person (at most %(left)s yuan more can be granted)."
    ) % {
        "name": member.name,
        "received": _yuan(received),
        "year": year,
        "amount": _yuan(amount),
        "cap": _yuan(cap),
        "left": _yuan(max(cap - received, ZERO)),
    }


def _range_problem(programme: Programme, amount: Decimal) -> str | None:
    if programme.min_amount <= amount <= programme.max_amount:
        return None
    return _("%(programme)s grants from %(low)s to %(high)s yuan; %(amount)s yuan is outside that range.") % {
        "programme": programme.name,
        "low": _yuan(programme.min_amount),
        "high": _yuan(programme.max_amount),
        "amount": _yuan(amount),
    }


def _lock_people(members: Iterable[Member]) -> None:
    """Serialise decisions for these people, so that two approvals at once cannot both pass the cap."""
    list(
        Member.objects.select_for_update()
        .filter(id_number__in=[member.id_number for member in members])
        .values_list("pk", flat=True)
    )


def _active_file(member: Member) -> HardshipFile | None:
    return member.hardship_files.filter(status=HardshipFile.Status.ACTIVE).first()


# --- applying -------------------------------------------------------------------------------------


def _education_problems(
    programme: Programme, *, child_name: str, child_id_number: str, school: str, admission_letter
) -> tuple[list[str], str]:
    """The problems of an education grant's child details, and the child's normalised ID number."""
    problems = []
    if not child_name.strip():
        problems.append(_("An education grant needs the child's name."))
    number = ""
    if not child_id_number.strip():
        problems.append(_("An education grant needs the child's ID number."))
    else:
        try:
            number = clean_resident_id(child_id_number)
        except ValidationError as error:
            problems.append(_("The child's ID number: %(problem)s") % {"problem": error.messages[0]})
    if not school.strip():
        problems.append(_("An education grant needs the university the child was admitted to."))
    if not admission_letter:
        problems.append(_("An education grant needs the admission letter (录取通知书)."))
    elif problem := document_problem(admission_letter):
        problems.append(problem)
    if number:
        earlier = (
            Application.objects.filter(
                programme__kind=Programme.Kind.EDUCATION,
                programme__year=programme.year,
                child_id_number=number,
                status__in=STANDING,
            )
            .select_related("member")
            .first()
        )
        if earlier:
            problems.append(
                _(
                    "%(child)s already has an education grant application in %(year)d (for %(parent)s, "
                    "%(status)s); a child receives one grant a year."
                )
                % {
                    "child": child_name.strip() or earlier.child_name,
                    "year": programme.year,
                    "parent": earlier.member.name,
                    "status": earlier.get_status_display(),
                }
            )
    return problems, number


def apply(
    *,
    by,
    programme: Programme,
    member: Member,
    amount_requested: Decimal,
    reason: str,
    child_name: str = "",
    child_id_number: str = "",
    school: str = "",
    admission_letter=None,
    on: datetime.date | None = None,
) -> Application:
    """A chair's application for a worker of their union (aid staff may apply for anyone). Refused
    with every reason named, and nothing saved, when the window is closed, the worker is not in the
    chair's union, the programme is for workers on file and the worker has no active file, the
    amount is outside the range, or an education grant lacks the child's details or would be a
    second grant for the same child in the year."""
    on = on or timezone.localdate()
    amount = money(amount_requested)
    if not (is_aid_staff(by) or member.union.chair_id == by.pk):
        raise ValidationError(
            _("%(name)s is not a member of your union; a chair applies only for workers of their own union.")
            % {"name": member.name}
        )
    with transaction.atomic(), set_actor(by):
        # One application at a time per programme, so the duplicate checks below see each other.
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        problems = []
        if programme.kind == Programme.Kind.HOLIDAY_VISIT:
            problems.append(
                _("Holiday visits are made by the federation's campaign; they are not applied for.")
            )
        if not programme.is_open_on(on):
            problems.append(
                _("%(programme)s takes applications from %(opens)s to %(closes)s; it is closed on %(day)s.")
                % {
                    "programme": programme.name,
                    "opens": programme.opens_on,
                    "closes": programme.closes_on,
                    "day": on,
                }
            )
        if not member.is_active_member:
            problems.append(
                _("%(name)s's membership is not active (%(status)s).")
                % {"name": member.name, "status": member.get_status_display()}
            )
        hardship_file = _active_file(member)
        if programme.on_file_only and hardship_file is None:
            problems.append(
                _(
                    "%(programme)s is for workers on file in hardship, and %(name)s has no active "
                    "hardship file."
                )
                % {"programme": programme.name, "name": member.name}
            )
        if amount <= 0:
            problems.append(_("The amount must be more than zero."))
        elif problem := _range_problem(programme, amount):
            problems.append(problem)
        if not reason.strip():
            problems.append(_("Say why the worker needs the aid."))
        # A second one waiting is a form sent twice; an education grant is counted per child instead.
        if (
            programme.kind != Programme.Kind.EDUCATION
            and programme.applications.filter(
                member__id_number=member.id_number, status=Status.SUBMITTED
            ).exists()
        ):
            problems.append(
                _("%(name)s already has an application to %(programme)s waiting for a decision.")
                % {"name": member.name, "programme": programme.name}
            )
        child_number = ""
        if programme.kind == Programme.Kind.EDUCATION:
            education_problems, child_number = _education_problems(
                programme,
                child_name=child_name,
                child_id_number=child_id_number,
                school=school,
                admission_letter=admission_letter,
            )
            problems.extend(education_problems)
        if problems:
            raise ValidationError(problems)
        education = programme.kind == Programme.Kind.EDUCATION
        return Application.objects.create(
            programme=programme,
            member=member,
            union=member.union,
            hardship_file=hardship_file,
            submitted_by=by,
            submitted_on=on,
            amount_requested=amount,
            reason=reason.strip(),
            child_name=child_name.strip() if education else "",
            child_id_number=child_number,
            school=school.strip() if education else "",
            admission_letter=admission_letter if education else None,
        )


def withdraw(*, by, application: Application) -> Application:
    """The chair (or aid staff) takes back an application that has not been decided."""
    if not (is_aid_staff(by) or application.union.chair_id == by.pk):
        raise PermissionDenied(_("Only the union's chair or aid staff may withdraw this application."))
    with transaction.atomic(), set_actor(by):
        application = _locked(application, Status.SUBMITTED)
        application.status = Status.WITHDRAWN
        application.save(update_fields=["status"])
    return application


# --- deciding -------------------------------------------------------------------------------------


def _locked(application: Application, expected: str) -> Application:
    """The application's row, locked for this transaction, in the status the operation starts from:
    a form submitted twice finds the first submission's result and is refused."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "member", "union")
        .get(pk=application.pk)
    )
    if locked.status != expected:
        raise ValidationError(
            _("This cannot be done: the application is “%(status)s”, not “%(expected)s”.")
            % {"status": locked.get_status_display(), "expected": Status(expected).label}
        )
    return locked


def _tell_chair(application: Application, *, event: str, title: str, body: str, by) -> None:
    chair = application.submitted_by
    if chair is not None and chair.pk != by.pk:
        notify(
            user=chair,
            key=f"aid-application:{application.pk}:{event}",
            title=title,
            body=body,
            url=application.get_absolute_url(),
        )


def _disbursement_description(application: Application) -> str:
    return _("%(programme)s: %(name)s (application %(number)d)") % {
        "programme": application.programme.name,
        "name": application.member.name,
        "number": application.pk,
    }


def approve(
    *, by, application: Application, amount: Decimal, note: str = "", on: datetime.date | None = None
) -> Application:
    """Approve a submitted application for ``amount`` and pay it out of the fund, in one transaction.
    Refused (nothing written) when ``by`` submitted it (four eyes), the amount is outside the
    programme's range, would take the person past the yearly cap or the programme past its budget,
    or is more than the fund holds."""
    _require_decider(by)
    on = on or timezone.localdate()
    amount = money(amount)
    with transaction.atomic(), four_eyes.audited(by):
        application = _locked(application, Status.SUBMITTED)
        four_eyes.check(by=by, proposer_id=application.submitted_by_id)
        if problem := _range_problem(application.programme, amount):
            raise ValidationError(problem)
        _lock_people([application.member])
        if problem := _cap_problem(
            application.member, amount, on.year, received=received_in_year(application.member, on.year)
        ):
            raise ValidationError(problem)
        # The budget is read under the fund's lock, the lock the disbursement below takes as well.
        fund.lock()
        if problem := _budget_problem(application.programme, amount):
            raise ValidationError(problem)
        entry = fund.disburse(
            amount=amount,
            programme=application.programme,
            by=by,
            on=on,
            description=_disbursement_description(application),
        )
        application.status = Status.APPROVED
        application.approved_amount, application.decided_by, application.decided_on = amount, by, on
        application.decision_note, application.disbursement = note.strip(), entry
        application.save(
            update_fields=[
                "status",
                "approved_amount",
                "decided_by",
                "decided_on",
                "decision_note",
                "disbursement",
            ]
        )
    _tell_chair(
        application,
        event=f"approved:{entry.pk}",
        by=by,
        title=_("Aid approved"),
        body=_("%(programme)s for %(name)s: %(amount)s yuan approved.")
        % {"programme": application.programme.name, "name": application.member.name, "amount": _yuan(amount)},
    )
    return application


def reject(*, by, application: Application, reason: str, on: datetime.date | None = None) -> Application:
    _require_decider(by)
    if not reason.strip():
        raise ValidationError(_("Say why the application is rejected."))
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        application = _locked(application, Status.SUBMITTED)
        application.status = Status.REJECTED
        application.decided_by, application.decided_on, application.decision_note = by, on, reason.strip()
        application.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    _tell_chair(
        application,
        event="rejected",
        by=by,
        title=_("Aid application rejected"),
        body=_("%(programme)s for %(name)s was rejected: %(reason)s")
        % {
            "programme": application.programme.name,
            "name": application.member.name,
            "reason": application.decision_note,
        },
    )
    return application


def record_payment(*, by, application: Application, paid_on: datetime.date, reference: str) -> Application:
    """The bank transfer to the worker went out: approved → paid."""
    _require_decider(by)
    if not reference.strip():
        raise ValidationError(_("Give the bank transfer reference."))
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date %(day)s is in the future.") % {"day": paid_on})
    with transaction.atomic(), set_actor(by):
        application = _locked(application, Status.APPROVED)
        if paid_on < application.decided_on:
            raise ValidationError(
                _("The payment date %(day)s is before the approval (%(approved)s).")
                % {"day": paid_on, "approved": application.decided_on}
            )
        application.status = Status.PAID
        application.paid_on, application.payment_reference = paid_on, reference.strip()[:60]
        application.save(update_fields=["status", "paid_on", "payment_reference"])
    return application


def cancel_approval(
    *, by, application: Application, reason: str, on: datetime.date | None = None
) -> Application:
    """Undo an approval whose money has not gone out: its disbursement is reversed (the fund gets
    the money back) and the application returns to *submitted*, to be decided again — approved
    for the right amount, or rejected. The ledger keeps both entries; the audit trail the change."""
    _require_decider(by)
    if not reason.strip():
        raise ValidationError(_("Say why the approval is cancelled."))
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        application = _locked(application, Status.APPROVED)
        fund.reverse(entry=application.disbursement, reason=reason, by=by, on=on)
        application.status = Status.SUBMITTED
        application.approved_amount = application.decided_by = application.decided_on = None
        application.disbursement = None
        application.decision_note = _("Approval cancelled on %(day)s: %(reason)s") % {
            "day": on,
            "reason": reason.strip(),
        }
        application.save(
            update_fields=[
                "status",
                "approved_amount",
                "decided_by",
                "decided_on",
                "disbursement",
                "decision_note",
            ]
        )
    return application


def refer_to_charity(
    *, by, application: Application, note: str, on: datetime.date | None = None
) -> Application:
    """Pass a submitted application to the charity federation (慈善总会), typically a need beyond
    what the fund may grant. No money leaves the fund."""
    _require_decider(by)
    if not note.strip():
        raise ValidationError(_("Say why the application is referred and what was sent."))
    on = on or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        application = _locked(application, Status.SUBMITTED)
        application.status = Status.REFERRED
        application.referred_on = application.decided_on = on
        application.decided_by, application.decision_note = by, note.strip()
        application.save(update_fields=["status", "referred_on", "decided_on", "decided_by", "decision_note"])
    _tell_chair(
        application,
        event="referred",
        by=by,
        title=_("Aid application referred to the charity federation"),
        body=_("%(programme)s for %(name)s was referred to the charity federation: %(note)s")
        % {
            "programme": application.programme.name,
            "name": application.member.name,
            "note": application.decision_note,
        },
    )
    return application


def record_referral_outcome(
    *, by, application: Application, outcome: str, amount_received: Decimal
) -> Application:
    """What the charity federation decided and what it paid the worker (0 when it declined). The
    money goes to the worker directly, not through the fund; a later correction is audited."""
    _require_decider(by)
    amount = money(amount_received)
    if not outcome.strip():
        raise ValidationError(_("Describe the charity federation's decision."))
    if amount < 0:
        raise ValidationError(_("The amount received cannot be negative."))
    with transaction.atomic(), set_actor(by):
        application = _locked(application, Status.REFERRED)
        application.referral_outcome, application.charity_amount = outcome.strip(), amount
        application.save(update_fields=["referral_outcome", "charity_amount"])
    return application


# --- holiday visits (送温暖) ------------------------------------------------------------------------


def visit_candidates(programme: Programme, *, union=None):
    """Active hardship files (of one union, or all) whose worker has no standing visit in the campaign."""
    visited = programme.applications.filter(status__in=STANDING).values("member__id_number")
    files = (
        HardshipFile.objects.filter(
            status=HardshipFile.Status.ACTIVE, member__status__in=Member.ACTIVE_STATUSES
        )
        .exclude(member__id_number__in=visited)
        .select_related("member", "union")
        .order_by("union__code", "member__name", "pk")
    )
    return files.filter(union=union) if union is not None else files


def visit_batch(
    *, by, programme: Programme, members: Iterable[Member], amount_each: Decimal, on: datetime.date
) -> list[Application]:
    """A holiday-visit campaign's grants for many workers at once, all in one transaction. With four
    eyes on (the default) they are proposed: one submitted application each, which another staff
    member approves and pays (``approve_visits``); with four eyes off, approved with one
    disbursement each at once. Refused whole, with every problem named, when the campaign is
    closed, the amount is outside its range, a worker is not eligible or already visited, any
    person would pass the yearly cap, the budget would be passed, or the fund cannot pay them all."""
    _require_decider(by)
    amount = money(amount_each)
    members = list({member.pk: member for member in members}.values())
    if not members:
        raise ValidationError(_("Choose the workers to visit."))
    proposing = four_eyes.required()
    with transaction.atomic(), four_eyes.audited(by):
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        problems = []
        if programme.kind != Programme.Kind.HOLIDAY_VISIT:
            problems.append(
                _("%(programme)s is not a holiday-visit campaign.") % {"programme": programme.name}
            )
        if not programme.is_open_on(on):
            problems.append(
                _("%(programme)s runs from %(opens)s to %(closes)s; %(day)s is outside it.")
                % {
                    "programme": programme.name,
                    "opens": programme.opens_on,
                    "closes": programme.closes_on,
                    "day": on,
                }
            )
        if problem := _range_problem(programme, amount):
            problems.append(problem)
        files = {
            file.member_id: file
            for file in HardshipFile.objects.filter(member__in=members, status=HardshipFile.Status.ACTIVE)
        }
        visited = set(
            programme.applications.filter(
                status__in=STANDING, member__id_number__in=[member.id_number for member in members]
            ).values_list("member__id_number", flat=True)
        )
        _lock_people(members)
        received = _received_by_person([member.id_number for member in members], on.year)
        for member in members:
            if not member.is_active_member:
                problems.append(
                    _("%(name)s's membership is not active (%(status)s).")
                    % {"name": member.name, "status": member.get_status_display()}
                )
            if programme.on_file_only and member.pk not in files:
                problems.append(
                    _(
                        "%(programme)s is for workers on file in hardship, and %(name)s has no active "
                        "hardship file."
                    )
                    % {"programme": programme.name, "name": member.name}
                )
            if member.id_number in visited:
                problems.append(
                    _("%(name)s has already been visited in %(programme)s.")
                    % {"name": member.name, "programme": programme.name}
                )
            if problem := _cap_problem(
                member, amount, on.year, received=received.get(member.id_number, ZERO)
            ):
                problems.append(problem)
        fund.lock()
        if problem := _budget_problem(programme, amount * len(members)):
            problems.append(problem)
        total, available = amount * len(members), fund.balance()
        if total > available:
            problems.append(
                _("%(count)d visits of %(amount)s yuan need %(total)s yuan; the fund holds %(balance)s yuan.")
                % {
                    "count": len(members),
                    "amount": _yuan(amount),
                    "total": _yuan(total),
                    "balance": _yuan(available),
                }
            )
        if problems:
            raise ValidationError(problems)
        granted = []
        for member in members:
            application = Application.objects.create(
                programme=programme,
                member=member,
                union=member.union,
                hardship_file=files.get(member.pk),
                submitted_by=by,
                submitted_on=on,
                amount_requested=amount,
                reason=_("Holiday visit: %(programme)s") % {"programme": programme.name},
                **(
                    {}
                    if proposing
                    else {
                        "status": Status.APPROVED,
                        "approved_amount": amount,
                        "decided_by": by,
                        "decided_on": on,
                    }
                ),
            )
            if proposing:
                granted.append(application)
                continue
            # disburse checks the balance again under the fund's lock: a shortfall undoes the whole batch.
            application.disbursement = fund.disburse(
                amount=amount,
                programme=programme,
                by=by,
                on=on,
                description=_disbursement_description(application),
            )
            application.save(update_fields=["disbursement"])
            granted.append(application)
    return granted


def approve_visits(*, by, programme: Programme, on: datetime.date | None = None) -> list[Application]:
    """Approve and pay every visit proposed in a holiday-visit campaign, all or nothing: each one as
    ``approve`` does (four eyes, the range, the yearly cap, the budget, the fund)."""
    _require_decider(by)
    with transaction.atomic(), four_eyes.audited(by):
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.kind != Programme.Kind.HOLIDAY_VISIT:
            raise ValidationError(
                _("%(programme)s is not a holiday-visit campaign.") % {"programme": programme.name}
            )
        proposed = list(programme.applications.filter(status=Status.SUBMITTED).order_by("pk"))
        if not proposed:
            raise ValidationError(
                _("No visits are waiting for approval in %(programme)s.") % {"programme": programme.name}
            )
        return [
            approve(by=by, application=application, amount=application.amount_requested, on=on)
            for application in proposed
        ]
