"""Complaints from the member area (/m/complaints/): signed (the membership's name and phone, the case linked to
the member, still confidential from the employer's union chair) or anonymous (nothing ties it to the member);
my cases, and only mine; the replies meant for me; a form sent twice makes one case; hostile input."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from grievances import member_area
from grievances.models import Case, CaseEvent
from grievances.services import add_event, ask_union_to_help, assign, change_stage
from grievances.services.member import submit_member
from members.services import member_signin
from tests.access.district import build_district
from tests.factories import PDF, TODAY
from unionhub.contributions import MemberScope
from unionhub.middleware import CODE_SESSION_FLAG

pytestmark = pytest.mark.usefixtures("english")

DESCRIPTION = "公司拖欠我们车间十二名工人三个月工资，共计约三万六千元，多次找老板都说再等等。"
LIST_URL = "/m/complaints/"
NEW_URL = "/m/complaints/new/"
RECEIVED_URL = "/m/complaints/received/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def posted(**changes):
    values = {
        "form_token": "token-1",
        "type": "complaint",
        "category": "wage_arrears",
        "description": DESCRIPTION,
        "employer_name": "甲精密机械有限公司",
        "workers_affected": "12",
        "amount_claimed": "36000.00",
        "harm_known_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def detail_url(case):
    return reverse("member_complaints:complaint_detail", kwargs={"pk": case.pk})


def signed_case(member, **changes):
    data = {
        "type": "complaint",
        "category": "dismissal",
        "description": DESCRIPTION,
        "employer_name": member.enterprise.name,
    }
    data.update(changes)
    case, _code = submit_member(by=login(member), member=member, data=data)
    return case


def login(member):
    user = member_signin.login_for(member)
    member.refresh_from_db()
    return user


class TestFiling:
    def test_a_signed_complaint_carries_the_membership_name_and_phone_and_names_the_member(
        self, member_client, member_a, enterprise_a
    ):
        client = member_client(member_a)
        # A name and phone slipped into the post are not the membership's: ignored.
        response = client.post(NEW_URL, posted(complainant_name="张三", complainant_phone="13900000000"))
        case = Case.objects.get()
        assert response.status_code == 302 and response["Location"] == detail_url(case)
        assert (case.complainant_name, case.complainant_phone) == ("王小明", "13812345678")
        assert case.member == member_a and case.is_member and not case.anonymous
        assert case.channel == Case.Channel.WEB and case.enterprise == enterprise_a
        assert case.received_by is None  # the member's login never gets the casework's door to the case
        page = client.get(detail_url(case))
        assert page.status_code == 200 and case.number in page.content.decode()
        assert case.number in client.get(LIST_URL).content.decode()

    def test_an_anonymous_complaint_keeps_nothing_that_names_the_member(self, member_client, member_a):
        client = member_client(member_a)
        response = client.post(NEW_URL, posted(anonymous="on"), follow=True)
        case = Case.objects.get()
        assert case.anonymous and case.complainant_name == "" and case.complainant_phone == ""
        assert case.member is None and not case.is_member
        # The audit trail's entry names no actor: not the member's login.
        entry = LogEntry.objects.get(
            content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk), action=0
        )
        assert entry.actor is None
        # The receipt shows the number and code once; the case is not under "my cases" and not theirs to open.
        text = response.content.decode()
        assert case.number in text and 'id="tracking-code"' in text
        assert "tracking-code" not in client.get(RECEIVED_URL).content.decode()
        assert case.number not in client.get(LIST_URL).content.decode()
        assert client.get(detail_url(case)).status_code == 404

    def test_an_anonymous_member_may_leave_a_phone_for_a_call_back(self, member_client, member_a):
        member_client(member_a).post(NEW_URL, posted(anonymous="on", complainant_phone="13911112222"))
        case = Case.objects.get()
        assert (case.complainant_name, case.complainant_phone, case.member) == ("", "13911112222", None)

    def test_a_form_sent_twice_makes_one_case(self, member_client, member_a):
        client = member_client(member_a)
        first = client.post(NEW_URL, posted(form_token="same"))
        second = client.post(NEW_URL, posted(form_token="same"))
        assert Case.objects.count() == 1
        assert first.status_code == second.status_code == 302
        anonymous = client.post(NEW_URL, posted(form_token="other", anonymous="on"))
        again = client.post(NEW_URL, posted(form_token="other", anonymous="on"))
        assert Case.objects.count() == 2 and anonymous["Location"] == again["Location"] == RECEIVED_URL

    def test_evidence_is_kept_as_on_the_public_form(self, member_client, member_a):
        upload = SimpleUploadedFile("工资条.pdf", PDF, content_type="application/pdf")
        member_client(member_a).post(NEW_URL, {**posted(), "evidence": upload})
        evidence = Case.objects.get().evidence.get()
        assert evidence.from_worker and evidence.original_name == "工资条.pdf"

    @pytest.mark.parametrize(
        "changes",
        [
            {"category": "'; DROP TABLE grievances_case; --"},
            {"type": "<script>alert(1)</script>"},
            {"description": "太短"},
            {"description": "x" * 100_000},
            {"employer_name": "\x00" * 10},
            {"workers_affected": "-5"},
            {"workers_affected": "9" * 40},
            {"amount_claimed": "1e400"},
            {"amount_claimed": "-1"},
            {"harm_known_on": "2026-02-31"},
            {"harm_known_on": (TODAY + datetime.timedelta(days=3)).isoformat()},
            {"anonymous": "on", "complainant_phone": "not a phone"},
            {"form_token": "t" * 5000},
        ],
    )
    def test_hostile_input_is_refused_without_a_case_or_an_error(self, member_client, member_a, changes):
        response = member_client(member_a).post(NEW_URL, posted(**changes))
        if "form_token" in changes:  # a long token is cut, not refused
            assert response.status_code == 302
            return
        assert response.status_code == 200 and 'class="m-error"' in response.content.decode()
        assert not Case.objects.exists()

    def test_a_refused_form_can_be_sent_again_with_the_same_token(self, member_client, member_a):
        client = member_client(member_a)
        client.post(NEW_URL, posted(form_token="t1", description="太短"))
        client.post(NEW_URL, posted(form_token="t1"))
        assert Case.objects.count() == 1

    def test_the_service_files_only_for_the_member_s_own_login(self, member_a, member_b):
        login(member_a)
        other = login(member_b)
        with pytest.raises(PermissionDenied):
            submit_member(by=other, member=member_a, data={})
        assert not Case.objects.exists()


class TestConfidentiality:
    def test_the_employer_s_union_chair_asked_to_help_never_learns_who_complained(
        self, client, member_a, casework_staff, chair_a, chair_b, union_a
    ):
        case = signed_case(member_a)
        url = reverse("grievances:case_detail", kwargs={"pk": case.pk})
        client.force_login(chair_a)
        assert client.get(url).status_code == 404
        ask_union_to_help(by=casework_staff, case=case, union=union_a)
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        for trace in ("王小明", "13812345678", "5678", member_a.id_number, member_a.id_number[-4:]):
            assert trace not in text
        assert case not in Case.objects.visible_to(chair_a).filter(member__isnull=True)
        client.force_login(chair_b)
        assert client.get(url).status_code == 404

    def test_the_audit_trail_does_not_copy_the_member_link(self, member_a):
        case = signed_case(member_a)
        entry = LogEntry.objects.get(
            content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk), action=0
        )
        assert "member" not in (entry.changes_dict or {})


class TestMyCases:
    def test_my_cases_list_only_my_signed_cases(self, member_client, member_a, member_b):
        mine = signed_case(member_a)
        theirs = signed_case(member_b)
        submit_member(
            by=login(member_a),
            member=member_a,
            data={"category": "other", "description": DESCRIPTION, "employer_name": "x", "anonymous": True},
        )
        text = member_client(member_a).get(LIST_URL).content.decode()
        assert mine.number in text and theirs.number not in text
        assert list(Case.objects.filed_by(member_a)) == [mine]

    def test_member_b_gets_404_on_member_a_s_case(self, member_client, member_a, member_b):
        case = signed_case(member_a)
        client = member_client(member_b)
        assert client.get(detail_url(case)).status_code == 404
        assert client.get("/m/complaints/99999999999999999999/").status_code == 404

    def test_the_case_shows_its_stages_deadlines_and_only_the_replies_meant_for_me(
        self, member_client, member_a, casework_staff
    ):
        case = signed_case(member_a, harm_known_on=TODAY - datetime.timedelta(days=30))
        assign(by=casework_staff, case=case, handler=casework_staff, difficulty="ordinary")
        change_stage(by=casework_staff, case=case, to="accepted", on=TODAY)
        add_event(by=casework_staff, case=case, kind="reply", text="已联系企业，正在核实。", public=True)
        add_event(by=casework_staff, case=case, kind="note", text="老板态度强硬")
        CaseEvent.objects.create(case=case, kind="reply", at=timezone.now(), text="草稿回复", public=False)
        text = member_client(member_a).get(detail_url(case)).content.decode()
        assert "已联系企业，正在核实。" in text
        assert "老板态度强硬" not in text and "草稿回复" not in text
        assert casework_staff.name not in text  # no handler
        case.refresh_from_db()
        assert '<li class="now">' in text  # the stage the case is in, on the timeline
        assert case.limitation_on.isoformat() in text  # when to apply for arbitration: the worker's own
        assert case.handling_due.isoformat() not in text  # the office's own deadline

    def test_the_home_tile_shows_my_open_case_in_one_query(
        self, member_client, member_a, member_b, django_assert_max_num_queries
    ):
        scope = MemberScope(user=None, member=member_a, day=TODAY)
        assert member_area.open_case(scope) is None
        case = signed_case(member_a)
        with django_assert_max_num_queries(1):
            tile = member_area.open_case(scope)
        assert tile["number"] == case.number and tile["url"] == detail_url(case)
        assert member_area.open_case(MemberScope(user=None, member=member_b, day=TODAY)) is None
        home = member_client(member_a).get("/m/").content.decode()
        assert case.number in home and LIST_URL in home

    def test_the_me_page_links_my_complaints(self, member_client, member_a):
        assert LIST_URL in member_client(member_a).get("/m/me/").content.decode()


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_district()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_member_a_gets_404_on_member_b_s_case_of_the_access_matrix(db, district):
    client = Client()
    client.force_login(district["member"])
    session = client.session
    session[CODE_SESSION_FLAG] = True
    session.save()
    assert client.get(detail_url(district["member_case"])).status_code == 200
    assert client.get(detail_url(district["member_case_b"])).status_code == 404
