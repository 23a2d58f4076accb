"""The registry's contributions to the dashboard and to a grid area's page (see
``unionhub/contributions.py``): the district's unions, enterprises and members, union funds, the
largest unions and committees due for re-election, and a chair's "My union".

Honours and workers' homes live in this app for now; their figures are in the two blocks at the end,
kept apart so that they can move as a block when those become apps of their own."""

import datetime

from django.db.models import Count, OuterRef, Q, Subquery

from unionhub.areas import filter_by_area
from unionhub.contributions import (
    Scope,
    area_figures,
    dashboard_panel,
    district_figures,
    register_scope_models,
)

from .models import (
    Area,
    AwardRound,
    DuesPeriod,
    Enterprise,
    GrassrootsUnion,
    HomeLevel,
    Honour,
    Member,
    Remittance,
    WorkersHome,
)
from .services import dues

register_scope_models(area=Area, union=GrassrootsUnion)


# --- figures shared by the dashboard, the area page and the reports ------------------------------------

def operating_enterprises(scope: Scope) -> int:
    return filter_by_area(Enterprise.objects.all(), scope.area, "union").filter(
        status=Enterprise.Status.OPERATING).count()


def member_counts(scope: Scope) -> dict:
    """Members, women, migrant workers and those who joined this year, in one query."""
    return filter_by_area(Member.objects.all(), scope.area, "union").aggregate(
        members=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES)),
        women=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, sex=Member.Sex.FEMALE)),
        migrants=Count("pk", filter=Q(status__in=Member.ACTIVE_STATUSES, is_migrant_worker=True)),
        joined_this_year=Count("pk", filter=Q(joined_on__year=scope.day.year)),
    )


def funds_received(scope: Scope):
    return filter_by_area(Remittance.objects.all(), scope.area, "period__union").received_in_year(scope.day.year)


# --- the staff's "The district" --------------------------------------------------------------------------

@district_figures(order=10, template="members/dashboard/district_registry.html")
def registry_figures(scope: Scope) -> dict:
    return {
        "unions": GrassrootsUnion.objects.in_area(scope.area).filter(status=GrassrootsUnion.Status.ACTIVE).count(),
        "enterprises": operating_enterprises(scope),
        **member_counts(scope),
    }


@district_figures(order=50, template="members/dashboard/district_dues.html")
def dues_figures(scope: Scope) -> dict:
    return {
        "funds_received": funds_received(scope),
        "arrears": filter_by_area(DuesPeriod.objects.all(), scope.area, "union").in_arrears(scope.day).count(),
    }


@dashboard_panel(order=10, template="members/dashboard/largest_unions.html")
def largest_unions(scope: Scope) -> dict | None:
    if not scope.user.is_federation_staff:
        return None
    largest = list(filter_by_area(Member.objects.active(), scope.area, "union").values_list("union_id")
                   .annotate(n=Count("pk"))
                   .values_list("union_id", "n").order_by("-n")[:8])
    unions = GrassrootsUnion.objects.in_bulk([pk for pk, _ in largest])
    # Committees due for re-election (换届) within 90 days, or already overdue.
    horizon = scope.day + datetime.timedelta(days=90)
    due = [u for u in GrassrootsUnion.objects.in_area(scope.area).filter(committee_term_start__isnull=False,
                                                                         status=GrassrootsUnion.Status.ACTIVE)
           if u.committee_term_end <= horizon]
    return {"largest_unions": [(unions[pk], n) for pk, n in largest],
            "terms_ending": sorted(due, key=lambda u: u.committee_term_end)[:10]}


# --- a union chair's "My union" --------------------------------------------------------------------------

@dashboard_panel(order=20, template="members/dashboard/my_union.html")
def my_union(scope: Scope) -> dict | None:
    user = scope.user
    if not user.is_union_chair:
        return None
    my_unions = (
        GrassrootsUnion.objects.filter(chair=user)
        .annotate(members_n=Count("members", filter=Q(members__status__in=Member.ACTIVE_STATUSES), distinct=True),
                  enterprises_n=Count("enterprises", distinct=True),
                  # The area this union leads, if any: its chair gets the "My area" card.
                  led_area_pk=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("pk")[:1]),
                  led_area_name=Subquery(Area.objects.filter(lead_union=OuterRef("pk")).values("name")[:1]),
                  **union_home_annotations())
    )
    return {
        "my_unions": my_unions,
        **chair_home_context(),
        **chair_honours_context(scope),
        "recent_members": (Member.objects.visible_to(user).select_related("enterprise")
                           .order_by("-joined_on", "-pk")[:5]),
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


# --- workers' homes (职工之家): to move with the homes app -------------------------------------------------

def union_home_annotations() -> dict:
    """The level and re-inspection date of a union's workers' home, as annotations of the union."""
    homes = WorkersHome.objects.filter(union=OuterRef("pk"))
    return {"home_level": Subquery(homes.values("level")[:1]),
            "home_due": Subquery(homes.values("reinspection_due_on")[:1])}


def chair_home_context() -> dict:
    return {"home_levels": dict(HomeLevel.choices)}


@district_figures(order=80, template="members/dashboard/district_homes.html")
def homes_due(scope: Scope) -> dict:
    # The workers'-home list's "due soon" filter.
    return {"homes_due": filter_by_area(WorkersHome.objects.all(), scope.area, "union").due_by(
        scope.day + datetime.timedelta(days=30)).count()}


@area_figures(order=30)
def area_homes(scope: Scope) -> dict:
    homes = _counts_by(WorkersHome.objects.filter(union__area=scope.area, level__gte=HomeLevel.QUALIFIED), "level")
    return {
        "homes": [(label, homes.get(level, 0)) for level, label in HomeLevel.choices if level >= HomeLevel.QUALIFIED],
        "homes_rated": sum(homes.values()),
    }


# --- honours: to move with the honours app ---------------------------------------------------------------

def chair_honours_context(scope: Scope) -> dict:
    # Honours rounds taking nominations now: the chair's cue to nominate.
    return {"open_rounds": (AwardRound.objects.filter(decided_on__isnull=True, opens_on__lte=scope.day,
                                                      closes_on__gte=scope.day)
                            .select_related("award_type").order_by("closes_on"))}


@district_figures(order=90, template="members/dashboard/district_honours.html")
def rounds_to_decide(scope: Scope) -> dict:
    return {"rounds_to_decide": AwardRound.objects.filter(decided_on__isnull=True, closes_on__lt=scope.day).count()}


@area_figures(order=40)
def area_honours(scope: Scope) -> dict:
    return {"honours": Honour.objects.filter(nomination__union__area=scope.area, issued_on__year=scope.day.year,
                                             revoked=False).count()}
