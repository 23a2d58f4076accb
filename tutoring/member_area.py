"""What the tutoring classes contribute to the member area (/m/): the home page's tile 托教辅导班."""

from django.db.models import Q

from members.member_access import member_rows
from unionhub.contributions import member_tile

from .models import Enrolment, TutoringClass


@member_tile(25, "tutoring/member/_tile.html")
def tutoring_tile(scope) -> dict | None:
    """The member's children with a place or waiting in a class not yet over, and how many classes are open to
    them; nothing when there is neither. Two queries."""
    mine = list(
        Enrolment.objects.filter(
            member__in=member_rows(scope.member),
            status__in=Enrolment.LIVE,
            tutoring_class__status__in=TutoringClass.LIVE,
            tutoring_class__ends_on__gte=scope.day,
        )
        .select_related("tutoring_class")
        .order_by("tutoring_class__starts_on", "child_name")[:3]
    )
    open_count = (
        TutoringClass.objects.filter(status=TutoringClass.Status.OPEN, ends_on__gte=scope.day)
        .filter(Q(union=scope.member.union_id) | Q(open_to_district=True))
        .count()
    )
    if not mine and not open_count:
        return None
    return {"mine": mine, "open": open_count}
