"""Every named URL × every role: who may see and do what. The rows are data (tests/access/matrix.py);
the objects come from one small district (tests/access/district.py), built once for this module, and
every test runs in a savepoint rolled back after it, so a POST that is allowed changes nothing for the
next row.

Out of scope answers 404, visible but not allowed 403, anonymous users go to the login page (302); a
refused POST (403/404) must write nothing."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import URLResolver, get_resolver, reverse

from tests.access.district import build_district
from tests.access.matrix import GET, POST, ROLES, URLS
from unionhub.middleware import CODE_SESSION_FLAG

# Django's admin generates its own URL names from the ModelAdmins (~100 of them); it is open to
# superusers only and is tested below with one, not row by row.
NOT_IN_MATRIX = ("admin:",)
# Redirects that send everybody, signed in or not, somewhere other than the login page.
REDIRECT_ANYONE = {"set_language"}


def named_urls(resolver=None, namespace=None):
    """Every named URL pattern of the project, with its namespace (``members:union_detail``)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and (
                f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            )
            yield from named_urls(pattern, inner or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _rows():
    for url in URLS:
        for role, status in url.expected().items():
            marks = [pytest.mark.xfail(strict=True, reason=url.bugs[role])] if role in url.bugs else []
            yield pytest.param(
                role, url.name, url.args, url.method, status, marks=marks, id=f"{url.name}-{role}"
            )
        if url.method == POST:  # an action-only URL refuses a GET
            yield pytest.param("staff", url.name, url.args, GET, 405, id=f"{url.name}-staff-GET")


ROWS = list(_rows())


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each test's own
    ``db`` savepoint sits inside it."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_district()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public forms count attempts per address in the cache; every row starts from none."""
    cache.clear()
    yield
    cache.clear()


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]


def _url(district, name, args):
    values = [
        district[a].pk if isinstance(district.get(a), models.Model) else district.get(a, a) for a in args
    ]
    return reverse(name, args=values)


@pytest.mark.parametrize("role, name, args, method, expected", ROWS)
def test_role_url_matrix(client, db, district, role, name, args, method, expected):
    if role != "anonymous":
        client.force_login(district[role])
    if role == "member":  # signed in with an SMS code, as members are
        session = client.session
        session[CODE_SESSION_FLAG] = True
        session.save()
    url = _url(district, name, args)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, {})
    assert response.status_code == expected, f"{role} {method.upper()} {url}"
    if method == POST and expected in (403, 404):
        assert not _writes(queries), f"a refused POST wrote: {_writes(queries)}"
    if role == "anonymous" and expected == 302 and name not in REDIRECT_ANYONE:
        # The member area sends anonymous visitors to its code sign-in, everything else to the password login.
        login = "member_area:login" if url.startswith(settings.MEMBER_AREA_PREFIX) else settings.LOGIN_URL
        assert response["Location"].startswith(resolve_url(login)), response["Location"]


def test_every_named_url_has_a_row():
    names = {name for name in named_urls() if not name.startswith(NOT_IN_MATRIX)}
    rows = {url.name for url in URLS}
    assert len(rows) == len(URLS), "a URL name has two rows"
    missing, stale = sorted(names - rows), sorted(rows - names)
    assert not missing, "named URLs without a row in tests/access/matrix.py:\n  " + "\n  ".join(missing)
    assert not stale, "rows for URL names that no longer exist:\n  " + "\n  ".join(stale)


def test_every_role_has_a_user_in_the_district(db, district):
    assert set(ROLES) - {"anonymous"} <= set(district)


# What rows cannot say --------------------------------------------------------------------------------


def test_forged_object_ids_answer_404_not_500(client, db, district):
    client.force_login(district["chair_a"])
    for name in [
        "members:member_detail",
        "members:union_detail",
        "members:enterprise_detail",
        "members:member_edit",
    ]:
        assert client.get(reverse(name, args=[999_999])).status_code == 404


def test_chair_never_sees_another_unions_member_in_lists(client, db, district):
    client.force_login(district["chair_a"])
    for name in ["members:member_list", "members:union_list", "members:enterprise_list", "dashboard"]:
        body = client.get(reverse(name)).content.decode()
        assert "李小红" not in body and "HN002" not in body and "乙软件" not in body, name


def test_admin_pages_open_and_keep_numbers_masked(client, db, district):
    client.force_login(district["staff"].__class__.objects.create_superuser("root", password="pw-root-123"))
    member = district["member_a"]
    for url in [
        "/admin/",
        "/admin/members/member/",
        f"/admin/members/member/{member.pk}/change/",
        "/admin/members/enterprise/",
        "/admin/members/grassrootsunion/",
        "/admin/unionhub/calendarday/",
        "/admin/unionhub/user/",
        "/admin/secondment/secondmentterm/",
        "/admin/perks/merchant/",
        "/admin/associations/association/",
        "/admin/secondment/nomination/",
        "/admin/secondment/dutyday/",
        "/admin/secondment/assessment/",
        "/admin/secondment/course/",
        "/admin/secondment/enrolment/",
        "/admin/secondment/certificate/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert member.id_number not in response.content.decode(), url


def test_public_feeds_and_verification_need_the_token(client, db, district):
    """The rows open the public pages with the real token; a made-up one finds nothing."""
    response = client.get(reverse("secondment:rota_feed", args=[district["feed_token"]]))
    assert response["Content-Type"].startswith("text/calendar")
    for name in ["secondment:rota_feed", "secondment:certificate_verify", "honours:honour_verify"]:
        assert client.get(reverse(name, args=["x" * 32])).status_code == 404, name


def test_only_superusers_use_the_admin(client, db, district):
    """Federation staff hold duty groups with model permissions, but the admin would let them write past the
    services' duty checks and audit: it is for superusers only, as its menu entry is."""
    for role in ("staff", "finance", "chair_a", "outsider"):
        client.force_login(district[role])
        for url in ["/admin/", "/admin/members/member/", "/admin/unionhub/calendarday/"]:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, url)


def test_member_pages_with_another_members_objects_answer_404(client, db, district):
    """Every member-area URL that takes an object, asked by member A for member B's object of the same kind
    (``district["member_b_twins"]``: the arg's key → member B's object), answers 404 — GET and POST alike."""
    client.force_login(district["member"])
    session = client.session
    session[CODE_SESSION_FLAG] = True
    session.save()
    twins = district["member_b_twins"]
    # Nobody's own: the rules library and the aid programmes open to members are everybody's reading, and any
    # member may ask to join any association.
    shared_reading = {"rule", "association", "member_programme"}
    walked = []
    for url in URLS:
        objects = [
            a for a in url.args if isinstance(district.get(a), models.Model) and a not in shared_reading
        ]
        if not objects or not _url(district, url.name, url.args).startswith(settings.MEMBER_AREA_PREFIX):
            continue
        missing = [a for a in objects if a not in twins]
        assert not missing, f"{url.name}: add member B's {missing} to district['member_b_twins']"
        values = [twins[a].pk if a in twins else district[a].pk if a in district else a for a in url.args]
        response = getattr(client, url.method)(reverse(url.name, args=values), {})
        assert response.status_code == 404, (
            f"member A {url.method.upper()} {url.name} of member B: {response.status_code}"
        )
        walked.append(url.name)
    assert set(walked) >= set(district["member_b_twins_expected"]), walked
