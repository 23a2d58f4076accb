"""What the associations contribute to the member area (/m/): the 活动 tab and the home page's tile."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.contributions import member_tile, register_member_tab

from .models import Activity, SignUp
from .services import activities as svc

register_member_tab(20, label=_("Activities"), url_name="member_activities:index")


@member_tile(20, "associations/member/_tile.html")
def next_activity(scope) -> dict:
    """The member's next activity (a place or a place on the waiting list); else how many activities are open to
    them for sign-up. One query, or two."""
    now = timezone.now()
    signup = (
        SignUp.objects.filter(
            member=scope.member,
            status__in=svc.LIVE,
            activity__status=Activity.Status.PLANNED,
            activity__ends_at__gte=now,
        )
        .select_related("activity")
        .order_by("activity__starts_at", "pk")
        .first()
    )
    if signup is not None:
        return {"signup": signup}
    return {
        "open": svc.open_to_member(scope.member).filter(pk__in=svc.open_for_signup(now).values("pk")).count()
    }
