"""Nominations: the 40-and-under rule to the day, education, own union only, overlapping terms,
approval creating the term and the account, and who may do what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from members.models import Member
from secondment import services
from secondment.models import Nomination, SecondmentTerm
from secondment.rules import age_on, term_end
from tests.factories import make_id

RECOMMENDATION = "该同志热爱工会工作，责任心强，愿意利用业余时间参加区总工会的维权和服务工作。"

# Service messages are read in English here; pages are Chinese whatever the test activates.
pytestmark = pytest.mark.usefixtures("english")


def nominate(chair, union, member, on, **extra):
    fields = {
        "union_post": "vice_chair",
        "education": "bachelor",
        "recommendation": RECOMMENDATION,
        "phone": "13900003333",
        "start_date": on + datetime.timedelta(days=14),
        "on": on,
    }
    fields.update(extra)
    return services.nominate(by=chair, union=union, member=member, **fields)


@pytest.fixture
def born_1984(register, enterprise_a):
    return register(enterprise_a, name="张海峰", id_number=make_id("19840302"), education="junior_college")


class TestRules:
    @pytest.mark.parametrize(
        "born, day, age",
        [
            (datetime.date(1984, 3, 2), datetime.date(2025, 3, 1), 40),
            (datetime.date(1984, 3, 2), datetime.date(2025, 3, 2), 41),
            (datetime.date(1984, 2, 29), datetime.date(2025, 2, 28), 40),  # a 29 February birthday: 1 March
            (datetime.date(1984, 2, 29), datetime.date(2025, 3, 1), 41),
        ],
    )
    def test_age_is_exact_to_the_day(self, born, day, age):
        assert age_on(born, day) == age

    def test_term_is_one_year_less_a_day(self):
        assert term_end(datetime.date(2026, 3, 1)) == datetime.date(2027, 2, 28)
        assert term_end(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 27)


class TestEligibility:
    def test_the_day_before_the_41st_birthday_is_eligible(self, chair_a, union_a, born_1984):
        nomination = nominate(chair_a, union_a, born_1984, datetime.date(2025, 3, 1))
        assert nomination.status == Nomination.Status.SUBMITTED

    def test_on_the_41st_birthday_is_refused_and_the_rule_named(self, chair_a, union_a, born_1984):
        with pytest.raises(ValidationError) as refused:
            nominate(chair_a, union_a, born_1984, datetime.date(2025, 3, 2))
        assert refused.value.messages == ["Over 40: born 1984-03-02, aged 41 on the nomination date."]
        assert not Nomination.objects.exists()

    def test_the_reason_reads_in_chinese(self, chair_a, union_a, born_1984):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            nominate(chair_a, union_a, born_1984, datetime.date(2025, 3, 2))
        assert refused.value.messages == ["超过40周岁：1984-03-02出生，提名日已满41周岁"]

    def test_below_junior_college_and_a_thin_recommendation_are_both_named(
        self, chair_a, union_a, young_member
    ):
        with pytest.raises(ValidationError) as refused:
            nominate(
                chair_a,
                union_a,
                young_member,
                datetime.date(2026, 11, 1),
                education="senior_high",
                recommendation="同意",
            )
        assert len(refused.value.messages) == 2
        assert "Education below" in refused.value.messages[0]
        assert "commitment to union work" in refused.value.messages[1]

    def test_member_of_another_union_is_refused(self, chair_a, union_a, member_b):
        with pytest.raises(ValidationError, match="not a member of"):
            nominate(chair_a, union_a, member_b, datetime.date(2026, 11, 1))

    @override_settings(SECONDMENT_RULES={"max_age": 45})
    def test_the_age_limit_is_configurable(self, chair_a, union_a, born_1984):
        assert nominate(chair_a, union_a, born_1984, datetime.date(2026, 3, 2)).pk

    def test_an_overlapping_term_is_refused(self, chair_a, union_a, young_member, term_a):
        with pytest.raises(ValidationError, match="overlapping"):
            nominate(chair_a, union_a, young_member, term_a.start_date + datetime.timedelta(days=30))

    def test_one_open_nomination_per_person(self, chair_a, union_a, young_member):
        nominate(chair_a, union_a, young_member, datetime.date(2026, 11, 1))
        with pytest.raises(ValidationError, match="awaiting review"):
            nominate(chair_a, union_a, young_member, datetime.date(2026, 11, 1))


class TestDecision:
    def test_approval_starts_a_one_year_term_with_a_new_account(self, staff, chair_a, union_a, young_member):
        nomination = nominate(
            chair_a, union_a, young_member, datetime.date(2026, 11, 1), start_date=datetime.date(2026, 12, 1)
        )
        term, password = services.approve_nomination(by=staff, nomination=nomination)
        assert (term.start_date, term.end_date) == (datetime.date(2026, 12, 1), datetime.date(2027, 11, 30))
        assert term.member == young_member and term.union == union_a and term.nomination == nomination
        assert term.cadre.username == "13900003333" and term.cadre.check_password(password)
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.APPROVED and nomination.decided_by == staff
        assert chair_a.notices.filter(key=f"nomination-approved:{nomination.pk}").exists()
        with pytest.raises(ValidationError, match="already been decided"):
            services.approve_nomination(by=staff, nomination=nomination)
        assert SecondmentTerm.objects.filter(member=young_member).count() == 1

    def test_a_chair_nominating_themself_keeps_their_account(self, staff, chair_a, union_a, young_member):
        nomination = nominate(chair_a, union_a, young_member, datetime.date(2026, 11, 1), union_post="chair")
        term, password = services.approve_nomination(by=staff, nomination=nomination)
        assert term.cadre == chair_a and password is None

    def test_a_second_term_for_the_same_account_cannot_overlap(self, staff, union_a, cadre_a):
        with pytest.raises(ValidationError, match="cannot overlap"):
            services.start_term(cadre=cadre_a, union=union_a, start_date=cadre_a.term.end_date)
        later = services.start_term(
            cadre=cadre_a, union=union_a, start_date=cadre_a.term.end_date + datetime.timedelta(days=1)
        )
        assert later.pk

    def test_return_needs_a_reason(self, staff, chair_a, union_a, young_member):
        nomination = nominate(chair_a, union_a, young_member, datetime.date(2026, 11, 1))
        with pytest.raises(ValidationError):
            services.return_nomination(by=staff, nomination=nomination, reason="  ")
        services.return_nomination(by=staff, nomination=nomination, reason="推荐材料不全")
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.RETURNED and not SecondmentTerm.objects.exists()


class TestPages:
    def test_chair_nominates_by_id_number_through_the_page(self, client, chair_a, union_a, young_member):
        client.force_login(chair_a)
        response = client.post(
            reverse("secondment:nomination_create"),
            {
                "union": union_a.pk,
                "id_number": young_member.id_number,
                "union_post": "committee_member",
                "education": "bachelor",
                "phone": "13900003333",
                "start_date": "2027-01-04",
                "recommendation": RECOMMENDATION,
            },
        )
        nomination = Nomination.objects.get()
        assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
        assert client.get(nomination.get_absolute_url()).status_code == 200

    def test_refusal_is_shown_with_every_reason(self, client, chair_a, union_a, born_1984):
        client.force_login(chair_a)
        page = client.post(
            reverse("secondment:nomination_create"),
            {
                "union": union_a.pk,
                "id_number": born_1984.id_number,
                "union_post": "chair",
                "education": "senior_high",
                "phone": "13900003333",
                "start_date": "2027-01-04",
                "recommendation": RECOMMENDATION,
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
        assert "超过40周岁" in page and "学历" in page and not Nomination.objects.exists()

    def test_chair_cannot_nominate_from_another_union(self, client, chair_a, union_a, union_b, member_b):
        client.force_login(chair_a)
        response = client.post(
            reverse("secondment:nomination_create"),
            {
                "union": union_b.pk,
                "id_number": member_b.id_number,
                "union_post": "chair",
                "education": "bachelor",
                "phone": "13900003333",
                "start_date": "2027-01-04",
                "recommendation": RECOMMENDATION,
            },
        )
        assert response.status_code == 200 and not Nomination.objects.exists()  # union B is not a choice
        response = client.post(
            reverse("secondment:nomination_create"),
            {
                "union": union_a.pk,
                "id_number": member_b.id_number,
                "union_post": "chair",
                "education": "bachelor",
                "phone": "13900003333",
                "start_date": "2027-01-04",
                "recommendation": RECOMMENDATION,
            },
        )
        # The same answer as for a number that is nobody's: nothing about union B's member.
        assert "本工会没有持此身份证号的在册会员" in response.content.decode()
        assert member_b.name not in response.content.decode()
        assert not Nomination.objects.exists()

    def test_other_chairs_get_404_and_only_staff_decide(
        self, client, staff, chair_a, chair_b, union_a, union_b, young_member, outsider
    ):
        nomination = nominate(chair_a, union_a, young_member, datetime.date(2026, 11, 1))
        client.force_login(chair_b)
        assert client.get(nomination.get_absolute_url()).status_code == 404
        client.force_login(chair_a)
        assert (
            client.post(
                reverse("secondment:nomination_decide", args=[nomination.pk]), {"decision": "approve"}
            ).status_code
            == 403
        )
        client.force_login(outsider)
        assert client.get(reverse("secondment:nomination_list")).status_code == 403
        client.force_login(staff)
        client.post(reverse("secondment:nomination_decide", args=[nomination.pk]), {"decision": "approve"})
        client.post(
            reverse("secondment:nomination_decide", args=[nomination.pk]), {"decision": "approve"}
        )  # twice
        assert SecondmentTerm.objects.filter(nomination=nomination).count() == 1
        assert Member.objects.filter(pk=young_member.pk).exists()
