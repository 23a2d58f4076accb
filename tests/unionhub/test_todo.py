"""The core's to-do card: sources contribute items (``@todo_items``), the core sorts them (overdue first,
oldest first, undated last), shows the card only to users some source applies to, and says what would show
up there when nothing is due."""

import datetime

import pytest

from unionhub import contributions
from unionhub.contributions import Scope, Severity, TodoItem, collect_todo, severity_for

DAY = datetime.timedelta(days=1)
# An explicit day: a Friday, New Year's Day (a holiday): nothing here depends on the calendar.
ON = datetime.date(2027, 1, 1)


@pytest.mark.parametrize(
    "due, expected",
    [
        (None, Severity.NORMAL),
        (ON - DAY, Severity.OVERDUE),
        (ON, Severity.WARNING),
        (ON + 7 * DAY, Severity.WARNING),
        (ON + 8 * DAY, Severity.NORMAL),
    ],
)
def test_severity_follows_the_date(due, expected):
    assert severity_for(due, ON) == expected


@pytest.fixture
def sources(monkeypatch):
    """Two programmes' sources in place of the real ones: one dated, one mixed; a third that never applies."""

    def first(scope):
        return [
            TodoItem(due=scope.day + 3 * DAY, title="in three days", sort_key="b"),
            TodoItem(due=None, title="undated"),
            TodoItem(due=scope.day - 40 * DAY, title="long overdue", severity=Severity.OVERDUE),
        ]

    def second(scope):
        return [
            TodoItem(due=scope.day + 3 * DAY, title="same day, earlier key", sort_key="a"),
            TodoItem(due=scope.day - 2 * DAY, title="just overdue", severity=Severity.OVERDUE),
            TodoItem(due=scope.day + 30 * DAY, title="next month"),
        ]

    def never(scope):
        return None

    registered = [
        contributions.Contribution(order=1, app="a", name="first", func=first, shows="first things"),
        contributions.Contribution(order=2, app="b", name="second", func=second, shows="second things"),
        contributions.Contribution(order=3, app="c", name="never", func=never, shows="never shown"),
    ]
    monkeypatch.setitem(contributions._registry, "todo_items", registered)
    return registered


def test_items_come_overdue_first_then_by_date_undated_last(sources):
    todo = collect_todo(Scope(day=ON))
    assert [item.title for item in todo.items] == [
        "long overdue",
        "just overdue",
        "same day, earlier key",
        "in three days",
        "next month",
        "undated",
    ]
    assert [item.days for item in todo.items] == [-40, -2, 3, 3, 30, None]


def test_the_card_says_what_would_show_up(sources):
    todo = collect_todo(Scope(day=ON))
    assert todo.applies and todo.shows == ["first things", "second things"]


def test_no_source_applying_means_no_card(monkeypatch):
    monkeypatch.setitem(
        contributions._registry,
        "todo_items",
        [contributions.Contribution(order=1, app="c", name="never", func=lambda scope: None, shows="x")],
    )
    todo = collect_todo(Scope(day=ON))
    assert not todo.applies and todo.items == [] and todo.shows == []


def test_every_apps_sources_are_discovered_in_order():
    assert [(c.app, c.name) for c in contributions.contributions("todo_items")] == [
        ("unionhub", "backup_overdue"),
        ("unionhub", "calendar_to_enter"),
        ("unionhub", "notices_that_reached_nobody"),
        ("members", "chair_dues_todo"),
        ("members", "district_dues_todo"),
        ("members", "chair_transfers_todo"),
        ("members", "chair_join_applications_todo"),
        ("members", "district_transfers_todo"),
        ("members", "district_join_referrals_todo"),
        ("grievances", "unassigned_todo"),
        ("perks", "lost_card_reports"),
        ("honours", "rounds_to_nominate_for"),
        ("homes", "self_assessment_due"),
        ("aid", "member_applications_to_review"),
        ("secondment", "returned_nominations"),
        ("secondment", "duty_days_to_log"),
        ("secondment", "late_entries_to_decide"),
        ("secondment", "duty_days_beyond_calendar"),
        ("audits", "overdue_rectifications"),
        ("audits", "responses_to_decide"),
        ("audits", "my_rectifications"),
        ("news", "items_to_review"),
        ("news", "items_returned"),
        ("meetings", "my_meeting_tasks"),
        ("meetings", "minutes_to_record"),
        ("contests", "places_to_fill"),
        ("contests", "contestants_to_score"),
        ("tutoring", "tutoring_todo"),
        ("jobs", "jobs_casework_todo"),
        ("jobs", "jobs_chair_todo"),
        ("honours", "programme_rounds_to_open"),
    ]
    assert all(c.shows for c in contributions.contributions("todo_items"))


@pytest.mark.django_db
def test_the_card_comes_first_on_the_dashboard(chair_a, union_a, login):
    page = login(chair_a).get("/").content.decode()
    assert 'id="todo"' in page
    assert page.index('id="todo"') < page.index("我的工会")
    assert "待办" in page


@pytest.mark.django_db
def test_a_user_no_source_applies_to_sees_no_card(outsider, login):
    page = login(outsider).get("/").content.decode()
    assert 'id="todo"' not in page
