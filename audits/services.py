"""Finance and dues audits (经费审计): the year's plan proposed from the registry and casework, the audits'
teams, checklists and findings, and the rectifications the audited unions' chairs answer.

Selection rules (``propose_plan``), each giving a reason with its detail:

- rotation: every active union at least once in ``cycle_years`` (the plan's, default 3): a union last audited
  ``cycle_years`` or more years before the plan's year is due; a union never audited is due in its turn — the
  year whose remainder by the cycle equals its position (in code order) by the cycle — so the first cycle is
  spread over its years, and in any case once the first plan on record is a full cycle old;
- arrears: a dues period of the union past its due date by ``ARREARS_DAYS`` and not fully paid, as of ``on``
  (``members`` ``DuesPeriod.objects.in_arrears``);
- payroll: the union's last two declared periods before ``on`` differ by more than ``PAYROLL_CHANGE`` in
  monthly payroll or in members declared;
- complaints: casework has no category for the use of union funds, so a grievance case received in the
  ``LOOKBACK_DAYS`` before ``on`` at an enterprise of the union whose description names union funds
  (``FUND_WORDS``) counts as a complaint about fund use;
- chair change: a handover (换届, ``members`` ``ChairChange``) in the ``LOOKBACK_DAYS`` before ``on``; it also
  makes the audit a departure audit (离任审计);
- manual: staff add a union by hand (``add_audit``).

Every write is one transaction run with the acting user set (django-auditlog); the duty is checked here."""

import dataclasses
import datetime
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from grievances.models import Case
from members.models import ChairChange, DuesPeriod, GrassrootsUnion
from unionhub.certificates import federation_name
from unionhub.exports import exact_number, neutralise, spooled, write_only_workbook
from unionhub.notices import notify
from unionhub.pdf import render_template_pdf
from unionhub.uploads import DOCUMENTS, UploadPolicy
from unionhub.workdays import working_days_after

from . import permissions
from .models import (
    DEFAULT_CYCLE_YEARS,
    Area,
    Audit,
    AuditPlan,
    AuditType,
    ChecklistItem,
    ChecklistResult,
    Finding,
    FindingEvidence,
    Reason,
    Rectification,
    RectificationEvidence,
)

YEAR_MIN, YEAR_MAX = 2000, 2100
ARREARS_DAYS = 90
PAYROLL_CHANGE = Decimal("0.30")
LOOKBACK_DAYS = 365
FUND_WORDS = ("工会经费", "会费", "经费使用", "福利费", "慰问金")
RECTIFICATION_WORKING_DAYS = 20  # a finding's default deadline, in working days after it is recorded
AMOUNT_MAX = Decimal("1000000000.00")  # ten hundred million yuan: beyond any union's accounts
TEXT_MAX = 5000
EVIDENCE_POLICY = UploadPolicy(
    kinds=DOCUMENTS.kinds,
    max_bytes=DOCUMENTS.max_bytes,
    refusal=DOCUMENTS.refusal,
    mismatch=DOCUMENTS.mismatch,
    accept=DOCUMENTS.accept,
)
AGE_BANDS = (  # (label, from days, to days) of an open finding's age
    (gettext_lazy("under 30 days"), 0, 29),
    (gettext_lazy("30–89 days"), 30, 89),
    (gettext_lazy("90–179 days"), 90, 179),
    (gettext_lazy("180 days or more"), 180, None),
)


@dataclasses.dataclass
class Selection:
    union: GrassrootsUnion
    reasons: list[str]  # Reason values, in Reason order
    details: list[str]  # one line per reason

    def line(self) -> str:
        return f"{self.union.code} {self.union.name} " + "; ".join(self.details)

    def detail(self) -> str:
        return "; ".join(self.details)


def check_year(year) -> int:
    """The plan's year as an int, or a ValidationError naming the range."""
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("The year must be a number such as 2026.")) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            _("The year must be between %(min)d and %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return year


def default_on(year: int, today: datetime.date | None = None) -> datetime.date:
    """As of when the risks are read: today for this year's or a later plan; a past year's as of its start."""
    today = today or timezone.localdate()
    return today if year >= today.year else datetime.date(year, 1, 1)


def _last_audited(before_year: int) -> dict[int, int]:
    return dict(
        Audit.objects.filter(plan__year__lt=before_year)
        .values("union")
        .annotate(last=Max("plan__year"))
        .values_list("union", "last")
        .order_by()
    )


def _rotation(unions, year: int, cycle: int) -> dict[int, str]:
    last = _last_audited(year)
    first_plan = (
        AuditPlan.objects.filter(year__lt=year).order_by("year").values_list("year", flat=True).first()
    )
    due = {}
    for position, union in enumerate(unions):
        audited = last.get(union.pk)
        if audited is not None:
            if year - audited >= cycle:
                due[union.pk] = _("rotation: last audited %(year)d") % {"year": audited}
        elif position % cycle == year % cycle or (first_plan is not None and year - first_plan >= cycle):
            due[union.pk] = _("rotation: never audited")
    return due


def _arrears(on: datetime.date) -> dict[int, str]:
    late = (
        DuesPeriod.objects.in_arrears(on - datetime.timedelta(days=ARREARS_DAYS))
        .values("union")
        .annotate(n=Count("pk", distinct=True))
        .values_list("union", "n")
        .order_by()
    )
    return {
        union: ngettext(
            "arrears: %(n)d period more than %(days)d days overdue",
            "arrears: %(n)d periods more than %(days)d days overdue",
            n,
        )
        % {"n": n, "days": ARREARS_DAYS}
        for union, n in late
    }


def _changed(before, after) -> Decimal | None:
    if before is None or after is None or not before:
        return None
    change = (Decimal(after) - Decimal(before)) / Decimal(before)
    return change if abs(change) > PAYROLL_CHANGE else None


def _payroll(on: datetime.date) -> dict[int, str]:
    rows = (
        DuesPeriod.objects.filter(end__lt=on, funds_due__isnull=False, payroll_total__isnull=False)
        .order_by("union_id", "-end")
        .values_list("union_id", "payroll_total", "declared_members")
    )
    found, seen = {}, {}
    for union, payroll, members in rows.iterator(chunk_size=2000):
        seen.setdefault(union, []).append((payroll, members))
    for union, periods in seen.items():
        if len(periods) < 2:
            continue
        (after_pay, after_members), (before_pay, before_members) = periods[0], periods[1]
        if (change := _changed(before_pay, after_pay)) is not None:
            found[union] = _("payroll change: %(before)s → %(after)s (%(change)+.0f%%)") % {
                "before": f"{before_pay:,.2f}",
                "after": f"{after_pay:,.2f}",
                "change": change * 100,
            }
        elif (change := _changed(before_members, after_members)) is not None:
            found[union] = _("members declared: %(before)d → %(after)d (%(change)+.0f%%)") % {
                "before": before_members,
                "after": after_members,
                "change": change * 100,
            }
    return found


def _complaints(on: datetime.date) -> dict[int, str]:
    words = Q()
    for word in FUND_WORDS:
        words |= Q(description__contains=word)
    cases = (
        Case.objects.filter(
            words,
            enterprise__union__isnull=False,
            received_on__gt=on - datetime.timedelta(days=LOOKBACK_DAYS),
            received_on__lte=on,
        )
        .values("enterprise__union")
        .annotate(n=Count("pk"))
        .values_list("enterprise__union", "n")
        .order_by()
    )
    return {union: _("complaints about fund use: %(n)d") % {"n": n} for union, n in cases}


def _chair_changes(on: datetime.date) -> dict[int, str]:
    changes = (
        ChairChange.objects.filter(on__gt=on - datetime.timedelta(days=LOOKBACK_DAYS), on__lte=on)
        .values("union")
        .annotate(last=Max("on"))
        .values_list("union", "last")
        .order_by()
    )
    return {union: _("chair changed on %(date)s") % {"date": last.isoformat()} for union, last in changes}


def propose_plan(year, *, on: datetime.date | None = None, cycle_years: int | None = None) -> list[Selection]:
    """The unions the year's plan should audit, each once with every reason that applies, in code order.
    Saves nothing. ``cycle_years``: the year's plan's own if it exists, else ``DEFAULT_CYCLE_YEARS``."""
    year = check_year(year)
    if cycle_years is None:
        cycle_years = (
            AuditPlan.objects.filter(year=year).values_list("cycle_years", flat=True).first()
            or DEFAULT_CYCLE_YEARS
        )
    on = on or default_on(year)
    unions = list(GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE).order_by("code"))
    rules = [
        (Reason.ROTATION, _rotation(unions, year, cycle_years)),
        (Reason.ARREARS, _arrears(on)),
        (Reason.PAYROLL, _payroll(on)),
        (Reason.COMPLAINTS, _complaints(on)),
        (Reason.CHAIR_CHANGE, _chair_changes(on)),
    ]
    selected = []
    for union in unions:
        hits = [(reason, found[union.pk]) for reason, found in rules if union.pk in found]
        if hits:
            selected.append(Selection(union, [r.value for r, _d in hits], [d for _r, d in hits]))
    return selected


def kind_for(reasons) -> str:
    """A change of chair calls for a departure audit; arrears alone for a dues audit; else the annual one."""
    if Reason.CHAIR_CHANGE in reasons:
        return AuditType.DEPARTURE
    if set(reasons) - {Reason.ROTATION} == {Reason.ARREARS}:
        return AuditType.DUES
    return AuditType.ANNUAL


def _plan_for(year: int, by, cycle_years: int | None) -> AuditPlan:
    plan, created = AuditPlan.objects.get_or_create(
        year=year, defaults={"created_by": by, "cycle_years": cycle_years or DEFAULT_CYCLE_YEARS}
    )
    return plan


def save_plan(*, year, by, on: datetime.date | None = None, cycle_years: int | None = None):
    """Create the year's plan (if missing) and add an audit for each proposed union not in it yet. Returns
    ``(plan, added audits)``; running it twice adds nothing the second time."""
    if not permissions.can_plan(by):
        raise PermissionDenied
    year = check_year(year)
    if cycle_years is not None and not 1 <= cycle_years <= 10:
        raise ValidationError(_("The rotation cycle is 1 to 10 years."))
    with transaction.atomic(), set_actor(by):
        plan = _plan_for(year, by, cycle_years)
        plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
        proposal = propose_plan(year, on=on, cycle_years=plan.cycle_years)
        present = set(plan.audits.values_list("union_id", flat=True))
        added = Audit.objects.bulk_create(
            [
                Audit(
                    plan=plan,
                    union=s.union,
                    kind=kind_for(s.reasons),
                    reasons=s.reasons,
                    reason_detail=s.detail()[:500],
                )
                for s in proposal
                if s.union.pk not in present
            ]
        )
    return plan, added


def add_audit(*, year, union: GrassrootsUnion, by, note: str = "", kind: str = AuditType.ANNUAL) -> Audit:
    """Add a union to the year's plan by hand (the plan is made if missing)."""
    if not permissions.can_plan(by):
        raise PermissionDenied
    year = check_year(year)
    if kind not in AuditType.values:
        raise ValidationError(_("Choose the audit type."))
    with transaction.atomic(), set_actor(by):
        plan = AuditPlan.objects.select_for_update().get(pk=_plan_for(year, by, None).pk)
        if plan.audits.filter(union=union).exists():
            raise ValidationError(
                _("%(union)s is already in the %(year)d plan.") % {"union": union, "year": year}
            )
        detail = _("chosen by hand") + (f": {note.strip()}" if note.strip() else "")
        try:
            with transaction.atomic():
                return Audit.objects.create(
                    plan=plan, union=union, kind=kind, reasons=[Reason.MANUAL], reason_detail=detail[:500]
                )
        except IntegrityError:
            raise ValidationError(
                _("%(union)s is already in the %(year)d plan.") % {"union": union, "year": year}
            ) from None


def remove_audit(*, audit: Audit, by) -> None:
    """Take a union out of the plan: only while the audit is planned and has no findings or results."""
    if not permissions.can_plan(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.state != Audit.State.PLANNED or audit.findings.exists() or audit.results.exists():
            raise ValidationError(_("Only an audit that has not started can be taken out of the plan."))
        audit.delete()


def set_team(
    *, audit: Audit, by, kind: str, lead, team, fieldwork_from, fieldwork_to, working_notes: str = ""
) -> Audit:
    """The audit type, the auditor in charge, the team (all holding the audit duty) and the fieldwork dates."""
    if not permissions.can_audit(by):
        raise PermissionDenied
    problems = []
    if kind not in AuditType.values:
        problems.append(_("Choose the audit type."))
    team = list(team or [])
    if lead is not None and lead not in team:
        team.append(lead)
    if any(not permissions.is_auditor(person) for person in team):
        problems.append(_("The audit team is made of staff holding the audit duty."))
    if fieldwork_from and fieldwork_to and fieldwork_to < fieldwork_from:
        problems.append(_("The fieldwork cannot end before it begins."))
    for day in (fieldwork_from, fieldwork_to):
        if day and abs(day.year - audit.plan.year) > 1:
            problems.append(
                _("The fieldwork dates must fall near the plan's year %(year)d.") % {"year": audit.plan.year}
            )
            break
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.state == Audit.State.COMPLETED:
            raise ValidationError(_("The audit is completed."))
        audit.kind, audit.lead = kind, lead
        audit.fieldwork_from, audit.fieldwork_to = fieldwork_from, fieldwork_to
        audit.working_notes = working_notes.strip()[:TEXT_MAX]
        audit.save(update_fields=["kind", "lead", "fieldwork_from", "fieldwork_to", "working_notes"])
        audit.team.set(team)
    return audit


def checklist_for(audit: Audit) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(kind=audit.kind, active=True))


def record_checklist(*, audit: Audit, by, results: dict) -> Audit:
    """``{item pk: (result, note)}`` for the audit type's checklist; an empty result is left unanswered.
    The audit moves to fieldwork."""
    if not permissions.can_audit(by):
        raise PermissionDenied
    items = {item.pk: item for item in checklist_for(audit)}
    problems = []
    clean = {}
    for pk, (result, note) in results.items():
        if not result:
            continue
        if pk not in items or result not in ChecklistResult.Result.values:
            problems.append(_("A checklist answer is not for this audit's checklist; reload the page."))
            continue
        note = (note or "").strip()
        if result == ChecklistResult.Result.FINDING and not note:
            problems.append(_("%(item)s: say what was found.") % {"item": items[pk].title})
        clean[pk] = (result, note[:500])
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.state == Audit.State.COMPLETED:
            raise ValidationError(_("The audit is completed."))
        for pk, (result, note) in clean.items():
            ChecklistResult.objects.update_or_create(
                audit=audit, item_id=pk, defaults={"result": result, "note": note}
            )
        if audit.state == Audit.State.PLANNED:
            audit.state = Audit.State.FIELDWORK
            audit.save(update_fields=["state"])
    return audit


def _amount(value, label) -> list[str]:
    if value is None:
        return [_("%(field)s: give an amount (0 if none).") % {"field": label}]
    if not Decimal(value).is_finite() or value < 0:
        return [_("%(field)s cannot be negative.") % {"field": label}]
    if value > AMOUNT_MAX:
        return [_("%(field)s is too large.") % {"field": label}]
    if value != value.quantize(Decimal("0.01")):
        return [_("%(field)s is in yuan to the cent.") % {"field": label}]
    return []


def default_deadline(day: datetime.date) -> datetime.date:
    return working_days_after(day, RECTIFICATION_WORKING_DAYS)


def add_finding(
    *,
    audit: Audit,
    by,
    category: str,
    severity: str,
    description: str,
    amount_involved: Decimal,
    amount_recovered: Decimal = Decimal(0),
    deadline: datetime.date | None = None,
    files=(),
) -> Finding:
    """Record a finding with its evidence; it becomes a rectification for the union's chair, due by
    ``deadline`` (default: ``RECTIFICATION_WORKING_DAYS`` working days from today)."""
    if not permissions.can_audit(by):
        raise PermissionDenied
    today = timezone.localdate()
    problems = []
    if category not in Area.values:
        problems.append(_("Choose the finding's category."))
    if severity not in Finding.Severity.values:
        problems.append(_("Choose the finding's severity."))
    if not (description or "").strip():
        problems.append(_("Describe the finding."))
    problems += _amount(amount_involved, _("Amount involved"))
    problems += _amount(amount_recovered, _("Amount recovered so far"))
    if not problems and amount_recovered > amount_involved:
        problems.append(_("The amount recovered cannot exceed the amount involved."))
    if deadline is not None and not today <= deadline <= today + datetime.timedelta(days=366):
        problems.append(_("The deadline must be from today to a year from now."))
    problems += EVIDENCE_POLICY.problems(files)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.state == Audit.State.COMPLETED:
            raise ValidationError(_("The audit is completed."))
        finding = Finding.objects.create(
            audit=audit,
            category=category,
            severity=severity,
            description=description.strip()[:TEXT_MAX],
            amount_involved=amount_involved,
            amount_recovered=amount_recovered,
            recorded_by=by,
            recorded_on=today,
        )
        for upload in files:
            FindingEvidence.objects.create(finding=finding, file=upload, name=str(upload.name)[:200])
        rectification = Rectification.objects.create(
            finding=finding, deadline=deadline or default_deadline(today)
        )
        _notify_chair(rectification, audit, returned=False)
        if audit.state == Audit.State.PLANNED:
            audit.state = Audit.State.FIELDWORK
            audit.save(update_fields=["state"])
    return finding


def set_recovered(*, finding: Finding, by, amount_recovered: Decimal) -> Finding:
    if not permissions.can_audit(by):
        raise PermissionDenied
    problems = _amount(amount_recovered, _("Amount recovered so far"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if amount_recovered > finding.amount_involved:
            raise ValidationError(_("The amount recovered cannot exceed the amount involved."))
        finding.amount_recovered = amount_recovered
        finding.save(update_fields=["amount_recovered"])
    return finding


def complete_audit(*, audit: Audit, by, conclusion: str) -> Audit:
    if not permissions.can_audit(by):
        raise PermissionDenied
    if not (conclusion or "").strip():
        raise ValidationError(_("Write the audit's conclusion."))
    with transaction.atomic(), set_actor(by):
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.state == Audit.State.COMPLETED:
            raise ValidationError(_("The audit is already completed."))
        audit.state, audit.conclusion = Audit.State.COMPLETED, conclusion.strip()[:TEXT_MAX]
        audit.completed_on = timezone.localdate()
        audit.save(update_fields=["state", "conclusion", "completed_on"])
    return audit


# --- rectifications ------------------------------------------------------------------------------------


def _locked(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().get(pk=rectification.pk)


def respond(*, rectification: Rectification, by, text: str, files=()) -> Rectification:
    """The chair's answer (open or sent back → responded), with evidence files."""
    union = rectification.finding.audit.union
    if not (union.chair_id and union.chair_id == by.pk):
        raise PermissionDenied
    problems = []
    if not (text or "").strip():
        problems.append(_("Say how the finding was rectified."))
    problems += EVIDENCE_POLICY.problems(files)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        rectification = _locked(rectification)
        if rectification.state not in (Rectification.State.OPEN, Rectification.State.RETURNED):
            raise ValidationError(
                _("This rectification is %(state)s: it cannot be answered now.")
                % {"state": rectification.get_state_display()}
            )
        rectification.state = Rectification.State.RESPONDED
        rectification.response = text.strip()[:TEXT_MAX]
        rectification.responded_by, rectification.responded_at = by, timezone.now()
        rectification.rounds += 1
        rectification.save(update_fields=["state", "response", "responded_by", "responded_at", "rounds"])
        for upload in files:
            RectificationEvidence.objects.create(
                rectification=rectification, file=upload, name=str(upload.name)[:200]
            )
    return rectification


def _decide(rectification: Rectification, by, state: str, reason: str = "") -> Rectification:
    if not permissions.can_decide_rectification(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        rectification = _locked(rectification)
        if rectification.state != Rectification.State.RESPONDED:
            raise ValidationError(
                _("This rectification is %(state)s: only a response can be accepted or sent back.")
                % {"state": rectification.get_state_display()}
            )
        rectification.state, rectification.return_reason = state, reason
        rectification.decided_by, rectification.decided_at = by, timezone.now()
        rectification.save(update_fields=["state", "return_reason", "decided_by", "decided_at"])
    return rectification


def accept(*, rectification: Rectification, by) -> Rectification:
    return _decide(rectification, by, Rectification.State.ACCEPTED)


def send_back(*, rectification: Rectification, by, reason: str, deadline: datetime.date | None = None):
    """Send the response back with the reason; the chair answers again (by a new deadline if given)."""
    if not (reason or "").strip():
        raise ValidationError(_("Say why the response is sent back."))
    today = timezone.localdate()
    if deadline is not None and not today <= deadline <= today + datetime.timedelta(days=366):
        raise ValidationError(_("The deadline must be from today to a year from now."))
    with transaction.atomic():
        rectification = _decide(rectification, by, Rectification.State.RETURNED, reason.strip()[:TEXT_MAX])
        if deadline is not None:
            Rectification.objects.filter(pk=rectification.pk).update(deadline=deadline)
            rectification.deadline = deadline
        _notify_chair(rectification, rectification.finding.audit, returned=True)
    return rectification


def _notify_chair(rectification: Rectification, audit: Audit, *, returned: bool) -> None:
    chair = audit.union.chair
    if chair is None or not chair.is_active:
        return
    values = {"year": audit.plan.year, "date": rectification.deadline.isoformat()}
    notify(
        user=chair,
        key=f"audit-rectification:{rectification.pk}:{rectification.rounds}:{int(returned)}",
        kind="audit_rectification",
        title=(
            _("An audit rectification was sent back: answer by %(date)s")
            if returned
            else _("The %(year)d audit asks for a rectification by %(date)s")
        )
        % values,
        url=rectification.get_absolute_url(),
        due=rectification.deadline,
    )


# --- the district view -------------------------------------------------------------------------------


def coverage(year: int, cycle_years: int) -> dict:
    """Unions audited (completed audits) this year and over the cycle ending with it, out of the active
    unions; planned counts too."""
    active = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE)
    total = active.count()
    audits = Audit.objects.filter(union__in=active)
    planned = audits.filter(plan__year=year).count()
    done = audits.filter(plan__year=year, state=Audit.State.COMPLETED).count()
    cycle = (
        audits.filter(plan__year__gt=year - cycle_years, plan__year__lte=year, state=Audit.State.COMPLETED)
        .values("union")
        .distinct()
        .count()
    )
    return {
        "total": total,
        "planned": planned,
        "done": done,
        "cycle": cycle,
        "cycle_years": cycle_years,
        "cycle_from": year - cycle_years + 1,
        "year_rate": round(done * 100 / total, 1) if total else None,
        "cycle_rate": round(cycle * 100 / total, 1) if total else None,
    }


def findings_figures(findings, day: datetime.date) -> dict:
    """Open (not yet accepted) findings by category and by age band; amounts at issue and recovered."""
    open_findings = findings.exclude(rectification__state=Rectification.State.ACCEPTED)
    by_category = dict(
        open_findings.values("category").annotate(n=Count("pk")).values_list("category", "n").order_by()
    )
    labels = dict(Area.choices)
    bands = []
    for label, low, high in AGE_BANDS:
        filters = {"recorded_on__lte": day - datetime.timedelta(days=low)}
        if high is not None:
            filters["recorded_on__gt"] = day - datetime.timedelta(days=high + 1)
        bands.append((label, open_findings.filter(**filters).count()))
    totals = findings.aggregate(involved=Sum("amount_involved"), recovered=Sum("amount_recovered"))
    return {
        "by_category": [(labels[c], by_category[c]) for c in Area.values if by_category.get(c)],
        "by_age": bands,
        "open": sum(by_category.values()),
        "involved": totals["involved"] or Decimal("0.00"),
        "recovered": totals["recovered"] or Decimal("0.00"),
        "overdue": Rectification.objects.filter(finding__in=findings).overdue(day).count(),
    }


def export_xlsx(audits):
    """Every audit of ``audits`` with its findings: one sheet of audits, one of findings."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Audits"))
    sheet.append(
        [
            _("Year"),
            _("Union code"),
            _("Union"),
            _("Audit type"),
            _("Reasons"),
            _("State"),
            _("Auditor in charge"),
            _("Fieldwork from"),
            _("Fieldwork to"),
            _("Audit findings"),
            _("Amount involved"),
            _("Amount recovered so far"),
        ]
    )
    rows = audits.select_related("plan", "union", "lead").annotate(
        n_findings=Count("findings"),
        involved=Sum("findings__amount_involved"),
        recovered=Sum("findings__amount_recovered"),
    )
    for audit in rows.iterator(chunk_size=1000):
        sheet.append(
            [
                audit.plan.year,
                neutralise(audit.union.code),
                neutralise(audit.union.name),
                str(audit.get_kind_display()),
                neutralise(audit.reason_detail),
                str(audit.get_state_display()),
                neutralise(audit.lead or ""),
                audit.fieldwork_from.isoformat() if audit.fieldwork_from else "",
                audit.fieldwork_to.isoformat() if audit.fieldwork_to else "",
                audit.n_findings,
                exact_number(sheet, audit.involved or Decimal("0.00")),
                exact_number(sheet, audit.recovered or Decimal("0.00")),
            ]
        )
    findings_sheet = workbook.create_sheet(_("Audit findings"))
    findings_sheet.append(
        [
            _("Year"),
            _("Union code"),
            _("Category"),
            _("Severity"),
            _("Description of the finding"),
            _("Amount involved"),
            _("Amount recovered so far"),
            _("Rectification"),
            _("Rectify by"),
        ]
    )
    findings = (
        Finding.objects.filter(audit__in=audits)
        .select_related("audit__plan", "audit__union", "rectification")
        .order_by("audit__plan__year", "audit__union__code", "pk")
    )
    for f in findings.iterator(chunk_size=1000):
        findings_sheet.append(
            [
                f.audit.plan.year,
                neutralise(f.audit.union.code),
                str(f.get_category_display()),
                str(f.get_severity_display()),
                neutralise(f.description),
                exact_number(findings_sheet, f.amount_involved),
                exact_number(findings_sheet, f.amount_recovered),
                str(f.rectification.get_state_display()),
                f.rectification.deadline.isoformat(),
            ]
        )
    return spooled(workbook)


def report_pdf(audit: Audit) -> bytes:
    """The audit report (审计报告) for the union, in Chinese: what the chair may see — no working notes."""
    findings = list(audit.findings.select_related("rectification"))
    return render_template_pdf(
        "audits/report_pdf.html",
        {
            "audit": audit,
            "results": list(audit.results.select_related("item")),
            "findings": findings,
            "involved": sum((f.amount_involved for f in findings), Decimal("0.00")),
            "recovered": sum((f.amount_recovered for f in findings), Decimal("0.00")),
            "today": timezone.localdate(),
            "federation_name": federation_name(),
        },
    )
