"""Who may do what with the workers' homes: the named checks that views and services ask.

Seeing is being federation staff (every union's home) or a union chair (their own union's, through
``visible_to``); changing needs the organisation duty's permission for the action."""

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant


def is_homes_staff(user) -> bool:
    """Federation staff see every union's home (seeing is being staff; changing needs a duty)."""
    return has_role(user, "staff")


def can_use_homes(user) -> bool:
    """Workers' homes are for federation staff and union chairs; other roles are refused (403)."""
    return has_role(user, "staff", "union_chair")


def can_record_inspection(user) -> bool:
    return has_duty(user, "homes.add_homeinspection")


def can_set_level(user) -> bool:
    return has_duty(user, "homes.change_workershome")


def can_see_checklist(user) -> bool:
    return has_duty(user, "homes.view_checklistitem")


def can_add_checklist_item(user) -> bool:
    return has_duty(user, "homes.add_checklistitem")


def can_change_checklist_item(user) -> bool:
    return has_duty(user, "homes.change_checklistitem")


def can_assess(user, union) -> bool:
    """Only the union's chair fills in its self-assessment."""
    return user.is_authenticated and union.chair_id is not None and union.chair_id == user.pk


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "homes.change_workershome",
        "homes.view_workershome",
        "homes.add_homeinspection",
        "homes.view_homeinspection",
        "homes.add_checklistitem",
        "homes.change_checklistitem",
        "homes.view_checklistitem",
    ],
)
