"""Honours on the dashboard and a grid area's page (see ``unionhub/contributions.py``): the rounds
awaiting the committee (staff), the rounds a chair can nominate for now, and an area's honours this year."""

from unionhub.contributions import Scope, area_figures, dashboard_panel, district_figures

from .models import AwardRound, Honour


@dashboard_panel(order=25, template="honours/dashboard/open_rounds.html")
def open_rounds(scope: Scope) -> dict | None:
    """Honours rounds taking nominations now: a chair's cue to nominate."""
    if not scope.user.is_union_chair:
        return None
    return {
        "open_rounds": (
            AwardRound.objects.filter(
                decided_on__isnull=True, opens_on__lte=scope.day, closes_on__gte=scope.day
            )
            .select_related("award_type")
            .order_by("closes_on")
        )
    }


@district_figures(order=90, template="honours/dashboard/district_honours.html")
def rounds_to_decide(scope: Scope) -> dict:
    return {
        "rounds_to_decide": AwardRound.objects.filter(
            decided_on__isnull=True, closes_on__lt=scope.day
        ).count()
    }


@area_figures(order=40)
def area_honours(scope: Scope) -> dict:
    return {
        "honours": Honour.objects.filter(
            nomination__union__area=scope.area, issued_on__year=scope.day.year, revoked=False
        ).count()
    }
