"""Who may do what with the discount card: the named checks that views ask (which cards a user
reaches at all is ``Card.objects.visible_to``; the counter is for the staff of a partner merchant,
see ``perks/views/counter.py``)."""

from unionhub.access import has_role


def can_manage_cards(user) -> bool:
    """Cards are kept by federation staff and union chairs (a chair for their own union)."""
    return has_role(user, "staff", "union_chair")


def can_see_savings(user) -> bool:
    """The members' savings report is the federation's: staff only."""
    return has_role(user, "staff")
