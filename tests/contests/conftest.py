"""A contest of a fixed year (2030) for the services' rules, called with ``on=`` days inside its window; and a
contest whose entry window holds today, for the pages."""

import datetime
from decimal import Decimal

import pytest

from contests import services
from contests.models import Part
from tests.factories import TODAY, make_id, make_user, register_member

D = datetime.date
FIRST_DAY = D(2030, 4, 10)
IN_WINDOW = D(2030, 3, 5)


def contest_fields(**extra) -> dict:
    fields = {
        "title": "2030年电工技能比武",
        "trade": "electrician",
        "accepted_trades": ["electrician"],
        "venue": "区职业技能实训基地",
        "starts_on": FIRST_DAY,
        "ends_on": FIRST_DAY + datetime.timedelta(days=1),
        "entry_opens_on": D(2030, 3, 1),
        "entry_closes_on": D(2030, 3, 20),
        "min_age": 18,
        "max_age": 50,
        "default_quota": 2,
        "theory_weight": Decimal(30),
        "practical_weight": Decimal(70),
        "tie_break": "practical",
        "first_prizes": 1,
        "second_prizes": 1,
        "third_prizes": 1,
        "merit_prizes": 0,
        "final_on": FIRST_DAY + datetime.timedelta(days=1),
    }
    fields.update(extra)
    return fields


SHEET = [
    {"part": Part.THEORY, "title": "安全规程与理论", "max_points": 100},
    {"part": Part.PRACTICAL, "title": "线路安装", "max_points": 60},
    {"part": Part.PRACTICAL, "title": "故障排查", "max_points": 40},
]


def open_contest(staff, **extra):
    contest = services.save_contest(by=staff, **contest_fields(**extra))
    services.save_sheet(by=staff, contest=contest, items=SHEET)
    return services.open_entry(by=staff, contest=contest)


@pytest.fixture
def contest(staff):
    return open_contest(staff)


@pytest.fixture
def page_contest(staff):
    """Open for entry today (a one-day contest five days from now, final only)."""
    day = TODAY + datetime.timedelta(days=5)
    return open_contest(
        staff,
        starts_on=day,
        ends_on=day,
        final_on=day,
        entry_opens_on=TODAY - datetime.timedelta(days=3),
        entry_closes_on=day,
        min_age=None,
        max_age=None,
        title="今年的电工技能比武",
    )


@pytest.fixture
def member_of(staff, enterprise_a, enterprise_b):
    """``member_of("a", birth="19900101")``: a new member of union A or B."""
    enterprises = {"a": enterprise_a, "b": enterprise_b}

    def make(which="a", *, birth="19900101", name="赵技工"):
        return register_member(enterprises[which], by=staff, name=name, id_number=make_id(birth))

    return make


@pytest.fixture
def judges(staff, union_a, union_b):
    """Three judge accounts: one of union A, one of union B, one from no union."""
    return {
        "a": make_user("judge_a", name="甲评委"),
        "b": make_user("judge_b", name="乙评委"),
        "none": make_user("judge_x", name="外聘评委"),
    }


def assign(staff, contest, judges, union_a, union_b):
    return {
        "a": services.add_judge(by=staff, contest=contest, user=judges["a"], union=union_a),
        "b": services.add_judge(by=staff, contest=contest, user=judges["b"], union=union_b),
        "none": services.add_judge(by=staff, contest=contest, user=judges["none"], derive=False),
    }


def points(contest, theory, install, faults):
    items = list(contest.items.order_by("order"))
    return {
        items[0].pk: Decimal(str(theory)),
        items[1].pk: Decimal(str(install)),
        items[2].pk: Decimal(str(faults)),
    }
