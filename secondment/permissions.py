"""Who may do what in the secondment programme: the named checks that views and services ask.
Roles themselves (staff, union chair, seconded cadre) are ``unionhub.access.has_role``."""

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant

from .models import DutyDay, Nomination, SwapRequest

# Running the programme (nominations, terms, the rota, training, certificates) is the organisation
# duty's: seeing is being federation staff, changing needs the permission named by each check below.


def can_nominate(user, union=None) -> bool:
    """A union chair (for their own union when ``union`` is given), or staff with the organisation duty."""
    if has_duty(user, "secondment.add_nomination"):
        return True
    if union is None:
        return has_role(user, "union_chair")
    return user.is_authenticated and union.chair_id == user.pk


def can_decide_nominations(user) -> bool:
    return has_duty(user, "secondment.change_nomination")


def can_reveal_nomination_phone(user, nomination: Nomination) -> bool:
    """The full mobile on a nomination: staff who decide nominations, or the nominating union's chair."""
    return can_decide_nominations(user) or (user.is_authenticated and nomination.union.chair_id == user.pk)


def can_manage_terms(user) -> bool:
    """Review duty logs, assess a term, end it early."""
    return has_duty(user, "secondment.change_secondmentterm")


def can_plan_rota(user) -> bool:
    """Generate the rota; accept or decline any swap or move."""
    return has_duty(user, "secondment.change_dutyday")


def can_manage_training(user) -> bool:
    """Create and edit courses, enrol cadres, record attendance."""
    return has_duty(user, "secondment.change_course")


def can_issue_certificates(user) -> bool:
    """Issue (one, or a month's batch) and revoke certificates."""
    return has_duty(user, "secondment.add_certificate")


def can_see_certificates(user) -> bool:
    """Staff, or anybody who has (or had) a secondment term: a former cadre keeps their certificate."""
    return has_role(user, "staff") or (user.is_authenticated and user.secondment_terms.exists())


def can_request_late_entry(user, duty_day: DutyDay) -> bool:
    """Only the cadre whose duty day it is asks to log it late."""
    return user.is_authenticated and duty_day.term.cadre_id == user.pk


def can_decide_late_entries(user) -> bool:
    """The staff who plan the rota accept or refuse a late entry."""
    return can_plan_rota(user)


def can_act_for(user, duty_day: DutyDay) -> bool:
    """Staff who plan the rota, or the cadre whose duty day it is, propose a swap or a move of it."""
    return can_plan_rota(user) or duty_day.term.cadre_id == user.pk


def can_accept(user, request: SwapRequest) -> bool:
    """A swap: staff who plan the rota, or the other cadre. A move: staff who plan the rota."""
    if can_plan_rota(user):
        return True
    return (
        request.kind == SwapRequest.Kind.SWAP
        and request.other_day_id is not None
        and request.other_day.term.cadre_id == user.pk
    )


def can_decline(user, request: SwapRequest) -> bool:
    """Whoever may accept may decline."""
    return can_accept(user, request)


def can_cancel(user, request: SwapRequest) -> bool:
    """The cadre whose duty day it is, or whoever proposed the change."""
    return request.duty_day.term.cadre_id == user.pk or request.proposed_by_id == user.pk


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "secondment.add_nomination",
        "secondment.change_nomination",
        "secondment.view_nomination",
        "secondment.add_secondmentterm",
        "secondment.change_secondmentterm",
        "secondment.view_secondmentterm",
        "secondment.add_dutyday",
        "secondment.change_dutyday",
        "secondment.view_dutyday",
        "secondment.change_dutylog",
        "secondment.add_assessment",
        "secondment.change_assessment",
        "secondment.add_course",
        "secondment.change_course",
        "secondment.view_course",
        "secondment.add_enrolment",
        "secondment.change_enrolment",
        "secondment.add_certificate",
        "secondment.change_certificate",
        "secondment.view_certificate",
    ],
)
