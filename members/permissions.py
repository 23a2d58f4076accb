"""Who may do what in the registry: the named checks that views ask (which unions, enterprises and
members a user reaches at all is ``visible_to``)."""

from unionhub.access import has_role

from .models import Member


def can_use_registry(user) -> bool:
    """The registry (and the dues pages) are for federation staff and union chairs; other roles get 403."""
    return has_role(user, "staff", "union_chair")


def can_edit_member(user, member: Member) -> bool:
    """Staff, or the chair of the member's union."""
    return user.is_federation_staff or member.union.chair_id == user.pk


def can_reveal_id_number(user, member: Member) -> bool:
    """Staff holding the reveal duty, or the chair of the member's union, see the full ID number."""
    return user.has_perm("members.reveal_id_number") or member.union.chair_id == user.pk
