"""Joining the union online (入会申请, issue 22): the public form, the chair's decision, the federation's list
of enterprises to organise."""

import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from members.models import Enterprise, JoinApplication, Member, MembershipEvent
from members.services import join
from tests.factories import make_credit_code, make_id
from unionhub.notify.models import Delivery

RECEIVED = "已收到"  # "Your application has been received"


pytestmark = pytest.mark.usefixtures("fresh_limits")


@pytest.fixture
def unorganised(db):
    """An enterprise on file with no union."""
    return Enterprise.objects.create(
        name="丙物流有限公司", credit_code=make_credit_code(7), size_band="small", industry="logistics"
    )


def form_data(client, **overrides):
    page = client.get(reverse("member_area:join"))
    token = page.context["form_token"]
    data = {
        "name": "赵新来",
        "id_number": make_id("19990909"),
        "phone": "13600001234",
        "employer": "甲精密机械有限公司",
        "consent": "on",
        "form_token": token,
    }
    data.update(overrides)
    return data


def apply(client, **overrides):
    return client.post(reverse("member_area:join"), form_data(client, **overrides), REMOTE_ADDR="10.1.2.3")


# --- applying ----------------------------------------------------------------------------------------------


def test_a_worker_applies_and_the_chair_is_told(client, enterprise_a, chair_a):
    response = apply(client)
    assert response.status_code == 302 and response["Location"] == reverse("member_area:join_done")
    application = JoinApplication.objects.get()
    assert application.status == JoinApplication.Status.PENDING
    assert application.enterprise == enterprise_a and application.union == enterprise_a.union
    assert application.masked_id_number.startswith("3304") and "*" in application.masked_id_number
    assert chair_a.notices.filter(key=f"join-application:{application.pk}").exists()
    done = client.get(response["Location"])
    assert RECEIVED in done.content.decode() and "工会主席" in done.content.decode()


def test_the_form_shows_enterprise_names_and_nothing_about_people(client, enterprise_a, member_a):
    page = client.get(reverse("member_area:join")).content.decode()
    assert enterprise_a.name in page
    assert member_a.name not in page and member_a.phone not in page
    assert len(page.encode()) < 200_000


def test_an_employer_without_a_union_is_referred_to_the_federation(client, unorganised):
    response = apply(client, employer=unorganised.name)
    application = JoinApplication.objects.get()
    assert application.status == JoinApplication.Status.REFERRED and application.union is None
    assert application.enterprise == unorganised
    assert "区总工会" in client.get(response["Location"]).content.decode()


def test_an_employer_not_on_file_is_kept_as_typed_and_referred(client, enterprise_a):
    apply(client, employer="  丁 食品 厂 ")
    application = JoinApplication.objects.get()
    assert application.enterprise is None and application.enterprise_name == "丁 食品 厂"
    assert application.status == JoinApplication.Status.REFERRED


def test_a_similar_name_asks_the_worker_to_choose(client, enterprise_a):
    response = apply(client, employer="精密机械")
    assert response.status_code == 200 and not JoinApplication.objects.exists()
    assert response.context["form"].suggestions == [enterprise_a.name]
    response = apply(client, employer="精密机械", employer_pick=enterprise_a.name)
    assert response.status_code == 302
    assert JoinApplication.objects.get().enterprise == enterprise_a


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "330481199909091234"),  # wrong check character
        ("id_number", "12345"),
        ("id_number", "３３０４８１"),
        ("id_number", "x" * 500),
        ("phone", "12345"),
        ("phone", "1360000123４5"),
        ("phone", "²³⁴"),
        ("name", "   "),
        ("employer", ""),
        ("consent", ""),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(client, enterprise_a, field, value):
    response = apply(client, **{field: value})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not JoinApplication.objects.exists()


def test_hostile_parameters_do_not_break_the_form(client, enterprise_a):
    response = client.post(
        reverse("member_area:join"),
        {"name": "\x00", "employer_pick": "' OR 1=1 --", "form_token": "x" * 5000, "consent": "on"},
    )
    assert response.status_code == 200 and not JoinApplication.objects.exists()


def test_a_form_sent_twice_makes_one_application(client, enterprise_a):
    data = form_data(client)
    first = client.post(reverse("member_area:join"), data)
    second = client.post(reverse("member_area:join"), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("member_area:join_done")
    assert JoinApplication.objects.count() == 1


def test_the_same_person_applying_again_makes_nothing_new(client, enterprise_a):
    number = make_id("19990909")
    apply(client, id_number=number)
    apply(client, id_number=number)
    assert JoinApplication.objects.count() == 1


def test_one_address_may_send_only_a_few_applications(client, enterprise_a):
    for n in range(join.PER_HOUR):
        assert apply(client, id_number=make_id("19900101", seq=n * 2 + 1)).status_code == 302
    refused = apply(client, id_number=make_id("19900101", seq=99))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert JoinApplication.objects.count() == join.PER_HOUR
    # Another address is not held back.
    other = Client()
    page = other.get(reverse("member_area:join"))
    data = form_data(other, id_number=make_id("19900101", seq=97), form_token=page.context["form_token"])
    assert other.post(reverse("member_area:join"), data, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_an_existing_member_gets_the_same_answer(client, member_a, enterprise_a):
    stranger = apply(client, id_number=make_id("19990909"))
    second = Client()
    member = apply(second, id_number=member_a.id_number, phone=member_a.phone)
    assert stranger.status_code == member.status_code == 302
    assert stranger["Location"] == member["Location"]
    assert _page(client.get(stranger["Location"])) == _page(second.get(member["Location"]))


def _page(response) -> str:
    """The page without its per-session CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_signed_in_member_is_told_they_are_a_member(member_client, member_a):
    client = member_client(member_a)
    page = client.get(reverse("member_area:join"))
    assert page.status_code == 200 and member_a.union.name in page.content.decode()


# --- deciding ----------------------------------------------------------------------------------------------


@pytest.fixture
def application(enterprise_a):
    return join.apply_to_join(
        name="赵新来", id_number=make_id("19990909"), phone="13600001234", enterprise=enterprise_a
    )


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """Post a decision; the texts queued after commit are sent."""

    def _decide(client, application, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("members:join_application_decide", args=[application.pk]), data)

    return _decide


def test_the_chair_approves_and_a_member_is_registered(login, chair_a, application, sms_log, decide):
    client = login(chair_a)
    assert application.name in client.get(reverse("members:join_applications")).content.decode()
    assert client.get(application.get_absolute_url()).status_code == 200
    response = decide(client, application, decision="approve")
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.APPROVED
    member = application.member
    assert response["Location"] == member.get_absolute_url()
    assert member.union == application.union and member.phone == "13600001234"
    assert member.status == Member.Status.ACTIVE and member.id_number == application.id_number
    assert MembershipEvent.objects.filter(member=member, kind=MembershipEvent.Kind.JOINED).exists()
    assert application.decided_by == chair_a and application.decided_at
    delivery = Delivery.objects.get(kind="join_approved")
    assert delivery.status == Delivery.Status.SENT and "13600001234" not in delivery.target
    assert "/m/" in sms_log.read_text(encoding="utf-8")
    assert LogEntry.objects.get_for_object(application).filter(actor=chair_a).exists()
    # The new member can ask for a sign-in code with that mobile.
    assert Member.objects.active().filter(phone="13600001234").count() == 1


def test_approving_twice_registers_once(login, chair_a, application, decide):
    client = login(chair_a)
    decide(client, application, decision="approve")
    decide(client, application, decision="approve")
    assert Member.objects.filter(id_number=application.id_number).count() == 1


def test_a_member_of_another_union_is_refused_with_a_transfer_suggested(
    login, chair_a, enterprise_a, member_b, decide
):
    application = join.apply_to_join(
        name=member_b.name, id_number=member_b.id_number, phone="13600009999", enterprise=enterprise_a
    )
    client = login(chair_a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "其他工会" in page and member_b.union.name not in page
    response = decide(client, application, decision="approve")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.PENDING and application.member is None
    assert Member.objects.filter(id_number=member_b.id_number).count() == 1
    with pytest.raises(ValidationError, match="转接"):
        join.approve_application(application=application, by=chair_a)


def test_a_mobile_on_another_members_entry_is_refused(chair_a, enterprise_a, member_a):
    application = join.apply_to_join(
        name="赵新来", id_number=make_id("19990909"), phone=member_a.phone, enterprise=enterprise_a
    )
    with pytest.raises(ValidationError):
        join.approve_application(application=application, by=chair_a)
    assert not Member.objects.filter(id_number=application.id_number).exists()


def test_the_chair_declines_with_a_reason(login, chair_a, application, sms_log, decide):
    client = login(chair_a)
    refused = decide(client, application, decision="decline", reason="  ")
    application.refresh_from_db()
    assert refused.status_code == 302 and application.status == JoinApplication.Status.PENDING
    decide(client, application, decision="decline", reason="经核实不是本企业职工")
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.DECLINED
    assert application.reason == "经核实不是本企业职工" and application.member is None
    text = sms_log.read_text(encoding="utf-8")
    assert "13600001234" in text and "经核实" not in text
    assert not Member.objects.filter(id_number=application.id_number).exists()


def test_a_decided_application_cannot_be_decided_again(chair_a, application):
    join.decline_application(application=application, by=chair_a, reason="重复申请")
    with pytest.raises(ValidationError):
        join.approve_application(application=application, by=chair_a)


def test_the_chair_of_another_union_gets_404(login, chair_b, union_b, application, decide):
    client = login(chair_b)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert decide(client, application, decision="approve").status_code == 404
    assert application.name not in client.get(reverse("members:join_applications")).content.decode()
    with pytest.raises(PermissionDenied):
        join.approve_application(application=application, by=chair_b)
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.PENDING


def test_outsiders_and_other_staff_are_refused(
    login, outsider, finance_staff, application, member_client, member_a, decide
):
    for user in (outsider, finance_staff):
        client = login(user)
        assert client.get(reverse("members:join_applications")).status_code == 403
        assert client.get(application.get_absolute_url()).status_code == 403
        assert decide(client, application, decision="approve").status_code == 403
        assert client.get(reverse("members:join_to_organise")).status_code == 403
    with pytest.raises(PermissionDenied):
        join.decline_application(application=application, by=finance_staff, reason="x")
    member = member_client(member_a, into=Client())
    assert member.get(application.get_absolute_url()).status_code == 302
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.PENDING


def test_the_chair_sees_the_applications_in_the_to_do_card(login, chair_a, application):
    page = login(chair_a).get(reverse("dashboard")).content.decode()
    assert reverse("members:join_applications") in page


# --- the federation's enterprises to organise ---------------------------------------------------------------


def test_staff_see_the_enterprises_to_organise_grouped(login, staff, unorganised, chair_a, enterprise_a):
    for n in range(3):
        join.apply_to_join(
            name=f"工人{n}",
            id_number=make_id("19950505", seq=n * 2 + 1),
            phone="13600001234",
            enterprise=unorganised,
        )
    join.apply_to_join(
        name="工人九",
        id_number=make_id("19950505", seq=31),
        phone="13600001235",
        enterprise=None,
        enterprise_name="戊电子厂",
    )
    join.apply_to_join(
        name="不该出现", id_number=make_id("19950505", seq=41), phone="13600001236", enterprise=enterprise_a
    )
    client = login(staff)
    response = client.get(reverse("members:join_to_organise"))
    assert response.status_code == 200
    rows = {row["enterprise_name"]: row["n"] for row in response.context["rows"]}
    assert rows == {unorganised.name: 3, "戊电子厂": 1}
    page = response.content.decode()
    assert "不该出现" not in page and "13600001234" not in page and "136****1234" in page
    assert reverse("members:join_to_organise") in client.get(reverse("dashboard")).content.decode()
    # Referred applications are the federation's, not a chair's.
    assert (
        "工人0"
        not in login(chair_a).get(reverse("members:join_applications") + "?status=all").content.decode()
    )


def test_query_count_of_the_lists_does_not_grow(login, staff, unorganised, django_assert_max_num_queries):
    for n in range(15):
        join.apply_to_join(
            name=f"工人{n}",
            id_number=make_id("19950505", seq=n * 2 + 1),
            phone="13600001234",
            enterprise=None,
            enterprise_name=f"企业{n % 5}",
        )
    client = login(staff)
    with django_assert_max_num_queries(12):
        client.get(reverse("members:join_to_organise"))
    with django_assert_max_num_queries(12):
        client.get(reverse("members:join_applications") + "?status=all")
