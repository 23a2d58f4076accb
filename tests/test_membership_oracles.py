"""No form tells whose an ID number is (issue 17, "Membership lookups as an oracle").

Every form where someone types an ID number answers a number that is nobody's and a number of a
member they may not see in the same words, and never names that member or their union:

- an aid application (a chair applies for their own union's workers);
- a secondment nomination (a chair nominates from their own union's roster);
- registering a member whose number is already another union's member's;
- a dues sheet row that is another union's member;
- signing a member up for an activity on their behalf (name and ID number together).

Enrolling a member in an association is tests/associations/test_enrolment.py."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aid.models import Application, Programme
from aid.services import applications as aid_services
from associations.models import Association, SignUp
from associations.services import activities as activity_services
from members.models import Member
from members.periods import parse_period
from members.services import dues
from secondment.models import Nomination
from tests.factories import TODAY, make_id

NOBODYS = make_id("19770707")
HOSTILE = ["²²²", "x" * 10_000, "", "330481197001011238", "NaN"]


def field_errors(response, field="id_number", form="form") -> list[str]:
    return list(response.context[form].errors.get(field, []))


def assert_names_nobody(html: str, member: Member) -> None:
    assert member.name not in html
    assert member.union.code not in html and member.union.name not in html


# --- aid applications --------------------------------------------------------------------------


@pytest.fixture
def living(aid_staff):
    return aid_services.create_programme(
        by=aid_staff,
        year=TODAY.year,
        kind=Programme.Kind.LIVING,
        name=f"{TODAY.year}年生活救助",
        min_amount=Decimal("500"),
        max_amount=Decimal("8000"),
        opens_on=datetime.date(TODAY.year, 1, 1),
        closes_on=datetime.date(TODAY.year, 12, 31),
    )


class TestAidApplication:
    def post(self, client, programme, number):
        return client.post(
            reverse("aid:application_create") + f"?programme={programme.pk}",
            {"id_number": number, "amount_requested": "2000", "reason": "困难"},
        )

    def test_nobodys_number_and_another_unions_member_get_one_message(
        self, client, chair_a, union_a, living, member_b
    ):
        client.force_login(chair_a)
        nobody = self.post(client, living, NOBODYS)
        other = self.post(client, living, member_b.id_number)
        assert nobody.status_code == other.status_code == 200
        assert field_errors(nobody) == field_errors(other) == ["本工会没有使用此身份证号的在册会员。"]
        assert_names_nobody(other.content.decode(), member_b)
        assert not Application.objects.exists()

    @pytest.mark.parametrize("number", HOSTILE)
    def test_bad_input_is_a_message(self, client, chair_a, union_a, living, number):
        client.force_login(chair_a)
        response = self.post(client, living, number)
        assert response.status_code == 200 and field_errors(response)
        assert not Application.objects.exists()

    def test_the_outsider(self, client, outsider, living, member_b):
        client.force_login(outsider)
        assert self.post(client, living, member_b.id_number).status_code in (403, 404)
        assert not Application.objects.exists()


# --- secondment nominations --------------------------------------------------------------------


class TestNomination:
    def post(self, client, union, number):
        return client.post(
            reverse("secondment:nomination_create"),
            {
                "union": union.pk,
                "id_number": number,
                "union_post": "committee_member",
                "education": "bachelor",
                "phone": "13900003333",
                "start_date": (TODAY + datetime.timedelta(days=30)).isoformat(),
                "recommendation": "工作积极，热心工会事务。",
            },
        )

    def test_nobodys_number_and_another_unions_member_get_one_message(
        self, client, chair_a, union_a, member_b
    ):
        client.force_login(chair_a)
        nobody = self.post(client, union_a, NOBODYS)
        other = self.post(client, union_a, member_b.id_number)
        assert nobody.status_code == other.status_code == 200
        assert field_errors(nobody) == field_errors(other)
        assert "本工会没有持此身份证号的在册会员" in field_errors(other)[0]
        assert_names_nobody(other.content.decode(), member_b)
        assert not Nomination.objects.exists()

    @pytest.mark.parametrize("number", HOSTILE)
    def test_bad_input_is_a_message(self, client, chair_a, union_a, number):
        client.force_login(chair_a)
        response = self.post(client, union_a, number)
        assert response.status_code == 200 and field_errors(response)
        assert not Nomination.objects.exists()

    def test_the_outsider(self, client, outsider, union_a, member_a):
        client.force_login(outsider)
        assert self.post(client, union_a, member_a.id_number).status_code in (403, 404)
        assert not Nomination.objects.exists()


# --- registering a member whose number is taken -------------------------------------------------


class TestRegistration:
    def post(self, client, enterprise, number):
        return client.post(
            reverse("members:member_create"),
            {
                "name": "赵新",
                "id_number": number,
                "phone": "",
                "education": "bachelor",
                "political_status": "masses",
                "enterprise": enterprise.pk,
                "joined_on": "2024-01-01",
            },
        )

    def test_another_unions_chair_learns_the_number_is_taken_not_whose(
        self, client, chair_b, enterprise_b, member_a
    ):
        client.force_login(chair_b)
        response = self.post(client, enterprise_b, member_a.id_number)
        assert response.status_code == 200
        (message,) = field_errors(response)
        assert "其他工会" in message
        assert_names_nobody(response.content.decode(), member_a)
        assert Member.objects.filter(id_number=member_a.id_number).count() == 1

    def test_staff_and_the_members_own_chair_see_whose_it_is(
        self, client, staff, chair_a, enterprise_a, member_a
    ):
        for who in (staff, chair_a):
            client.force_login(who)
            (message,) = field_errors(self.post(client, enterprise_a, member_a.id_number))
            assert member_a.name in message

    @pytest.mark.parametrize("number", HOSTILE)
    def test_bad_input_is_a_message(self, client, chair_b, enterprise_b, number):
        client.force_login(chair_b)
        response = self.post(client, enterprise_b, number)
        assert response.status_code == 200 and field_errors(response)

    def test_the_outsider(self, client, outsider, enterprise_a, member_a):
        client.force_login(outsider)
        assert self.post(client, enterprise_a, member_a.id_number).status_code in (403, 404)


# --- a dues sheet row that is another union's member ------------------------------------------------


def test_a_dues_sheet_does_not_say_which_union_a_member_belongs_to(union_b, enterprise_b, member_a):
    """An ID number with another name names nobody. With the roster's name too it is a job changer
    (issue 18): a transfer in, whose preview says the union they come from."""
    period = parse_period(f"{TODAY.year - 1}-10")
    sheet = f"姓名,身份证号码,月工资基数\n张三,{member_a.id_number},5000\n".encode()
    plan = dues.read_and_plan(union=union_b, period=period, data=sheet, filename="dues.csv")
    (error,) = plan.errors
    assert "其他工会" in error.message and not plan.transfers
    assert member_a.union.code not in error.message and member_a.union.name not in error.message
    assert member_a.name not in error.message
    sheet = f"姓名,身份证号码,月工资基数\n王 小明,{member_a.id_number},5000\n".encode()
    plan = dues.read_and_plan(union=union_b, period=period, data=sheet, filename="dues.csv")
    assert not plan.errors and [t.from_member_id for t in plan.transfers] == [member_a.pk]


# --- signing a member up on their behalf ---------------------------------------------------------


@pytest.fixture
def open_activity(assoc_chair):
    association = Association.objects.get(chair=assoc_chair)
    now = timezone.now()
    return activity_services.create_activity(
        by=assoc_chair,
        association=association,
        title="环湖健步走",
        kind="outing",
        eligibility="all_members",
        starts_at=now + datetime.timedelta(days=10),
        ends_at=now + datetime.timedelta(days=10, hours=3),
        signup_deadline=now + datetime.timedelta(days=8),
        venue="鹃湖公园",
        capacity=30,
    )


class TestSignUpOnBehalf:
    def post(self, client, activity, name, number):
        return client.post(
            reverse("associations:signup_create", args=[activity.pk]),
            {"behalf": "1", "behalf-name": name, "behalf-id_number": number},
            follow=True,
        )

    def test_an_id_number_alone_or_with_a_wrong_name_names_nobody(
        self, client, assoc_chair, open_activity, member_b
    ):
        client.force_login(assoc_chair)
        pages = [
            self.post(client, open_activity, "张三", NOBODYS).content.decode(),
            self.post(client, open_activity, "张三", member_b.id_number).content.decode(),
            self.post(client, open_activity, "", member_b.id_number).content.decode(),
        ]
        for page in pages:
            assert_names_nobody(page, member_b)
        assert (
            "没有姓名和身份证号均相符的在册会员" in pages[0]
            and "没有姓名和身份证号均相符的在册会员" in pages[1]
        )
        assert not SignUp.objects.exists()

    def test_name_and_number_together_sign_them_up(self, client, assoc_chair, open_activity, member_b):
        client.force_login(assoc_chair)
        self.post(client, open_activity, "李 小红", member_b.id_number)
        assert SignUp.objects.get().member == member_b

    @pytest.mark.parametrize("number", HOSTILE)
    def test_bad_input_is_a_message(self, client, assoc_chair, open_activity, number):
        client.force_login(assoc_chair)
        assert self.post(client, open_activity, "王小明", number).status_code == 200
        assert not SignUp.objects.exists()

    def test_the_outsider(self, client, outsider, open_activity, member_b):
        client.force_login(outsider)
        response = client.post(
            reverse("associations:signup_create", args=[open_activity.pk]),
            {"behalf": "1", "behalf-name": member_b.name, "behalf-id_number": member_b.id_number},
        )
        assert response.status_code in (302, 403, 404)
        assert not SignUp.objects.exists()
