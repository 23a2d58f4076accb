"""Who may do what in the associations: the named checks that views and services ask (which rows a
user reaches at all is ``Association.objects.managed_by`` and ``Activity.objects.managed_by``)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from unionhub.access import has_duty
from unionhub.duties import ORGANISATION, grant

from .models import Activity, Association


def can_manage(user, association: Association) -> bool:
    """Staff, the association's chair and its vice-chairs edit it, its roster and its year plan."""
    if not user.is_authenticated:
        return False
    if user.is_federation_staff or association.chair_id == user.pk:
        return True
    return association.vice_chairs.filter(pk=user.pk).exists()


def manages_association(user, association: Association) -> bool:
    return Association.objects.managed_by(user).filter(pk=association.pk).exists()


def manages_activity(user, activity: Activity) -> bool:
    """Staff, the association's chair and vice-chairs, and the activity's organiser."""
    return Activity.objects.managed_by(user).filter(pk=activity.pk).exists()


def require_manager(user, activity: Activity) -> None:
    """Refuse (403, saying who may) unless the user manages the activity."""
    if not manages_activity(user, activity):
        raise PermissionDenied(
            _("Only the organiser, the association's chair or vice-chairs, or federation staff can do this.")
        )


def can_sign_up_for(user, activity: Activity, member) -> bool:
    """A member signs up themself; the association's chair, vice-chairs and staff sign up anybody."""
    return (member.user_id is not None and member.user_id == user.pk) or manages_association(
        user, activity.association
    )


def is_matchmaker(user, association: Association) -> bool:
    """Only the association's own chair sees the profiles: not staff, not vice-chairs."""
    return user.is_authenticated and user.is_active and association.chair_id == user.pk


def can_see_summary(user, association: Association) -> bool:
    """The matchmaking figures (counts, never names): the chair and federation staff."""
    return is_matchmaker(user, association) or user.is_federation_staff


def can_confirm_activities(user) -> bool:
    """Federation staff with the organisation duty confirm that a past-dated activity took place."""
    return has_duty(user, "associations.confirm_activity")


grant(ORGANISATION, ["associations.confirm_activity"])
