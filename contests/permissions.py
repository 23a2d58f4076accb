"""Who may do what with the skills contests. The organisation duty (``contests.change_contest``) sets
contests up, moves them from state to state, sets quotas and judges, publishes the results and feeds the
honours; an organising cadre (a secondment term recorded on the contest) manages its rounds and may be
one of its judges; a judge scores the contestants not of their own union; a union's chair enters their
union's members while entry is open. Contests are seen by staff, chairs and cadres, and by their judges."""

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant

MANAGE = "contests.change_contest"


def is_contest_staff(user) -> bool:
    """Federation staff with the organisation duty: everything about every contest."""
    return has_duty(user, MANAGE)


def is_judge_anywhere(user) -> bool:
    return user.is_authenticated and user.contest_judgings.exists()


def can_use_contests(user) -> bool:
    """The list and a contest's pages: staff, chairs, cadres, and anybody judging a contest."""
    return has_role(user, "staff", "union_chair", "cadre") or is_judge_anywhere(user)


def is_organising_cadre(user, contest) -> bool:
    return user.is_authenticated and contest.organising_cadres.filter(cadre=user).exists()


def is_organiser(user, contest) -> bool:
    """Sees the contestants' names and the live ranking: the duty, a listed organiser, an organising cadre."""
    return (
        is_contest_staff(user)
        or (user.is_authenticated and contest.organisers.filter(pk=user.pk).exists())
        or is_organising_cadre(user, contest)
    )


def can_manage_rounds(user, contest) -> bool:
    return is_contest_staff(user) or is_organising_cadre(user, contest)


def judge_of(user, contest):
    """The user's ``Judge`` row in this contest, or None."""
    if not user.is_authenticated:
        return None
    return contest.judges.filter(user=user).select_related("union").first()


def can_enter(user) -> bool:
    return has_role(user, "union_chair") or is_contest_staff(user)


grant(
    ORGANISATION,
    [
        "contests.view_contest",
        "contests.add_contest",
        "contests.change_contest",
        "contests.view_entry",
        "contests.change_entry",
        "contests.view_certificate",
        "contests.change_certificate",
    ],
)
