"""Casework workflows (维权): intake, routing, stages with their dates, the timeline, a union's help,
legal aid and closing.

Each operation is one transaction run with the acting user set, so that django-auditlog records who
changed what on the case, and each writes a timeline entry. Service-written entries never carry the
complainant's identity: the chair of a union asked to help reads the stage entries.

A case moves only along ``TRANSITIONS`` (``change_stage`` for every move but closing, ``close`` for
that). Entering a stage records its date (``STAGE_DATES``); a date is never in the future nor before
the date of the stage the case is leaving, so the dates on a case read in order.
"""

import datetime
from decimal import Decimal

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import GrassrootsUnion, Member
from members.validators import clean_resident_id
from unionhub.notices import notify
from unionhub.uploads import stored_extension

from ..access import assignable_handlers
from ..conflicts import conflict_of_interest
from ..models import Case, CaseEvent
from ..permissions import can_handle, can_open_cases, can_write_timeline, is_casework, is_helping_chair
from ..rules import rules
from .public import EVIDENCE_POLICY, announce_new_case, new_case_number

Stage = Case.Stage
Outcome = Case.Outcome

# Where a case may go from each stage. Mediation is not a precondition of arbitration (Labour Dispute
# Mediation and Arbitration Law, art. 5), so an accepted or investigated case may go straight to
# arbitration. From mediation, an agreement closes the case (outcome "resolved") and no agreement opens
# arbitration. After an award the worker may sue; a case may be closed from any open stage (withdrawn,
# referred…). Nothing goes backwards, and a closed case stays closed.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.RECEIVED: frozenset({Stage.ACCEPTED, Stage.CLOSED}),
    Stage.ACCEPTED: frozenset({Stage.INVESTIGATING, Stage.MEDIATION, Stage.ARBITRATION, Stage.CLOSED}),
    Stage.INVESTIGATING: frozenset({Stage.MEDIATION, Stage.ARBITRATION, Stage.CLOSED}),
    Stage.MEDIATION: frozenset({Stage.ARBITRATION, Stage.CLOSED}),
    Stage.ARBITRATION: frozenset({Stage.LITIGATION, Stage.CLOSED}),
    Stage.LITIGATION: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}
# A case that was never accepted can only be turned away: it cannot have been resolved by our work.
OUTCOMES_BEFORE_ACCEPTANCE = frozenset({Outcome.NOT_UPHELD, Outcome.REFERRED, Outcome.WITHDRAWN})
# The date a case records when it enters each stage (entering arbitration = applying for it).
STAGE_DATES: dict[str, str] = {
    Stage.RECEIVED: "received_on",
    Stage.ACCEPTED: "accepted_on",
    Stage.INVESTIGATING: "investigation_on",
    Stage.MEDIATION: "mediation_on",
    Stage.ARBITRATION: "arbitration_applied_on",
    Stage.LITIGATION: "litigation_on",
    Stage.CLOSED: "closed_on",
}
# Legal aid that only a case meeting the legal-aid test receives; advice is for everyone.
REPRESENTATION = frozenset({Case.LegalAid.ARBITRATION, Case.LegalAid.COURT})
# What the chair of a helping union may add to the timeline: internal entries, never a reply to the worker.
HELPER_EVENT_KINDS = frozenset(
    {CaseEvent.Kind.NOTE, CaseEvent.Kind.CALL, CaseEvent.Kind.VISIT, CaseEvent.Kind.DOCUMENT}
)
NUMBER_ATTEMPTS = 5


# --- who may do what ------------------------------------------------------------------------------


def moves(case: Case) -> list[str]:
    """The stages ``change_stage`` can take the case to now (closing is ``close``'s)."""
    return [stage for stage in Stage.values if stage in TRANSITIONS[case.stage] and stage != Stage.CLOSED]


def can_close(case: Case) -> bool:
    return Stage.CLOSED in TRANSITIONS[case.stage]


def closing_outcomes(case: Case) -> list[str]:
    if case.stage == Stage.RECEIVED:
        return [outcome for outcome in Outcome.values if outcome in OUTCOMES_BEFORE_ACCEPTANCE]
    return list(Outcome.values)


# --- helpers -----------------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("helping_union").get(pk=case.pk)


def _office_language():
    """Timeline entries and notices are read by others: written in the office's language, whatever the
    language of the person acting."""
    return translation.override(settings.LANGUAGE_CODE)


def _event(case: Case, *, by, kind: str, text: str, public: bool = False, attachment=None) -> CaseEvent:
    event = CaseEvent(case=case, kind=kind, at=timezone.now(), text=text, public=public, by=by)
    if attachment is not None:
        # Stored under a random name with the extension of its content (unionhub.storage): a file's name
        # often carries the worker's own name, and the client's extension is never kept.
        event.attachment.save(f"attachment{stored_extension(attachment)}", attachment, save=False)
    event.save()
    return event


def _insert_with_new_number(case: Case) -> None:
    """Save a new case under the next free number; when another intake took that number meanwhile,
    the unique constraint refuses the insert and the next number is tried."""
    for attempt in range(NUMBER_ATTEMPTS):
        case.number = new_case_number(on=case.received_on)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise


def _future_problem(day: datetime.date | None, label: str) -> str | None:
    if day is not None and day > timezone.localdate():
        return _("%(field)s cannot be in the future.") % {"field": label}
    return None


def _stage_day(case: Case, on: datetime.date | None, label: str) -> datetime.date:
    """The date of a move: today by default, never in the future nor before the current stage's date."""
    on = on or timezone.localdate()
    problem = _future_problem(on, label)
    if problem:
        raise ValidationError(problem)
    since = getattr(case, STAGE_DATES[case.stage]) or case.received_on
    if on < since:
        raise ValidationError(
            _("%(field)s cannot be before %(date)s, when the case entered its current stage (%(stage)s).")
            % {"field": label, "date": since.isoformat(), "stage": case.get_stage_display()}
        )
    return on


def _refuse_move(case: Case, to: str) -> None:
    if case.stage == Stage.CLOSED:
        raise ValidationError(_("This case is closed; it cannot change any more."))
    if to not in TRANSITIONS[case.stage]:
        raise ValidationError(
            _("A case cannot go from %(from)s to %(to)s.")
            % {"from": case.get_stage_display(), "to": Stage(to).label}
        )


def _refuse_if_closed(case: Case) -> None:
    if case.stage == Stage.CLOSED:
        raise ValidationError(_("This case is closed; it cannot change any more."))


# --- intake and routing ------------------------------------------------------------------------------


def open_case(
    *,
    by,
    channel: str,
    type: str,
    category: str,
    description: str,
    employer_name: str,  # noqa: A002
    enterprise=None,
    complainant_name: str = "",
    complainant_phone: str = "",
    complainant_id_number: str = "",
    anonymous: bool = False,
    member: Member | None = None,
    is_member: bool = False,
    is_migrant_worker: bool = False,
    workers_affected: int = 1,
    amount_claimed: Decimal | None = None,
    harm_known_on: datetime.date | None = None,
    employment_ended_on: datetime.date | None = None,
    received_on: datetime.date | None = None,
) -> Case:
    """Take in a case (a call, a visit, a letter…): casework staff, or a seconded cadre on duty at the
    service station. The receiver sees the case afterwards; routing to a handler is ``assign``'s.
    Raises ValidationError naming every faulty field; nothing is saved then."""
    if not can_open_cases(by):
        raise PermissionDenied
    received_on = received_on or timezone.localdate()
    employer_name = (employer_name or "").strip() or (enterprise.name if enterprise else "")
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str | None) -> None:
        if message:
            problems.setdefault(field, []).append(message)

    if channel not in Case.Channel.values:
        problem("channel", _("Choose how the case came in."))
    if type not in Case.Type.values:
        problem("type", _("Choose the type of case."))
    if category not in Case.Category.values:
        problem("category", _("Choose the category of the case."))
    if not description.strip():
        problem("description", _("Say what happened."))
    if not employer_name:
        problem("employer_name", _("Name the employer."))
    if not anonymous and not complainant_name.strip():
        problem("complainant_name", _("Give the complainant's name, or mark the case anonymous."))
    id_number = ""
    if complainant_id_number.strip():
        try:
            id_number = clean_resident_id(complainant_id_number)
        except ValidationError as error:
            for message in error.messages:
                problem("complainant_id_number", message)
    problem("received_on", _future_problem(received_on, _("The date received")))
    problem("harm_known_on", _future_problem(harm_known_on, _("The date the worker learned of the harm")))
    problem("employment_ended_on", _future_problem(employment_ended_on, _("The date employment ended")))
    if amount_claimed is not None and amount_claimed < 0:
        problem("amount_claimed", _("The amount claimed cannot be negative."))
    if workers_affected < 1:
        problem("workers_affected", _("At least one worker is affected."))
    if problems:
        raise ValidationError(problems)
    if member is None and id_number:
        member = Member.objects.filter(
            id_number=id_number, status__in=[Member.Status.ACTIVE, Member.Status.RETAINED]
        ).first()
    with transaction.atomic(), set_actor(by):
        case = Case(
            channel=channel,
            type=type,
            category=category,
            description=description.strip(),
            employer_name=employer_name,
            enterprise=enterprise,
            complainant_name=complainant_name.strip(),
            complainant_phone=complainant_phone.strip(),
            complainant_id_number=id_number,
            anonymous=anonymous,
            member=member,
            is_member=is_member or member is not None,
            is_migrant_worker=is_migrant_worker,
            workers_affected=workers_affected,
            amount_claimed=amount_claimed,
            harm_known_on=harm_known_on,
            employment_ended_on=employment_ended_on,
            received_on=received_on,
            received_by=by,
        )
        _insert_with_new_number(case)
        with _office_language():
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.STAGE,
                text=_("Case received (%(channel)s).") % {"channel": case.get_channel_display()},
            )
        announce_new_case(case)
    return case


def assign(*, by, case: Case, handler, difficulty: str) -> Case:
    """Route a case to its handler (casework staff only) and tell the handler. A handler on the
    employer's side (``conflicts.conflict_of_interest``) is refused."""
    if not is_casework(by):
        raise PermissionDenied
    if difficulty not in Case.Difficulty.values:
        raise ValidationError(_("Choose the difficulty of the case."))
    if not assignable_handlers().filter(pk=handler.pk).exists():
        raise ValidationError(
            _(
                "%(name)s does not have the casework role: only casework staff and seconded "
                "cadres in an active term can handle cases."
            )
            % {"name": handler}
        )
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        _refuse_if_closed(case)
        # Checked on the locked row, whoever assigns: the complainant's identity never goes to the
        # employer's side (``grievances.conflicts``).
        conflict = conflict_of_interest(case, handler)
        if conflict:
            raise ValidationError(conflict)
        case.handler, case.difficulty = handler, difficulty
        case.save(update_fields=["handler", "difficulty", "updated_at"])
        with _office_language():
            event = _event(
                case,
                by=by,
                kind=CaseEvent.Kind.NOTE,
                text=_("Assigned to %(handler)s (%(difficulty)s).")
                % {"handler": handler, "difficulty": case.get_difficulty_display()},
            )
    with _office_language():
        notify(
            user=handler,
            key=f"case-assigned:{event.pk}",
            title=_("Case %(number)s is assigned to you") % {"number": case.number},
            body=_("%(category)s at %(employer)s. Handling deadline: %(due)s.")
            % {
                "category": case.get_category_display(),
                "employer": case.employer_name,
                "due": case.handling_due.isoformat() if case.handling_due else "—",
            },
            url=case.get_absolute_url(),
        )
    return case


def ask_union_to_help(*, by, case: Case, union: GrassrootsUnion) -> Case:
    """Ask a grassroots union to help (usually the employer's). Its chair then sees the case, never
    the complainant's identity, and is told so in a notice that names nobody."""
    if not can_handle(by, case):
        raise PermissionDenied
    if union.chair_id is None:
        raise ValidationError(_("%(union)s has no chair on record to ask.") % {"union": union.name})
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        _refuse_if_closed(case)
        case.helping_union = union
        case.save(update_fields=["helping_union", "updated_at"])
        with _office_language():
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.NOTE,
                text=_("%(union)s asked to help.") % {"union": union.name},
            )
    with _office_language():
        notify(
            user=union.chair,
            key=f"case-help:{case.pk}:{union.pk}",
            title=_("The federation asks your union to help with case %(number)s") % {"number": case.number},
            body=_("%(category)s at %(employer)s. The worker's identity is kept confidential.")
            % {"category": case.get_category_display(), "employer": case.employer_name},
            url=case.get_absolute_url(),
        )
    return case


# --- stages ------------------------------------------------------------------------------------------


def change_stage(*, by, case: Case, to: str, on: datetime.date | None = None) -> Case:
    """Move a case to its next stage (see ``TRANSITIONS``), recording the stage's date. Leaving
    mediation for arbitration records that no agreement was reached."""
    if not can_handle(by, case):
        raise PermissionDenied
    if to == Stage.CLOSED:
        raise ValidationError(_("A case is closed with its outcome."))
    if to not in Stage.values:
        raise ValidationError(_("Choose the next stage."))
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        _refuse_move(case, to)
        on = _stage_day(case, on, _("The date of the move"))
        fields = [STAGE_DATES[to], "stage"]
        setattr(case, STAGE_DATES[to], on)
        if case.stage == Stage.MEDIATION:
            case.mediation_agreed = False
            fields.append("mediation_agreed")
        previous = case.stage
        case.stage = to
        case.save(update_fields=[*fields, "updated_at"])
        with _office_language():
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.STAGE,
                text=_("%(from)s → %(to)s on %(date)s.")
                % {"from": Stage(previous).label, "to": Stage(to).label, "date": on.isoformat()},
            )
    return case


def record_arbitration(
    *, by, case: Case, accepted_on: datetime.date | None, extended: bool, award_on: datetime.date | None
) -> Case:
    """The arbitration commission's steps, recorded (or corrected) while the case is in arbitration:
    the date it accepted the application, whether it extended the award period, the award's date."""
    if not can_handle(by, case):
        raise PermissionDenied
    problems = [
        p
        for p in (
            _future_problem(accepted_on, _("The date arbitration was accepted")),
            _future_problem(award_on, _("The award date")),
        )
        if p
    ]
    if accepted_on is None and (extended or award_on):
        problems.append(_("Record the date arbitration was accepted before an extension or an award."))
    if accepted_on and award_on and award_on < accepted_on:
        problems.append(_("The award cannot come before the application was accepted."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        if case.stage != Stage.ARBITRATION:
            raise ValidationError(_("Arbitration steps are recorded while the case is in arbitration."))
        if accepted_on and accepted_on < case.arbitration_applied_on:
            raise ValidationError(
                _("Arbitration cannot be accepted before it was applied for (%(date)s).")
                % {"date": case.arbitration_applied_on.isoformat()}
            )
        with _office_language():
            changes = []
            if accepted_on != case.arbitration_accepted_on:
                changes.append(
                    _("accepted on %(date)s") % {"date": accepted_on.isoformat() if accepted_on else "—"}
                )
            if extended != case.arbitration_extended:
                changes.append(_("award period extended") if extended else _("award period not extended"))
            if award_on != case.award_on:
                changes.append(_("award on %(date)s") % {"date": award_on.isoformat() if award_on else "—"})
            if not changes:
                return case
            case.arbitration_accepted_on, case.arbitration_extended, case.award_on = (
                accepted_on,
                extended,
                award_on,
            )
            case.save(
                update_fields=["arbitration_accepted_on", "arbitration_extended", "award_on", "updated_at"]
            )
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.STAGE,
                text=_("Arbitration: %(changes)s.") % {"changes": "; ".join(changes)},
            )
    return case


def record_callback(*, by, case: Case, note: str, on: datetime.date | None = None) -> Case:
    """The call back the public form promised (已回电): its date and what was said, which meets the
    case's call-back deadline. Casework staff or the case's handler; once per case."""
    if not can_handle(by, case):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError(_("Note what was said on the call."))
    on = on or timezone.localdate()
    if problem := _future_problem(on, _("The date of the call")):
        raise ValidationError(problem)
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        if case.callback_due is None:
            raise ValidationError(_("Only a complaint sent through the web form waits for a call back."))
        if case.called_back_on is not None:
            raise ValidationError(
                _("The call back was already recorded on %(date)s.")
                % {"date": case.called_back_on.isoformat()}
            )
        if on < case.received_on:
            raise ValidationError(
                _("The call cannot be before the case was received (%(date)s).")
                % {"date": case.received_on.isoformat()}
            )
        case.called_back_on = on
        case.save(update_fields=["called_back_on", "updated_at"])
        with _office_language():
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.CALL,
                text=_("Called the worker back on %(date)s: %(note)s")
                % {"date": on.isoformat(), "note": note.strip()},
            )
    return case


def extend_petition(*, by, case: Case) -> Case:
    """Extend an accepted petition's conclusion deadline, once (信访条例)."""
    if not can_handle(by, case):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        _refuse_if_closed(case)
        if case.channel != Case.Channel.PETITION:
            raise ValidationError(_("Only a petition's deadline can be extended."))
        if case.accepted_on is None:
            raise ValidationError(_("A petition's deadline can be extended once it has been accepted."))
        if case.petition_extended:
            raise ValidationError(
                _("The petition's deadline has already been extended; it can be extended only once.")
            )
        case.petition_extended = True
        case.save(update_fields=["petition_extended", "updated_at"])
        with _office_language():
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.STAGE,
                text=_("Petition deadline extended by %(days)d days.")
                % {"days": rules().petition_extension_days},
            )
    return case


def close(
    *,
    by,
    case: Case,
    outcome: str,
    amount_recovered: Decimal | None,
    other_outcome: str,
    satisfaction: int | None,
    on: datetime.date | None = None,
) -> Case:
    """Close a case with its outcome. Closing from mediation records whether an agreement was reached
    (outcome "resolved")."""
    if not can_handle(by, case):
        raise PermissionDenied
    problems = []
    if outcome not in Outcome.values:
        problems.append(_("Choose the outcome of the case."))
    if amount_recovered is not None and amount_recovered < 0:
        problems.append(_("The amount recovered cannot be negative."))
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        problems.append(_("The worker's satisfaction is a score from 1 to 5."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        _refuse_move(case, Stage.CLOSED)
        if outcome not in closing_outcomes(case):
            raise ValidationError(
                _("A case that was not accepted cannot be closed as %(outcome)s.")
                % {"outcome": Outcome(outcome).label}
            )
        on = _stage_day(case, on, _("The closing date"))
        fields = ["stage", "closed_on", "outcome", "amount_recovered", "other_outcome", "satisfaction"]
        if case.stage == Stage.MEDIATION:
            case.mediation_agreed = outcome == Outcome.RESOLVED
            fields.append("mediation_agreed")
        previous = case.stage
        case.stage, case.closed_on, case.outcome = Stage.CLOSED, on, outcome
        case.amount_recovered, case.satisfaction = amount_recovered, satisfaction
        case.other_outcome = other_outcome.strip()
        case.save(update_fields=[*fields, "updated_at"])
        with _office_language():
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.STAGE,
                text=_("%(from)s → closed on %(date)s: %(outcome)s.")
                % {"from": Stage(previous).label, "date": on.isoformat(), "outcome": Outcome(outcome).label},
            )
    return case


# --- timeline and legal aid --------------------------------------------------------------------------


def add_event(*, by, case: Case, kind: str, text: str, public: bool = False, attachment=None) -> CaseEvent:
    """A note, call, visit, document or reply on the timeline. Only a reply can be public (the worker
    reads it on the tracking page); the chair of a helping union adds internal entries only."""
    if not can_write_timeline(by, case):
        raise PermissionDenied
    helper_only = not can_handle(by, case) and is_helping_chair(by, case)
    if helper_only and (kind not in HELPER_EVENT_KINDS or public):
        raise PermissionDenied
    problems = []
    if kind not in CaseEvent.Kind.values or kind == CaseEvent.Kind.STAGE:
        problems.append(_("Choose what kind of entry this is."))
    if not text.strip():
        problems.append(_("Write what happened."))
    if public and kind != CaseEvent.Kind.REPLY:
        problems.append(_("Only a reply to the worker can be shown to the worker."))
    if attachment is not None and (problem := EVIDENCE_POLICY.problem(attachment)):
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return _event(case, by=by, kind=kind, text=text.strip(), public=public, attachment=attachment)


def legal_aid_qualifies(case: Case) -> bool | None:
    """The legal-aid test: a claim of at least ``legal_aid_min_claim`` and a household income per person
    below the minimum wage; migrant workers' wage-arrears and work-injury claims skip the income test.
    None while the income it needs is not known."""
    r = rules()
    if case.amount_claimed is None or case.amount_claimed < r.legal_aid_min_claim:
        return False
    if case.is_migrant_worker and case.category in r.income_test_exempt_for_migrants:
        return True
    if case.household_income is None:
        return None
    return case.household_income < r.minimum_wage


def record_legal_aid(
    *, by, case: Case, household_income: Decimal | None, legal_aid: str, lawyer: str
) -> Case:
    """Record the household income, the result of the legal-aid test and the aid given. Legal advice is
    for everyone; drafting, mediation and representation only for a case that meets the test, and
    representation names its lawyer."""
    if not can_handle(by, case):
        raise PermissionDenied
    problems = []
    if household_income is not None and household_income < 0:
        problems.append(_("The household income cannot be negative."))
    if legal_aid and legal_aid not in Case.LegalAid.values:
        problems.append(_("Choose the kind of legal aid."))
    if legal_aid in REPRESENTATION and not lawyer.strip():
        problems.append(_("Name the lawyer who represents the worker."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        case = _locked(case)
        _refuse_if_closed(case)
        case.household_income = household_income
        case.legal_aid_qualifies = legal_aid_qualifies(case)
        if legal_aid and legal_aid != Case.LegalAid.ADVICE and case.legal_aid_qualifies is not True:
            r = rules()
            raise ValidationError(
                _(
                    "Only legal advice can be given to a case that does not meet the legal-aid test: a claim of at "
                    "least ¥%(claim)s and a household income per person below the minimum wage (¥%(wage)s); migrant "
                    "workers' wage-arrears and work-injury claims are exempt from the income test."
                )
                % {"claim": f"{r.legal_aid_min_claim:,}", "wage": f"{r.minimum_wage:,}"}
            )
        case.legal_aid, case.lawyer = legal_aid, lawyer.strip()
        case.save(
            update_fields=["household_income", "legal_aid_qualifies", "legal_aid", "lawyer", "updated_at"]
        )
        with _office_language():
            verdict = {
                True: _("qualifies"),
                False: _("does not qualify"),
                None: _("household income not known"),
            }
            _event(
                case,
                by=by,
                kind=CaseEvent.Kind.NOTE,
                text=_("Legal-aid test: %(verdict)s. Legal aid: %(aid)s.")
                % {"verdict": verdict[case.legal_aid_qualifies], "aid": case.get_legal_aid_display() or "—"},
            )
    return case


def log_file_access(*, by, case: Case, name: str, remote_addr: str | None = None) -> None:
    """Every download of an evidence file or an attachment is recorded: they often name the worker."""
    LogEntry.objects.log_create(
        case,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        changes={},
        additional_data={"file": name},
    )
