"""What casework contributes to the member area (/m/): the "Rights" tab (维权) and, on the home page, the stage of
the member's open signed case."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhub.contributions import member_tile, register_member_tab

from .models import Case

register_member_tab(40, label=_("Rights"), url_name="member_complaints:complaint_list")


@member_tile(40, "grievances/member/_tile.html")
def open_case(scope) -> dict | None:
    """The member's latest open signed case and its stage (one query), or nothing."""
    case = (
        Case.objects.filed_by(scope.member)
        .open()
        .order_by("-received_on", "-pk")
        .values("pk", "number", "stage")
        .first()
    )
    if case is None:
        return None
    return {
        "number": case["number"],
        "stage": Case.Stage(case["stage"]).label,
        "url": reverse("member_complaints:complaint_detail", kwargs={"pk": case["pk"]}),
    }
