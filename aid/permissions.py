"""Who may do what in the aid programmes: the named checks that views and services ask.

Aid staff are federation staff holding the aid duty (``unionhub.duties.AID``); only they (and the chair
of the union concerned) see hardship files, applications and a minor's school-place request. What a union
submitted stays with the union: its current chair acts on it, whoever was chair when it was submitted."""

from unionhub.access import has_duty, has_role
from unionhub.duties import AID, FINANCE, grant

AID_DUTY = ("aid.view_hardshipfile", "aid.view_application", "aid.view_schoolplacerequest")


def is_aid_staff(user) -> bool:
    """Federation staff with the aid duty: they see every hardship file, application and request."""
    return has_duty(user, *AID_DUTY)


def is_chair_of(user, union) -> bool:
    """The union's current chair. Hardship files and school-place requests follow the union, not the
    person who submitted them: a new chair takes them over and the previous chair loses them."""
    return user.is_authenticated and union is not None and union.chair_id == user.pk


def can_use_aid(user) -> bool:
    """The hardship, application and school-place pages are for aid staff and union chairs."""
    return is_aid_staff(user) or has_role(user, "union_chair")


def can_add_hardship_files(user) -> bool:
    return has_role(user, "union_chair") or (is_aid_staff(user) and user.has_perm("aid.add_hardshipfile"))


def can_review_hardship_files(user) -> bool:
    """Aid staff who take a file through visit, notice, approval and review."""
    return is_aid_staff(user) and user.has_perm("aid.review_hardshipfile")


def can_decide_applications(user) -> bool:
    return has_duty(user, "aid.decide_application")


def can_handle_school_places(user) -> bool:
    """Aid staff who take requests through check, bureau and outcome."""
    return is_aid_staff(user) and user.has_perm("aid.change_schoolplacerequest")


def can_decide_tickets(user) -> bool:
    return has_duty(user, "aid.change_ticketapplication")


def can_create_mutual_fund(user) -> bool:
    """Staff with the aid duty, or a union chair (for an enterprise of their own union)."""
    return user.is_authenticated and (user.has_perm("aid.add_mutualaidfund") or user.is_union_chair)


def can_record_mutual_aid(user, fund) -> bool:
    """Staff with the aid duty, or the chair of the union of the fund's enterprise."""
    return user.has_perm("aid.change_mutualaidfund") or (
        fund.enterprise.union_id is not None and fund.enterprise.union.chair_id == user.pk
    )


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    FINANCE,
    [
        "aid.view_fundentry",
    ],
)
grant(
    AID,
    [
        "aid.view_hardshipfile",
        "aid.add_hardshipfile",
        "aid.change_hardshipfile",
        "aid.review_hardshipfile",
        "aid.view_application",
        "aid.change_application",
        "aid.decide_application",
        "aid.view_fundentry",
        "aid.add_fundentry",
        "aid.view_programme",
        "aid.add_programme",
        "aid.change_programme",
        "aid.view_mutualaidfund",
        "aid.add_mutualaidfund",
        "aid.change_mutualaidfund",
        "aid.view_ticketcampaign",
        "aid.add_ticketcampaign",
        "aid.change_ticketcampaign",
        "aid.view_ticketapplication",
        "aid.change_ticketapplication",
        "aid.view_schoolplacerequest",
        "aid.change_schoolplacerequest",
        "aid.add_enrolmentdeadline",
        "aid.change_enrolmentdeadline",
        "aid.view_enrolmentdeadline",
    ],
)
