"""Every URL × every role: who may see what. Out of scope answers 404, a page the role may not
use answers 403, anonymous users are sent to the login page.

A partner merchant's counter account with no other role is confined to the counter check by
``perks.middleware.MerchantOnlyCheckMiddleware``: the dashboard redirects (302) to /perks/check/,
the password change page stays open (200), and every other page answers 404 — the account is not
even told that the rest of the application exists."""

import pytest
from django.urls import reverse

# (url name, args from the district, method)
URLS = {
    "dashboard": ("dashboard", None, "get"),
    "calendar": ("calendar_current", None, "get"),
    "calendar_day_create": ("calendar_day_create", None, "get"),
    "union_list": ("members:union_list", None, "get"),
    "union_a": ("members:union_detail", "union_a", "get"),
    "union_b": ("members:union_detail", "union_b", "get"),
    "enterprise_list": ("members:enterprise_list", None, "get"),
    "enterprise_a": ("members:enterprise_detail", "enterprise_a", "get"),
    "enterprise_b": ("members:enterprise_detail", "enterprise_b", "get"),
    "member_list": ("members:member_list", None, "get"),
    "member_create": ("members:member_create", None, "get"),
    "member_export_xlsx": ("members:member_export_xlsx", None, "get"),
    "member_export_csv": ("members:member_export_csv", None, "get"),
    "member_a": ("members:member_detail", "member_a", "get"),
    "member_b": ("members:member_detail", "member_b", "get"),
    "member_a_edit": ("members:member_edit", "member_a", "get"),
    "member_b_edit": ("members:member_edit", "member_b", "get"),
    "member_a_reveal": ("members:member_reveal_id", "member_a", "post"),
    "member_b_reveal": ("members:member_reveal_id", "member_b", "post"),
    "member_b_status": ("members:member_change_status", "member_b", "post"),
    "password_change": ("password_change", None, "get"),
    "union_create": ("members:union_create", None, "get"),
    "union_a_edit": ("members:union_edit", "union_a", "get"),
    "enterprise_create": ("members:enterprise_create", None, "get"),
    "enterprise_b_edit": ("members:enterprise_edit", "enterprise_b", "get"),
    "union_a_dues": ("members:union_dues", "union_a", "get"),
    "union_b_dues": ("members:union_dues", "union_b", "get"),
    "dues_overview": ("members:dues_overview", None, "get"),
    "arrears": ("members:arrears", None, "get"),
    "notices": ("notices", None, "get"),
    # recognition and member services (issue 11)
    "rules": ("rules:rule_list", None, "get"),
    "rounds": ("honours:round_list", None, "get"),
    "honours": ("honours:honour_list", None, "get"),
    "homes": ("homes:home_list", None, "get"),
    "home_a": ("homes:home_detail", "union_a", "get"),
    "home_b": ("homes:home_detail", "union_b", "get"),
    "areas": ("members:area_list", None, "get"),
    "schools": ("aid:school_request_list", None, "get"),
}

# Expected status per role, in the order of URLS. The school-place list is a 404 to every staff member
# without the aid duty (a child's data is a minor's personal information); a chair opening the workers'-home
# list is sent to their own union's home (302); the grid areas are for staff and the areas' lead chairs.
EXPECTED = {
    #            dash cal  cday ulst  ua   ub  elst  ea   eb  mlst mnew  xlsx csv  ma   mb  mae  mbe  mar  mbr  mbs  pw   unew uae  enew ebe  uad  ubd  dov  arr  ntc  rul  rnd  hon  hom  hma  hmb  are  sch
    "anonymous": [302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    "staff":     [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404],
    "finance":   [200, 200, 403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 302, 200, 403, 403, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404],
    "chair_a":   [200, 200, 403, 200, 200, 404, 200, 200, 404, 200, 200, 200, 200, 200, 404, 200, 404, 200, 404, 404, 200, 403, 403, 403, 404, 200, 404, 302, 403, 200, 200, 200, 200, 302, 200, 404, 403, 200],
    "chair_b":   [200, 200, 403, 200, 404, 200, 200, 404, 200, 200, 200, 200, 200, 404, 200, 404, 200, 404, 200, 302, 200, 403, 404, 403, 403, 404, 200, 302, 403, 200, 200, 200, 200, 302, 404, 200, 403, 200],
    "cadre":     [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 404],
    "assoc":     [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 404],
    "merchant":  [302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    "outsider":  [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 404],
}

CASES = [(role, key, status) for role, row in EXPECTED.items() for key, status in zip(URLS, row, strict=True)]


def _resolve(district, key):
    name, obj, method = URLS[key]
    if obj is None:
        return reverse(name), method
    target = {
        "union_a": lambda: district["member_a"].union, "union_b": lambda: district["member_b"].union,
        "enterprise_a": lambda: district["member_a"].enterprise,
        "enterprise_b": lambda: district["member_b"].enterprise,
        "member_a": lambda: district["member_a"], "member_b": lambda: district["member_b"],
    }[obj]()
    return reverse(name, args=[target.pk]), method


@pytest.mark.parametrize("role, key, expected", CASES, ids=[f"{r}-{k}" for r, k, _ in CASES])
def test_role_url_matrix(client, district, role, key, expected):
    if role != "anonymous":
        client.force_login(district[role])
    url, method = _resolve(district, key)
    data = {"kind": "retained", "on": "2025-01-01"} if key.endswith("_status") else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == expected, f"{role} {method.upper()} {url}"


def test_forged_object_ids_answer_404_not_500(client, district):
    client.force_login(district["chair_a"])
    for name in ["members:member_detail", "members:union_detail", "members:enterprise_detail",
                 "members:member_edit"]:
        assert client.get(reverse(name, args=[999_999])).status_code == 404


def test_chair_never_sees_another_unions_member_in_lists(client, district):
    client.force_login(district["chair_a"])
    for name in ["members:member_list", "members:union_list", "members:enterprise_list", "dashboard"]:
        body = client.get(reverse(name)).content.decode()
        assert "李小红" not in body and "HN002" not in body and "乙软件" not in body, name


def test_admin_pages_open_and_keep_numbers_masked(client, district):
    client.force_login(district["staff"].__class__.objects.create_superuser("root", password="pw-root-123"))
    member = district["member_a"]
    for url in ["/admin/", "/admin/members/member/", f"/admin/members/member/{member.pk}/change/",
                "/admin/members/enterprise/", "/admin/members/grassrootsunion/", "/admin/unionhub/calendarday/",
                "/admin/unionhub/user/", "/admin/secondment/secondmentterm/", "/admin/perks/merchant/",
                "/admin/associations/association/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert member.id_number not in response.content.decode(), url
