"""Grid areas (网格化片组管理): staff keep areas and assign unions to them; every district list and
figure can be filtered by area; the chair of an area's lead union sees the area's figures (counts and
totals, never another union's members); anybody else learns nothing (404)."""

import csv
import datetime
import io
import random
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from aid.models import Application, HardshipFile, Programme
from grievances.models import Case
from homes.models import HomeLevel, WorkersHome
from honours.models import AwardRound, AwardType, Honour, HonourNomination
from members.demo_areas import seed_areas
from members.models import Area, DuesPeriod, Enterprise, GrassrootsUnion, Member
from members.periods import Period
from members.services import areas as services
from members.services import dues
from perks.models import Card
from secondment.models import Nomination, SecondmentTerm
from tests.factories import DAY, TODAY, make_credit_code

LAST_YEAR = TODAY.year - 1


# --- a small district in two areas ------------------------------------------------------------------


@pytest.fixture
def chair_c(make_user):
    return make_user("chair_c", name="赵主席")


@pytest.fixture
def union_c(db, chair_c):
    return GrassrootsUnion.objects.create(
        code="HN003", name="丙电子工会", chair=chair_c, founded_on=datetime.date(2012, 1, 1)
    )


@pytest.fixture
def enterprise_c(union_c):
    return Enterprise.objects.create(
        name="丙电子有限公司",
        credit_code=make_credit_code(3),
        union=union_c,
        size_band="medium",
        industry="electronics",
        headcount=200,
    )


@pytest.fixture
def north(staff, union_a, union_c):
    """北片: union A (the lead union, chair A) and union C (chair C)."""
    area = services.create_area(
        by=staff, name="芯中路片组", lead_union=union_a, contact_name="王建国", contact_phone="13905731234"
    )
    services.assign_unions(area=area, unions=[union_c], by=staff)
    return area


@pytest.fixture
def south(staff, union_b):
    """南片: union B (the lead union, chair B)."""
    return services.create_area(by=staff, name="新潮路片组", lead_union=union_b)


@pytest.fixture
def areas(north, south):
    return north, south


@pytest.fixture
def people(register, enterprise_a, enterprise_b, enterprise_c, member_a, member_b):
    """Active members: A has 王小明 and a migrant worker; C has two (one migrant); B has 李小红: five."""
    register(enterprise_a, name="刘外来", is_migrant_worker=True)
    register(enterprise_c, name="丙一号", is_migrant_worker=True)
    register(enterprise_c, name="丙二号")
    return {"a": member_a, "b": member_b}


def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the service -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
class TestService:
    def test_create_area_with_its_lead_union_audited(self, staff, union_a):
        area = services.create_area(
            by=staff,
            name=" 芯中路片组 ",
            lead_union=union_a,
            contact_name="王建国",
            contact_phone="139-0573-1234",
        )
        union_a.refresh_from_db()
        assert area.name == "芯中路片组" and area.contact_phone == "13905731234"
        assert union_a.area == area and area.is_led_by(union_a.chair)
        assert LogEntry.objects.get_for_object(area).get().actor == staff
        assert LogEntry.objects.get_for_object(union_a).filter(actor=staff).exists()

    def test_duplicate_name_refused_and_nothing_written(self, staff, north, union_b):
        with pytest.raises(ValidationError) as error:
            services.create_area(by=staff, name="芯中路片组 ", lead_union=union_b)
        assert "already an area called" in str(error.value)
        assert Area.objects.count() == 1
        union_b.refresh_from_db()
        assert union_b.area is None

    def test_renaming_onto_another_name_refused(self, staff, north, south):
        with pytest.raises(ValidationError, match="already an area"):
            services.update_area(by=staff, area=south, name="芯中路片组")
        south.refresh_from_db()
        assert south.name == "新潮路片组"
        services.update_area(by=staff, area=south, name="新潮路南片组", contact_name="李丽萍")
        south.refresh_from_db()
        assert (south.name, south.contact_name) == ("新潮路南片组", "李丽萍")

    def test_lead_union_from_another_area_refused(self, staff, north, south, union_b):
        with pytest.raises(ValidationError) as error:
            services.update_area(by=staff, area=north, lead_union=union_b)
        assert "belongs to the area 新潮路片组" in str(error.value)
        with pytest.raises(ValidationError):
            services.create_area(by=staff, name="双联路片组", lead_union=union_b)
        north.refresh_from_db()
        union_b.refresh_from_db()
        assert north.lead_union.code == "HN001" and union_b.area == south
        assert not Area.objects.filter(name="双联路片组").exists()

    def test_lead_union_of_the_area_or_of_none(self, staff, north, union_c, union_b):
        services.update_area(by=staff, area=north, lead_union=union_c)
        north.refresh_from_db()
        assert north.lead_union == union_c
        services.remove_union(union=union_b, by=staff)
        services.update_area(by=staff, area=north, lead_union=union_b)  # in no area: it joins
        union_b.refresh_from_db()
        assert union_b.area == north

    def test_bad_contact_phone_refused(self, staff, union_a):
        with pytest.raises(ValidationError, match="mobile number or a landline"):
            services.create_area(by=staff, name="双联路片组", contact_phone="12345")
        assert not Area.objects.exists()

    def test_blank_name_refused(self, staff):
        with pytest.raises(ValidationError, match="name"):
            services.create_area(by=staff, name="  ")
        assert not Area.objects.exists()

    def test_assign_moves_unions_and_the_lead_stops_leading(self, staff, north, south, union_b):
        assert services.assign_unions(area=north, unions=[union_b], by=staff) == 1
        union_b.refresh_from_db()
        south.refresh_from_db()
        assert union_b.area == north
        assert south.lead_union is None  # its lead union left it
        assert LogEntry.objects.get_for_object(union_b).filter(actor=staff).count() >= 2
        # Sending the same form again changes nothing.
        assert services.assign_unions(area=north, unions=[union_b], by=staff) == 0

    def test_remove_union(self, staff, north, union_a, union_c):
        services.remove_union(union=union_a, by=staff)
        union_a.refresh_from_db()
        north.refresh_from_db()
        assert union_a.area is None and north.lead_union is None
        assert list(GrassrootsUnion.objects.in_area(north)) == [union_c]


# --- every district list filtered by area --------------------------------------------------------------


@pytest.fixture
def listed(
    areas, people, staff, finance_staff, union_a, union_b, enterprise_a, enterprise_b, member_a, member_b
):
    """One row of each kind for union A (north) and union B (south)."""
    for union, member, enterprise, n in (
        (union_a, member_a, enterprise_a, 1),
        (union_b, member_b, enterprise_b, 2),
    ):
        period = dues.get_period(union=union, period=Period("monthly", LAST_YEAR, 1))
        DuesPeriod.objects.filter(pk=period.pk).update(funds_due=Decimal("100.00"))
        dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=Decimal(f"{n}0.00"),
            received_on=TODAY,
            voucher_no=f"V{n}",
            channel="tax",
        )
        HardshipFile.objects.create(
            number=f"KN000{n}",
            member=member,
            union=union,
            submitted_on=TODAY - 30 * DAY,
            status=HardshipFile.Status.ACTIVE,
            household_income=Decimal("1800"),
            household_size=3,
            living_standard=Decimal("1200"),
            category=HardshipFile.Category.RELATIVE,
            causes=["illness"],
        )
        programme = Programme.objects.get_or_create(
            year=TODAY.year,
            kind="living",
            name="生活救助",
            defaults={
                "min_amount": 500,
                "max_amount": 5000,
                "opens_on": TODAY - 60 * DAY,
                "closes_on": TODAY + 60 * DAY,
            },
        )[0]
        Application.objects.create(
            programme=programme,
            member=member,
            union=union,
            submitted_on=TODAY,
            amount_requested=Decimal("1000"),
        )
        Case.objects.create(
            number=f"WQ-{n}",
            channel="hotline",
            category="dismissal",
            enterprise=enterprise,
            employer_name=enterprise.name,
            description="被辞退",
            received_on=TODAY,
        )
        Nomination.objects.create(
            union=union,
            member=member,
            union_post="vice_chair",
            education="bachelor",
            recommendation="优秀",
            phone=f"1390000000{n}",
            start_date=TODAY + 30 * DAY,
            nominated_on=TODAY,
        )
        SecondmentTerm.objects.create(
            cadre=staff.__class__.objects.create_user(f"cadre{n}"),
            union=union,
            start_date=TODAY - 10 * DAY,
            end_date=TODAY + 300 * DAY,
        )
        Card.objects.create(number=f"C000{n}", member=member, issued_on=TODAY, status_changed_on=TODAY)


def _union_codes(response):
    return {u.code for u in response.context["page"]}


def _unions_in_dues_total(response):
    """Union A remitted ¥10 this year and union B ¥20: the total says whose money it counts."""
    received = response.context["received_in_year"]
    return {code for code, amount in (("HN001", 10), ("HN002", 20)) if received in (amount, 30)}


PAGES = {
    # name: (user fixture, url, rows read from the response as union codes)
    "unions": ("staff", "members:union_list", _union_codes),
    "enterprises": ("staff", "members:enterprise_list", lambda r: {e.union.code for e in r.context["page"]}),
    "members": ("staff", "members:member_list", lambda r: {m.union.code for m in r.context["page"]}),
    "member export": (
        "staff",
        "members:member_export_csv",
        lambda r: (
            {row[0] for row in csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig")))}
            & {"HN001", "HN002", "HN003"}
        ),
    ),
    "dues overview": ("staff", "members:dues_overview", _unions_in_dues_total),
    "arrears": ("staff", "members:arrears", lambda r: {a.period.union.code for a in r.context["rows"]}),
    "hardship files": ("aid_staff", "aid:file_list", lambda r: {f.union.code for f in r.context["page"]}),
    "aid applications": (
        "aid_staff",
        "aid:application_list",
        lambda r: {a.union.code for a in r.context["page"]},
    ),
    "grievance cases": (
        "casework_staff",
        "grievances:case_list",
        lambda r: {c.enterprise.union.code for c in r.context["page"].object_list},
    ),
    "secondment nominations": (
        "staff",
        "secondment:nomination_list",
        lambda r: {n.union.code for n in r.context["nominations"]},
    ),
    "secondment terms": (
        "staff",
        "secondment:term_list",
        lambda r: {row["term"].union.code for row in r.context["rows"]},
    ),
    "discount cards": (
        "staff",
        "perks:card_list",
        lambda r: {c.member.union.code for c in r.context["page"]},
    ),
}


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.usefixtures("listed")
@pytest.mark.parametrize("page", PAGES)
def test_each_list_filtered_by_area(client, request, page, north, south):
    role, name, rows = PAGES[page]
    user = request.getfixturevalue(role)
    extra = {"show": "all"} if name == "secondment:term_list" else {}
    everything = _get(client, user, name, **extra)
    assert everything.status_code == 200
    assert {"HN001", "HN002"} <= rows(everything)
    in_north = _get(client, user, name, area=north.pk, **extra)
    assert in_north.status_code == 200
    assert "HN001" in rows(in_north) and "HN002" not in rows(in_north)
    in_south = _get(client, user, name, area=south.pk, **extra)
    assert rows(in_south) & {"HN001", "HN002", "HN003"} == {"HN002"}


@pytest.mark.usefixtures("listed")
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("value", ["abc", "99999", "-1", "１"])
def test_unknown_area_is_no_filter(client, request, page, value):
    role, name, rows = PAGES[page]
    extra = {"show": "all"} if name == "secondment:term_list" else {}
    response = _get(client, request.getfixturevalue(role), name, area=value, **extra)
    assert response.status_code == 200
    assert {"HN001", "HN002"} <= rows(response)


@pytest.mark.usefixtures("listed")
def test_dashboard_figures_filtered_by_area(client, staff, north):
    everything = _get(client, staff, "dashboard").context["district"]
    in_north = _get(client, staff, "dashboard", area=north.pk).context["district"]
    assert everything["members"] == 5 and in_north["members"] == 4
    assert (everything["unions"], in_north["unions"]) == (3, 2)
    assert (everything["funds_received"], in_north["funds_received"]) == (Decimal("30.00"), Decimal("10.00"))
    assert (everything["arrears"], in_north["arrears"]) == (2, 1)


@pytest.mark.usefixtures("listed")
def test_area_select_shown_to_staff_only(client, staff, chair_a, north):
    page = en(client)
    staff_page = _get(page, staff, "members:union_list", area=north.pk).content.decode()
    assert 'name="area"' in staff_page and "芯中路片组" in staff_page
    assert f'<option value="{north.pk}" selected>' in staff_page
    chair_page = _get(page, chair_a, "members:member_list").content.decode()
    assert 'name="area"' not in chair_page


def test_no_area_select_where_no_area_exists(client, staff, union_a):
    content = _get(client, staff, "members:dues_overview").content.decode()
    assert 'name="area"' not in content


@pytest.mark.usefixtures("areas")
def test_union_list_shows_the_area_column_and_links_the_areas(client, staff):
    content = _get(en(client), staff, "members:union_list").content.decode()
    assert "Grid area" in content and "新潮路片组" in content
    assert reverse("members:area_list") in content


# --- the area's page -----------------------------------------------------------------------------------


@pytest.fixture
def figures_district(listed, staff, union_a, union_b, union_c, enterprise_a, enterprise_c, member_a):
    WorkersHome.objects.create(union=union_a, level=HomeLevel.QUALIFIED)
    WorkersHome.objects.create(union=union_c, level=HomeLevel.CITY)
    WorkersHome.objects.create(union=union_b, level=HomeLevel.NATIONAL)
    # Union C declared nothing for a past period: in arrears, with nothing outstanding declared.
    dues.get_period(union=union_c, period=Period("monthly", LAST_YEAR, 2))
    Enterprise.objects.create(
        name="丙已关闭公司",
        credit_code=make_credit_code(4),
        union=union_c,
        size_band="micro",
        industry="other",
        status=Enterprise.Status.CLOSED,
    )
    award = AwardType.objects.create(name="品牌工会", level=2, nominee_kind="union")
    for year, union in ((TODAY.year, union_a), (TODAY.year, union_b), (LAST_YEAR, union_c)):
        round_ = AwardRound.objects.get_or_create(
            award_type=award,
            year=year,
            defaults={
                "opens_on": datetime.date(year, 1, 1),
                "closes_on": datetime.date(year, 1, 31),
                "quota": 5,
            },
        )[0]
        nomination = HonourNomination.objects.create(
            round=round_,
            union=union,
            nominee_union=union,
            nominee_name=union.name,
            statement="事迹",
            status="awarded",
        )
        Honour.objects.create(
            nomination=nomination, number=f"RY-{year}-{union.code}", issued_on=datetime.date(year, 3, 1)
        )
    HardshipFile.objects.create(
        number="KN0009",
        member=Member.objects.get(name="刘外来"),
        union=union_a,
        submitted_on=TODAY,
        status=HardshipFile.Status.APPLYING,
        household_income=Decimal("1800"),
        household_size=3,
        living_standard=Decimal("1200"),
        category=HardshipFile.Category.RELATIVE,
        causes=["illness"],
    )
    Case.objects.create(
        number="WQ-9",
        channel="hotline",
        category="dismissal",
        enterprise=enterprise_c,
        employer_name="丙电子有限公司",
        description="已结案",
        received_on=TODAY - 90 * DAY,
        stage=Case.Stage.CLOSED,
        closed_on=TODAY - DAY,
        outcome="resolved",
    )


def test_area_summary_figures(client, staff, north, figures_district):
    client.force_login(staff)
    response = client.get(reverse("members:area_detail", args=[north.pk]))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["unions"] == 2
    assert figures["enterprises"] == 2  # the closed one is not counted
    assert figures["members"] == 4 and figures["migrants"] == 2
    assert figures["funds_received"] == Decimal("10.00")
    assert figures["arrears_count"] == 2 and figures["arrears_total"] == Decimal("90.00")
    assert dict(figures["homes"])[HomeLevel.QUALIFIED.label] == 1
    assert dict(figures["homes"])[HomeLevel.CITY.label] == 1
    assert dict(figures["homes"])[HomeLevel.NATIONAL.label] == 0 and figures["homes_rated"] == 2
    assert figures["honours"] == 1  # this year's, in this area
    assert figures["cases_open"] == 1
    assert figures["hardship_files"] == 1  # on record; the one applying is not
    assert figures["cadres"] == 1
    rows = {u.code: (u.member_count, u.migrant_count, u.enterprise_count) for u in response.context["unions"]}
    assert rows == {"HN001": (2, 1, 1), "HN003": (2, 1, 2)}


@pytest.mark.usefixtures("people")
def test_lead_chair_sees_their_area_without_personal_data(client, chair_a, north, south, union_c):
    client.force_login(chair_a)
    response = client.get(reverse("members:area_detail", args=[north.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "丙电子工会" in content and "赵主席" in content  # union C, its chair's name
    for personal in ("王小明", "刘外来", "丙一号", "丙二号", "330481", "1381234"):
        assert personal not in content
    # Union C's page would be a 404 for chair A: no link to it.
    assert union_c.get_absolute_url() not in content
    assert north.lead_union.get_absolute_url() in content
    assert client.get(reverse("members:area_detail", args=[south.pk])).status_code == 404
    assert client.get(reverse("members:area_list")).url == north.get_absolute_url()


@pytest.mark.parametrize("role", ["chair_c", "outsider", "cadre"])
def test_other_chairs_and_outsiders_get_404(client, request, role, areas):
    north, south = areas
    client.force_login(request.getfixturevalue(role))
    for area in areas:
        assert client.get(reverse("members:area_detail", args=[area.pk])).status_code == 404
        assert client.get(reverse("members:area_edit", args=[area.pk])).status_code == 404
        assert client.get(reverse("members:area_assign", args=[area.pk])).status_code == 404
    assert client.get(reverse("members:area_list")).status_code == 403
    assert client.get(reverse("members:area_create")).status_code == 403


def test_anonymous_goes_to_login(client, north):
    assert client.get(reverse("members:area_detail", args=[north.pk])).status_code == 302


def test_lead_chair_may_not_edit_or_assign(client, chair_a, north):
    client.force_login(chair_a)
    assert client.get(reverse("members:area_edit", args=[north.pk])).status_code == 403
    assert client.post(reverse("members:area_assign", args=[north.pk]), {"unions": []}).status_code == 403


def test_staff_without_the_organisation_duty_may_look_but_not_change(client, aid_staff, north):
    client.force_login(aid_staff)
    assert client.get(reverse("members:area_list")).status_code == 200
    assert client.get(reverse("members:area_detail", args=[north.pk])).status_code == 200
    assert client.get(reverse("members:area_create")).status_code == 403


@pytest.mark.usefixtures("people")
def test_staff_area_list(client, staff, areas, union_b):
    response = en(client)
    client.force_login(staff)
    response = client.get(reverse("members:area_list"))
    rows = {a.name: (a.union_count, a.member_count) for a in response.context["areas"]}
    assert rows == {"芯中路片组": (2, 4), "新潮路片组": (1, 1)}
    assert "王建国" in response.content.decode()


def test_dashboard_my_area_card_for_the_lead_chair(client, chair_a, chair_c, north):
    client.force_login(chair_a)
    content = en(client).get(reverse("dashboard")).content.decode()
    assert "My area" in content and reverse("members:area_detail", args=[north.pk]) in content
    client.force_login(chair_c)
    assert "My area" not in client.get(reverse("dashboard")).content.decode()


# --- the staff pages -----------------------------------------------------------------------------------


def test_create_and_edit_through_the_pages(client, staff, union_a, union_b):
    client.force_login(staff)
    response = client.post(
        reverse("members:area_create"),
        {
            "name": "芯中路片组",
            "lead_union": union_a.pk,
            "contact_name": "王建国",
            "contact_phone": "13905731234",
        },
    )
    area = Area.objects.get()
    assert response.url == area.get_absolute_url()
    # The stored phone is not sent back; a blank field keeps it.
    form = client.get(reverse("members:area_edit", args=[area.pk])).content.decode()
    assert "13905731234" not in form
    client.post(
        reverse("members:area_edit", args=[area.pk]),
        {"name": "芯中路北片组", "lead_union": union_a.pk, "contact_name": "王建国", "contact_phone": ""},
    )
    area.refresh_from_db()
    assert (area.name, area.contact_phone) == ("芯中路北片组", "13905731234")


def test_duplicate_name_shown_on_the_form(client, staff, north):
    client.force_login(staff)
    en(client)
    response = client.post(reverse("members:area_create"), {"name": "芯中路片组"})
    assert response.status_code == 200
    assert "There is already an area called" in response.content.decode()
    assert Area.objects.count() == 1


def test_assign_page_moves_and_removes(client, staff, north, south, union_a, union_b, union_c):
    loose = GrassrootsUnion.objects.create(code="HN004", name="丁工会", founded_on=datetime.date(2016, 1, 1))
    client.force_login(staff)
    url = reverse("members:area_assign", args=[north.pk])
    listed = {u.code for u in client.get(url).context["unions"]}
    assert listed == {"HN001", "HN003", "HN004"}  # this area's and those in no area
    assert {u.code for u in client.get(url, {"q": "丁"}).context["unions"]} == {"HN004"}
    assert "HN002" in {u.code for u in client.get(url, {"others": "1"}).context["unions"]}
    # Tick A and D, untick C: D joins, C leaves; B (not shown) stays where it is.
    client.post(url, {"unions": [union_a.pk, loose.pk], "shown": [union_a.pk, union_c.pk, loose.pk]})
    assert set(GrassrootsUnion.objects.in_area(north).values_list("code", flat=True)) == {"HN001", "HN004"}
    assert GrassrootsUnion.objects.get(pk=union_b.pk).area == south
    # The same submission again changes nothing.
    client.post(url, {"unions": [union_a.pk, loose.pk], "shown": [union_a.pk, union_c.pk, loose.pk]})
    assert set(GrassrootsUnion.objects.in_area(north).values_list("code", flat=True)) == {"HN001", "HN004"}


# --- demo ----------------------------------------------------------------------------------------------


def test_seed_areas_covers_every_union(db, staff, make_user):
    chairs = [make_user(f"c{i}", name=f"主席{i}") for i in range(20)]
    unions = [
        GrassrootsUnion.objects.create(
            code=f"HN{i + 1:03d}", name=f"工会{i}", chair=chairs[i], founded_on=datetime.date(2010, 1, 1)
        )
        for i in range(20)
    ]
    areas = seed_areas(rng=random.Random(1), unions=unions, staff=staff, today=TODAY)
    assert len(areas) == 8 and Area.objects.count() == 8
    assert not GrassrootsUnion.objects.filter(area__isnull=True).exists()
    first = Area.objects.get(name=areas[0].name)
    assert first.lead_union == unions[0] and first.is_led_by(chairs[0])
    for area in Area.objects.select_related("lead_union"):
        assert area.lead_union.area_id == area.pk
        assert area.contact_name and area.contact_phone.startswith("1") and len(area.contact_phone) == 11


# --- the shared helper -----------------------------------------------------------------------------------


def test_area_filter_reads_the_area_for_staff_only(rf, staff, chair_a, areas):
    from unionhub.areas import area_filter, filter_by_area

    north, south = areas
    request = rf.get("/", {"area": str(south.pk)})
    request.user = staff
    assert area_filter(request) == south
    assert set(filter_by_area(GrassrootsUnion.objects.all(), south, "").values_list("code", flat=True)) == {
        "HN002"
    }
    assert filter_by_area(Enterprise.objects.all(), None, "union").count() == Enterprise.objects.count()
    request = rf.get("/", {"area": str(south.pk)})
    request.user = chair_a
    assert area_filter(request) is None  # a chair's lists are their own union's anyway
