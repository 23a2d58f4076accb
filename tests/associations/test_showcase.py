"""The cultural showcase: totals over the years, the running order and its validation (a place once
per showcase, at least one performer, unions from the registry), the export, and who may manage."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from associations.models import Association, Programme, Showcase
from associations.services.showcase import next_order, showcase_totals, showcases_with_counts

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages (and exports) in English, which the assertions read."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def make_showcase(year=2024, edition=5):
    return Showcase.objects.create(
        year=year,
        edition=edition,
        title=f"第{edition}届职工文化成果展演",
        held_on=datetime.date(year, 4, 28),
        venue="区职工文化中心",
    )


def add(showcase, order, performers, title="歌伴舞《追梦人》", kind=Programme.Kind.SINGING, unions=()):
    programme = Programme.objects.create(
        showcase=showcase, order=order, title=title, kind=kind, performers=performers
    )
    programme.unions.set(unions)
    return programme


@pytest.fixture
def showcase(db):
    return make_showcase()


def programme_data(**overrides):
    data = {
        "order": "1",
        "title": "舞蹈《工匠精神》",
        "kind": "dance",
        "association": "",
        "unions": [],
        "performers": "12",
        "performer_names": "张丽、王芳等12人",
    }
    data.update(overrides)
    return data


# --- totals ------------------------------------------------------------------------------------


def test_totals_count_programmes_and_performers_over_the_years(union_a, union_b):
    earlier, later = make_showcase(2023, 4), make_showcase(2024, 5)
    add(earlier, 1, 8, unions=[union_a])
    add(earlier, 2, 1)
    add(later, 1, 20, unions=[union_a, union_b])
    make_showcase(2025, 6)  # nothing staged yet

    totals = showcase_totals()
    assert (totals.showcases, totals.programmes, totals.performers) == (3, 3, 29)
    counts = {s.year: (s.programme_count, s.performer_count) for s in showcases_with_counts()}
    assert counts == {2023: (2, 9), 2024: (1, 20), 2025: (0, 0)}


def test_list_shows_each_year_and_the_total_to_anybody_signed_in(client, outsider, showcase, union_a):
    add(showcase, 1, 15, unions=[union_a])
    add(showcase, 2, 3)
    client.force_login(outsider)
    response = client.get(reverse("associations:showcase_list"))
    assert response.status_code == 200
    assert response.context["totals"].performers == 18
    assert "performers in total" in response.content.decode()
    assert reverse("associations:showcase_create") not in response.content.decode()


def test_detail_shows_the_running_order_with_unions(client, outsider, showcase, union_a, union_b):
    add(showcase, 2, 6, title="小品《加班》", kind=Programme.Kind.DRAMA, unions=[union_b])
    add(showcase, 1, 10, title="合唱《咱们工人有力量》", unions=[union_a, union_b])
    client.force_login(outsider)
    response = client.get(reverse("associations:showcase_detail", kwargs={"pk": showcase.pk}))
    assert response.status_code == 200
    assert [p.order for p in response.context["programmes"]] == [1, 2]
    body = response.content.decode()
    assert body.index("咱们工人有力量") < body.index("加班")
    assert union_a.name in body and "Drama and sketch" in body
    assert reverse("associations:programme_create", kwargs={"pk": showcase.pk}) not in body


def test_detail_queries_do_not_grow_with_programmes(
    client, staff, showcase, union_a, union_b, django_assert_max_num_queries
):
    for order in range(1, 21):
        add(showcase, order, 3, unions=[union_a, union_b])
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("associations:showcase_detail", kwargs={"pk": showcase.pk})).status_code == 200
        )


# --- managing ----------------------------------------------------------------------------------


def test_staff_create_a_showcase_and_add_a_programme(client, staff, union_a, union_b):
    client.force_login(staff)
    response = client.post(
        reverse("associations:showcase_create"),
        {
            "year": "2025",
            "edition": "6",
            "title": "第六届职工文化成果展演",
            "held_on": "2025-04-29",
            "venue": "区文化中心大剧院",
        },
    )
    showcase = Showcase.objects.get(year=2025)
    assert response.status_code == 302 and response.url == showcase.get_absolute_url()

    url = reverse("associations:programme_create", kwargs={"pk": showcase.pk})
    assert client.get(url).context["form"].initial["order"] == 1
    response = client.post(url, programme_data(unions=[union_a.pk, union_b.pk]))
    assert response.status_code == 302
    programme = showcase.programmes.get()
    assert programme.performers == 12 and set(programme.unions.all()) == {union_a, union_b}
    assert next_order(showcase) == 2


def test_a_place_in_the_running_order_is_taken_once_per_showcase(client, staff, showcase):
    add(showcase, 1, 5)
    other = make_showcase(2023, 4)
    client.force_login(staff)
    response = client.post(
        reverse("associations:programme_create", kwargs={"pk": showcase.pk}), programme_data()
    )
    assert response.status_code == 200
    assert "already has this place" in response.content.decode()
    # The same place in another year's showcase is free.
    response = client.post(
        reverse("associations:programme_create", kwargs={"pk": other.pk}), programme_data()
    )
    assert response.status_code == 302


def test_editing_a_programme_keeps_its_own_place(client, staff, showcase):
    programme = add(showcase, 3, 5)
    add(showcase, 4, 5)
    client.force_login(staff)
    url = reverse("associations:programme_edit", kwargs={"pk": programme.pk})
    assert client.post(url, programme_data(order="3", performers="7")).status_code == 302
    programme.refresh_from_db()
    assert (programme.order, programme.performers) == (3, 7)
    response = client.post(url, programme_data(order="4"))
    assert response.status_code == 200 and "already has this place" in response.content.decode()


@pytest.mark.parametrize("performers", ["0", "-2", ""])
def test_a_programme_has_at_least_one_performer(client, staff, showcase, performers):
    client.force_login(staff)
    response = client.post(
        reverse("associations:programme_create", kwargs={"pk": showcase.pk}),
        programme_data(performers=performers),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["performers"]
    assert not showcase.programmes.exists()


def test_unions_come_from_the_registry(client, staff, showcase):
    client.force_login(staff)
    response = client.post(
        reverse("associations:programme_create", kwargs={"pk": showcase.pk}),
        programme_data(unions=["999999"]),
    )
    assert response.status_code == 200 and response.context["form"].errors["unions"]


def test_showcase_validation(client, staff, showcase):
    client.force_login(staff)
    url = reverse("associations:showcase_create")
    response = client.post(
        url, {"year": "2024", "edition": "5", "title": "重复", "held_on": "2024-05-01", "venue": "某地"}
    )
    assert response.status_code == 200 and response.context["form"].errors["year"]
    response = client.post(
        url, {"year": "2026", "edition": "0", "title": "第八届", "held_on": "2025-05-01", "venue": "某地"}
    )
    errors = response.context["form"].errors
    assert errors["edition"] and errors["held_on"]


def test_staff_remove_a_programme(client, staff, showcase):
    programme = add(showcase, 1, 5)
    client.force_login(staff)
    url = reverse("associations:programme_delete", kwargs={"pk": programme.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Programme.objects.exists()


def test_export_lists_the_running_order_and_neutralises_formulas(client, staff, showcase, union_a):
    add(showcase, 2, 4, title='=HYPERLINK("x")', unions=[union_a])
    add(showcase, 1, 9, title="舞蹈《春天》", kind=Programme.Kind.DANCE)
    client.force_login(staff)
    response = client.get(reverse("associations:showcase_export", kwargs={"pk": showcase.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[2][0] == "Order"
    assert rows[3][:3] == (1, "舞蹈《春天》", "Dance")
    assert rows[4][1] == '\'=HYPERLINK("x")' and rows[4][4] == union_a.name
    assert rows[-1][5] == 13


# --- access --------------------------------------------------------------------------------------


@pytest.fixture
def programme(showcase):
    return add(showcase, 1, 5)


def manage_urls(showcase, programme):
    return [
        ("get", reverse("associations:showcase_create")),
        ("get", reverse("associations:showcase_edit", kwargs={"pk": showcase.pk})),
        ("get", reverse("associations:showcase_export", kwargs={"pk": showcase.pk})),
        ("get", reverse("associations:programme_create", kwargs={"pk": showcase.pk})),
        ("get", reverse("associations:programme_edit", kwargs={"pk": programme.pk})),
        ("post", reverse("associations:programme_delete", kwargs={"pk": programme.pk})),
    ]


@pytest.mark.parametrize("who", ["chair_a", "assoc_chair", "outsider"])
def test_only_staff_manage_showcases(client, request, db, who, showcase, programme):
    client.force_login(request.getfixturevalue(who))
    for method, url in manage_urls(showcase, programme):
        assert getattr(client, method)(url).status_code == 403, url
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert client.get(reverse("associations:showcase_detail", kwargs={"pk": showcase.pk})).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, showcase, programme):
    for _method, url in manage_urls(showcase, programme)[:-1]:
        assert client.get(url).status_code == 302
    assert client.get(reverse("associations:showcase_list")).status_code == 302


def test_unknown_showcase_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("associations:showcase_detail", kwargs={"pk": 9999})).status_code == 404
    assert client.get(reverse("associations:programme_edit", kwargs={"pk": 9999})).status_code == 404


# --- the demo ----------------------------------------------------------------------------------


def test_demo_seeds_seven_showcases_and_the_matchmaking_association(register, enterprise_a, union_a, union_b):
    import random
    import time

    from associations.demo_showcase import seed_showcase_and_matchmaking
    from associations.models import MatchProfile, MatchRecord
    from tests.factories import TODAY, make_id

    for n in range(35):
        register(enterprise_a, name=f"青年{n}", id_number=make_id(f"{TODAY.year - 25 - n % 8}0315"))
    started = time.monotonic()
    seed_showcase_and_matchmaking(rng=random.Random(7), today=TODAY, unions=[union_a, union_b])
    assert time.monotonic() - started < 3

    showcases = list(showcases_with_counts())
    assert [s.edition for s in showcases] == [7, 6, 5, 4, 3, 2, 1]
    assert showcases[0].programme_count == 150 and showcases[0].held_on <= TODAY
    assert 1950 <= showcase_totals().performers <= 2050
    assert not Programme.objects.filter(unions=None).exists()
    association = Association.objects.get(name="职工红娘协会")
    assert association.is_matchmaking
    assert 30 <= MatchProfile.objects.filter(association=association).count() <= 35
    assert MatchRecord.objects.filter(association=association).count() >= 10


def test_pages_render_in_chinese_by_default(client, staff, showcase, programme):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(staff)
    for _method, url in manage_urls(showcase, programme)[:-1]:
        assert client.get(url).status_code == 200, url
    assert (
        "节目"
        in client.get(reverse("associations:showcase_detail", kwargs={"pk": showcase.pk})).content.decode()
    )
    assert client.get(reverse("associations:showcase_list")).status_code == 200
