"""Who may do what with the discount card: the named checks that views and services ask (which cards a
user reaches at all is ``Card.objects.visible_to``; the counter is for the staff of a partner merchant,
see ``perks/views/counter.py``).

Seeing is being federation staff; changing needs the organisation duty (cards go with membership, the
merchants' agreements with the federation's partnerships), whose permissions are granted below."""

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant


def can_manage_cards(user) -> bool:
    """Cards are kept by federation staff and union chairs (a chair for their own union)."""
    return has_role(user, "staff", "union_chair")


def can_issue_cards(user, union=None) -> bool:
    """Staff with the organisation duty issue cards anywhere; a chair for their own union only."""
    if has_duty(user, "perks.add_card"):
        return True
    return union is not None and user.is_authenticated and union.chair_id == user.pk


def can_change_card(user, card) -> bool:
    """Report lost, replace, cancel: staff with the organisation duty, or the chair of the holder's union."""
    return has_duty(user, "perks.change_card") or (
        user.is_authenticated and card.member.union.chair_id == user.pk
    )


def can_see_merchants(user) -> bool:
    """The partner merchants' pages are the federation's: staff only."""
    return has_role(user, "staff")


def can_add_merchant(user) -> bool:
    return has_duty(user, "perks.add_merchant")


def can_change_merchant(user) -> bool:
    """Edit a merchant's record and agreement, its branches and its counter accounts."""
    return has_duty(user, "perks.change_merchant")


def can_reveal_contact_phone(user) -> bool:
    """The full phone of a merchant's contact person or branch: staff who keep the merchants."""
    return can_change_merchant(user)


def can_see_savings(user) -> bool:
    """The members' savings report is the federation's: staff only."""
    return has_role(user, "staff")


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "perks.add_card",
        "perks.change_card",
        "perks.view_card",
        "perks.add_merchant",
        "perks.change_merchant",
        "perks.view_merchant",
        "perks.add_branch",
        "perks.change_branch",
        "perks.delete_branch",
        "perks.view_branch",
    ],
)
