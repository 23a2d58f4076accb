"""Who may do what in the secondment programme: the named checks that views and services ask.
Roles themselves (staff, union chair, seconded cadre) are ``unionhub.access.has_role``."""

from unionhub.access import has_role

from .models import DutyDay, SwapRequest


def can_see_certificates(user) -> bool:
    """Staff, or anybody who has (or had) a secondment term: a former cadre keeps their certificate."""
    return has_role(user, "staff") or (user.is_authenticated and user.secondment_terms.exists())


def can_act_for(user, duty_day: DutyDay) -> bool:
    """Staff, or the cadre whose duty day it is, propose a swap or a move of it."""
    return user.is_federation_staff or duty_day.term.cadre_id == user.pk


def can_accept(user, request: SwapRequest) -> bool:
    """A swap: staff or the other cadre. A move: staff."""
    if user.is_federation_staff:
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
