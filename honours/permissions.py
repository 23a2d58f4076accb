"""Who may do what with the honours: the named checks that views and services ask.

Honours staff are federation staff with the organisation duty (they review nominations); union
chairs see the rounds and nominate for their unions; everyone else is refused."""

import datetime

from django.utils import timezone

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant

from .models import CANDIDATE_STATUSES, NomineeKind

REVIEW_DUTY = "honours.change_honournomination"


def is_honours_staff(user) -> bool:
    """Federation staff who review nominations (the organisation duty)."""
    return has_duty(user, REVIEW_DUTY)


def can_use_honours(user) -> bool:
    """The rounds, nominations and honours pages are for federation staff and union chairs."""
    return has_role(user, "staff", "union_chair")


def can_nominate(user, award_round) -> bool:
    """Honours staff nominate for any award; a chair for any but an association's (whose nominees
    belong to no union)."""
    return is_honours_staff(user) or (
        has_role(user, "union_chair") and award_round.award_type.nominee_kind != NomineeKind.ASSOCIATION
    )


def can_withdraw(user, nomination, today: datetime.date | None = None) -> bool:
    """The nominating chair (the staff, for the federation's own nominations) while the round is open."""
    today = today or timezone.localdate()
    by_chair = nomination.union_id is not None and nomination.union.chair_id == user.pk
    return (
        (by_chair or (nomination.union_id is None and is_honours_staff(user)))
        and nomination.status in CANDIDATE_STATUSES
        and nomination.round.is_open_on(today)
    )


def can_use_teams(user) -> bool:
    """The teams' pages: honours staff and union chairs (each chair sees their own union's teams)."""
    return is_honours_staff(user) or has_role(user, "union_chair")


def can_manage_team_of(user, enterprise) -> bool:
    """Honours staff keep any enterprise's teams; a chair those of the enterprises their union covers."""
    if is_honours_staff(user):
        return True
    return enterprise is not None and enterprise.union_id is not None and enterprise.union.chair_id == user.pk


def can_see_programme(user) -> bool:
    """The 十百千 programme page: federation staff and union chairs."""
    return has_role(user, "staff", "union_chair")


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "honours.add_awardtype",
        "honours.change_awardtype",
        "honours.view_awardtype",
        "honours.add_awardround",
        "honours.change_awardround",
        "honours.view_awardround",
        "honours.change_honournomination",
        "honours.view_honournomination",
        "honours.add_honour",
        "honours.change_honour",
        "honours.view_honour",
        "honours.add_team",
        "honours.change_team",
        "honours.view_team",
        "honours.view_seriestier",
        "honours.add_federationaward",
        "honours.change_federationaward",
        "honours.view_federationaward",
        "honours.add_federationawarddocument",
        "honours.change_federationawarddocument",
        "honours.delete_federationawarddocument",
        "honours.view_federationawarddocument",
    ],
)
