"""The aid programmes' contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``): each figure only for staff with the duty to see it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.areas import filter_by_area
from unionhub.contributions import Scope, TodoItem, area_figures, district_figures, todo_items

from .models import HardshipFile, MemberApplication, SchoolPlaceRequest
from .services import fund


@district_figures(order=60, template="aid/dashboard/district_fund.html")
def fund_figures(scope: Scope) -> dict:
    if not scope.user.has_perm("aid.view_fundentry"):
        return {}
    return {"fund_balance": fund.balance()}


@district_figures(order=100, template="aid/dashboard/district_school_places.html")
def school_place_figures(scope: Scope) -> dict:
    if not scope.user.has_perm("aid.view_schoolplacerequest"):
        return {}
    return {
        "school_requests_waiting": filter_by_area(SchoolPlaceRequest.objects.all(), scope.area, "union")
        .filter(status=SchoolPlaceRequest.Status.SUBMITTED)
        .count()
    }


@district_figures(order=110, template="aid/dashboard/district_files.html")
def hardship_file_figures(scope: Scope) -> dict:
    if not scope.user.has_perm("aid.view_hardshipfile"):
        return {}
    return {
        "files_waiting": filter_by_area(HardshipFile.objects.all(), scope.area, "union")
        .filter(status__in=[HardshipFile.Status.APPLYING, HardshipFile.Status.NOTICE])
        .count()
    }


@area_figures(order=60)
def area_hardship_files(scope: Scope) -> dict:
    return {
        "hardship_files": filter_by_area(HardshipFile.objects.all(), scope.area, "union")
        .filter(status=HardshipFile.Status.ACTIVE)
        .count()
    }


@todo_items(order=65, shows=gettext_lazy("members' aid applications to review"))
def member_applications_to_review(scope: Scope) -> list[TodoItem] | None:
    """A chair's members' own applications waiting for the chair to forward or return them."""
    user = scope.user
    if not user.is_union_chair:
        return None
    waiting = (
        MemberApplication.objects.filter(union__chair=user, status=MemberApplication.Status.AT_CHAIR)
        .select_related("member", "programme")
        .order_by("submitted_on", "pk")
    )
    return [
        TodoItem(
            due=None,
            title=_("%(name)s applies for %(programme)s")
            % {"name": request.member.name, "programme": request.programme.name},
            detail=_("Submitted on %(day)s; forward it to the federation or return it.")
            % {"day": request.submitted_on},
            url=request.get_absolute_url(),
            action=_("Review"),
            sort_key=request.submitted_on.isoformat(),
            kind="aid.member_application",
        )
        for request in waiting
    ]
