"""The core collects what the programmes contribute: every app's panels, figures, report sections, roles
and demo steps are discovered at start-up, in their order; each dashboard panel's queries are pinned."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Area
from unionhub import contributions
from unionhub.contributions import Scope

from ..conftest import TODAY


def _names(kind):
    return [(c.app, c.name) for c in contributions.contributions(kind)]


def test_discovers_every_apps_contributions_in_order():
    assert _names("district_figures") == [
        ("members", "registry_figures"),
        ("secondment", "cadre_figures"),
        ("associations", "association_figures"),
        ("perks", "merchant_figures"),
        ("members", "dues_figures"),
        ("aid", "fund_figures"),
        ("grievances", "case_figures"),
        ("homes", "homes_due"),
        ("honours", "rounds_to_decide"),
        ("aid", "school_place_figures"),
        ("aid", "hardship_file_figures"),
        ("audits", "audit_figures"),
        ("news", "news_figures"),
        ("contests", "contest_figures"),
        ("tutoring", "tutoring_figures"),
        ("jobs", "jobs_figures"),
        ("honours", "programme_this_year"),
    ]
    assert _names("dashboard_panel") == [
        ("members", "largest_unions"),
        ("secondment", "my_secondment"),
        ("secondment", "my_former_secondment"),
        ("members", "my_union"),
        ("honours", "open_rounds"),
        ("grievances", "unassigned_cases"),
        ("grievances", "my_cases"),
        ("associations", "my_associations"),
        ("perks", "my_shop"),
        ("audits", "audit_coverage"),
        ("meetings", "office_meeting"),
        ("contests", "my_contests"),
        ("tutoring", "my_tutoring_classes"),
        ("jobs", "jobs_help"),
    ]
    assert _names("union_card") == [("homes", "union_home")]
    assert _names("area_figures") == [
        ("members", "area_registry"),
        ("members", "area_dues"),
        ("homes", "area_homes"),
        ("honours", "area_honours"),
        ("grievances", "area_cases"),
        ("aid", "area_hardship_files"),
        ("secondment", "area_cadres"),
    ]
    assert [c.app for c in contributions.contributions("report_section")] == [
        "members",
        "members",
        "aid",
        "grievances",
        "secondment",
        "associations",
        "perks",
    ]
    assert [c.app for c in contributions.contributions("headline_figure")] == [
        "members",
        "members",
        "aid",
        "grievances",
        "secondment",
        "associations",
        "perks",
    ]
    assert _names("headline_chart") == [("members", "funds_by_month")]
    assert _names("demo_step") == [
        ("members", "people_and_registry"),
        ("members", "member_area"),
        ("associations", "associations"),
        ("perks", "merchants"),
        ("members", "staff_work"),
        ("members", "handover"),
        ("secondment", "secondment"),
        ("secondment", "secondment_daily_paths"),
        ("members", "dues_history"),
        ("members", "job_changers"),
        ("members", "join_applications"),
        ("aid", "hardship_fund"),
        ("grievances", "cases"),
        ("grievances", "new_complaints"),
        ("grievances", "member_complaint"),
        ("associations", "activities"),
        ("associations", "late_entry"),
        ("associations", "member_area"),
        ("associations", "showcase_and_matchmaking"),
        ("perks", "cards"),
        ("perks", "member_cards"),
        ("unionhub", "rules_library"),
        ("members", "areas"),
        ("homes", "workers_homes"),
        ("honours", "honours"),
        ("honours", "honours_programme"),
        ("aid", "school_places"),
        ("aid", "member_aid_applications"),
        ("audits", "audits"),
        ("news", "news"),
        ("meetings", "office_meetings"),
        ("contests", "skills_contests"),
        ("tutoring", "tutoring_classes"),
        ("jobs", "jobs"),
        ("unionhub", "analyze"),
    ]
    assert list(contributions.roles()) == [
        "union_chair",
        "member",
        "cadre",
        "former_cadre",
        "association_chair",
        "merchant",
    ]
    assert contributions.area_model() is Area


def test_apps_hang_their_pages_menus_and_duty_permissions_on_the_core():
    """A programme's URLconfs, menu entries and duty permissions come from the app: the core lists none."""
    from django.conf import settings

    from programmes import PROGRAMMES
    from unionhub.duties import AID, CASEWORK, ORGANISATION, duty_permissions

    assert settings.INSTALLED_APPS[-len(PROGRAMMES) :] == PROGRAMMES
    includes = dict(contributions.url_includes())
    assert includes["cases/"] == "grievances.urls" and includes["complaint/"] == "grievances.public_urls"
    assert [u for p, u in contributions.url_includes() if p == ""] == [
        "members.urls",
        "honours.urls",
        "homes.urls",
        "audits.urls",
        "news.urls",
        "contests.urls",
        "jobs.urls",
    ]
    assert contributions.nav_templates() == [f"{app}/nav.html" for app in ["members", *PROGRAMMES]]
    granted = duty_permissions()
    assert "aid.decide_application" in granted[AID] and "grievances.view_identity" in granted[CASEWORK]
    assert "honours.add_honour" in granted[ORGANISATION] and "unionhub.change_rule" in granted[ORGANISATION]
    with pytest.raises(ValueError, match="unknown duty"):
        __import__("unionhub.duties").duties.grant("sales", ["aid.view_fundentry"])


def test_two_contributions_may_not_share_an_order():
    @contributions.area_figures(order=10_000)
    def first(scope):
        return {}

    try:
        with pytest.raises(ValueError, match="order 10000"):

            @contributions.area_figures(order=10_000)
            def second(scope):
                return {}
    finally:
        contributions._registry["area_figures"].remove(
            next(c for c in contributions._registry["area_figures"] if c.name == "first")
        )


def test_the_core_imports_no_programme():
    import pathlib
    import re

    programme = re.compile(
        r"^\s*(from|import) (members|secondment|aid|grievances|associations|perks|honours|homes|audits|news|meetings|jobs|tutoring)\b",
        re.M,
    )
    root = pathlib.Path(contributions.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and programme.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_roles_are_answered_in_one_query(cadre, django_assert_num_queries):
    cadre = type(cadre).objects.get(pk=cadre.pk)
    with django_assert_num_queries(1):
        assert cadre.is_seconded_cadre and not cadre.is_merchant and not cadre.is_union_chair
        assert not cadre.is_association_chair


# --- queries per panel: pinned, so that none grows with the data ------------------------------------------


@pytest.fixture
def boss(make_user):
    """A superuser: every duty, and no query to learn it."""
    return make_user("boss", is_staff=True, is_superuser=True)


@pytest.fixture
def area(union_a):
    area = Area.objects.create(name="芯中路片组", lead_union=union_a)
    union_a.area = area
    union_a.save(update_fields=["area"])
    return area


def _func(kind, name):
    return next(c.func for c in contributions.contributions(kind) if c.name == name)


def _queries(kind, name, scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _func(kind, name)(scope)
    return len(ctx)


DISTRICT = {
    "registry_figures": 3,
    "cadre_figures": 1,
    "association_figures": 1,
    "merchant_figures": 1,
    "dues_figures": 2,
    "fund_figures": 1,
    "case_figures": 2,
    "homes_due": 1,
    "rounds_to_decide": 1,
    "school_place_figures": 1,
    "hardship_file_figures": 1,
    "audit_figures": 1,
    "news_figures": 1,
    "contest_figures": 1,
    "tutoring_figures": 3,  # classes by kind, children, attendance
    "jobs_figures": 1,
}


@pytest.mark.parametrize("name", DISTRICT)
def test_district_figures_queries(name, boss, member_a, member_b, area, django_assert_num_queries):
    for scope in (Scope(day=TODAY, user=boss), Scope(day=TODAY, user=boss, area=area)):
        with django_assert_num_queries(DISTRICT[name]):
            _func("district_figures", name)(scope)


def test_headline_queries(boss, member_a, django_assert_num_queries):
    from unionhub.reports.figures import headline

    with django_assert_num_queries(7):
        headline(TODAY)


PANELS = {
    "largest_unions": ("boss", 3),
    "my_union": ("chair_a", 2),
    "open_rounds": ("chair_a", 1),
    "my_cases": ("boss", 1),
    "my_secondment": ("cadre", 4),  # + the end-of-term assessment, for the certificate's outlook
    "my_associations": ("assoc_chair", 1),
    "my_shop": ("merchant", 1),
    "audit_coverage": ("boss", 7),
    "office_meeting": ("boss", 3),  # the next meeting, else the last; the open tasks by department
    "my_tutoring_classes": ("chair_a", 1),
    "jobs_help": ("cadre", 2),  # the open vacancies, the cadre's own referrals
}


@pytest.mark.parametrize("name", PANELS)
def test_dashboard_panel_queries(
    name, request, member_a, member_b, cadre, assoc_chair, merchant, boss, django_assert_num_queries
):
    """The queries a panel runs while the page renders it (querysets are evaluated by the template)."""
    from django.template.loader import render_to_string

    fixture, expected = PANELS[name]
    user = request.getfixturevalue(fixture)
    user = type(user).objects.get(pk=user.pk)
    assert user.role_labels is not None  # the roles' one query, shared by the whole page, done before
    panel = next(c for c in contributions.contributions("dashboard_panel") if c.name == name)
    with django_assert_num_queries(expected):
        data = panel.func(Scope(day=TODAY, user=user))
        render_to_string(panel.template, {**data, "today": TODAY, "user": user})


AREA = {
    "area_registry": 3,
    "area_dues": 2,
    "area_homes": 1,
    "area_honours": 1,
    "area_cases": 1,
    "area_hardship_files": 1,
    "area_cadres": 1,
}


@pytest.mark.parametrize("name", AREA)
def test_area_figures_queries(name, area, member_a, boss, django_assert_num_queries):
    with django_assert_num_queries(AREA[name]):
        _func("area_figures", name)(Scope(day=TODAY, user=boss, area=area))


def test_the_same_figure_on_the_dashboard_the_area_page_and_the_headline(boss, area, member_a, member_b):
    """One place per figure: "open cases" and "cadres active" agree wherever they are shown."""
    from grievances.dashboard import open_cases
    from secondment.dashboard import active_terms

    district, in_area = Scope(day=TODAY, user=boss), Scope(day=TODAY, user=boss, area=area)
    assert _func("district_figures", "case_figures")(in_area)["cases_open"] == open_cases(in_area).count()
    assert _func("area_figures", "area_cases")(in_area)["cases_open"] == open_cases(in_area).count()
    assert _func("headline_figure", "open_cases_headline")(district).month == open_cases(district).count()
    assert _func("area_figures", "area_cadres")(in_area)["cadres"] == active_terms(in_area).count()


def test_scope_span_is_the_month_of_its_day():
    span = Scope(day=datetime.date(2024, 2, 10)).span
    assert (span.start, span.end, span.ly_end) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
        datetime.date(2023, 2, 28),
    )


# At most: a due date read from the working calendar costs a query per month it spans, depending on the day.
TODO_SOURCES = {
    "chair_dues_todo": ("chair_a", 8),
    "district_dues_todo": ("boss", 6),
    "rounds_to_nominate_for": ("chair_a", 3),
    "self_assessment_due": ("chair_a", 3),
    "returned_nominations": ("chair_a", 1),
    "calendar_to_enter": ("boss", 1),
    "duty_days_beyond_calendar": ("boss", 1),
    "duty_days_to_log": ("cadre", 2),
    "late_entries_to_decide": ("boss", 1),
    "overdue_rectifications": ("boss", 2),
    "responses_to_decide": ("boss", 2),
    "my_rectifications": ("chair_a", 1),
    "my_meeting_tasks": ("cadre", 1),
    "minutes_to_record": ("boss", 1),
    "items_to_review": ("boss", 3),
    "items_returned": ("chair_a", 1),
    "jobs_casework_todo": ("boss", 2),  # the vacancies waiting for approval, the referrals to follow up
    "jobs_chair_todo": ("chair_a", 1),
}


@pytest.mark.parametrize("name", TODO_SOURCES)
def test_todo_source_queries(name, request, member_a, member_b, boss, area, django_assert_max_num_queries):
    """A to-do source's queries do not grow with the data (a chair's: with their unions, not the district's)."""
    fixture, expected = TODO_SOURCES[name]
    user = request.getfixturevalue(fixture)
    user = type(user).objects.get(pk=user.pk)
    assert user.role_labels is not None
    scopes = [Scope(day=TODAY, user=user)] + (
        [Scope(day=TODAY, user=user, area=area)] if fixture == "boss" else []
    )
    for scope in scopes:
        with django_assert_max_num_queries(expected):
            _func("todo_items", name)(scope)
