"""Aid programmes and applications: the programme's range and window, the yearly cap to the cent,
the fund that cannot go below zero, education grants (window, child, one grant a year), temporary
relief for workers not on file, decisions made once, holiday visits all or nothing, and who may
see what.

Access, decided here: an application outside the user's scope is 404 (a chair of another union);
staff without the aid duty are 403 on every programme and application page (hardship is sensitive
information, not for their role); anyone with no role is 403; anonymous users go to the login."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aid.models import Application, FundEntry, HardshipFile, Programme
from aid.services import applications as services
from aid.services import fund
from members.validators import checksum_message
from tests.factories import TODAY, make_id, make_staff
from unionhub.duties import AID
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")

YEAR = TODAY.year
JAN_1 = datetime.date(YEAR, 1, 1)
DEC_31 = datetime.date(YEAR, 12, 31)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def letter(name="录取通知书.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def put_on_file(member, number="KN0001"):
    return HardshipFile.objects.create(
        number=number,
        member=member,
        union=member.union,
        submitted_on=datetime.date(YEAR - 1, 3, 1),
        status=HardshipFile.Status.ACTIVE,
        household_income=Decimal("1800"),
        household_size=3,
        living_standard=Decimal("1200"),
        category=HardshipFile.Category.RELATIVE,
        causes=["illness"],
    )


@pytest.fixture
def money_in_fund(db):
    fund.post_income(kind="donation", amount=Decimal("50000"), on=JAN_1, description="测试捐赠")


@pytest.fixture
def on_file(member_a):
    put_on_file(member_a)
    return member_a


@pytest.fixture
def living(aid_staff):
    return services.create_programme(
        by=aid_staff,
        year=YEAR,
        kind=Programme.Kind.LIVING,
        name=f"{YEAR}年生活救助",
        min_amount=Decimal("500"),
        max_amount=Decimal("8000"),
        opens_on=JAN_1,
        closes_on=DEC_31,
    )


@pytest.fixture
def medical(aid_staff):
    return services.create_programme(
        by=aid_staff,
        year=YEAR,
        kind=Programme.Kind.MEDICAL,
        name=f"{YEAR}年医疗救助",
        min_amount=Decimal("1000"),
        max_amount=Decimal("20000"),
        opens_on=JAN_1,
        closes_on=DEC_31,
    )


@pytest.fixture
def temporary(aid_staff):
    return services.create_programme(
        by=aid_staff,
        year=YEAR,
        kind=Programme.Kind.TEMPORARY,
        name=f"{YEAR}年临时救助",
        min_amount=Decimal("500"),
        max_amount=Decimal("5000"),
        opens_on=JAN_1,
        closes_on=DEC_31,
    )


@pytest.fixture
def education(aid_staff):
    return services.create_programme(
        by=aid_staff, year=YEAR, kind=Programme.Kind.EDUCATION, name=f"{YEAR}年金秋助学"
    )


@pytest.fixture
def visits(aid_staff):
    return services.create_programme(
        by=aid_staff,
        year=YEAR,
        kind=Programme.Kind.HOLIDAY_VISIT,
        name=f"{YEAR}年春节送温暖",
        min_amount=Decimal("500"),
        max_amount=Decimal("2000"),
        opens_on=JAN_1,
        closes_on=DEC_31,
    )


def apply_for(chair, programme, member, amount="3000", on=None, **extra):
    return services.apply(
        by=chair,
        programme=programme,
        member=member,
        amount_requested=Decimal(amount),
        reason="妻子患尿毒症长期透析，家庭收入微薄",
        on=on or programme.opens_on,
        **extra,
    )


def apply_for_child(chair, programme, member, on, child_id=None, child_name="王思远", amount="1500"):
    return services.apply(
        by=chair,
        programme=programme,
        member=member,
        amount_requested=Decimal(amount),
        reason="子女考入大学，家庭困难无力负担学费",
        child_name=child_name,
        child_id_number=child_id or make_id("20070315"),
        school="浙江大学",
        admission_letter=letter(),
        on=on,
    )


class TestProgrammes:
    def test_an_education_programme_takes_the_rules_range_and_july_august(self, education):
        assert (education.min_amount, education.max_amount) == (Decimal("1000.00"), Decimal("1500.00"))
        assert (education.opens_on, education.closes_on) == (
            datetime.date(YEAR, 7, 1),
            datetime.date(YEAR, 8, 31),
        )
        assert education.on_file_only

    def test_temporary_relief_is_open_to_workers_not_on_file(self, temporary):
        assert not temporary.on_file_only

    def test_a_range_and_a_window_out_of_order_are_refused(self, aid_staff):
        with pytest.raises(ValidationError) as refused:
            services.create_programme(
                by=aid_staff,
                year=YEAR,
                kind="living",
                name="倒置",
                min_amount=Decimal("800"),
                max_amount=Decimal("500"),
                opens_on=DEC_31,
                closes_on=JAN_1,
            )
        assert set(refused.value.message_dict) == {"max_amount", "closes_on"}
        assert "The largest amount (500.00) is below the smallest (800.00)." in refused.value.messages
        assert not Programme.objects.exists()

    def test_a_living_programme_needs_its_range_and_window(self, aid_staff):
        with pytest.raises(ValidationError) as refused:
            services.create_programme(by=aid_staff, year=YEAR, kind="living", name="生活救助")
        assert set(refused.value.message_dict) == {"min_amount", "max_amount", "opens_on", "closes_on"}

    def test_the_same_name_twice_in_a_year_is_refused(self, aid_staff, living):
        with pytest.raises(ValidationError, match="already a programme called"):
            services.create_programme(
                by=aid_staff,
                year=YEAR,
                kind="medical",
                name=living.name,
                min_amount=Decimal("1"),
                max_amount=Decimal("2"),
                opens_on=JAN_1,
                closes_on=DEC_31,
            )

    def test_staff_without_the_aid_duty_cannot_set_up_programmes(self, staff):
        with pytest.raises(PermissionDenied):
            services.create_programme(by=staff, year=YEAR, kind="education", name="金秋助学")

    def test_kind_is_fixed_once_applied_to(self, aid_staff, chair_a, living, on_file):
        apply_for(chair_a, living, on_file)
        with pytest.raises(ValidationError, match="cannot change once there are applications"):
            services.update_programme(
                by=aid_staff,
                programme=living,
                year=YEAR,
                kind="medical",
                name=living.name,
                min_amount=living.min_amount,
                max_amount=living.max_amount,
                opens_on=JAN_1,
                closes_on=DEC_31,
                on_file_only=True,
                budget=None,
                description="",
            )


class TestApplying:
    def test_a_chair_applies_for_a_worker_on_file(self, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file)
        assert application.status == Application.Status.SUBMITTED
        assert application.union == on_file.union
        assert application.hardship_file.number == "KN0001"

    def test_a_worker_of_another_union_is_refused(self, chair_a, living, member_b):
        put_on_file(member_b)
        with pytest.raises(ValidationError, match="not a member of your union"):
            apply_for(chair_a, living, member_b)
        assert not Application.objects.exists()

    def test_a_programme_for_workers_on_file_refuses_a_worker_without_a_file(self, chair_a, living, member_a):
        with pytest.raises(ValidationError) as refused:
            apply_for(chair_a, living, member_a)
        assert refused.value.messages == [
            f"{YEAR}年生活救助 is for workers on file in hardship, and 王小明 has no active hardship file."
        ]

    def test_temporary_relief_takes_a_worker_who_is_not_on_file(self, chair_a, temporary, member_a):
        application = apply_for(chair_a, temporary, member_a, amount="2000")
        assert application.hardship_file is None
        assert application.status == Application.Status.SUBMITTED

    @pytest.mark.parametrize(
        "amount, accepted", [("499.99", False), ("500.00", True), ("8000.00", True), ("8000.01", False)]
    )
    def test_the_amount_requested_must_be_within_the_range(self, chair_a, living, on_file, amount, accepted):
        if accepted:
            assert apply_for(chair_a, living, on_file, amount=amount).amount_requested == Decimal(amount)
        else:
            with pytest.raises(ValidationError) as refused:
                apply_for(chair_a, living, on_file, amount=amount)
            assert refused.value.messages == [
                f"{YEAR}年生活救助 grants from 500.00 to 8,000.00 yuan; "
                f"{Decimal(amount):,} yuan is outside that range."
            ]

    def test_a_closed_window_is_refused(self, chair_a, aid_staff, on_file):
        spring = services.create_programme(
            by=aid_staff,
            year=YEAR,
            kind="living",
            name="春季生活救助",
            min_amount=Decimal("500"),
            max_amount=Decimal("3000"),
            opens_on=JAN_1,
            closes_on=datetime.date(YEAR, 3, 31),
        )
        with pytest.raises(ValidationError, match=f"it is closed on {YEAR}-04-01"):
            apply_for(chair_a, spring, on_file, amount="1000", on=datetime.date(YEAR, 4, 1))

    def test_a_second_application_waiting_for_a_decision_is_refused(self, chair_a, living, on_file):
        apply_for(chair_a, living, on_file)
        with pytest.raises(ValidationError, match="already has an application"):
            apply_for(chair_a, living, on_file)

    def test_holiday_visits_are_not_applied_for(self, chair_a, visits, on_file):
        with pytest.raises(ValidationError, match="made by the federation's campaign"):
            apply_for(chair_a, visits, on_file, amount="800")


class TestEducationGrants:
    @pytest.mark.parametrize(
        "day, accepted",
        [
            (datetime.date(YEAR, 6, 30), False),
            (datetime.date(YEAR, 7, 1), True),
            (datetime.date(YEAR, 8, 31), True),
            (datetime.date(YEAR, 9, 1), False),
        ],
    )
    def test_the_july_august_window(self, chair_a, education, on_file, day, accepted):
        if accepted:
            assert apply_for_child(chair_a, education, on_file, day).submitted_on == day
        else:
            with pytest.raises(
                ValidationError, match=f"from {YEAR}-07-01 to {YEAR}-08-31; it is closed on {day}"
            ):
                apply_for_child(chair_a, education, on_file, day)

    def test_the_child_school_and_letter_are_required(self, chair_a, education, on_file):
        with pytest.raises(ValidationError) as refused:
            services.apply(
                by=chair_a,
                programme=education,
                member=on_file,
                amount_requested=Decimal("1200"),
                reason="学费困难",
                child_id_number="330481200703151230",
                on=datetime.date(YEAR, 7, 10),
            )
        assert refused.value.messages == [
            "An education grant needs the child's name.",
            "The child's ID number: " + checksum_message("330481200703151230"),
            "An education grant needs the university the child was admitted to.",
            "An education grant needs the admission letter (录取通知书).",
        ]

    def test_one_grant_per_child_per_year(self, chair_a, education, on_file, register, enterprise_a):
        child = make_id("20070315")
        apply_for_child(chair_a, education, on_file, datetime.date(YEAR, 7, 10), child_id=child)
        other_parent = register(enterprise_a, name="李梅", id_number=make_id("19720202", sex="F"))
        put_on_file(other_parent, number="KN0002")
        with pytest.raises(ValidationError) as refused:
            apply_for_child(chair_a, education, other_parent, datetime.date(YEAR, 7, 20), child_id=child)
        assert refused.value.messages == [
            f"王思远 already has an education grant application in {YEAR} (for 王小明, Submitted); a child receives "
            "one grant a year."
        ]

    def test_a_different_child_of_the_same_worker_is_accepted(self, chair_a, education, on_file):
        apply_for_child(chair_a, education, on_file, datetime.date(YEAR, 7, 10), child_id=make_id("20070315"))
        twin = apply_for_child(
            chair_a,
            education,
            on_file,
            datetime.date(YEAR, 7, 11),
            child_name="王思齐",
            child_id=make_id("20070315"),
        )
        assert twin.child_name == "王思齐"

    def test_the_same_child_next_year_is_accepted(self, aid_staff, chair_a, education, on_file):
        child = make_id("20070315")
        apply_for_child(chair_a, education, on_file, datetime.date(YEAR, 7, 10), child_id=child)
        next_year = services.create_programme(
            by=aid_staff, year=YEAR + 1, kind="education", name=f"{YEAR + 1}年金秋助学"
        )
        application = apply_for_child(
            chair_a, next_year, on_file, datetime.date(YEAR + 1, 7, 10), child_id=child
        )
        assert application.programme.year == YEAR + 1

    def test_a_rejected_application_does_not_count(self, aid_staff, chair_a, education, on_file):
        child = make_id("20070315")
        first = apply_for_child(chair_a, education, on_file, datetime.date(YEAR, 7, 10), child_id=child)
        services.reject(
            by=aid_staff, application=first, reason="录取通知书不清晰", on=datetime.date(YEAR, 7, 12)
        )
        assert apply_for_child(chair_a, education, on_file, datetime.date(YEAR, 7, 15), child_id=child).pk


@pytest.mark.usefixtures("money_in_fund")
class TestApproval:
    def test_approval_pays_out_of_the_fund_and_tells_the_chair(self, aid_staff, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file)
        services.approve(
            by=aid_staff, application=application, amount=Decimal("2500"), on=datetime.date(YEAR, 1, 5)
        )
        application.refresh_from_db()
        assert application.status == Application.Status.APPROVED
        assert application.approved_amount == Decimal("2500.00")
        assert application.disbursement.amount == Decimal("-2500.00")
        assert application.disbursement.programme == living
        assert fund.balance() == Decimal("47500.00")
        assert Notice.objects.filter(user=chair_a, title="Aid approved").exists()

    @pytest.mark.parametrize("amount", ["499.99", "8000.01"])
    def test_an_amount_outside_the_range_is_refused(self, aid_staff, chair_a, living, on_file, amount):
        application = apply_for(chair_a, living, on_file)
        with pytest.raises(ValidationError, match="outside that range"):
            services.approve(by=aid_staff, application=application, amount=Decimal(amount))
        assert not FundEntry.objects.filter(kind="disbursement").exists()

    @override_settings(AID_RULES={"yearly_cap_per_person": Decimal("10000.00")})
    def test_exactly_at_the_cap_is_allowed(self, aid_staff, chair_a, living, medical, on_file):
        first = apply_for(chair_a, living, on_file, amount="6000")
        services.approve(
            by=aid_staff, application=first, amount=Decimal("6000"), on=datetime.date(YEAR, 2, 1)
        )
        second = apply_for(chair_a, medical, on_file, amount="4000")
        services.approve(
            by=aid_staff, application=second, amount=Decimal("4000"), on=datetime.date(YEAR, 3, 1)
        )
        assert services.received_in_year(on_file, YEAR) == Decimal("10000.00")

    @override_settings(AID_RULES={"yearly_cap_per_person": Decimal("10000.00")})
    def test_one_cent_over_the_cap_is_refused_with_the_figures(
        self, aid_staff, chair_a, living, medical, on_file
    ):
        first = apply_for(chair_a, living, on_file, amount="6000")
        services.approve(
            by=aid_staff, application=first, amount=Decimal("6000"), on=datetime.date(YEAR, 2, 1)
        )
        second = apply_for(chair_a, medical, on_file, amount="4000.01")
        with pytest.raises(ValidationError) as refused:
            services.approve(
                by=aid_staff, application=second, amount=Decimal("4000.01"), on=datetime.date(YEAR, 3, 1)
            )
        assert refused.value.messages == [
            f"王小明 has been granted 6,000.00 yuan in {YEAR}; with 4,000.01 yuan more the total would pass the yearly "
            "cap of 10,000.00 yuan per person (at most 4,000.00 yuan more can be granted)."
        ]
        second.refresh_from_db()
        assert second.status == Application.Status.SUBMITTED
        assert FundEntry.objects.filter(kind="disbursement").count() == 1

    @override_settings(AID_RULES={"yearly_cap_per_person": Decimal("10000.00")})
    def test_the_cap_is_per_calendar_year_of_the_decision(self, aid_staff, chair_a, living, on_file):
        earlier = apply_for(chair_a, living, on_file, amount="8000")
        services.approve(
            by=aid_staff, application=earlier, amount=Decimal("8000"), on=datetime.date(YEAR - 1, 12, 31)
        )
        later = apply_for(chair_a, living, on_file, amount="8000")
        services.approve(by=aid_staff, application=later, amount=Decimal("8000"), on=JAN_1)
        assert services.received_in_year(on_file, YEAR) == Decimal("8000.00")

    def test_a_double_submitted_approval_pays_once(self, aid_staff, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file)
        services.approve(by=aid_staff, application=application, amount=Decimal("3000"))
        with pytest.raises(ValidationError, match="the application is “Approved”, not “Submitted”"):
            services.approve(by=aid_staff, application=application, amount=Decimal("3000"))
        assert FundEntry.objects.filter(kind="disbursement").count() == 1
        assert fund.balance() == Decimal("47000.00")

    def test_staff_without_the_decide_permission_cannot_approve(self, staff, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file)
        with pytest.raises(PermissionDenied):
            services.approve(by=staff, application=application, amount=Decimal("3000"))

    def test_payment_is_recorded_with_its_reference(self, aid_staff, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file, on=JAN_1)
        services.approve(by=aid_staff, application=application, amount=Decimal("3000"), on=JAN_1)
        services.record_payment(
            by=aid_staff, application=application, paid_on=JAN_1, reference="NB20250105001"
        )
        application.refresh_from_db()
        assert (application.status, application.payment_reference) == (
            Application.Status.PAID,
            "NB20250105001",
        )
        with pytest.raises(ValidationError, match="not “Approved”"):
            services.cancel_approval(by=aid_staff, application=application, reason="重复")

    def test_cancelling_an_approval_reverses_the_disbursement(self, aid_staff, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file)
        entry = services.approve(by=aid_staff, application=application, amount=Decimal("3000")).disbursement
        services.cancel_approval(by=aid_staff, application=application, reason="金额录入错误")
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert application.disbursement is None and application.approved_amount is None
        assert FundEntry.objects.get(kind="reversal").reverses == entry
        assert fund.balance() == Decimal("50000.00")
        services.approve(by=aid_staff, application=application, amount=Decimal("2000"))
        assert fund.balance() == Decimal("48000.00")

    def test_rejection_needs_a_reason_and_tells_the_chair(self, aid_staff, chair_a, living, on_file):
        application = apply_for(chair_a, living, on_file)
        with pytest.raises(ValidationError, match="Say why"):
            services.reject(by=aid_staff, application=application, reason=" ")
        services.reject(by=aid_staff, application=application, reason="家庭收入已超过标准")
        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert Notice.objects.filter(user=chair_a, title="Aid application rejected").exists()

    def test_referral_to_the_charity_federation_and_its_outcome(self, aid_staff, chair_a, medical, on_file):
        application = apply_for(chair_a, medical, on_file, amount="20000")
        services.refer_to_charity(
            by=aid_staff, application=application, note="医疗费用超出年度上限，转慈善总会大病救助"
        )
        with pytest.raises(ValidationError, match="not “Submitted”"):
            services.approve(by=aid_staff, application=application, amount=Decimal("20000"))
        services.record_referral_outcome(
            by=aid_staff,
            application=application,
            outcome="慈善总会批准大病救助",
            amount_received=Decimal("30000"),
        )
        application.refresh_from_db()
        assert (application.status, application.charity_amount) == (
            Application.Status.REFERRED,
            Decimal("30000.00"),
        )
        assert fund.balance() == Decimal("50000.00")


@pytest.fixture
def another_on_file(register, enterprise_a):
    """Another worker of union A with an active hardship file."""

    def _another(name, number):
        worker = register(enterprise_a, name=name, id_number=make_id("19750505"))
        put_on_file(worker, number=number)
        return worker

    return _another


@pytest.fixture
def three_on_file(on_file, another_on_file):
    return [on_file, another_on_file("钱晓燕", "KN0002"), another_on_file("赵大勇", "KN0003")]


class TestFundBalance:
    def test_an_insufficient_balance_refuses_the_approval_and_writes_nothing(
        self, aid_staff, chair_a, living, on_file
    ):
        fund.post_income(kind="donation", amount=Decimal("10000"), on=JAN_1, description="测试捐赠")
        services.approve(
            by=aid_staff,
            application=apply_for(chair_a, living, on_file, amount="8000"),
            amount=Decimal("8000"),
            on=JAN_1,
        )
        application = apply_for(chair_a, living, on_file, amount="3000")
        with pytest.raises(ValidationError) as refused:
            services.approve(by=aid_staff, application=application, amount=Decimal("3000"), on=JAN_1)
        assert refused.value.messages == ["The fund holds 2,000.00 yuan; 3,000.00 yuan cannot be paid out."]
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert (application.approved_amount, application.decided_by, application.disbursement) == (
            None,
            None,
            None,
        )
        assert FundEntry.objects.filter(kind="disbursement").count() == 1
        assert fund.balance() == Decimal("2000.00")
        assert not Notice.objects.filter(user=chair_a).exclude(title="Aid approved").exists()


@pytest.fixture
def second_aid_staff(aid_staff):
    """Another member of staff with the aid duty: the second pair of eyes (four eyes)."""
    return make_staff("aidstaff2", AID, name="陆明")


class TestVisitBatch:
    @pytest.mark.usefixtures("money_in_fund")
    def test_a_batch_is_proposed_then_a_second_person_approves_and_pays_everyone(
        self, aid_staff, second_aid_staff, visits, three_on_file
    ):
        proposed = services.visit_batch(
            by=aid_staff, programme=visits, members=three_on_file, amount_each=Decimal("1000"), on=JAN_1
        )
        assert [a.status for a in proposed] == [Application.Status.SUBMITTED] * 3
        assert not services.visit_candidates(visits).exists()
        assert fund.balance() == Decimal("50000.00")
        with pytest.raises(ValidationError, match="Four eyes"):
            services.approve_visits(by=aid_staff, programme=visits, on=JAN_1)
        assert not FundEntry.objects.filter(kind="disbursement").exists()
        granted = services.approve_visits(by=second_aid_staff, programme=visits, on=JAN_1)
        assert [a.status for a in granted] == [Application.Status.APPROVED] * 3
        assert FundEntry.objects.filter(kind="disbursement", programme=visits).count() == 3
        assert fund.balance() == Decimal("47000.00")
        with pytest.raises(ValidationError, match="No visits are waiting"):
            services.approve_visits(by=second_aid_staff, programme=visits, on=JAN_1)

    @pytest.mark.usefixtures("money_in_fund")
    def test_with_four_eyes_off_a_batch_approves_and_pays_everyone_at_once(
        self, settings, aid_staff, visits, three_on_file
    ):
        settings.UNIONHUB_FOUR_EYES = False
        granted = services.visit_batch(
            by=aid_staff, programme=visits, members=three_on_file, amount_each=Decimal("1000"), on=JAN_1
        )
        assert [a.status for a in granted] == [Application.Status.APPROVED] * 3
        assert FundEntry.objects.filter(kind="disbursement", programme=visits).count() == 3
        assert fund.balance() == Decimal("47000.00")
        assert not services.visit_candidates(visits).exists()

    def test_a_fund_short_for_the_last_visit_refuses_the_whole_batch(self, aid_staff, visits, three_on_file):
        fund.post_income(kind="donation", amount=Decimal("2999.99"), on=JAN_1, description="测试捐赠")
        with pytest.raises(ValidationError) as refused:
            services.visit_batch(
                by=aid_staff, programme=visits, members=three_on_file, amount_each=Decimal("1000"), on=JAN_1
            )
        assert refused.value.messages == [
            "3 visits of 1,000.00 yuan need 3,000.00 yuan; the fund holds 2,999.99 yuan."
        ]
        assert not Application.objects.exists()
        assert not FundEntry.objects.filter(kind="disbursement").exists()

    @pytest.mark.usefixtures("money_in_fund")
    @override_settings(AID_RULES={"yearly_cap_per_person": Decimal("8500.00")})
    def test_one_person_past_the_cap_refuses_the_whole_batch(
        self, aid_staff, chair_a, living, visits, three_on_file
    ):
        first = three_on_file[0]
        services.approve(
            by=aid_staff,
            application=apply_for(chair_a, living, first, amount="8000"),
            amount=Decimal("8000"),
            on=JAN_1,
        )
        with pytest.raises(ValidationError) as refused:
            services.visit_batch(
                by=aid_staff, programme=visits, members=three_on_file, amount_each=Decimal("1000"), on=JAN_1
            )
        assert len(refused.value.messages) == 1
        assert "王小明 has been granted 8,000.00 yuan" in refused.value.messages[0]
        assert Application.objects.filter(programme=visits).count() == 0
        assert fund.balance() == Decimal("42000.00")

    @pytest.mark.usefixtures("money_in_fund")
    def test_a_worker_already_visited_or_not_on_file_refuses_the_batch(
        self, aid_staff, visits, three_on_file, member_b
    ):
        services.visit_batch(
            by=aid_staff, programme=visits, members=three_on_file[:1], amount_each=Decimal("800"), on=JAN_1
        )
        with pytest.raises(ValidationError) as refused:
            services.visit_batch(
                by=aid_staff,
                programme=visits,
                members=[*three_on_file, member_b],
                amount_each=Decimal("800"),
                on=JAN_1,
            )
        assert refused.value.messages == [
            f"王小明 has already been visited in {YEAR}年春节送温暖.",
            f"{YEAR}年春节送温暖 is for workers on file in hardship, and 李小红 has no active hardship file.",
        ]
        assert Application.objects.filter(programme=visits).count() == 1


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def submitted(chair_a, living, on_file):
    return apply_for(chair_a, living, on_file, on=JAN_1)


class TestAccess:
    def test_the_chair_of_another_union_gets_404(self, client, chair_b, union_b, submitted):
        client.force_login(chair_b)
        assert client.get(submitted.get_absolute_url()).status_code == 404
        approve = reverse("aid:application_withdraw", args=[submitted.pk])
        assert client.post(approve).status_code == 404
        assert submitted.member.name not in client.get(reverse("aid:application_list")).content.decode()

    @pytest.mark.parametrize("url_name", ["programme_list", "application_list", "visit_batch"])
    def test_staff_without_the_aid_duty_get_403(self, client, staff, url_name):
        client.force_login(staff)
        assert client.get(reverse(f"aid:{url_name}")).status_code == 403

    def test_staff_without_the_aid_duty_get_403_on_an_application(self, client, staff, submitted):
        client.force_login(staff)
        assert client.get(submitted.get_absolute_url()).status_code == 403

    def test_an_outsider_gets_403(self, client, outsider, submitted):
        client.force_login(outsider)
        assert client.get(reverse("aid:application_list")).status_code == 403
        assert client.get(submitted.get_absolute_url()).status_code == 403
        assert client.get(submitted.programme.get_absolute_url()).status_code == 403

    def test_anonymous_users_go_to_the_login(self, client, submitted):
        response = client.get(submitted.get_absolute_url())
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_chair_cannot_decide(self, client, chair_a, submitted):
        client.force_login(chair_a)
        response = client.post(reverse("aid:application_approve", args=[submitted.pk]), {"amount": "3000"})
        assert response.status_code == 403
        assert client.get(reverse("aid:programme_create")).status_code == 403
        assert client.get(reverse("aid:visit_batch")).status_code == 403

    def test_the_admission_letter_is_served_only_in_scope(
        self, client, chair_a, chair_b, union_b, education, on_file
    ):
        application = apply_for_child(chair_a, education, on_file, datetime.date(YEAR, 7, 10))
        url = reverse("aid:application_letter", args=[application.pk])
        client.force_login(chair_b)
        assert client.get(url).status_code == 404
        client.force_login(chair_a)
        assert b"".join(client.get(url).streaming_content) == PDF


class TestPages:
    def test_a_chair_applies_through_the_form(self, client, chair_a, living, on_file):
        client.force_login(chair_a)
        url = reverse("aid:application_create") + f"?programme={living.pk}"
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "id_number": on_file.id_number,
                "amount_requested": "2000",
                "reason": "本人患病住院，家庭收入锐减",
            },
        )
        application = Application.objects.get()
        assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
        assert application.submitted_by == chair_a

    def test_the_form_refuses_a_worker_of_another_union(self, client, chair_a, union_a, living, member_b):
        client.force_login(chair_a)
        response = client.post(
            reverse("aid:application_create") + f"?programme={living.pk}",
            {"id_number": member_b.id_number, "amount_requested": "2000", "reason": "困难"},
        )
        assert response.status_code == 200
        assert not Application.objects.exists()

    @pytest.mark.parametrize(
        "name, content, content_type",
        [
            ("letter.exe", b"MZ\x90\x00", "application/octet-stream"),
            ("letter.pdf", b"MZ\x90\x00", "application/pdf"),  # a PDF name on something else
        ],
    )
    def test_an_admission_letter_of_the_wrong_type_is_refused(
        self, client, aid_staff, chair_a, on_file, name, content, content_type
    ):
        education = services.create_programme(
            by=aid_staff, year=YEAR, kind="education", name="全年助学", opens_on=JAN_1, closes_on=DEC_31
        )
        client.force_login(chair_a)
        response = client.post(
            reverse("aid:application_create") + f"?programme={education.pk}",
            {
                "id_number": on_file.id_number,
                "amount_requested": "1500",
                "reason": "学费困难",
                "child_name": "王思远",
                "child_id_number": make_id("20070315"),
                "school": "浙江大学",
                "admission_letter": letter(name, content, content_type),
            },
        )
        assert response.status_code == 200
        assert "admission_letter" in response.context["form"].errors
        assert not Application.objects.exists()

    @pytest.mark.usefixtures("money_in_fund")
    def test_aid_staff_approve_and_record_payment_through_the_pages(self, client, aid_staff, submitted):
        client.force_login(aid_staff)
        assert client.get(submitted.get_absolute_url()).status_code == 200
        client.post(
            reverse("aid:application_approve", args=[submitted.pk]), {"amount": "2800", "note": "同意"}
        )
        client.post(
            reverse("aid:application_approve", args=[submitted.pk]), {"amount": "2800", "note": "同意"}
        )
        client.post(
            reverse("aid:application_pay", args=[submitted.pk]),
            {"paid_on": TODAY.isoformat(), "reference": "ZH0001"},
        )
        submitted.refresh_from_db()
        assert submitted.status == Application.Status.PAID
        assert fund.balance() == Decimal("47200.00")

    def test_list_and_programme_pages_render(self, client, aid_staff, chair_a, submitted):
        for user in (aid_staff, chair_a):
            client.force_login(user)
            for url in (
                reverse("aid:programme_list"),
                reverse("aid:application_list"),
                submitted.programme.get_absolute_url(),
                submitted.get_absolute_url(),
            ):
                assert client.get(url).status_code == 200, (user, url)

    @pytest.mark.usefixtures("money_in_fund")
    def test_the_visit_batch_page(self, client, aid_staff, second_aid_staff, visits, three_on_file):
        client.force_login(aid_staff)
        url = reverse("aid:visit_batch") + f"?programme={visits.pk}"
        page = client.get(url).content.decode()
        assert all(member.name in page for member in three_on_file)
        response = client.post(
            url,
            {
                "programme": visits.pk,
                "amount_each": "1000",
                "on": JAN_1.isoformat(),
                "members": [m.pk for m in three_on_file],
            },
        )
        assert response.status_code == 302
        assert Application.objects.filter(programme=visits, status="submitted").count() == 3
        page = client.get(visits.get_absolute_url())
        assert page.context["proposed_visits"]["count"] == 3 and page.context["proposed_visits"]["refusal"]
        approve = reverse("aid:visit_approve", args=[visits.pk])
        client.post(approve)
        assert not Application.objects.filter(programme=visits, status="approved").exists()
        client.force_login(second_aid_staff)
        assert client.get(visits.get_absolute_url()).context["proposed_visits"]["refusal"] is None
        assert client.post(approve).status_code == 302
        assert Application.objects.filter(programme=visits, status="approved").count() == 3

    def test_an_admission_letter_over_the_size_limit_is_refused(
        self, client, aid_staff, chair_a, on_file, monkeypatch
    ):
        monkeypatch.setattr("unionhub.uploads.MAX_DOCUMENT_BYTES", len(PDF) - 1)
        education = services.create_programme(
            by=aid_staff, year=YEAR, kind="education", name="全年助学", opens_on=JAN_1, closes_on=DEC_31
        )
        client.force_login(chair_a)
        fields = {
            "id_number": on_file.id_number,
            "amount_requested": "1500",
            "reason": "学费困难",
            "child_name": "王思远",
            "child_id_number": make_id("20070315"),
            "school": "浙江大学",
        }
        response = client.post(
            reverse("aid:application_create") + f"?programme={education.pk}",
            {**fields, "admission_letter": letter()},
        )
        assert "admission_letter" in response.context["form"].errors
        monkeypatch.setattr("unionhub.uploads.MAX_DOCUMENT_BYTES", len(PDF))
        response = client.post(
            reverse("aid:application_create") + f"?programme={education.pk}",
            {**fields, "admission_letter": letter()},
        )
        assert response.status_code == 302
        assert Application.objects.get().school == "浙江大学"

    def test_a_chair_sees_only_the_open_programmes(self, client, aid_staff, chair_a, union_a, living):
        services.create_programme(
            by=aid_staff,
            year=YEAR - 1,
            kind="living",
            name="去年生活救助",
            min_amount=Decimal("500"),
            max_amount=Decimal("800"),
            opens_on=datetime.date(YEAR - 1, 1, 1),
            closes_on=datetime.date(YEAR - 1, 12, 31),
        )
        client.force_login(chair_a)
        page = client.get(reverse("aid:programme_list")).content.decode()
        assert living.name in page and "去年生活救助" not in page

    def test_the_application_list_does_not_grow_in_queries(
        self, client, aid_staff, chair_a, living, on_file, another_on_file, django_assert_num_queries
    ):
        apply_for(chair_a, living, on_file)
        client.force_login(aid_staff)
        url = reverse("aid:application_list")
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for n in range(4):
            apply_for(chair_a, living, another_on_file(f"工人{n}", f"KN01{n}"))
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(url)

    def test_aid_staff_create_an_education_programme_from_the_year_alone(self, client, aid_staff):
        client.force_login(aid_staff)
        response = client.post(
            reverse("aid:programme_create"),
            {"year": YEAR, "kind": "education", "name": f"{YEAR}年金秋助学", "on_file_only": ""},
        )
        programme = Programme.objects.get()
        assert response["Location"] == programme.get_absolute_url()
        assert (programme.opens_on, programme.max_amount) == (datetime.date(YEAR, 7, 1), Decimal("1500.00"))
        response = client.post(
            reverse("aid:programme_edit", args=[programme.pk]),
            {
                "year": YEAR,
                "kind": "education",
                "name": programme.name,
                "min_amount": "1000",
                "max_amount": "900",
                "opens_on": f"{YEAR}-07-01",
                "closes_on": f"{YEAR}-08-31",
                "on_file_only": "yes",
            },
        )
        assert "max_amount" in response.context["form"].errors
