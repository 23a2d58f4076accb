"""Money leaves on four eyes and within budget: whoever submitted or proposed an aid application, a
hardship file, a mutual-aid claim or a fund reversal does not approve it (a setting, on by default;
with it off the same person may, and the audit entry says "four eyes off"); a programme's budget is
a hard limit checked under the fund's lock, and what is left of it is never negative."""

import datetime
import threading
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from aid.models import (
    Application,
    FundEntry,
    HardshipFile,
    LivingStandard,
    MutualAidEntry,
    Programme,
    ReversalProposal,
)
from aid.services import applications as services
from aid.services import files, fund, mutual
from tests.aid.test_files import monday
from tests.aid.test_files import submit as submit_file
from tests.factories import TODAY, make_staff
from unionhub.duties import AID

pytestmark = pytest.mark.usefixtures("english")

YEAR = TODAY.year
JAN_1 = datetime.date(YEAR, 1, 1)
DEC_31 = datetime.date(YEAR, 12, 31)
OFF = {"four_eyes": "off"}


@pytest.fixture
def second_aid_staff(aid_staff):
    return make_staff("aidstaff2", AID, name="陆明")


@pytest.fixture
def money_in_fund(db):
    fund.post_income(kind="donation", amount=Decimal("50000"), on=JAN_1, description="测试捐赠")


@pytest.fixture
def temporary(aid_staff):
    """Temporary relief, open to workers not on file, with a budget of 600."""
    return services.create_programme(
        by=aid_staff,
        year=YEAR,
        kind=Programme.Kind.TEMPORARY,
        name=f"{YEAR}年临时救助",
        min_amount=Decimal("100"),
        max_amount=Decimal("5000"),
        opens_on=JAN_1,
        closes_on=DEC_31,
        budget=Decimal("600"),
    )


def apply_for(by, programme, member, amount="400"):
    return services.apply(
        by=by,
        programme=programme,
        member=member,
        amount_requested=Decimal(amount),
        reason="家中突遭火灾",
        on=JAN_1,
    )


def last_audit(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).order_by("-timestamp", "-pk").first()


@pytest.mark.usefixtures("money_in_fund")
class TestBudget:
    def test_approvals_stop_at_the_budget(
        self, aid_staff, chair_a, member_a, register, enterprise_a, temporary
    ):
        first = apply_for(chair_a, temporary, member_a)
        services.approve(by=aid_staff, application=first, amount=Decimal("400"), on=JAN_1)
        other = register(enterprise_a, name="钱晓燕")
        second = apply_for(chair_a, temporary, other)
        with pytest.raises(ValidationError) as refused:
            services.approve(by=aid_staff, application=second, amount=Decimal("400"), on=JAN_1)
        assert refused.value.messages == [
            f"{YEAR}年临时救助 has a budget of 600.00 yuan and 400.00 yuan is already granted; 400.00 yuan "
            "more would pass the budget (at most 200.00 yuan can still be granted)."
        ]
        second.refresh_from_db()
        assert (second.status, second.disbursement) == (Application.Status.SUBMITTED, None)
        assert FundEntry.objects.filter(kind="disbursement").count() == 1
        totals = services.programme_totals(temporary)
        assert (totals.granted, totals.remaining) == (Decimal("400.00"), Decimal("200.00"))
        # exactly what is left still goes through, and then nothing is left
        services.approve(by=aid_staff, application=second, amount=Decimal("200"), on=JAN_1)
        assert services.programme_totals(temporary).remaining == Decimal("0.00")

    def test_a_cancelled_approval_gives_the_budget_back(self, aid_staff, chair_a, member_a, temporary):
        application = apply_for(chair_a, temporary, member_a, amount="600")
        services.approve(by=aid_staff, application=application, amount=Decimal("600"), on=JAN_1)
        services.cancel_approval(by=aid_staff, application=application, reason="金额有误", on=JAN_1)
        services.approve(by=aid_staff, application=application, amount=Decimal("500"), on=JAN_1)
        assert services.programme_totals(temporary).remaining == Decimal("100.00")

    def test_what_is_left_is_never_negative(self, temporary):
        totals = services.ProgrammeTotals(approved=Decimal("1000"), paid=Decimal("0"), budget=Decimal("600"))
        assert totals.remaining == Decimal("0")

    def test_the_budget_cannot_be_cut_below_what_is_granted(self, aid_staff, chair_a, member_a, temporary):
        services.approve(
            by=aid_staff, application=apply_for(chair_a, temporary, member_a), amount=Decimal("400"), on=JAN_1
        )
        values = {
            field: getattr(temporary, field)
            for field in ("year", "kind", "name", "min_amount", "max_amount", "opens_on", "closes_on")
        }
        values.update(on_file_only=False, description="")
        with pytest.raises(ValidationError, match="400.00 yuan is already granted"):
            services.update_programme(by=aid_staff, programme=temporary, budget=Decimal("399.99"), **values)
        services.update_programme(by=aid_staff, programme=temporary, budget=Decimal("400"), **values)

    def test_a_visit_batch_beyond_the_budget_is_refused_whole(self, aid_staff, register, enterprise_a):
        visits = services.create_programme(
            by=aid_staff,
            year=YEAR,
            kind=Programme.Kind.HOLIDAY_VISIT,
            name="送温暖",
            min_amount=Decimal("500"),
            max_amount=Decimal("1000"),
            opens_on=JAN_1,
            closes_on=DEC_31,
            on_file_only=False,
            budget=Decimal("1500"),
        )
        members = [register(enterprise_a, name=name) for name in ("甲一", "乙二")]
        with pytest.raises(ValidationError, match="would pass the budget"):
            services.visit_batch(
                by=aid_staff, programme=visits, members=members, amount_each=Decimal("800"), on=JAN_1
            )
        assert not visits.applications.exists()

    def test_the_page_shows_the_refusal_and_what_is_left(
        self, client, aid_staff, chair_a, member_a, register, enterprise_a, temporary
    ):
        services.approve(
            by=aid_staff, application=apply_for(chair_a, temporary, member_a), amount=Decimal("400"), on=JAN_1
        )
        second = apply_for(chair_a, temporary, register(enterprise_a, name="钱晓燕"))
        client.force_login(aid_staff)
        response = client.post(
            reverse("aid:application_approve", args=[second.pk]), {"amount": "400", "note": ""}, follow=True
        )
        assert response.status_code == 200
        assert "超出预算" in response.content.decode()
        assert response.context["budget_left"] == Decimal("200.00")


@pytest.mark.usefixtures("money_in_fund")
class TestApplications:
    def test_the_one_who_submitted_does_not_approve(self, aid_staff, second_aid_staff, member_a, temporary):
        application = apply_for(aid_staff, temporary, member_a)
        with pytest.raises(ValidationError, match="Four eyes"):
            services.approve(by=aid_staff, application=application, amount=Decimal("400"), on=JAN_1)
        application.refresh_from_db()
        assert (application.status, application.decided_by) == (Application.Status.SUBMITTED, None)
        assert not FundEntry.objects.filter(kind="disbursement").exists()
        services.approve(by=second_aid_staff, application=application, amount=Decimal("400"), on=JAN_1)
        application.refresh_from_db()
        assert application.decided_by == second_aid_staff
        assert not last_audit(application).additional_data

    def test_with_four_eyes_off_one_person_may_and_the_trail_says_so(
        self, settings, aid_staff, member_a, temporary
    ):
        settings.UNIONHUB_FOUR_EYES = False
        application = apply_for(aid_staff, temporary, member_a)
        services.approve(by=aid_staff, application=application, amount=Decimal("400"), on=JAN_1)
        entry = last_audit(application)
        assert (entry.actor, entry.additional_data) == (aid_staff, OFF)

    def test_the_proposer_sees_why_the_button_is_off_and_a_post_is_refused_with_a_message(
        self, client, aid_staff, second_aid_staff, member_a, temporary
    ):
        application = apply_for(aid_staff, temporary, member_a)
        client.force_login(aid_staff)
        page = client.get(application.get_absolute_url())
        assert page.context["four_eyes_refusal"]
        assert 'disabled aria-describedby="four-eyes"' in page.content.decode()
        response = client.post(
            reverse("aid:application_approve", args=[application.pk]),
            {"amount": "400", "note": ""},
            follow=True,
        )
        assert response.status_code == 200 and "四眼原则" in response.content.decode()
        client.force_login(second_aid_staff)
        assert client.get(application.get_absolute_url()).context["four_eyes_refusal"] is None

    def test_the_refusal_is_in_chinese_by_default(self, client, aid_staff, member_a, temporary):
        from django.utils import translation

        application = apply_for(aid_staff, temporary, member_a)
        client.force_login(aid_staff)
        with translation.override("zh-hans"):
            response = client.post(
                reverse("aid:application_approve", args=[application.pk]),
                {"amount": "400", "note": ""},
                follow=True,
                HTTP_ACCEPT_LANGUAGE="zh-hans",
            )
        assert response.status_code == 200 and "四眼原则" in response.content.decode()


@pytest.fixture
def noticed_by_staff(db, aid_staff, member_a):
    """A file aid staff submitted themselves, through its visit and notice."""
    LivingStandard.objects.create(year=TODAY.year, monthly_amount=Decimal("1000"))
    file = submit_file(aid_staff, member_a)
    files.record_visit(by=aid_staff, file=file, visited_on=TODAY, visitors="沈慧", findings="情况属实。")
    return files.start_notice(by=aid_staff, file=file, start=monday())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class TestHardshipFiles:
    def test_the_one_who_submitted_does_not_approve(self, noticed_by_staff, aid_staff, second_aid_staff):
        day = noticed_by_staff.notice_end + datetime.timedelta(days=1)
        with pytest.raises(ValidationError, match="Four eyes"):
            files.approve(by=aid_staff, file=noticed_by_staff, on=day)
        noticed_by_staff.refresh_from_db()
        assert noticed_by_staff.status == HardshipFile.Status.NOTICE
        file = files.approve(by=second_aid_staff, file=noticed_by_staff, on=day)
        assert (file.status, file.approved_by) == (HardshipFile.Status.ACTIVE, second_aid_staff)

    def test_four_eyes_off(self, settings, noticed_by_staff, aid_staff):
        settings.UNIONHUB_FOUR_EYES = False
        file = files.approve(
            by=aid_staff, file=noticed_by_staff, on=noticed_by_staff.notice_end + datetime.timedelta(1)
        )
        assert file.status == HardshipFile.Status.ACTIVE
        assert last_audit(file).additional_data == OFF

    def test_the_page_disables_the_button_for_the_submitter(self, client, noticed_by_staff, aid_staff):
        client.force_login(aid_staff)
        page = client.get(noticed_by_staff.get_absolute_url())
        assert page.context["four_eyes_refusal"]


@pytest.fixture
def fund_a(chair_a, enterprise_a):
    fund = mutual.create_fund(
        by=chair_a,
        enterprise=enterprise_a,
        name="甲公司三方互助基金",
        established_on=datetime.date(YEAR - 1, 3, 1),
    )
    mutual.record_contribution(
        by=chair_a, fund=fund, kind="enterprise", on=datetime.date(YEAR - 1, 4, 1), amount=Decimal("1000")
    )
    return fund


def propose(fund, member, by, amount="300"):
    return mutual.propose_claim(
        by=by,
        fund=fund,
        member=member,
        on=datetime.date(YEAR - 1, 5, 1),
        amount=Decimal(amount),
        note="住院医疗补助",
    )


class TestMutualAidClaims:
    def test_a_proposed_claim_is_paid_only_when_a_second_person_approves(
        self, fund_a, chair_a, aid_staff, member_a
    ):
        claim = propose(fund_a, member_a, chair_a)
        assert mutual.balance_of(fund_a) == Decimal("1000.00")
        with pytest.raises(ValidationError, match="Four eyes"):
            mutual.approve_claim(by=chair_a, claim=claim)
        assert mutual.balance_of(fund_a) == Decimal("1000.00")
        claim = mutual.approve_claim(by=aid_staff, claim=claim)
        assert (claim.status, claim.approved_by) == (MutualAidEntry.Status.PAID, aid_staff)
        assert mutual.balance_of(fund_a) == Decimal("700.00")

    def test_claims_waiting_count_against_the_balance(self, fund_a, chair_a, member_a):
        propose(fund_a, member_a, chair_a, amount="800")
        with pytest.raises(ValidationError, match="holds ¥200.00"):
            propose(fund_a, member_a, chair_a, amount="300")

    def test_a_declined_claim_pays_nothing(self, fund_a, chair_a, aid_staff, member_a):
        claim = mutual.decline_claim(by=aid_staff, claim=propose(fund_a, member_a, chair_a))
        assert claim.status == MutualAidEntry.Status.DECLINED
        assert mutual.balance_of(fund_a) == Decimal("1000.00")
        with pytest.raises(ValidationError, match="no longer waiting"):
            mutual.approve_claim(by=aid_staff, claim=claim)

    def test_four_eyes_off(self, settings, fund_a, chair_a, member_a):
        settings.UNIONHUB_FOUR_EYES = False
        claim = mutual.approve_claim(by=chair_a, claim=propose(fund_a, member_a, chair_a))
        assert claim.status == MutualAidEntry.Status.PAID
        assert last_audit(claim).additional_data == OFF

    def test_through_the_pages(self, client, fund_a, chair_a, aid_staff, member_a):
        claim = propose(fund_a, member_a, chair_a)
        approve = reverse("aid:mutual_claim_approve", args=[fund_a.pk, claim.pk])
        client.force_login(chair_a)
        page = client.get(fund_a.get_absolute_url())
        assert page.context["awaiting"][0].four_eyes_refusal
        response = client.post(approve, follow=True)
        assert response.status_code == 200 and "四眼原则" in response.content.decode()
        client.force_login(aid_staff)
        assert client.post(approve).status_code == 302
        claim.refresh_from_db()
        assert claim.status == MutualAidEntry.Status.PAID

    def test_another_union_s_chair_and_the_outsider(
        self, client, fund_a, chair_a, chair_b, union_b, outsider, member_a
    ):
        claim = propose(fund_a, member_a, chair_a)
        approve = reverse("aid:mutual_claim_approve", args=[fund_a.pk, claim.pk])
        client.force_login(chair_b)
        assert client.post(approve).status_code == 404
        client.force_login(outsider)
        assert client.post(approve).status_code == 403
        claim.refresh_from_db()
        assert claim.status == MutualAidEntry.Status.PROPOSED


@pytest.fixture
def gift(db, aid_staff):
    return fund.post_income(
        kind="donation", amount=Decimal("5000"), on=JAN_1, description="捐赠", by=aid_staff
    )


class TestReversals:
    def test_the_proposer_does_not_approve(self, gift, aid_staff, second_aid_staff):
        proposal = fund.propose_reversal(by=aid_staff, entry=gift, reason="捐赠退回")
        assert fund.balance() == Decimal("5000.00")
        with pytest.raises(ValidationError, match="Four eyes"):
            fund.approve_reversal(by=aid_staff, proposal=proposal)
        assert fund.balance() == Decimal("5000.00")
        proposal = fund.approve_reversal(by=second_aid_staff, proposal=proposal, on=JAN_1)
        assert proposal.status == ReversalProposal.Status.APPROVED
        assert proposal.reversal.amount == Decimal("-5000.00") and fund.balance() == Decimal("0.00")

    def test_one_proposal_at_a_time_and_none_for_a_reversed_entry(self, gift, aid_staff, second_aid_staff):
        proposal = fund.propose_reversal(by=aid_staff, entry=gift, reason="捐赠退回")
        with pytest.raises(ValidationError, match="already waiting"):
            fund.propose_reversal(by=second_aid_staff, entry=gift, reason="再次")
        fund.approve_reversal(by=second_aid_staff, proposal=proposal)
        with pytest.raises(ValidationError, match="already been reversed"):
            fund.propose_reversal(by=second_aid_staff, entry=gift, reason="再次")
        with pytest.raises(ValidationError, match="already been decided"):
            fund.approve_reversal(by=second_aid_staff, proposal=proposal)

    def test_a_reason_is_needed(self, gift, aid_staff):
        with pytest.raises(ValidationError, match="Say why"):
            fund.propose_reversal(by=aid_staff, entry=gift, reason="  ")

    def test_four_eyes_off(self, settings, gift, aid_staff):
        settings.UNIONHUB_FOUR_EYES = False
        proposal = fund.approve_reversal(
            by=aid_staff, proposal=fund.propose_reversal(by=aid_staff, entry=gift, reason="捐赠退回")
        )
        assert last_audit(proposal).additional_data == OFF

    def test_through_the_pages(self, client, gift, aid_staff, second_aid_staff, finance_staff, outsider):
        client.force_login(aid_staff)
        client.post(reverse("aid:fund_reverse", args=[gift.pk]), {"reason": "捐赠退回"})
        proposal = ReversalProposal.objects.get()
        assert not FundEntry.objects.filter(kind="reversal").exists()
        approve = reverse("aid:fund_reversal_approve", args=[proposal.pk])
        page = client.get(reverse("aid:fund"))
        assert page.context["proposals"][0].four_eyes_refusal
        response = client.post(approve, follow=True)
        assert response.status_code == 200 and "四眼原则" in response.content.decode()
        for user in (finance_staff, outsider):
            client.force_login(user)
            assert client.post(approve).status_code == 403
        assert not FundEntry.objects.filter(kind="reversal").exists()
        client.force_login(second_aid_staff)
        assert client.post(approve).status_code == 302
        assert FundEntry.objects.get(kind="reversal").reverses == gift

    def test_a_declined_proposal_leaves_the_entry(self, client, gift, aid_staff, second_aid_staff):
        proposal = fund.propose_reversal(by=aid_staff, entry=gift, reason="捐赠退回")
        client.force_login(second_aid_staff)
        client.post(reverse("aid:fund_reversal_decline", args=[proposal.pk]))
        proposal.refresh_from_db()
        assert proposal.status == ReversalProposal.Status.DECLINED and fund.balance() == Decimal("5000.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvals_at_once_never_pass_the_budget(
    aid_staff, chair_a, member_a, register, enterprise_a, temporary, money_in_fund
):
    """Budget 600, two approvals of 400 at the same moment: the fund's row lock lets exactly one through."""
    applications = [
        apply_for(chair_a, temporary, member_a),
        apply_for(chair_a, temporary, register(enterprise_a, name="钱晓燕")),
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(application):
        try:
            barrier.wait(timeout=10)
            services.approve(by=aid_staff, application=application, amount=Decimal("400"), on=JAN_1)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert services.programme_totals(temporary).granted == Decimal("400.00")
