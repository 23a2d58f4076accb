"""School places for migrant workers' children (子女入学): a union chair asks the federation to help a
member's child find a school place; aid staff check the request, send it to the education bureau
and record the outcome (placed at a school, or not placed and why). Figures per school year, and
reminders before the enrolment deadlines each school year configures.

The child's data is a minor's personal information: only aid staff and the submitting chair see a
request (``SchoolPlaceRequest.objects.visible_to``), every look at one is logged, and the export is
masked. Every change is one transaction run with the acting user set, so django-auditlog records it;
a refused submission or step writes nothing."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import GrassrootsUnion, Member
from unionhub.access import has_duty, require
from unionhub.exports import neutralise, spooled, write_only_workbook
from unionhub.masking import mask_name
from unionhub.notices import notify
from unionhub.uploads import document_problem

from ..models import EnrolmentDeadline, SchoolGrade, SchoolPlaceDocument, SchoolPlaceRequest
from ..permissions import can_handle_school_places, is_chair_of

Status = SchoolPlaceRequest.Status
# The age in full years on 31 August of the school year at which a child enters each grade.
ENTRY_AGE = {
    SchoolGrade.KINDERGARTEN_1: 3,
    SchoolGrade.KINDERGARTEN_2: 4,
    SchoolGrade.KINDERGARTEN_3: 5,
    SchoolGrade.PRIMARY_1: 6,
    SchoolGrade.PRIMARY_2: 7,
    SchoolGrade.PRIMARY_3: 8,
    SchoolGrade.PRIMARY_4: 9,
    SchoolGrade.PRIMARY_5: 10,
    SchoolGrade.PRIMARY_6: 11,
    SchoolGrade.JUNIOR_1: 12,
    SchoolGrade.JUNIOR_2: 13,
    SchoolGrade.JUNIOR_3: 14,
}
# A child may be up to this many years older than the entry age (a late start, a repeated year).
OLDER_BY_AT_MOST = 2
MAX_SOCIAL_INSURANCE_MONTHS = 600  # fifty years
OPEN_STATUSES = SchoolPlaceRequest.OPEN_STATUSES
WITHDRAWABLE = (Status.SUBMITTED, Status.CHECKED)


# --- who may do what ---------------------------------------------------------------------------


def _handlers_only(by) -> None:
    if not can_handle_school_places(by):
        raise PermissionDenied(_("Only federation staff with the aid duty handle school-place requests."))


# --- school years and grades -------------------------------------------------------------------


def coming_school_year(day: datetime.date) -> int:
    """The school year requests are made for on ``day``: the one starting this September, or next
    September from September on."""
    return day.year if day.month < 9 else day.year + 1


def age_on_cutoff(birth_date: datetime.date, school_year: int) -> int:
    """The child's age in full years on 31 August of the school year."""
    cutoff = datetime.date(school_year, 8, 31)
    years = cutoff.year - birth_date.year
    if (cutoff.month, cutoff.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def birth_dates_for(grade: str, school_year: int) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest birth dates that fit ``grade`` in ``school_year``."""
    youngest = ENTRY_AGE[grade]
    oldest = youngest + OLDER_BY_AT_MOST
    return (datetime.date(school_year - oldest - 1, 9, 1), datetime.date(school_year - youngest, 8, 31))


def grade_problem(birth_date: datetime.date, grade: str, school_year: int) -> str | None:
    """Why a child born on ``birth_date`` cannot apply for ``grade`` in ``school_year``, or None.
    The child must be at least the grade's entry age on 31 August and at most two years older."""
    if grade not in ENTRY_AGE:
        return _("Choose the grade the child applies for.")
    age = age_on_cutoff(birth_date, school_year)
    youngest = ENTRY_AGE[grade]
    oldest = youngest + OLDER_BY_AT_MOST
    if youngest <= age <= oldest:
        return None
    return _(
        "A child aged %(age)d on 31 August %(year)d does not fit the grade %(grade)s, which takes children "
        "aged %(youngest)d to %(oldest)d on that day."
    ) % {
        "age": max(age, 0),
        "year": school_year,
        "grade": SchoolGrade(grade).label,
        "youngest": youngest,
        "oldest": oldest,
    }


# --- submission --------------------------------------------------------------------------------


def _document_pairs(documents) -> list[tuple[str, object]]:
    """``(kind, upload)`` pairs from pairs, or from a mapping of kind to an upload or a list of them."""
    if isinstance(documents, Mapping):
        return [
            (kind, upload)
            for kind, value in documents.items()
            for upload in (value if isinstance(value, list | tuple) else [value])
            if upload
        ]
    return [(kind, upload) for kind, upload in documents if upload]


def _document_problems(documents: Sequence[tuple[str, object]]) -> list[str]:
    problems = []
    if any(kind not in SchoolPlaceDocument.Kind.values for kind, _upload in documents):
        problems.append(_("Say which document each file is."))
    problems += [p for _kind, upload in documents if (p := document_problem(upload))]
    return problems


def missing_documents(kinds_given: Iterable[str]) -> list[str]:
    """The labels of the required document kinds not among ``kinds_given``."""
    given = set(kinds_given)
    return [str(kind.label) for kind in SchoolPlaceDocument.REQUIRED if kind not in given]


def _live_request(member: Member, child_name: str, school_year: int) -> SchoolPlaceRequest | None:
    return (
        SchoolPlaceRequest.objects.filter(member=member, child_name=child_name, school_year=school_year)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )


def _duplicate_message(existing: SchoolPlaceRequest) -> str:
    return _(
        "There is already a request for %(child)s for the %(year)d school year (%(status)s); a child has "
        "one request a year."
    ) % {"child": existing.child_name, "year": existing.school_year, "status": existing.get_status_display()}


def submit_request(
    *,
    by,
    member: Member,
    union: GrassrootsUnion | None = None,
    child_name: str,
    child_birth_date: datetime.date,
    child_sex: str,
    grade: str,
    school_year: int,
    preferred_district: str = "",
    has_residence_permit: bool = False,
    residence_permit_since: datetime.date | None = None,
    social_insurance_months: int = 0,
    note: str = "",
    documents=(),
    on: datetime.date | None = None,
) -> SchoolPlaceRequest:
    """The chair of the member's union (or aid staff on a chair's behalf) asks for a school place
    for the member's child. Every problem is named in one ValidationError and nothing is written
    then. ``documents`` are ``(kind, uploaded file)`` pairs; every kind in
    ``SchoolPlaceDocument.REQUIRED`` must be among them. A request entered by staff is filed under
    the union's chair, who follows it and is told the outcome."""
    on = on or timezone.localdate()
    union = union or member.union
    child_name = " ".join((child_name or "").split())
    preferred_district = (preferred_district or "").strip()
    documents = _document_pairs(documents)
    is_chair = union.chair_id is not None and union.chair_id == by.pk
    problems = []
    if not (is_chair or can_handle_school_places(by)):
        problems.append(
            _("Only the chair of %(union)s can submit requests for its members.") % {"union": union.name}
        )
    if member.union_id != union.pk or not member.is_active_member:
        problems.append(
            _("%(name)s is not an active member of %(union)s.") % {"name": member.name, "union": union.name}
        )
    if not child_name or len(child_name) > 50:
        problems.append(_("Give the child's name (at most 50 characters)."))
    if len(preferred_district) > 100:
        problems.append(_("The preferred school district can have at most 100 characters."))
    if child_sex not in SchoolPlaceRequest.Sex.values:
        problems.append(_("Give the child's sex."))
    if child_birth_date > on:
        problems.append(_("The child's birth date cannot be in the future."))
    elif problem := grade_problem(child_birth_date, grade, school_year):
        problems.append(problem)
    if residence_permit_since is not None:
        if not has_residence_permit:
            problems.append(_("A residence permit date is given, but the member holds no residence permit."))
        elif residence_permit_since > on:
            problems.append(_("The residence permit date cannot be in the future."))
    if not 0 <= social_insurance_months <= MAX_SOCIAL_INSURANCE_MONTHS:
        problems.append(
            _("Months of social insurance must be between 0 and %(max)d.")
            % {"max": MAX_SOCIAL_INSURANCE_MONTHS}
        )
    if missing := missing_documents(kind for kind, _upload in documents):
        problems.append(_("Documents missing: %(documents)s.") % {"documents": "、".join(missing)})
    problems += _document_problems(documents)
    if child_name and (existing := _live_request(member, child_name, school_year)):
        problems.append(_duplicate_message(existing))
    if problems:
        raise ValidationError(problems)

    submitted_by = by if is_chair else (union.chair or by)
    try:
        with transaction.atomic(), set_actor(by):
            request = SchoolPlaceRequest.objects.create(
                school_year=school_year,
                union=union,
                member=member,
                child_name=child_name,
                child_birth_date=child_birth_date,
                child_sex=child_sex,
                grade=grade,
                has_residence_permit=has_residence_permit,
                residence_permit_since=residence_permit_since,
                social_insurance_months=social_insurance_months,
                preferred_district=preferred_district,
                note=(note or "").strip(),
                submitted_by=submitted_by,
                submitted_on=on,
            )
            for kind, upload in documents:
                SchoolPlaceDocument.objects.create(request=request, kind=kind, upload=upload, uploaded_by=by)
    except IntegrityError:
        # Two submissions at the same moment: the partial unique index keeps one live request per child and year.
        if existing := _live_request(member, child_name, school_year):
            raise ValidationError(_duplicate_message(existing)) from None
        raise
    return request


def warnings_for(request: SchoolPlaceRequest) -> list[str]:
    """What staff should look at before going on; none of it refuses the request."""
    warnings = []
    if not request.member.is_migrant_worker:
        warnings.append(
            _(
                "%(name)s is not marked as a migrant worker in the roster; check that the family is "
                "eligible for this help."
            )
            % {"name": request.member.name}
        )
    return warnings


def add_documents(*, by, request: SchoolPlaceRequest, documents) -> list[SchoolPlaceDocument]:
    """The submitting chair (or aid staff) adds documents to a request that is still open."""
    documents = _document_pairs(documents)
    if not is_chair_of(by, request.union) and not can_handle_school_places(by):
        raise PermissionDenied(
            _("Only the chair of the union that submitted the request can add documents to it.")
        )
    if not documents:
        raise ValidationError(_("Choose at least one file."))
    if problems := _document_problems(documents):
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        request = _locked(request, *OPEN_STATUSES)
        return [
            SchoolPlaceDocument.objects.create(request=request, kind=kind, upload=upload, uploaded_by=by)
            for kind, upload in documents
        ]


# --- the staff workflow ------------------------------------------------------------------------


def _locked(request: SchoolPlaceRequest, *statuses: str) -> SchoolPlaceRequest:
    request = (
        SchoolPlaceRequest.objects.select_for_update(of=("self",))
        .select_related("member", "union")
        .get(pk=request.pk)
    )
    if statuses and request.status not in statuses:
        raise ValidationError(
            _("This cannot be done to a request that is %(status)s.")
            % {"status": request.get_status_display()}
        )
    return request


def _day(on: datetime.date | None, *, after: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError(_("The date cannot be in the future."))
    if after is not None and on < after:
        raise ValidationError(_("The date cannot be before the previous step (%(day)s).") % {"day": after})
    return on


def _add_note(request: SchoolPlaceRequest, *, by, on: datetime.date, text: str) -> None:
    # The model has one note: the staff's notes are appended to the chair's, dated and signed.
    text = text.strip()
    if text:
        line = f"{on.isoformat()} {by}: {text}"
        request.note = f"{request.note}\n{line}" if request.note else line


def check_request(
    *, by, request: SchoolPlaceRequest, note: str = "", on: datetime.date | None = None
) -> SchoolPlaceRequest:
    """Staff have checked the request and its documents (submitted → checked)."""
    _handlers_only(by)
    with transaction.atomic(), set_actor(by):
        request = _locked(request, Status.SUBMITTED)
        on = _day(on, after=request.submitted_on)
        request.status, request.checked_on = Status.CHECKED, on
        _add_note(request, by=by, on=on, text=note)
        request.save(update_fields=["status", "checked_on", "note"])
    return request


def send_to_bureau(*, by, request: SchoolPlaceRequest, on: datetime.date | None = None) -> SchoolPlaceRequest:
    """The request went to the education bureau (checked → sent) on ``on``."""
    _handlers_only(by)
    with transaction.atomic(), set_actor(by):
        request = _locked(request, Status.CHECKED)
        request.status, request.sent_on = Status.SENT, _day(on, after=request.checked_on)
        request.save(update_fields=["status", "sent_on"])
    return request


def record_outcome(
    *,
    by,
    request: SchoolPlaceRequest,
    placed: bool,
    school: str = "",
    reason: str = "",
    on: datetime.date | None = None,
) -> SchoolPlaceRequest:
    """The bureau's answer (sent → placed at ``school``, or not placed for ``reason``); the chair is told."""
    _handlers_only(by)
    school, reason = (school or "").strip(), (reason or "").strip()
    if placed and not school:
        raise ValidationError(_("Name the school the child was placed at."))
    if not placed and not reason:
        raise ValidationError(_("Say why the child was not placed."))
    with transaction.atomic(), set_actor(by):
        request = _locked(request, Status.SENT)
        request.decided_on = _day(on, after=request.sent_on)
        if placed:
            request.status, request.school, request.outcome_reason = Status.PLACED, school, ""
            title = _("School place for %(child)s: placed at %(school)s") % {
                "child": request.child_name,
                "school": school,
            }
            body = _("%(child)s has a place at %(school)s for the %(year)d school year (%(grade)s).") % {
                "child": request.child_name,
                "school": school,
                "year": request.school_year,
                "grade": request.get_grade_display(),
            }
        else:
            request.status, request.school, request.outcome_reason = Status.NOT_PLACED, "", reason
            title = _("School place for %(child)s: not placed") % {"child": request.child_name}
            body = _("The education bureau could not place %(child)s: %(reason)s") % {
                "child": request.child_name,
                "reason": reason,
            }
        request.save(update_fields=["status", "school", "outcome_reason", "decided_on"])
        _tell_chair(request, by=by, key=f"school-place-outcome:{request.pk}", title=title, body=body)
    return request


def withdraw_request(
    *, by, request: SchoolPlaceRequest, reason: str = "", on: datetime.date | None = None
) -> SchoolPlaceRequest:
    """The submitting chair withdraws a request, or staff return it to the chair with the reason,
    while it is submitted or checked (once it is with the bureau it waits for the answer)."""
    reason = (reason or "").strip()
    by_chair = is_chair_of(by, request.union)
    if not by_chair:
        _handlers_only(by)
        if not reason:
            raise ValidationError(_("Say why the request is returned to the chair."))
    with transaction.atomic(), set_actor(by):
        request = _locked(request, *WITHDRAWABLE)
        request.status, request.outcome_reason, request.decided_on = (
            Status.WITHDRAWN,
            reason,
            _day(on, after=None),
        )
        request.save(update_fields=["status", "outcome_reason", "decided_on"])
        if not by_chair:
            _tell_chair(
                request,
                by=by,
                key=f"school-place-returned:{request.pk}",
                title=_("School place for %(child)s: request returned") % {"child": request.child_name},
                body=_("The federation returned the request for %(child)s: %(reason)s")
                % {"child": request.child_name, "reason": reason},
            )
    return request


def _tell_chair(request: SchoolPlaceRequest, *, by, key: str, title: str, body: str) -> None:
    # The union's chair today, who may not be the one who submitted the request.
    chair = request.union.chair
    if chair is not None and chair.pk != by.pk and chair.is_active:
        notify(user=chair, key=key, title=title, body=body, url=request.get_absolute_url())


# --- reading -----------------------------------------------------------------------------------


def log_access(
    *, by, request: SchoolPlaceRequest, remote_addr: str | None = None, document: str = ""
) -> None:
    """Every look at a request (a minor's data) or one of its documents is recorded (PIPL)."""
    # Not str(request) as the entry's label: it names the child.
    LogEntry.objects.log_create(
        request,
        action=LogEntry.Action.ACCESS,
        actor=by,
        remote_addr=remote_addr,
        force_log=True,
        changes={},
        object_repr=f"{request.school_year} · #{request.pk}",
        additional_data={"document": document} if document else None,
    )


def _rate(placed: int, decided: int) -> Decimal | None:
    """Placed as a percentage of the requests the bureau answered (placed or not placed)."""
    if not decided:
        return None
    return (Decimal(100 * placed) / decided).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


PLACED_COUNT = Count("pk", filter=Q(status=Status.PLACED))


def year_figures(year: int, requests: QuerySet | None = None) -> dict:
    """A school year's figures: requests, by status, placed, the placement rate (placed of those the
    bureau answered), by grade and by preferred district. ``requests`` narrows them (a chair's own)."""
    rows = (
        (SchoolPlaceRequest.objects.all() if requests is None else requests)
        .filter(school_year=year)
        .order_by()
    )
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_status = {status: counts.get(status, 0) for status in Status.values}
    placed, not_placed = by_status[Status.PLACED], by_status[Status.NOT_PLACED]
    grades = {
        row["grade"]: row for row in rows.values("grade").annotate(requests=Count("pk"), placed=PLACED_COUNT)
    }
    by_grade = [
        {
            "grade": grade,
            "label": label,
            "requests": grades[grade]["requests"],
            "placed": grades[grade]["placed"],
        }
        for grade, label in SchoolGrade.choices
        if grade in grades
    ]
    by_district = [
        {"district": row["preferred_district"] or "—", "requests": row["requests"], "placed": row["placed"]}
        for row in rows.values("preferred_district")
        .annotate(requests=Count("pk"), placed=PLACED_COUNT)
        .order_by("-requests", "preferred_district")
    ]
    return {
        "year": year,
        "requests": sum(by_status.values()),
        "by_status": by_status,
        "status_rows": [(status, label, by_status[status]) for status, label in Status.choices],
        "open": sum(by_status[s] for s in OPEN_STATUSES),
        "placed": placed,
        "not_placed": not_placed,
        "withdrawn": by_status[Status.WITHDRAWN],
        "placement_rate": _rate(placed, placed + not_placed),
        "by_grade": by_grade,
        "by_district": by_district,
    }


def figures_by_year(requests: QuerySet | None = None) -> list[dict]:
    """One row per school year, latest first: requests, open, placed, not placed, withdrawn, rate."""
    rows = (SchoolPlaceRequest.objects.all() if requests is None else requests).order_by()
    table = (
        rows.values("school_year")
        .annotate(
            requests=Count("pk"),
            placed=PLACED_COUNT,
            not_placed=Count("pk", filter=Q(status=Status.NOT_PLACED)),
            withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
        .order_by("-school_year")
    )
    return [
        {**row, "placement_rate": _rate(row["placed"], row["placed"] + row["not_placed"])} for row in table
    ]


# --- enrolment deadlines and their reminders ---------------------------------------------------


def _deadline_problems(
    *,
    school_year: int,
    title: str,
    due_on: datetime.date,
    remind_days_before: int,
    deadline: EnrolmentDeadline | None,
) -> list[str]:
    problems = []
    if not title:
        problems.append(_("Say what is due."))
    if not 0 <= remind_days_before <= 180:
        problems.append(_("Reminders start between 0 and 180 days before the date."))
    if not school_year - 1 <= due_on.year <= school_year + 1:
        problems.append(
            _("A deadline of the %(year)d school year falls between %(first)d and %(last)d.")
            % {"year": school_year, "first": school_year - 1, "last": school_year + 1}
        )
    taken = EnrolmentDeadline.objects.filter(school_year=school_year, title=title)
    if deadline is not None:
        taken = taken.exclude(pk=deadline.pk)
    if title and taken.exists():
        problems.append(
            _("The %(year)d school year already has a deadline called “%(title)s”.")
            % {"year": school_year, "title": title}
        )
    return problems


def save_deadline(
    *,
    by,
    school_year: int,
    title: str,
    due_on: datetime.date,
    remind_days_before: int = 7,
    deadline: EnrolmentDeadline | None = None,
) -> EnrolmentDeadline:
    """Add a date to a school year's enrolment calendar, or change one (``deadline``)."""
    require(has_duty(by, "aid.change_enrolmentdeadline" if deadline else "aid.add_enrolmentdeadline"))
    title = (title or "").strip()
    if problems := _deadline_problems(
        school_year=school_year,
        title=title,
        due_on=due_on,
        remind_days_before=remind_days_before,
        deadline=deadline,
    ):
        raise ValidationError(problems)
    try:
        with transaction.atomic(), set_actor(by):
            if deadline is None:
                deadline = EnrolmentDeadline(school_year=school_year)
            else:
                deadline = EnrolmentDeadline.objects.select_for_update().get(pk=deadline.pk)
            deadline.school_year, deadline.title, deadline.due_on = school_year, title, due_on
            deadline.remind_days_before = remind_days_before
            deadline.save()
    except IntegrityError:
        raise ValidationError(
            _("The %(year)d school year already has a deadline called “%(title)s”.")
            % {"year": school_year, "title": title}
        ) from None
    return deadline


def delete_deadline(*, by, deadline: EnrolmentDeadline) -> None:
    require(has_duty(by, "aid.change_enrolmentdeadline"))
    with transaction.atomic(), set_actor(by):
        EnrolmentDeadline.objects.filter(pk=deadline.pk).delete()


def deadlines_of(school_year: int, on: datetime.date) -> list[EnrolmentDeadline]:
    """The school year's deadlines, each with ``days_left`` from ``on`` (negative once passed)."""
    deadlines = list(EnrolmentDeadline.objects.filter(school_year=school_year).order_by("due_on", "pk"))
    for deadline in deadlines:
        deadline.days_left = (deadline.due_on - on).days
    return deadlines


def reminder_window(deadline: EnrolmentDeadline) -> tuple[datetime.date, datetime.date]:
    return deadline.due_on - datetime.timedelta(days=deadline.remind_days_before), deadline.due_on


def aid_staff_users() -> list:
    """Every active staff account with the aid duty."""
    candidates = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
    return [user for user in candidates.order_by("pk") if user.has_perm("aid.view_schoolplacerequest")]


def send_deadline_reminders(on: datetime.date) -> int:
    """For every deadline whose reminder window (``remind_days_before`` days up to the date) holds
    ``on``, tell each chair with an open request in that school year and every aid staff member —
    once per deadline, date and person, so running it again sends nothing new and a deadline moved
    to another date is announced again. Returns the number of notices sent."""
    due = [
        d
        for d in EnrolmentDeadline.objects.filter(due_on__gte=on).order_by("due_on", "pk")
        if reminder_window(d)[0] <= on
    ]
    if not due:
        return 0
    staff = aid_staff_users()
    sent = 0
    for deadline in due:
        days = (deadline.due_on - on).days
        when = _("today") if days == 0 else _("in %(days)d days") % {"days": days}
        key = f"enrolment-deadline:{deadline.pk}:{deadline.due_on.isoformat()}"
        title = _("%(title)s: %(day)s (%(year)d school year)") % {
            "title": deadline.title,
            "day": deadline.due_on.isoformat(),
            "year": deadline.school_year,
        }
        url = reverse("aid:school_request_list") + f"?school_year={deadline.school_year}"
        open_requests = (
            SchoolPlaceRequest.objects.filter(
                school_year=deadline.school_year, status__in=OPEN_STATUSES, union__chair__is_active=True
            )
            .order_by()
            .values("union__chair")
            .annotate(n=Count("pk"))
        )
        # Each union's current chair, for the requests their union submitted (under them or a predecessor).
        chairs = {row["union__chair"]: row["n"] for row in open_requests}
        users = get_user_model().objects.in_bulk(list(chairs))
        for user_pk, count in sorted(chairs.items()):
            body = _(
                "%(title)s is due %(when)s. You have %(count)d open school-place requests for the %(year)d "
                "school year."
            ) % {"title": deadline.title, "when": when, "count": count, "year": deadline.school_year}
            sent += notify(user=users[user_pk], key=key, title=title, body=body, url=url, due=deadline.due_on)
        total = sum(chairs.values())
        for user in staff:
            if user.pk in chairs:
                continue
            body = _(
                "%(title)s is due %(when)s. %(count)d school-place requests of the %(year)d school year are "
                "still open."
            ) % {"title": deadline.title, "when": when, "count": total, "year": deadline.school_year}
            sent += notify(user=user, key=key, title=title, body=body, url=url, due=deadline.due_on)
    return sent


# --- export ------------------------------------------------------------------------------------


def export_header() -> list[str]:
    return [
        _("School year"),
        _("Union code"),
        _("Union"),
        _("Parent"),
        _("Child"),
        _("Sex"),
        _("Born (year-month)"),
        _("Grade"),
        _("Residence permit"),
        _("Months of social insurance"),
        _("Preferred school district"),
        _("Status"),
        _("School placed at"),
        _("Submitted on"),
        _("Outcome on"),
    ]


def export_rows(requests: Iterable[SchoolPlaceRequest]):
    """The export is masked: the child's and the parent's names masked, the birth date reduced to
    year and month, no ID number, no phone, no free text."""
    yes, no = _("Yes"), _("No")
    for r in requests:
        yield [
            r.school_year,
            neutralise(r.union.code),
            neutralise(r.union.name),
            neutralise(mask_name(r.member.name)),
            neutralise(mask_name(r.child_name)),
            r.get_child_sex_display(),
            r.child_birth_date.strftime("%Y-%m"),
            r.get_grade_display(),
            yes if r.has_residence_permit else no,
            r.social_insurance_months,
            neutralise(r.preferred_district),
            r.get_status_display(),
            neutralise(r.school),
            r.submitted_on.isoformat(),
            r.decided_on.isoformat() if r.decided_on else "",
        ]


def export_xlsx(requests: QuerySet):
    """A write-only workbook spooled to a temporary file (the caller closes it)."""
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("School places"))
    sheet.append(export_header())
    for row in export_rows(requests.select_related("union", "member").iterator(chunk_size=2000)):
        sheet.append(row)
    return spooled(workbook)
