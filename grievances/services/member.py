"""Complaints from the member area (/m/complaints/): a member signed in with a code files a complaint signed or
anonymously, and follows their signed cases.

The intake is the public form's (``grievances.services.public.submit_public``): the same checks and limits,
the same case (channel web), the same tracking code, the same notice to the casework duty.

- Signed: the name and phone come from the membership (never from what was posted), and the case names the
  membership record (``Case.member``), so that the member finds it under "my cases". The identity is as
  confidential as any complainant's (``grievances.access``): casework staff and the handler see it; the chair of
  the union asked to help, the employer's union chair included, sees the case without it.
- Anonymous: nothing ties the case to the member. No name, no member record, no "union member" mark, and the
  audit trail's entry is written without the member's login or address. The member follows the case with
  the tracking code shown once, as any worker does; it never appears under "my cases".

What the member reads of a case is the tracking page's public view (``public_view``: stage, outcome, replies
marked for the worker) with the stage dates and the statutory deadlines that are the worker's own (when to
apply for arbitration, when the award is due, when to sue), never the handler, the internal timeline or the
handling deadlines of the office."""

import dataclasses
import datetime
from collections.abc import Mapping, Sequence

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.models import Member

from ..deadlines import deadlines
from ..models import Case
from .public import PublicCase, public_view, submit_public

# The deadlines a worker holds on to: the statutory periods of their claim, and the call back promised to them.
# The office's own (handling, petition) stay in casework.
WORKER_DEADLINES = ("callback", "limitation", "mediation", "arbitration_accept", "award", "sue")

# The stages in the order a case moves through them, each with the field that records its day.
STAGE_DAYS = (
    (Case.Stage.RECEIVED, "received_on"),
    (Case.Stage.ACCEPTED, "accepted_on"),
    (Case.Stage.INVESTIGATING, "investigation_on"),
    (Case.Stage.MEDIATION, "mediation_on"),
    (Case.Stage.ARBITRATION, "arbitration_applied_on"),
    (Case.Stage.LITIGATION, "litigation_on"),
    (Case.Stage.CLOSED, "closed_on"),
)


def submit_member(
    *, by, member: Member, data: Mapping, files: Sequence = (), on: datetime.date | None = None
) -> tuple[Case, str]:
    """File a complaint for ``member``, whose login ``by`` is. ``data`` is the member complaint form's cleaned
    values; its name and phone are ignored for a signed complaint (they are the membership's), and an anonymous
    one keeps only a phone the member chose to type for a call back. Returns the case and its tracking code.
    Raises ``PermissionDenied`` when ``by`` is not the member's login or the member is no longer a member, and
    ``ValidationError`` (by field) as the public form does."""
    if by is None or not by.is_authenticated or member.user_id != by.pk or not member.is_active_member:
        raise PermissionDenied
    values = dict(data)
    if values.get("anonymous"):
        values.update(anonymous=True, complainant_name="", is_member=False)
        # The audit entry of an anonymous case names neither the member's login nor their address (the request's
        # own actor, which auditlog's middleware set, is replaced for the intake).
        with set_actor(None):
            return submit_public(data=values, files=files, on=on)
    values.update(
        anonymous=False,
        complainant_name=member.name,
        complainant_phone=member.phone or (values.get("complainant_phone") or ""),
        is_member=True,
    )
    with set_actor(by):
        return submit_public(data=values, files=files, on=on, member=member)


@dataclasses.dataclass(frozen=True)
class Step:
    label: str
    on: datetime.date | None
    state: str  # "done", "now" or "" (ahead)


@dataclasses.dataclass(frozen=True)
class WorkerDeadline:
    label: str
    due: datetime.date
    past: bool


@dataclasses.dataclass(frozen=True)
class MemberCase:
    """What the member reads of their case: the tracking page's public view, and more of the worker's own."""

    pk: int
    public: PublicCase
    type: str
    category: str
    employer: str
    description: str
    steps: tuple[Step, ...]
    deadlines: tuple[WorkerDeadline, ...]


def stage_steps(case: Case) -> tuple[Step, ...]:
    """The stages the case went through, with their days, the stage it is in, and closing ahead while open.
    Stages it skipped (no mediation, no court) are not shown."""
    steps = []
    for stage, field in STAGE_DAYS:
        day = getattr(case, field)
        if stage == case.stage:
            steps.append(Step(str(stage.label), day, "now" if stage != Case.Stage.CLOSED else "done"))
        elif day is not None:
            steps.append(Step(str(stage.label), day, "done"))
    if case.stage != Case.Stage.CLOSED:
        steps.append(Step(str(Case.Stage.CLOSED.label), None, ""))
    return tuple(steps)


def worker_deadlines(case: Case, *, today: datetime.date) -> tuple[WorkerDeadline, ...]:
    """The deadlines still waiting that are the worker's own (``WORKER_DEADLINES``), none once closed."""
    if case.stage == Case.Stage.CLOSED:
        return ()
    labels = {"callback": _("The service station calls you back by")}
    return tuple(
        WorkerDeadline(label=labels.get(d.key, d.label), due=d.due, past=d.due < today)
        for d in deadlines(case)
        if d.key in WORKER_DEADLINES and not d.done
    )


def member_view(case: Case, *, today: datetime.date) -> MemberCase:
    return MemberCase(
        pk=case.pk,
        public=public_view(case),
        type=str(case.get_type_display()),
        category=str(case.get_category_display()),
        employer=case.employer_name,
        description=case.description,
        steps=stage_steps(case),
        deadlines=worker_deadlines(case, today=today),
    )
