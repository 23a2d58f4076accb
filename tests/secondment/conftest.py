"""Secondment fixtures: a young member of union A with an active term, on an account of their own."""

import datetime

import pytest

from secondment import services
from tests.conftest import TODAY, make_id


@pytest.fixture
def young_member(register, enterprise_a):
    """Born 1996-05-01, bachelor's degree, a member of union A."""
    return register(enterprise_a, name="陈晓东", id_number=make_id("19960501"), phone="13900002222",
                    education="bachelor")


@pytest.fixture
def cadre_a(make_user, union_a, young_member):
    """An account seconded from union A: a term that began 60 days ago."""
    user = make_user("cadre_a", name="陈晓东", phone="13900002222")
    user.term = services.start_term(cadre=user, union=union_a, member=young_member, union_post="vice_chair",
                                    start_date=TODAY - datetime.timedelta(days=60))
    return user


@pytest.fixture
def term_a(cadre_a):
    return cadre_a.term
