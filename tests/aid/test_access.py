"""Every hardship-fund page × every role. Hardship is sensitive: files, programmes and applications
are for staff with the aid duty and for chairs (their own union's); the fund for aid and finance
staff; mutual-aid funds and return-home tickets for staff and chairs. Anonymous users go to login."""

import pytest
from django.urls import reverse

from tests.factories import TODAY

PAGES = {
    # url name, args: expected status for aid staff, staff without the aid duty, finance staff, a chair, an outsider
    "aid:home": ([], (302, 302, 302, 302, 403)),
    "aid:fund": ([], (200, 403, 200, 403, 403)),
    "aid:fund_statement": ([], (200, 403, 200, 403, 403)),
    "aid:file_list": ([], (200, 403, 403, 200, 403)),
    "aid:file_create": ([], (200, 403, 403, 200, 403)),
    "aid:notice_board": ([], (200, 403, 403, 200, 403)),
    "aid:review_list": ([TODAY.year], (200, 403, 403, 403, 403)),
    "aid:living_standards": ([], (200, 403, 403, 403, 403)),
    "aid:programme_list": ([], (200, 403, 403, 200, 403)),
    "aid:application_list": ([], (200, 403, 403, 200, 403)),
    "aid:mutual_fund_list": ([], (200, 200, 200, 200, 403)),
    "aid:campaign_list": ([], (200, 200, 200, 200, 403)),
}
ROLES = ("aid_staff", "staff", "finance_staff", "chair_a", "outsider")


@pytest.mark.parametrize("name", PAGES)
def test_each_role_gets_what_it_should(client, aid_staff, staff, finance_staff, chair_a, union_a, outsider, name):
    args, expected = PAGES[name]
    users = {"aid_staff": aid_staff, "staff": staff, "finance_staff": finance_staff, "chair_a": chair_a,
             "outsider": outsider}
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302   # anonymous → login
    got = []
    for role in ROLES:
        client.force_login(users[role])
        got.append(client.get(url).status_code)
    assert tuple(got) == expected
