"""Honours on the dashboard and a grid area's page (see ``unionhub/contributions.py``): the rounds
awaiting the committee (staff), the rounds a chair can nominate for now, and an area's honours this year."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import (
    Scope,
    TodoItem,
    area_figures,
    dashboard_panel,
    district_figures,
    severity_for,
    todo_items,
)

from .models import AwardRound, Honour, HonourNomination


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


@todo_items(order=50, shows=gettext_lazy("honours open for nomination"))
def rounds_to_nominate_for(scope: Scope) -> list[TodoItem] | None:
    """Rounds taking nominations now, with room left, for which a chair's union has not nominated yet."""
    user = scope.user
    if not user.is_union_chair:
        return None
    unions = list(user.chaired_unions.order_by("code"))
    if not unions:
        return []
    counting = ~Q(nominations__status=HonourNomination.Status.WITHDRAWN)
    rounds = (
        AwardRound.objects.filter(decided_on__isnull=True, opens_on__lte=scope.day, closes_on__gte=scope.day)
        .annotate(used=Count("nominations", filter=counting))
        .select_related("award_type")
        .order_by("closes_on", "pk")
    )
    nominated = set(
        HonourNomination.objects.counting()
        .filter(round__in=rounds, union__in=unions)
        .values_list("round_id", "union_id")
    )
    items = []
    for award_round in rounds:
        if award_round.used >= award_round.quota:
            continue
        waiting = [u for u in unions if (award_round.pk, u.pk) not in nominated]
        if not waiting:
            continue
        values = {
            "round": f"{award_round.year} {award_round.award_type}",
            "date": award_round.closes_on.isoformat(),
        }
        detail = _("Nominations close on %(date)s.") % values
        if len(unions) > 1:
            detail = f"{'、'.join(u.code for u in waiting)} · {detail}"
        items.append(
            TodoItem(
                due=award_round.closes_on,
                title=_("Nominate for %(round)s") % values,
                detail=detail,
                url=reverse("honours:nomination_create", kwargs={"pk": award_round.pk}),
                action=_("Nominate"),
                severity=severity_for(award_round.closes_on, scope.day),
                sort_key=str(award_round.award_type),
                kind="honours.nominate",
            )
        )
    return items


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
