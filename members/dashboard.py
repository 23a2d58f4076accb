"""The registry's contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``): the district's unions, enterprises and members, union funds, the
largest unions and committees due for re-election, and a chair's "My union".

A union's card on the chair's dashboard shows what other programmes add to it (``@union_card``: the
workers' home's level, for one); this module does not know them."""

import datetime

from django.db.models import Count, OuterRef, Q, Subquery

from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    area_figures,
    contributions,
    dashboard_panel,
    district_figures,
    register_scope_models,
)

from .models import (
    Area,
    DuesPeriod,
    Enterprise,
    GrassrootsUnion,
    Member,
    Remittance,
)
from .services import dues

register_scope_models(area=Area, union=GrassrootsUnion)


# --- figures shared by the dashboard, the area page and the reports ------------------------------------


def operating_enterprises(scope: Scope) -> int:
    return (
        filter_by_area(Enterprise.objects.all(), scope.area, "union")
        .filter(status=Enterprise.Status.OPERATING)
        .count()
    )


def member_counts(scope: Scope) -> dict:
    """Members, women, migrant workers and those who joined this year, in one query."""
    return filter_by_area(Member.objects.all(), scope.area, "union").aggregate(
        members=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES)),
        women=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, sex=Member.Sex.FEMALE)),
        migrants=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, is_migrant_worker=True)),
        joined_this_year=Count("pk", filter=Q(joined_on__year=scope.day.year)),
    )


def funds_received(scope: Scope):
    return filter_by_area(Remittance.objects.all(), scope.area, "period__union").received_in_year(
        scope.day.year
    )


# --- the staff's "The district" --------------------------------------------------------------------------


@district_figures(order=10, template="members/dashboard/district_registry.html")
def registry_figures(scope: Scope) -> dict:
    return {
        "unions": GrassrootsUnion.objects.in_area(scope.area)
        .filter(status=GrassrootsUnion.Status.ACTIVE)
        .count(),
        "enterprises": operating_enterprises(scope),
        **member_counts(scope),
    }


@district_figures(order=50, template="members/dashboard/district_dues.html")
def dues_figures(scope: Scope) -> dict:
    return {
        "funds_received": funds_received(scope),
        "arrears": filter_by_area(DuesPeriod.objects.all(), scope.area, "union")
        .in_arrears(scope.day)
        .count(),
    }


@dashboard_panel(order=10, template="members/dashboard/largest_unions.html")
def largest_unions(scope: Scope) -> dict | None:
    if not scope.user.is_federation_staff:
        return None
    largest = list(
        filter_by_area(Member.objects.active(), scope.area, "union")
        .values_list("union_id")
        .annotate(n=Count("pk"))
        .values_list("union_id", "n")
        .order_by("-n")[:8]
    )
    unions = GrassrootsUnion.objects.in_bulk([pk for pk, _ in largest])
    # Committees due for re-election (换届) within 90 days, or already overdue.
    horizon = scope.day + datetime.timedelta(days=90)
    due = [
        u
        for u in GrassrootsUnion.objects.in_area(scope.area).filter(
            committee_term_start__isnull=False, status=GrassrootsUnion.Status.ACTIVE
        )
        if u.committee_term_end <= horizon
    ]
    return {
        "largest_unions": [(unions[pk], n) for pk, n in largest],
        "terms_ending": sorted(due, key=lambda u: u.committee_term_end)[:10],
    }


# --- a union chair's "My union" --------------------------------------------------------------------------


@dashboard_panel(order=20, template="members/dashboard/my_union.html")
def my_union(scope: Scope) -> dict | None:
    user = scope.user
    if not user.is_union_chair:
        return None
    # What other programmes add to each union's card: annotations of the union and a template each.
    annotations, cards = {}, {}
    for card in contributions("union_card"):
        values = dict(card.func(scope) or {})
        annotations.update(values.pop("annotations", {}))
        cards.update(values)
    my_unions = GrassrootsUnion.objects.filter(chair=user).annotate(
        members_n=Count("members", filter=Q(members__status__in=Member.ACTIVE_STATUSES), distinct=True),
        enterprises_n=Count("enterprises", distinct=True),
        # The area this union leads, if any: its chair gets the "My area" card.
        led_area_pk=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("pk")[:1]),
        led_area_name=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("name")[:1]),
        **annotations,
    )
    return {
        "my_unions": my_unions,
        "union_card_templates": [c.template for c in contributions("union_card")],
        **cards,
        "recent_members": (
            Member.objects.visible_to(user).select_related("enterprise").order_by("-joined_on", "-pk")[:5]
        ),
        "my_arrears": dues.arrears(queryset=DuesPeriod.objects.visible_to(user), today=scope.day),
    }


# --- a grid area's page ----------------------------------------------------------------------------------


def _counts_by(queryset, key: str) -> dict:
    return dict(queryset.values_list(key).annotate(n=Count("pk")).values_list(key, "n").order_by())


@area_figures(order=10)
def area_registry(scope: Scope) -> dict:
    members = member_counts(scope)
    return {
        "unions": scope.area.unions.count(),
        "enterprises": operating_enterprises(scope),
        "members": members["members"],
        "migrants": members["migrants"],
    }


@area_figures(order=20)
def area_dues(scope: Scope) -> dict:
    overdue = dues.arrears(queryset=DuesPeriod.objects.filter(union__area=scope.area), today=scope.day)
    return {
        "funds_received": funds_received(scope),
        "arrears_count": len(overdue),
        "arrears_total": sum((a.outstanding or 0) for a in overdue),
    }
