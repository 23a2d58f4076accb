"""Every secondment page × every role: staff pages answer 403 to others, a cadre's own pages 403 to
people without a term, another person's objects 404, anonymous users go to the login page; the two
public pages (the calendar feed and certificate verification) need no login but an unguessable token."""

import datetime

import pytest
from django.urls import reverse

from secondment.models import DutyDay
from secondment.rules import cycle_start
from tests.factories import TODAY

PAGES = {
    # key: (url name, args, expected status per role)
    "overview": ("secondment:overview", [], {"staff": 200, "chair_a": 302, "cadre_a": 302, "outsider": 403}),
    "terms": ("secondment:term_list", [], {"staff": 200, "chair_a": 403, "cadre_a": 403, "outsider": 403}),
    "term": ("secondment:term_detail", ["term"], {"staff": 200, "chair_a": 404, "cadre_a": 200, "outsider": 404}),
    "nominations": ("secondment:nomination_list", [], {"staff": 200, "chair_a": 200, "cadre_a": 403,
                                                       "outsider": 403}),
    "nominate": ("secondment:nomination_create", [], {"staff": 200, "chair_a": 200, "cadre_a": 403,
                                                      "outsider": 403}),
    "rota": ("secondment:rota_month", [], {"staff": 200, "chair_a": 403, "cadre_a": 403, "outsider": 403}),
    "generate": ("secondment:rota_generate", [], {"staff": 200, "chair_a": 403, "cadre_a": 403, "outsider": 403}),
    "my_days": ("secondment:my_duty_days", [], {"staff": 403, "chair_a": 403, "cadre_a": 200, "outsider": 403}),
    "logs": ("secondment:log_list", [], {"staff": 200, "chair_a": 403, "cadre_a": 403, "outsider": 403}),
    "courses": ("secondment:course_list", [], {"staff": 200, "chair_a": 403, "cadre_a": 403, "outsider": 403}),
    "ledger": ("secondment:training_ledger", [], {"staff": 200, "chair_a": 403, "cadre_a": 200, "outsider": 403}),
    "certificates": ("secondment:certificate_list", [], {"staff": 200, "chair_a": 403, "cadre_a": 200,
                                                         "outsider": 403}),
}


@pytest.fixture
def cast(staff, chair_a, cadre_a, outsider):
    DutyDay.objects.create(term=cadre_a.term, date=TODAY + datetime.timedelta(days=3),
                           cycle_start=cycle_start(TODAY + datetime.timedelta(days=3)))
    return {"staff": staff, "chair_a": chair_a, "cadre_a": cadre_a, "outsider": outsider, "term": cadre_a.term}


@pytest.mark.parametrize("key", PAGES)
def test_each_role_gets_what_it_should(client, cast, key):
    name, args, expected = PAGES[key]
    url = reverse(name, args=[cast[a].pk for a in args])
    assert client.get(url).status_code == 302   # anonymous → login
    for role, status in expected.items():
        client.force_login(cast[role])
        assert client.get(url).status_code == status, (key, role)


def test_public_feed_needs_the_token(client, cast):
    term = cast["term"]
    response = client.get(reverse("secondment:rota_feed", args=[term.feed_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert client.get(reverse("secondment:rota_feed", args=["x" * 32])).status_code == 404


@pytest.mark.parametrize("model", ["secondmentterm", "nomination", "dutyday", "assessment", "course", "enrolment",
                                   "certificate"])
def test_admin_lists_open_for_a_superuser(client, cast, make_user, model):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get(f"/admin/secondment/{model}/").status_code == 200
