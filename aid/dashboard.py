"""The aid programmes' contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``): each figure only for staff with the duty to see it."""

from unionhub.areas import filter_by_area
from unionhub.contributions import Scope, area_figures, district_figures

from .models import HardshipFile, SchoolPlaceRequest
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
