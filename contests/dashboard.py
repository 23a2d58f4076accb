"""The skills contests on the dashboard (see ``unionhub/contributions.py``): a chair's places left in a contest
open for entry; a judge's contestants still to score and the staff's contests whose entry has closed with
contestants unscored; a panel of the contests an organiser or judge serves; the year's figures as a district
tile for the staff."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from unionhub.contributions import (
    Scope,
    TodoItem,
    dashboard_panel,
    district_figures,
    severity_for,
    todo_items,
)

from . import permissions, services
from .models import Contest, Entry, Judge, Score


@todo_items(order=100, shows=gettext_lazy("skills contests open for your union's entries"))
def places_to_fill(scope: Scope) -> list[TodoItem] | None:
    user = scope.user
    if not user.is_union_chair:
        return None
    contests = list(
        Contest.objects.filter(
            state=Contest.State.ENTRY_OPEN, entry_opens_on__lte=scope.day, entry_closes_on__gte=scope.day
        ).prefetch_related("quotas")
    )
    if not contests:
        return []
    unions = list(user.chaired_unions.order_by("code"))
    counts = (
        Entry.objects.filter(contest__in=contests, union__in=unions)
        .values("contest_id", "union_id")
        .annotate(n=Count("pk"))
        .values_list("contest_id", "union_id", "n")
        .order_by()
    )
    made = {(contest_id, union_id): n for contest_id, union_id, n in counts}
    items = []
    for contest in contests:
        overrides = {q.union_id: q.places for q in contest.quotas.all()}
        for union in unions:
            places = overrides.get(union.pk, contest.default_quota)
            left = places - made.get((contest.pk, union.pk), 0)
            if left <= 0:
                continue
            items.append(
                TodoItem(
                    due=contest.entry_closes_on,
                    title=_("%(contest)s is open for entry") % {"contest": contest.title},
                    detail=_("%(n)d places left for %(union)s; entries close on %(day)s.")
                    % {"n": left, "union": union.name, "day": contest.entry_closes_on.isoformat()},
                    url=reverse("contests:entries", kwargs={"pk": contest.pk}),
                    action=_("Enter members"),
                    severity=severity_for(contest.entry_closes_on, scope.day),
                    sort_key=f"{union.code}-{contest.pk}",
                    kind="contests.enter",
                )
            )
    return items


def _unscored_for_judge(judge: Judge) -> int:
    contest_round = services.current_round(judge.contest)
    if contest_round is None:
        return 0
    return (
        services.entries_to_score(judge, contest_round)
        .exclude(Exists(Score.objects.filter(entry=OuterRef("pk"), judge=judge, round=contest_round)))
        .count()
    )


@todo_items(order=101, shows=gettext_lazy("contestants to score in skills contests"))
def contestants_to_score(scope: Scope) -> list[TodoItem] | None:
    """A judge's contestants still to score in the round being judged; for the staff, the contests being
    judged (entry closed) that still have contestants without a score in that round."""
    user = scope.user
    staff = permissions.is_contest_staff(user)
    # One query when nothing is being judged: the contests, with the user's own judge row and the rounds.
    judged = list(
        Contest.objects.filter(state=Contest.State.JUDGING)
        .prefetch_related(
            "rounds", Prefetch("judges", queryset=Judge.objects.filter(user=user), to_attr="mine")
        )
        .order_by("pk")
    )
    judgings = [contest.mine[0] for contest in judged if contest.mine]
    if not staff and not judgings:
        return None
    items = []
    for judge in judgings:
        left = _unscored_for_judge(judge)
        if left:
            items.append(
                TodoItem(
                    due=None,
                    title=_("Score the contestants of %(contest)s") % {"contest": judge.contest.title},
                    detail=_("%(n)d contestants still to score.") % {"n": left},
                    url=reverse("contests:scoring", kwargs={"pk": judge.contest_id}),
                    action=_("Score"),
                    sort_key=str(judge.contest_id),
                    kind="contests.score",
                )
            )
    if staff:
        for contest in judged:
            contest_round = services.current_round(contest)
            if contest_round is None:
                continue
            scored = Score.objects.filter(round=contest_round).values("entry_id")
            left = services.round_entries(contest, contest_round).exclude(pk__in=scored).count()
            if left:
                items.append(
                    TodoItem(
                        due=contest.entry_closes_on,
                        title=_("%(contest)s: contestants without a score") % {"contest": contest.title},
                        detail=_(
                            "Entry closed on %(day)s; %(n)d contestants of the %(round)s have no score yet."
                        )
                        % {
                            "day": contest.entry_closes_on.isoformat(),
                            "n": left,
                            "round": contest_round.get_kind_display(),
                        },
                        url=contest.get_absolute_url(),
                        action=pgettext("skills contest", "Contest"),
                        sort_key=f"z{contest.pk}",
                        kind="contests.unscored",
                    )
                )
    return items


@dashboard_panel(order=85, template="contests/dashboard/panel.html")
def my_contests(scope: Scope) -> dict | None:
    """The contests not yet published that the user organises (staff listed as organisers, organising cadres)
    or judges, with their state and entries."""
    user = scope.user
    if not user.is_authenticated:
        return None
    contests = list(
        Contest.objects.exclude(state=Contest.State.PUBLISHED)
        .filter(
            Q(organisers=user)
            | Q(organising_cadres__cadre=user)
            | Q(Exists(Judge.objects.filter(contest=OuterRef("pk"), user=user)))
        )
        .exclude(Q(state=Contest.State.DRAFT) & ~Q(organisers=user) & ~Q(organising_cadres__cadre=user))
        .annotate(n_entries=Count("entries", distinct=True))
        .order_by("starts_on", "pk")
        .distinct()[:6]
    )
    if not contests:
        return None
    return {"contest_panel": contests}


@district_figures(order=140, template="contests/dashboard/district.html")
def contest_figures(scope: Scope) -> dict:
    """The year's contests: contestants entered and prizes given (one query)."""
    entries = Entry.objects.filter(contest__year=scope.day.year).exclude(contest__state=Contest.State.DRAFT)
    if scope.area is not None:
        entries = entries.filter(union__area=scope.area)
    figures = entries.aggregate(n=Count("pk"), prizes=Count("pk", filter=~Q(prize="")))
    return {
        "contest_entries": figures["n"],
        "contest_prizes": figures["prizes"],
        "contest_year": scope.day.year,
    }
