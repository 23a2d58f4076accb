"""The associations' contributions to the dashboard (see ``unionhub/contributions.py``). Associations are
district-wide: the staff's figure ignores the area filter."""

from unionhub.contributions import Scope, dashboard_panel, district_figures

from .models import Association


@district_figures(order=30, template="associations/dashboard/district_associations.html")
def association_figures(scope: Scope) -> dict:
    return {"associations": Association.objects.filter(status=Association.Status.ACTIVE).count()}


@dashboard_panel(order=50, template="associations/dashboard/my_associations.html")
def my_associations(scope: Scope) -> dict | None:
    if not scope.user.is_association_chair:
        return None
    return {"my_associations": Association.objects.visible_to(scope.user).filter(chair=scope.user)}
