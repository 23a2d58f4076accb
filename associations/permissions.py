"""Who may do what in the associations: the named checks that views and services ask (which rows a
user reaches at all is ``Association.objects.managed_by`` and ``Activity.objects.managed_by``)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from unionhub.access import has_duty
from unionhub.duties import ORGANISATION, grant

from .models import Activity, Association


def is_associations_staff(user) -> bool:
    """Federation staff who run the associations (the organisation duty); other staff only look."""
    return has_duty(user, "associations.change_association")


def can_create_association(user) -> bool:
    return has_duty(user, "associations.add_association")


def can_run_showcases(user) -> bool:
    """Create and edit the showcases and their programmes."""
    return has_duty(user, "associations.change_showcase")


def can_manage(user, association: Association) -> bool:
    """Staff with the organisation duty, the association's chair and its vice-chairs edit it, its
    roster and its year plan."""
    if not user.is_authenticated:
        return False
    if is_associations_staff(user) or association.chair_id == user.pk:
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


# What each staff duty may do in this app (the duty groups are made from these on every migrate).
grant(
    ORGANISATION,
    [
        "associations.add_association",
        "associations.change_association",
        "associations.view_association",
        "associations.add_activity",
        "associations.change_activity",
        "associations.view_activity",
        "associations.add_showcase",
        "associations.change_showcase",
        "associations.view_showcase",
        "associations.add_programme",
        "associations.change_programme",
        "associations.delete_programme",
        "associations.view_programme",
    ],
)


def can_confirm_activities(user) -> bool:
    """Federation staff with the organisation duty confirm that a past-dated activity took place."""
    return has_duty(user, "associations.confirm_activity")


grant(ORGANISATION, ["associations.confirm_activity"])
