"""Honours on the dashboard and a grid area's page (see ``unionhub/contributions.py``): the rounds
awaiting the committee (staff), the rounds a chair can nominate for now, and an area's honours this year;
the 十百千 awards still without this year's round (staff), and the programme's and the teams' figures."""

from django.db.models import Count, Q, Sum
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

from .models import AwardRound, AwardType, Honour, HonourNomination, Series, SeriesTier
from .permissions import is_honours_staff


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


@todo_items(order=108, shows=gettext_lazy("十百千 awards without this year's round"))
def programme_rounds_to_open(scope: Scope) -> list[TodoItem] | None:
    """Honours staff: the 十百千 programme's awards in use that have no round this year yet — the yearly
    selection is made of those rounds."""
    if not is_honours_staff(scope.user) or not scope.user.has_perm("honours.add_awardround"):
        return None
    missing = (
        AwardType.objects.filter(tier__series=Series.SHIBAIQIAN, active=True)
        .exclude(rounds__year=scope.day.year)
        .select_related("tier")
        .order_by("tier__order", "name")
    )
    url = reverse("honours:round_create")
    return [
        TodoItem(
            due=None,
            title=_("Open the %(year)d round of %(award)s")
            % {"year": scope.day.year, "award": award_type.name},
            detail=_("十百千 programme · %(tier)s") % {"tier": award_type.tier.name},
            url=url,
            action=_("Open a round"),
            sort_key=f"{award_type.tier.order}{award_type.name}",
            kind="honours.programme_round",
        )
        for award_type in missing
    ]


@district_figures(order=170, template="honours/dashboard/district_programme.html")
def programme_this_year(scope: Scope) -> dict:
    """This year's 十百千 awards against the tiers' targets, and the district's team honours."""
    in_programme = Q(
        round__year=scope.day.year,
        round__award_type__tier__series=Series.SHIBAIQIAN,
        status=HonourNomination.Status.AWARDED,
    )
    team_honour = Q(nominee_team__isnull=False, honour__isnull=False, honour__revoked=False)
    counts = HonourNomination.objects.filter(in_programme | team_honour).aggregate(
        awarded=Count("pk", filter=in_programme), teams=Count("pk", filter=team_honour)
    )
    target = SeriesTier.objects.filter(series=Series.SHIBAIQIAN).aggregate(total=Sum("target"))["total"] or 0
    return {
        "programme_awarded": counts["awarded"],
        "programme_target": target,
        "team_honours": counts["teams"],
    }
