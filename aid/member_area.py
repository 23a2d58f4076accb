"""Aid's contributions to the member area (/m/): the "Services" tab (办事) and the home tile, which shows the
member's application in progress and its step, or else the programme open now."""

from django.utils.translation import pgettext_lazy

from unionhub.contributions import MemberScope, member_tile, register_member_tab

from .models import MemberApplication
from .services import member_applications as services

register_member_tab(30, label=pgettext_lazy("member tab", "Services"), url_name="member_applications:home")


@member_tile(order=30, template="aid/member/_tile.html")
def application_tile(scope: MemberScope) -> dict | None:
    """One query for the application in progress; a second, only when there is none, for the open programme."""
    current = (
        MemberApplication.objects.for_person(scope.member)
        .filter(services.IN_PROGRESS)
        .select_related("programme", "application")
        .order_by("-submitted_on", "-pk")
        .first()
    )
    if current is not None:
        return {"request": current, "stage": services.stage(current)}
    programme = services.open_member_programme(scope.day)
    if programme is None:
        return None
    return {"programme": programme}
