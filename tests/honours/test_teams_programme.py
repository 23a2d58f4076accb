"""Issue 24's honours: teams (班组) as nominees — who keeps them, who nominates them, the full round for a
team down to its certificate —, the 十百千 programme's seeded tiers and award types and its page, the
federation's own awards with their documents, and the public honours page with its public document door."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from honours import services
from honours.dashboard import programme_rounds_to_open, programme_this_year
from honours.models import (
    AwardLevel,
    AwardType,
    FederationAward,
    FederationAwardDocument,
    Honour,
    HonourNomination,
    NomineeKind,
    Series,
    SeriesTier,
    Team,
)
from tests.factories import PDF, PNG, TODAY, make_award, make_round, pdf_upload
from tests.honours.test_honours import finished, pdf_text
from unionhub.contributions import Scope
from unionhub.uploads import MB

Status = HonourNomination.Status


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def crew(register, enterprise_a):
    return [register(enterprise_a, name=name) for name in ("张建国", "李卫东", "陈晓燕")]


@pytest.fixture
def team_a(chair_a, enterprise_a, crew):
    return services.save_team(
        by=chair_a, enterprise=enterprise_a, name="装配车间一班", leader=crew[0], members=crew
    )


@pytest.fixture
def pioneer_award(staff):
    return make_award(
        staff,
        name="工人先锋号",
        level=AwardLevel.NATIONAL,
        kind=NomineeKind.TEAM,
        items=(("班组建设", 30), ("生产业绩", 40), ("安全质量", 30)),
    )


# --- teams --------------------------------------------------------------------------------------------


class TestTeams:
    def test_a_chair_keeps_the_teams_of_their_unions_enterprises(self, team_a, crew):
        assert team_a.leader == crew[0] and set(team_a.members.all()) == set(crew)
        assert Team.objects.visible_to(team_a.enterprise.union.chair).get() == team_a

    def test_the_leader_is_one_of_the_members(self, chair_a, enterprise_a, crew):
        team = services.save_team(
            by=chair_a, enterprise=enterprise_a, name="质检班", leader=crew[0], members=crew[1:]
        )
        assert set(team.members.all()) == set(crew)

    def test_another_unions_chair_is_refused(self, chair_b, enterprise_a, crew):
        with pytest.raises(PermissionDenied):
            services.save_team(by=chair_b, enterprise=enterprise_a, name="质检班", members=crew)
        assert not Team.objects.exists()

    @pytest.mark.usefixtures("english")
    def test_a_member_outside_the_union_is_refused_as_a_team_member(
        self, chair_a, enterprise_a, crew, member_b
    ):
        with pytest.raises(ValidationError, match="Only active members of HN001 甲公司工会委员会"):
            services.save_team(by=chair_a, enterprise=enterprise_a, name="质检班", members=[*crew, member_b])
        with pytest.raises(ValidationError, match="李小红"):
            services.save_team(by=chair_a, enterprise=enterprise_a, name="质检班", leader=member_b)
        assert not Team.objects.exists()

    @pytest.mark.usefixtures("english")
    def test_bad_names_are_refused(self, chair_a, enterprise_a, team_a):
        for name in ("", "  ", "班" * 101, "装配车间一班"):
            with pytest.raises(ValidationError):
                services.save_team(by=chair_a, enterprise=enterprise_a, name=name)
        assert Team.objects.count() == 1

    def test_staff_keep_any_team_and_the_page_shows_the_members(self, login, staff, team_a, crew):
        services.save_team(by=staff, team=team_a, name="装配车间一班（甲）", leader=crew[1], members=crew[1:])
        team_a.refresh_from_db()
        assert team_a.leader == crew[1] and team_a.members.count() == 2
        page = login(staff).get(team_a.get_absolute_url())
        assert page.status_code == 200 and "李卫东" in page.content.decode()

    def test_the_chair_creates_and_edits_a_team_through_the_forms(
        self, login, chair_a, enterprise_a, crew, member_b
    ):
        client = login(chair_a)
        response = client.post(
            reverse("honours:team_create"), {"enterprise": enterprise_a.pk, "name": "焊接班"}
        )
        team = Team.objects.get(name="焊接班")
        assert response.status_code == 302 and response["Location"] == reverse(
            "honours:team_edit", args=[team.pk]
        )
        edit = reverse("honours:team_edit", args=[team.pk])
        assert client.get(edit).status_code == 200
        response = client.post(
            edit, {"name": "焊接班", "leader": crew[2].pk, "members": [crew[0].pk, crew[2].pk]}
        )
        assert response.status_code == 302
        assert set(team.members.all()) == {crew[0], crew[2]}
        # A member of another union is no choice of the form: nothing changes.
        response = client.post(edit, {"name": "焊接班", "members": [member_b.pk]})
        assert response.status_code == 200 and set(team.members.all()) == {crew[0], crew[2]}

    @pytest.mark.parametrize("who, status", [("chair_b", 404), ("outsider", 403), ("cadre", 403)])
    @pytest.mark.usefixtures("union_b")
    def test_others_do_not_see_a_team(self, login, request, team_a, who, status):
        client = login(request.getfixturevalue(who))
        for name in ("honours:team_detail", "honours:team_edit"):
            assert client.get(reverse(name, args=[team_a.pk])).status_code == status

    def test_a_forged_id_is_a_404(self, login, staff, team_a):
        assert login(staff).get(reverse("honours:team_detail", args=[team_a.pk + 999])).status_code == 404
        assert login(staff).get("/honours/teams/99999999999999999999999/").status_code == 404


# --- a team as a nominee ---------------------------------------------------------------------------------


class TestTeamNominations:
    def test_exactly_one_nominee(self, staff, pioneer_award, team_a, union_a):
        award_round = make_round(staff, pioneer_award)
        with pytest.raises(IntegrityError), transaction.atomic():
            HonourNomination.objects.create(
                round=award_round, nominee_team=team_a, nominee_union=union_a, nominee_name="x", statement="x"
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            HonourNomination.objects.create(round=award_round, nominee_name="x", statement="x")
        HonourNomination.objects.create(
            round=award_round, nominee_team=team_a, nominee_name="x", statement="x"
        )
        with pytest.raises(IntegrityError), transaction.atomic():  # one live nomination per team per round
            HonourNomination.objects.create(
                round=award_round, nominee_team=team_a, nominee_name="x", statement="x"
            )
        HonourNomination.objects.create(
            round=award_round, nominee_team=team_a, nominee_name="x", statement="x", status=Status.WITHDRAWN
        )

    def test_the_own_chair_nominates_a_team_and_another_union_cannot(
        self, staff, pioneer_award, team_a, union_a, union_b, chair_a, chair_b
    ):
        award_round = make_round(staff, pioneer_award)
        with pytest.raises(ValidationError):
            services.nominate(round=award_round, union=union_b, nominee=team_a, statement="事迹", by=chair_b)
        with pytest.raises(ValidationError):
            services.nominate(round=award_round, union=union_a, nominee=team_a, statement="事迹", by=chair_b)
        with pytest.raises(ValidationError):  # a team award takes teams, not unions
            services.nominate(round=award_round, union=union_a, nominee=union_a, statement="事迹", by=chair_a)
        nomination = services.nominate(
            round=award_round, union=union_a, nominee=team_a, statement="事迹", by=chair_a
        )
        assert nomination.nominee_team == team_a and nomination.nominee_name == "装配车间一班"
        with pytest.raises(ValidationError):
            services.nominate(round=award_round, union=union_a, nominee=team_a, statement="再次", by=chair_a)
        assert HonourNomination.objects.count() == 1

    def test_the_nomination_form_offers_the_chairs_teams_only(
        self, login, staff, pioneer_award, team_a, chair_a, chair_b, union_a, union_b
    ):
        award_round = make_round(staff, pioneer_award)
        url = reverse("honours:nomination_create", args=[award_round.pk])
        response = login(chair_b).post(url, {"team": team_a.pk, "statement": "事迹"})
        assert response.status_code == 200 and not HonourNomination.objects.exists()
        response = login(chair_a).post(url, {"union": union_a.pk, "team": team_a.pk, "statement": "事迹"})
        assert response.status_code == 302 and HonourNomination.objects.get().nominee_team == team_a

    def test_the_full_round_for_a_team_down_to_the_certificate(
        self, client, login, staff, pioneer_award, team_a, union_a
    ):
        award_round = finished(staff, pioneer_award, [(union_a, team_a, union_a.chair)])
        honour = Honour.objects.get(nomination__round=award_round)
        assert honour.number == "RY-2025-0001"
        text = "".join(pdf_text(Path(services.render_honour(honour))).split())
        for phrase in (
            "荣誉证书",
            "甲精密机械有限公司",
            "装配车间一班",
            "你班组由甲公司工会委员会推荐",
            "荣获2025年度工人先锋号（全国）称号",
            "RY-2025-0001",
        ):
            assert phrase in text, phrase
        assert "同志" not in text
        notice = client.get(reverse("honours:honour_notice", args=[award_round.pk])).content.decode()
        assert "装配车间一班" in notice and "甲精密机械有限公司" in notice
        verify = client.get(honour.get_verify_url()).content.decode()
        assert "装配车间一班" in verify and "甲精密机械有限公司" in verify
        assert list(services.honours_of_team(team_a)) == [honour]
        assert list(services.honours_of_union(union_a)) == [honour]
        page = login(union_a.chair).get(team_a.get_absolute_url())
        assert list(page.context["honours"]) == [honour]


# --- the 十百千 programme ----------------------------------------------------------------------------------


@pytest.fixture
def seeded(db):
    """The programme as its data migration seeds it. A database reused after a transactional test (which
    empties every table) no longer holds migrated rows, so the seed is run again — it changes nothing where
    the rows are there (tests/honours/test_migration_teams.py tests the migration itself)."""
    from django.apps import apps

    importlib.import_module("honours.migrations.0005_i24_shibaiqian_programme").seed(apps, None)


def test_the_programme_is_seeded_with_its_tiers_and_award_types(seeded):
    tiers = list(SeriesTier.objects.filter(series=Series.SHIBAIQIAN).order_by("order"))
    assert [(t.order, t.target) for t in tiers] == [(1, 10), (2, 100), (3, 1000)]
    types = {
        t.name: (t.tier.order, t.nominee_kind, t.level)
        for t in AwardType.objects.filter(tier__series=Series.SHIBAIQIAN).select_related("tier")
    }
    assert types == {
        "十佳示范单位": (1, "union", AwardLevel.DISTRICT),
        "百家优秀单位": (2, "enterprise", AwardLevel.DISTRICT),
        "千名积极分子": (3, "member", AwardLevel.DISTRICT),
        "千个先进班组": (3, "team", AwardLevel.DISTRICT),
    }
    for award_type in AwardType.objects.filter(tier__series=Series.SHIBAIQIAN):
        assert sum(c.max_points for c in award_type.criteria_items.all()) == 100


@pytest.fixture
def programme_2025(seeded, staff, union_a, union_b, member_a, team_a):
    """2025: two unions nominated for 十佳 and one awarded; 王小明 awarded 千名积极分子; the team nominated
    for 千个先进班组 and not awarded."""
    seeded = {t.nominee_kind: t for t in AwardType.objects.filter(tier__series=Series.SHIBAIQIAN)}
    finished(
        staff,
        seeded["union"],
        [(union_a, union_a, union_a.chair), (union_b, union_b, union_b.chair)],
        winners=1,
    )
    finished(staff, seeded["member"], [(union_a, member_a, union_a.chair)])
    finished(staff, seeded["team"], [(union_a, team_a, union_a.chair)], winners=0)
    return seeded


class TestProgrammePage:
    def test_counts_per_tier(self, programme_2025):
        summary = {row["tier"].order: row for row in services.programme_summary(Series.SHIBAIQIAN, 2025)}
        assert (summary[1]["nominated"], summary[1]["awarded"], summary[1]["tier"].target) == (2, 1, 10)
        assert (summary[2]["nominated"], summary[2]["awarded"]) == (0, 0)
        assert (summary[3]["nominated"], summary[3]["awarded"], summary[3]["percent"]) == (2, 1, 0)

    def test_the_page_lists_the_awarded_with_members_masked(self, login, chair_a, staff, programme_2025):
        for user in (staff, chair_a):
            response = login(user).get(reverse("honours:programme"), {"year": 2025})
            content = response.content.decode()
            assert response.status_code == 200 and response.context["year"] == 2025
            assert "甲公司工会委员会" in content and "王*明" in content and "王小明" not in content
            assert [r["name"] for r in response.context["awarded"]] == ["甲公司工会委员会", "王*明"]

    def test_hostile_years_are_no_filter(self, login, staff, programme_2025):
        client = login(staff)
        for year in ("abc", "99999999999999999999", "-1", "2025\x00"):
            assert client.get(reverse("honours:programme"), {"year": year}).status_code == 200

    @pytest.mark.parametrize("who, status", [("outsider", 403), ("cadre", 403), ("merchant", 404)])
    def test_not_for_others(self, login, request, who, status, db):
        assert login(request.getfixturevalue(who)).get(reverse("honours:programme")).status_code == status

    def test_the_dashboard_figures_and_the_staffs_to_do(self, staff, programme_2025):
        figures = programme_this_year(Scope(day=datetime.date(2025, 12, 1), user=staff))
        assert figures == {"programme_awarded": 2, "programme_target": 1110, "team_honours": 0}
        todo = programme_rounds_to_open(Scope(day=datetime.date(2025, 12, 1), user=staff))
        assert [item.kind for item in todo] == ["honours.programme_round"] and "百家优秀单位" in todo[0].title
        assert len(programme_rounds_to_open(Scope(day=datetime.date(2026, 1, 5), user=staff))) == 4

    def test_no_to_do_for_a_chair(self, chair_a, db):
        assert programme_rounds_to_open(Scope(day=TODAY, user=chair_a)) is None


# --- the federation's own awards ---------------------------------------------------------------------------


def award_data(**changes):
    data = {
        "title": "海宁市工会工作目标管理考核",
        "year": 2025,
        "level": "city",
        "awarding_body": "海宁市总工会",
        "result": "特等奖",
        "description": "",
        "public": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def grand_prize(staff):
    return services.save_federation_award(
        by=staff,
        title="海宁市工会工作目标管理考核",
        year=2025,
        level="city",
        awarding_body="海宁市总工会",
        result="特等奖",
    )


class TestFederationAwards:
    def test_staff_record_and_edit_an_award(self, login, staff):
        client = login(staff)
        response = client.post(reverse("honours:federation_award_create"), award_data())
        award = FederationAward.objects.get()
        assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
        assert (award.result, award.level, award.public, award.created_by) == ("特等奖", "city", True, staff)
        response = client.post(
            reverse("honours:federation_award_edit", args=[award.pk]),
            award_data(result="一等奖", public=None),
        )
        award.refresh_from_db()
        assert response.status_code == 302 and (award.result, award.public) == ("一等奖", False)
        for name in (
            "honours:federation_award_list",
            "honours:federation_award_detail",
            "honours:federation_award_edit",
        ):
            args = [] if name.endswith("list") else [award.pk]
            assert client.get(reverse(name, args=args)).status_code == 200

    @pytest.mark.parametrize("year", ["1900", "2101", "abc", "99999999999"])
    def test_a_year_out_of_range_is_refused(self, login, staff, year):
        response = login(staff).post(reverse("honours:federation_award_create"), award_data(year=year))
        assert response.status_code == 200 and not FederationAward.objects.exists()

    def test_the_service_refuses_bad_data_and_other_roles(self, staff, chair_a, finance_staff):
        with pytest.raises(ValidationError):
            services.save_federation_award(by=staff, title="", year=1900, level="galactic", awarding_body="")
        for user in (chair_a, finance_staff):
            with pytest.raises(PermissionDenied):
                services.save_federation_award(
                    by=user, title="奖", year=2025, level="city", awarding_body="市总"
                )
        assert not FederationAward.objects.exists()

    @pytest.mark.parametrize("who", ["chair_a", "finance_staff", "outsider", "cadre"])
    def test_every_other_role_is_refused(self, login, request, grand_prize, who):
        client = login(request.getfixturevalue(who))
        for name, args in (
            ("honours:federation_award_list", []),
            ("honours:federation_award_create", []),
            ("honours:federation_award_detail", [grand_prize.pk]),
            ("honours:federation_award_edit", [grand_prize.pk]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 403, name
        response = client.post(
            reverse("honours:federation_award_edit", args=[grand_prize.pk]), award_data(result="一等奖")
        )
        assert response.status_code == 403
        grand_prize.refresh_from_db()
        assert grand_prize.result == "特等奖"

    def test_a_forged_id_is_a_404(self, login, staff, grand_prize):
        client = login(staff)
        for name in ("honours:federation_award_detail", "honours:federation_award_edit"):
            assert client.get(reverse(name, args=[grand_prize.pk + 99])).status_code == 404
        assert (
            client.post(reverse("honours:federation_document_add", args=[grand_prize.pk + 99])).status_code
            == 404
        )
        assert client.post(reverse("honours:federation_document_remove", args=[12345])).status_code == 404


class TestFederationDocuments:
    def test_staff_upload_toggle_and_remove_a_document(self, login, staff, grand_prize, media_root):
        client = login(staff)
        url = reverse("honours:federation_document_add", args=[grand_prize.pk])
        response = client.post(url, {"title": "证书", "file": pdf_upload("证书.pdf"), "public": "on"})
        document = FederationAwardDocument.objects.get()
        assert response.status_code == 302 and document.public and document.uploaded_by == staff
        client.post(reverse("honours:federation_document_public", args=[document.pk]), {"public": "0"})
        document.refresh_from_db()
        assert not document.public
        path = Path(document.file.path)
        assert path.is_file()
        client.post(reverse("honours:federation_document_remove", args=[document.pk]))
        assert not FederationAwardDocument.objects.exists()

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
            SimpleUploadedFile("证书.exe", b"MZ\x90\x00" + b"\0" * 32),
            SimpleUploadedFile(
                "证书.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
            ),
            SimpleUploadedFile("证书.pdf", PDF + b"\0" * (10 * MB), content_type="application/pdf"),
            SimpleUploadedFile("证书.pdf", b"", content_type="application/pdf"),
        ],
        ids=["not-a-pdf", "exe", "html", "oversized", "empty"],
    )
    def test_bad_files_are_refused(self, login, staff, grand_prize, upload):
        response = login(staff).post(
            reverse("honours:federation_document_add", args=[grand_prize.pk]),
            {"title": "证书", "file": upload},
        )
        assert response.status_code == 302 and not FederationAwardDocument.objects.exists()
        with pytest.raises(ValidationError):
            upload.seek(0)
            services.add_federation_document(by=staff, award=grand_prize, upload=upload)

    def test_a_png_is_accepted(self, staff, grand_prize):
        document = services.add_federation_document(
            by=staff, award=grand_prize, upload=SimpleUploadedFile("奖牌.png", PNG), title="奖牌照片"
        )
        assert document.title == "奖牌照片" and not document.public

    @pytest.mark.parametrize("who", ["chair_a", "finance_staff", "outsider"])
    def test_other_roles_cannot_upload(self, login, request, grand_prize, who):
        response = login(request.getfixturevalue(who)).post(
            reverse("honours:federation_document_add", args=[grand_prize.pk]),
            {"title": "x", "file": pdf_upload()},
        )
        assert response.status_code == 403 and not FederationAwardDocument.objects.exists()


# --- the public honours page ----------------------------------------------------------------------------------


@pytest.fixture
def public_record(staff, grand_prize, pioneer_award, team_a, union_a):
    hidden = services.save_federation_award(
        by=staff, title="内部表彰", year=2024, level="county", awarding_body="管委会", public=False
    )
    shown = services.add_federation_document(
        by=staff, award=grand_prize, upload=pdf_upload("证书.pdf"), title="特等奖证书", public=True
    )
    internal = services.add_federation_document(
        by=staff, award=grand_prize, upload=pdf_upload("通报.pdf"), title="考核通报", public=False
    )
    of_hidden = services.add_federation_document(
        by=staff, award=hidden, upload=pdf_upload("内部.pdf"), title="内部证书", public=True
    )
    finished(staff, pioneer_award, [(union_a, team_a, union_a.chair)])
    district_team_award = make_award(staff, name="区级先进班组", kind=NomineeKind.TEAM)
    other = services.save_team(by=staff, enterprise=team_a.enterprise, name="质检班")
    finished(
        staff,
        district_team_award,
        [(union_a, other, union_a.chair)],
        year=2024,
        start=datetime.date(2024, 4, 15),
    )
    return {"shown": shown, "internal": internal, "of_hidden": of_hidden}


class TestPublicPage:
    def test_anyone_sees_the_public_awards_and_the_higher_team_honours(self, client, public_record, crew):
        response = client.get(reverse("honours:public_honours"))
        content = response.content.decode()
        assert response.status_code == 200
        assert "海宁市工会工作目标管理考核" in content and "特等奖" in content and "内部表彰" not in content
        assert "特等奖证书" in content and "考核通报" not in content and "内部证书" not in content
        assert reverse("honours:public_document", args=[public_record["shown"].pk]) in content
        assert "装配车间一班" in content and "甲精密机械有限公司" in content and "工人先锋号" in content
        assert "质检班" not in content  # a district-level team honour is not shown
        for member in crew:
            assert member.name not in content

    def test_the_public_door_serves_public_documents_only(self, client, public_record):
        response = client.get(reverse("honours:public_document", args=[public_record["shown"].pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        for key in ("internal", "of_hidden"):
            assert (
                client.get(reverse("honours:public_document", args=[public_record[key].pk])).status_code
                == 404
            )
        assert client.get(reverse("honours:public_document", args=[999999])).status_code == 404
        assert client.get("/honours/public/documents/99999999999999999999999/").status_code == 404

    def test_the_cores_file_view_stays_login_only(self, client, login, staff, public_record):
        url = reverse("files:file", args=["honours.federation_document", public_record["internal"].pk])
        assert client.get(url).status_code == 302
        assert login(staff).get(url).status_code == 200

    def test_staff_see_internal_documents_on_the_award_page(self, login, staff, public_record, grand_prize):
        content = login(staff).get(grand_prize.get_absolute_url()).content.decode()
        assert "考核通报" in content and "特等奖证书" in content
