"""Who may do what in the aid programmes: the named checks that views and services ask.

Aid staff are federation staff holding the aid duty (``unionhub.duties.AID``); only they (and the
submitting union chair) see hardship files, applications and a minor's school-place request."""

from unionhub.access import has_duty, has_role

AID_DUTY = ("aid.view_hardshipfile", "aid.view_application", "aid.view_schoolplacerequest")


def is_aid_staff(user) -> bool:
    """Federation staff with the aid duty: they see every hardship file, application and request."""
    return has_duty(user, *AID_DUTY)


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
        fund.enterprise.union_id is not None and fund.enterprise.union.chair_id == user.pk)
