"""Skills contests: quotas, eligibility, the judging conflict, the ranking rules, prizes and certificates, the
honours feed, the command, and the pages' access and bad input."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from contests import permissions, services
from contests.models import Certificate, Contest, Entry, Prize, Score, TieBreak
from contests.services import RoundScore
from honours.models import HonourNomination, NomineeKind
from members.models import Member
from tests.contests.conftest import FIRST_DAY, IN_WINDOW, assign, contest_fields, open_contest, points
from tests.factories import DAY, TODAY, make_award, make_round, make_user

pytestmark = pytest.mark.django_db


def test_the_contest_list_needs_a_role(client, login, staff, chair_a, union_a, outsider, cadre, contest):
    response = client.get(reverse("contests:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(outsider).get(reverse("contests:list")).status_code == 403
    for user in (staff, chair_a, cadre):
        response = login(user).get(reverse("contests:list"))
        assert response.status_code == 200
        assert contest.title in response.content.decode()


def test_a_draft_is_seen_by_the_staff_only(client, login, staff, chair_a, union_a):
    draft = services.save_contest(by=staff, **contest_fields(title="草稿比武"))
    assert login(chair_a).get(draft.get_absolute_url()).status_code == 404
    assert login(staff).get(draft.get_absolute_url()).status_code == 200


def test_list_query_count_is_pinned(client, login, staff, django_assert_num_queries):
    for n in range(4):
        open_contest(staff, title=f"比武{n}")
    login(staff)
    client.get(reverse("contests:list"))  # warm the session and the content types
    # session, user, the user's groups/permissions for the menu, the count, the page
    with django_assert_num_queries(PINNED_LIST_QUERIES):
        assert client.get(reverse("contests:list")).status_code == 200
    open_contest(staff, title="再来一个")
    with django_assert_num_queries(PINNED_LIST_QUERIES):
        client.get(reverse("contests:list"))


PINNED_LIST_QUERIES = 8


# --- quotas ---------------------------------------------------------------------------------------


def test_a_full_quota_is_refused_and_writes_nothing(staff, chair_a, contest, member_of):
    for n in range(2):
        services.enter(
            by=chair_a,
            contest=contest,
            member=member_of(name=f"甲{n}"),
            declared_trade="electrician",
            on=IN_WINDOW,
        )
    third = member_of(name="甲三")
    with pytest.raises(ValidationError, match="已用完|used all"):
        services.enter(by=chair_a, contest=contest, member=third, declared_trade="electrician", on=IN_WINDOW)
    assert contest.entries.count() == 2


def test_a_unions_own_quota_replaces_the_default(staff, chair_a, union_a, contest, member_of):
    services.set_quotas(by=staff, contest=contest, default_quota=2, overrides={union_a: 1})
    services.enter(
        by=chair_a, contest=contest, member=member_of(), declared_trade="electrician", on=IN_WINDOW
    )
    with pytest.raises(ValidationError):
        services.enter(
            by=chair_a,
            contest=contest,
            member=member_of(name="又一个"),
            declared_trade="electrician",
            on=IN_WINDOW,
        )
    # A quota cannot fall below the entries already made; negative places are refused.
    with pytest.raises(ValidationError):
        services.set_quotas(by=staff, contest=contest, default_quota=2, overrides={union_a: 0})
    with pytest.raises(ValidationError):
        services.set_quotas(by=staff, contest=contest, default_quota=-1, overrides={})


def test_the_same_member_twice_is_one_entry_with_a_message(chair_a, contest, member_of):
    member = member_of()
    services.enter(by=chair_a, contest=contest, member=member, declared_trade="electrician", on=IN_WINDOW)
    with pytest.raises(ValidationError) as refused:
        services.enter(by=chair_a, contest=contest, member=member, declared_trade="electrician", on=IN_WINDOW)
    assert member.name in refused.value.messages[0]
    assert contest.entries.count() == 1


def test_a_double_submitted_entry_form_makes_one_entry(client, login, chair_a, page_contest, member_of):
    member = member_of()
    login(chair_a)
    data = {"id_number": member.id_number, "declared_trade": "electrician", "job_title": "维修电工"}
    url = reverse("contests:entries", args=[page_contest.pk])
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 200
    assert "已报名" in second.content.decode()
    assert page_contest.entries.count() == 1


def test_another_unions_chair_cannot_enter_its_members(chair_b, contest, member_of):
    with pytest.raises(PermissionDenied):
        services.enter(
            by=chair_b, contest=contest, member=member_of("a"), declared_trade="electrician", on=IN_WINDOW
        )
    assert not contest.entries.exists()


def test_entries_are_taken_within_the_window_only(chair_a, contest, member_of):
    for day in (datetime.date(2030, 2, 28), datetime.date(2030, 3, 21)):
        with pytest.raises(ValidationError):
            services.enter(
                by=chair_a, contest=contest, member=member_of(), declared_trade="electrician", on=day
            )
    services.enter(
        by=chair_a,
        contest=contest,
        member=member_of(name="最后一天"),
        declared_trade="electrician",
        on=datetime.date(2030, 3, 20),
    )


# --- eligibility ----------------------------------------------------------------------------------


def test_a_former_member_is_refused(staff, chair_a, contest, member_of):
    member = member_of()
    Member.objects.filter(pk=member.pk).update(status=Member.Status.WITHDRAWN)
    member.refresh_from_db()
    with pytest.raises(ValidationError, match="不是|not an active"):
        services.enter(by=chair_a, contest=contest, member=member, declared_trade="electrician", on=IN_WINDOW)
    assert not contest.entries.exists()


def test_a_non_member_is_not_found_by_the_entry_form(client, login, chair_a, union_a, page_contest):
    login(chair_a)
    response = client.post(
        reverse("contests:entries", args=[page_contest.pk]),
        {"id_number": "330481199001011234", "declared_trade": "electrician"},
    )
    assert response.status_code == 200
    assert not page_contest.entries.exists()


def test_a_trade_the_contest_does_not_accept_is_refused(chair_a, contest, member_of):
    with pytest.raises(ValidationError, match="电工|Electrician"):
        services.enter(by=chair_a, contest=contest, member=member_of(), declared_trade="welder", on=IN_WINDOW)
    assert not contest.entries.exists()


@pytest.mark.parametrize(
    "birth, allowed",
    [
        ("20120410", True),  # 18 on the first day, 2030-04-10
        ("20120411", False),  # 17 until the day after
        ("19790411", True),  # 50 (51 the day after)
        ("19790410", False),  # 51 on the first day
    ],
)
def test_age_on_the_first_day_boundaries(chair_a, contest, member_of, birth, allowed):
    member = member_of(birth=birth)
    if allowed:
        services.enter(by=chair_a, contest=contest, member=member, declared_trade="electrician", on=IN_WINDOW)
        assert contest.entries.count() == 1
    else:
        with pytest.raises(ValidationError, match="首日|first day"):
            services.enter(
                by=chair_a, contest=contest, member=member, declared_trade="electrician", on=IN_WINDOW
            )
        assert not contest.entries.exists()


def test_a_leap_day_birthday_ages_on_the_first_of_march(staff, chair_a, member_of):
    # Born 2012-02-29: 18 on 2030-03-01, not on 2030-02-28.
    contest = open_contest(
        staff,
        starts_on=datetime.date(2030, 2, 28),
        ends_on=datetime.date(2030, 3, 1),
        final_on=datetime.date(2030, 3, 1),
        entry_opens_on=datetime.date(2030, 2, 1),
        entry_closes_on=datetime.date(2030, 2, 20),
    )
    with pytest.raises(ValidationError):
        services.enter(
            by=chair_a,
            contest=contest,
            member=member_of(birth="20120229"),
            declared_trade="electrician",
            on=datetime.date(2030, 2, 5),
        )


# --- bad settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"theory_weight": Decimal(40), "practical_weight": Decimal(70)},
        {"theory_weight": Decimal(-10), "practical_weight": Decimal(110)},
        {"ends_on": FIRST_DAY - DAY},
        {"entry_closes_on": datetime.date(2030, 2, 1)},
        {"entry_closes_on": FIRST_DAY + DAY * 1},
        {"min_age": 40, "max_age": 30},
        {"default_quota": -1},
        {"trade": "other", "trade_other": ""},
        {"final_on": FIRST_DAY + 5 * DAY},
    ],
)
def test_bad_settings_are_refused(staff, change):
    with pytest.raises(ValidationError):
        services.save_contest(by=staff, **contest_fields(**change))
    assert not Contest.objects.exists()


def test_only_the_organisation_duty_sets_contests_up(finance_staff, chair_a):
    for user in (finance_staff, chair_a):
        with pytest.raises(PermissionDenied):
            services.save_contest(by=user, **contest_fields())


def test_bad_input_on_the_pages_is_a_form_error(client, login, staff, page_contest):
    login(staff)
    draft = services.save_contest(by=staff, **contest_fields(title="草稿"))
    data = {
        **{k: str(v) for k, v in contest_fields().items() if k not in ("accepted_trades",)},
        "accepted_trades": ["electrician"],
        "theory_weight": "40",
        "practical_weight": "70",
    }
    response = client.post(reverse("contests:edit", args=[draft.pk]), data)
    assert response.status_code == 200 and "100" in response.content.decode()
    response = client.post(
        reverse("contests:create"), {**data, "starts_on": "2030-02-31", "default_quota": "-3"}
    )
    assert response.status_code == 200
    response = client.post(reverse("contests:quotas", args=[page_contest.pk]), {"default_quota": "-1"})
    assert response.status_code == 200
    response = client.post(
        reverse("contests:sheet", args=[draft.pk]),
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-part": "theory",
            "items-0-title": "理论",
            "items-0-max_points": "-5",
        },
    )
    assert response.status_code == 200
    assert Contest.objects.count() == 2


# --- judging --------------------------------------------------------------------------------------


@pytest.fixture
def judging(staff, chair_a, chair_b, contest, member_of, judges, union_a, union_b):
    """Two contestants of A, two of B, three judges (A's, B's, one of no union), entry closed."""
    entries = {
        "a1": services.enter(
            by=chair_a,
            contest=contest,
            member=member_of("a", name="甲一"),
            declared_trade="electrician",
            on=IN_WINDOW,
        ),
        "a2": services.enter(
            by=chair_a,
            contest=contest,
            member=member_of("a", name="甲二"),
            declared_trade="electrician",
            on=IN_WINDOW,
        ),
        "b1": services.enter(
            by=chair_b,
            contest=contest,
            member=member_of("b", name="乙一"),
            declared_trade="electrician",
            on=IN_WINDOW,
        ),
        "b2": services.enter(
            by=chair_b,
            contest=contest,
            member=member_of("b", name="乙二"),
            declared_trade="electrician",
            on=IN_WINDOW,
        ),
    }
    assigned = assign(staff, contest, judges, union_a, union_b)
    services.close_entry(by=staff, contest=contest)
    contest.refresh_from_db()
    return contest, entries, assigned


def test_a_judge_never_scores_their_own_union(judging, judges):
    contest, entries, _assigned = judging
    with pytest.raises(ValidationError, match="本单位|own union"):
        services.score_entry(by=judges["a"], entry=entries["a1"], points=points(contest, 80, 50, 30))
    assert not Score.objects.exists()
    services.score_entry(by=judges["a"], entry=entries["b1"], points=points(contest, 80, 50, 30))
    assert Score.objects.count() == 3


def test_the_scoring_page_does_not_offer_the_judges_own_union(client, login, judging, judges):
    contest, entries, _assigned = judging
    login(judges["a"])
    page = client.get(reverse("contests:scoring", args=[contest.pk])).content.decode()
    assert "乙一" in page and "甲一" not in page
    assert client.get(reverse("contests:score", args=[contest.pk, entries["a1"].pk])).status_code == 404
    response = client.post(
        reverse("contests:score", args=[contest.pk, entries["a1"].pk]),
        {f"item_{i.pk}": "1" for i in contest.items.all()},
    )
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_points_out_of_range_are_a_form_error_not_a_500(client, login, judging, judges):
    contest, entries, _assigned = judging
    login(judges["none"])
    url = reverse("contests:score", args=[contest.pk, entries["a1"].pk])
    items = list(contest.items.order_by("order"))
    for bad in ("101", "-1", "abc", "1e999", "NaN", "50.55"):
        response = client.post(
            url, {f"item_{items[0].pk}": bad, f"item_{items[1].pk}": "10", f"item_{items[2].pk}": "10"}
        )
        assert response.status_code == 200, bad
    assert not Score.objects.exists()
    with pytest.raises(ValidationError):
        services.score_entry(by=judges["none"], entry=entries["a1"], points=points(contest, 80, 61, 30))


def test_somebody_not_a_judge_cannot_score(judging, chair_a):
    contest, entries, _assigned = judging
    with pytest.raises(PermissionDenied):
        services.score_entry(by=chair_a, entry=entries["b1"], points=points(contest, 80, 50, 30))


def test_the_round_score_is_the_weighted_mean_of_the_judges(judging, judges):
    contest, entries, _assigned = judging
    # Contestant b1: judge A (theory 80, practical 50+30=80 of 100) and the neutral judge (90; 60+40=100).
    services.score_entry(by=judges["a"], entry=entries["b1"], points=points(contest, 80, 50, 30))
    services.score_entry(by=judges["none"], entry=entries["b1"], points=points(contest, 90, 60, 40))
    final = contest.rounds.get(kind="final")
    score = services.round_scores(contest, final)[entries["b1"].pk]
    # theory mean 85, practical mean 90 → 0.3 × 85 + 0.7 × 90 = 88.50
    assert (score.theory, score.practical, score.total, score.judges) == (
        Decimal("85.00"),
        Decimal("90.00"),
        Decimal("88.50"),
        2,
    )


def test_totals_round_half_up_to_two_decimals(staff):
    contest = Contest(theory_weight=Decimal(100), practical_weight=Decimal(0))
    # 0.1 of 80 points is 0.125 of 100: half up gives 0.13 (banker's rounding would give 0.12).
    score = services.compute_score(contest, {"theory": 80, "practical": 10}, {1: {"theory": Decimal("0.1")}})
    assert score.total == Decimal("0.13") and score.theory == Decimal("0.13")
    # A third: 1 of 3 points → 33.333… → 33.33; two of 3 → 66.67.
    contest = Contest(theory_weight=Decimal(50), practical_weight=Decimal(50))
    score = services.compute_score(
        contest, {"theory": 3, "practical": 3}, {1: {"theory": Decimal(1), "practical": Decimal(2)}}
    )
    assert (score.theory, score.practical, score.total) == (
        Decimal("33.33"),
        Decimal("66.67"),
        Decimal("50.00"),
    )


def _s(entry_id, total, theory, practical):
    return RoundScore(entry_id, Decimal(theory), Decimal(practical), Decimal(total), 1)


def test_ties_broken_by_practical_first_then_shared():
    scores = [_s(1, 90, 80, 95), _s(2, 90, 95, 85), _s(3, 90, 95, 85), _s(4, 80, 80, 80)]
    ranked = {s.entry_id: rank for rank, s in services.rank_rows(scores, TieBreak.PRACTICAL_FIRST)}
    assert ranked == {1: 1, 2: 2, 3: 2, 4: 4}


def test_ties_broken_by_theory_first_then_shared():
    scores = [_s(1, 90, 80, 95), _s(2, 90, 95, 85), _s(3, 90, 95, 85), _s(4, 80, 80, 80)]
    ranked = {s.entry_id: rank for rank, s in services.rank_rows(scores, TieBreak.THEORY_FIRST)}
    assert ranked == {2: 1, 3: 1, 1: 3, 4: 4}


def test_prizes_in_rank_order_and_ties_at_a_boundary_share_the_higher_prize():
    contest = Contest(first_prizes=1, second_prizes=1, third_prizes=1, merit_prizes=1)
    assert services.prizes_for(contest, [1, 2, 3, 4, 5]) == ["first", "second", "third", "merit", ""]
    # Two tied first: both first prize; the second-prize place is taken by the tie.
    assert services.prizes_for(contest, [1, 1, 3, 4, 5]) == ["first", "first", "third", "merit", ""]
    # Tied at the third-prize boundary: both third.
    assert services.prizes_for(contest, [1, 2, 3, 3, 5]) == ["first", "second", "third", "third", ""]
    assert services.prizes_for(contest, [None]) == [""]


def _score_everybody(contest, entries, judges, table):
    """``table``: entry key → (theory, install, faults), given by every judge allowed to score it."""
    for key, marks in table.items():
        entry = entries[key]
        for user in judges.values():
            if permissions.judge_of(user, contest).union_id == entry.union_id:
                continue
            services.score_entry(by=user, entry=entry, points=points(contest, *marks))


SCORES = {"a1": (90, 58, 38), "a2": (70, 40, 30), "b1": (80, 50, 30), "b2": (60, 30, 20)}


def test_publishing_fixes_ranks_prizes_and_issues_verifiable_certificates(client, staff, judging, judges):
    contest, entries, _assigned = judging
    _score_everybody(contest, entries, judges, SCORES)
    services.publish_results(by=staff, contest=contest, on=FIRST_DAY + DAY)
    contest.refresh_from_db()
    assert contest.state == Contest.State.PUBLISHED
    fixed = {e.member.name: (e.rank, e.prize) for e in contest.entries.select_related("member")}
    assert fixed == {"甲一": (1, "first"), "乙一": (2, "second"), "甲二": (3, "third"), "乙二": (4, "")}
    certificates = list(Certificate.objects.order_by("number"))
    assert [c.number for c in certificates] == ["JN-2030-0001", "JN-2030-0002", "JN-2030-0003"]
    page = client.get(certificates[0].get_verify_url())
    assert page.status_code == 200 and "JN-2030-0001" in page.content.decode()
    assert "甲一" not in page.content.decode()  # the name is masked on the public page
    assert client.get(reverse("contests:certificate_verify", args=["forged"])).status_code == 404
    Certificate.objects.filter(pk=certificates[0].pk).update(revoked=True)
    assert "撤销" in client.get(certificates[0].get_verify_url()).content.decode()
    # Scores no longer change once published.
    with pytest.raises(ValidationError):
        services.score_entry(by=judges["none"], entry=entries["b2"], points=points(contest, 100, 60, 40))


def test_results_mask_names_for_all_but_the_organisers(client, login, staff, chair_b, judging, judges):
    contest, entries, _assigned = judging
    _score_everybody(contest, entries, judges, SCORES)
    services.publish_results(by=staff, contest=contest, on=FIRST_DAY + DAY)
    url = reverse("contests:results", args=[contest.pk])
    assert "甲一" in login(staff).get(url).content.decode()
    page = login(chair_b).get(url).content.decode()
    assert "甲一" not in page and "甲*" in page


def test_publishing_needs_every_finalist_scored(staff, judging, judges):
    contest, entries, _assigned = judging
    services.score_entry(by=judges["none"], entry=entries["a1"], points=points(contest, 90, 50, 30))
    with pytest.raises(ValidationError):
        services.publish_results(by=staff, contest=contest, on=FIRST_DAY + DAY)
    contest.refresh_from_db()
    assert contest.state == Contest.State.JUDGING and not Certificate.objects.exists()


def test_a_preliminary_sends_its_top_n_to_the_final(
    staff, chair_a, chair_b, member_of, judges, union_a, union_b
):
    contest = open_contest(staff, preliminary_on=FIRST_DAY, advance=2)
    entries = {
        key: services.enter(
            by=chair_a if key[0] == "a" else chair_b,
            contest=contest,
            member=member_of(key[0], name=name),
            declared_trade="electrician",
            on=IN_WINDOW,
        )
        for key, name in (("a1", "甲一"), ("a2", "甲二"), ("b1", "乙一"), ("b2", "乙二"))
    }
    assign(staff, contest, judges, union_a, union_b)
    services.close_entry(by=staff, contest=contest)
    _score_everybody(contest, entries, judges, SCORES)
    with pytest.raises(ValidationError):  # the finalists must be chosen first
        services.publish_results(by=staff, contest=contest, on=FIRST_DAY + DAY)
    finalists = services.choose_finalists(by=staff, contest=contest)
    assert {e.member.name for e in finalists} == {"甲一", "乙一"}
    # The final: b1 now beats a1.
    _score_everybody(contest, entries, judges, {"a1": (70, 40, 30), "b1": (95, 58, 39)})
    with pytest.raises(ValidationError):  # a non-finalist is not in the final
        services.score_entry(by=judges["none"], entry=entries["a2"], points=points(contest, 1, 1, 1))
    services.publish_results(by=staff, contest=contest, on=FIRST_DAY + DAY)
    ranks = {e.member.name: e.rank for e in contest.entries.select_related("member")}
    assert ranks == {"乙一": 1, "甲一": 2, "甲二": 3, "乙二": 4}


def test_an_organising_cadre_manages_the_rounds(staff, cadre, chair_a):
    term = cadre.secondment_terms.get()
    contest = services.save_contest(by=staff, organising_cadres=[term], **contest_fields())
    final = contest.rounds.get(kind="final")
    services.save_round(by=cadre, contest_round=final, date=FIRST_DAY, venue="二号车间")
    with pytest.raises(PermissionDenied):
        services.save_round(by=chair_a, contest_round=final, date=FIRST_DAY)
    with pytest.raises(ValidationError):
        services.save_round(by=cadre, contest_round=final, date=FIRST_DAY - 30 * DAY)


def test_the_judges_union_is_derived_from_their_chair_role(staff, chair_a, union_a, contest):
    judge = services.add_judge(by=staff, contest=contest, user=chair_a)
    assert judge.union == union_a
    with pytest.raises(ValidationError):
        services.add_judge(by=staff, contest=contest, user=chair_a)


# --- the honours feed -----------------------------------------------------------------------------


@pytest.fixture
def published(staff, judging, judges):
    contest, entries, _assigned = judging
    _score_everybody(contest, entries, judges, SCORES)
    return services.publish_results(by=staff, contest=contest, on=FIRST_DAY + DAY), entries


def test_the_top_contestants_are_nominated_for_a_member_award(staff, published):
    contest, _entries = published
    award = make_award(staff, name="技术能手", kind=NomineeKind.MEMBER)
    award_round = make_round(staff, award, quota=2)
    made, refused = services.nominate_for_honours(
        by=staff, contest=contest, award_round=award_round, top=3, on=TODAY
    )
    # The round's quota of two is reached at the third: honours' own refusal, as it comes.
    assert [n.nominee_name for n in made] == ["甲一", "乙一"]
    assert len(refused) == 1 and refused[0][0].member.name == "甲二"
    assert "2" in refused[0][1][0]
    assert HonourNomination.objects.filter(round=award_round, union=None).count() == 2


def test_the_honours_feed_refuses_an_award_not_for_members_and_unpublished_results(staff, published, contest):
    published_contest, _entries = published
    union_award = make_award(staff, name="先进基层工会", kind=NomineeKind.UNION)
    with pytest.raises(ValidationError):
        services.nominate_for_honours(
            by=staff, contest=published_contest, award_round=make_round(staff, union_award), top=1, on=TODAY
        )
    member_award = make_award(staff, name="技术能手", kind=NomineeKind.MEMBER)
    other = open_contest(staff, title="未发布")
    with pytest.raises(ValidationError):
        services.nominate_for_honours(
            by=staff, contest=other, award_round=make_round(staff, member_award), top=1, on=TODAY
        )
    assert not HonourNomination.objects.exists()


def test_the_nominate_page_shows_the_honours_refusals(client, login, staff, published):
    contest, _entries = published
    award_round = make_round(staff, make_award(staff, name="技术能手", kind=NomineeKind.MEMBER), quota=1)
    response = login(staff).post(
        reverse("contests:nominate", args=[contest.pk]), {"award_round": award_round.pk, "top": "2"}
    )
    assert response.status_code == 200
    assert "乙一" in response.content.decode()  # refused: the quota of one is reached
    assert HonourNomination.objects.count() == 1


# --- the command ----------------------------------------------------------------------------------


LINE = re.compile(r"^(\d+)[ \t](\S+)[ \t](HN\d{3})[ \t](\d+\.\d{2})$")


def test_the_command_prints_one_line_per_contestant(published):
    contest, _entries = published
    out, err = io.StringIO(), io.StringIO()
    call_command("contest_results", contest=str(contest.pk), stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    parsed = [LINE.match(line).groups() for line in lines]
    assert [p[0] for p in parsed] == ["1", "2", "3", "4"]
    assert parsed[0][1] == "甲*" and parsed[0][2] == "HN001"
    assert Decimal(parsed[0][3]) == contest.entries.get(rank=1).score
    assert contest.title in err.getvalue()


@pytest.mark.parametrize("bad", ["999999", "abc", "-1", "1e5", "99999999999999999999"])
def test_the_command_refuses_an_unknown_id_with_a_message(bad):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("contest_results", contest=bad, stdout=out, stderr=err)
    assert exited.value.code == 1
    assert out.getvalue() == "" and "没有" in err.getvalue()


def test_the_command_prints_nothing_before_any_score(contest):
    out, err = io.StringIO(), io.StringIO()
    call_command("contest_results", contest=str(contest.pk), stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue()


# --- access ---------------------------------------------------------------------------------------


def test_another_unions_chair_cannot_take_back_an_entry(
    client, login, chair_a, chair_b, page_contest, member_of
):
    entry = services.enter(by=chair_a, contest=page_contest, member=member_of(), declared_trade="electrician")
    assert login(chair_b).post(reverse("contests:entry_remove", args=[entry.pk])).status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()
    assert login(chair_a).post(reverse("contests:entry_remove", args=[entry.pk])).status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_a_chair_sees_only_their_unions_entries(client, login, chair_a, chair_b, page_contest, member_of):
    services.enter(
        by=chair_a, contest=page_contest, member=member_of("a", name="甲选手"), declared_trade="electrician"
    )
    page = login(chair_b).get(reverse("contests:entries", args=[page_contest.pk])).content.decode()
    assert "甲选手" not in page


def test_chairs_and_outsiders_are_refused_the_staffs_pages(
    client, login, chair_a, union_a, outsider, page_contest
):
    for name in ("edit", "sheet", "quotas", "judges", "nominate"):
        url = reverse(f"contests:{name}", args=[page_contest.pk])
        assert login(chair_a).get(url).status_code == 403, name
        assert login(outsider).get(url).status_code == 404, name
    assert login(outsider).get(reverse("contests:create")).status_code == 403


def test_the_certificate_pdf_is_for_the_organisers_and_the_unions_chair(
    client, login, staff, chair_a, chair_b, published
):
    contest, _entries = published
    certificate = Certificate.objects.get(entry__rank=1)  # union A's contestant
    assert login(chair_b).get(certificate.get_absolute_url()).status_code == 404
    response = login(chair_a).get(certificate.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_hostile_query_params_do_not_break_the_list(client, login, staff):
    login(staff)
    for value in ("abc", "99999999999", "-1", "２０２６"):
        assert client.get(reverse("contests:list"), {"year": value, "page": value}).status_code == 200


def test_figures_count_the_years_contests(published, staff):
    contest, _entries = published
    figures = services.year_figures(2030)
    assert (
        figures["contests"] == 1
        and figures["entries"] == 4
        and figures["unions"] == 2
        and figures["prizes"] == 3
    )
    assert dict(figures["by_prize"])[Prize.FIRST.label] == 1


def test_export_has_the_results(client, login, staff, published):
    contest, _entries = published
    response = login(staff).get(reverse("contests:export", args=[contest.pk]))
    assert response.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 5 and rows[1][1] == "甲一"


def test_todo_tells_the_chair_the_places_left(client, login, chair_a, union_a, page_contest):
    from contests.dashboard import places_to_fill
    from unionhub.contributions import Scope

    items = places_to_fill(Scope(day=TODAY, user=chair_a))
    assert (
        len(items) == 1
        and "2" in items[0].detail
        and page_contest.entry_closes_on.isoformat() in items[0].detail
    )


def test_a_judge_sees_their_contestants_to_score(judging, judges):
    from contests.dashboard import contestants_to_score
    from unionhub.contributions import Scope

    items = contestants_to_score(Scope(day=TODAY, user=judges["a"]))
    assert len(items) == 1 and "2" in items[0].detail  # union B's two; never union A's
    assert contestants_to_score(Scope(day=TODAY, user=make_user("nobody"))) is None
