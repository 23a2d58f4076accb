"""Enterprise mutual-aid funds: the balance is contributions − claims, a claim never exceeds it
(even two at once), the annual disclosure report, the registry's figures, and who may see and
record what."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from aid.models import MutualAidEntry, MutualAidFund
from aid.services import mutual
from tests.factories import TODAY, make_id, make_staff
from unionhub.duties import AID
from unionhub.models import User

pytestmark = pytest.mark.usefixtures("english")

YEAR = TODAY.year - 1


def day(month, d, year=YEAR):
    return datetime.date(year, month, d)


@pytest.fixture
def fund_a(chair_a, enterprise_a):
    return mutual.create_fund(
        by=chair_a,
        enterprise=enterprise_a,
        name="甲公司三方互助基金",
        established_on=datetime.date(YEAR - 1, 3, 1),
        rules="企业、工会、职工三方出资",
    )


@pytest.fixture
def fund_b(chair_b, enterprise_b):
    return mutual.create_fund(
        by=chair_b,
        enterprise=enterprise_b,
        name="乙公司互助基金",
        established_on=datetime.date(YEAR - 1, 1, 1),
    )


def contribute(fund, kind, amount, on=None, by=None, note=""):
    return mutual.record_contribution(
        by=by, fund=fund, kind=kind, on=on or day(1, 10), amount=Decimal(amount), note=note
    )


def approver():
    """A second person, with the aid duty, who approves the claims proposed in these tests (four eyes)."""
    return User.objects.filter(username="claims_approver").first() or make_staff("claims_approver", AID)


def claim(fund, member, amount, on=None, by=None, note="住院医疗补助", approved_by=None):
    """A claim proposed by ``by`` and approved and paid by a second person."""
    proposed = mutual.propose_claim(
        by=by, fund=fund, member=member, on=on or day(2, 1), amount=Decimal(amount), note=note
    )
    return mutual.approve_claim(by=approved_by or approver(), claim=proposed)


class TestBalance:
    def test_balance_is_contributions_less_claims(self, fund_a, member_a, chair_a):
        contribute(fund_a, "enterprise", "5000", by=chair_a)
        contribute(fund_a, "union", "2000", by=chair_a)
        contribute(fund_a, "workers", "1000.50", by=chair_a)
        claim(fund_a, member_a, "3000", by=chair_a)
        assert mutual.balance_of(fund_a) == Decimal("5000.50")
        listed = mutual.with_balances(MutualAidFund.objects.all()).get()
        assert (
            listed.from_enterprise,
            listed.from_union,
            listed.from_workers,
            listed.claims_paid,
            listed.balance,
        ) == (
            Decimal("5000.00"),
            Decimal("2000.00"),
            Decimal("1000.50"),
            Decimal("3000.00"),
            Decimal("5000.50"),
        )

    def test_district_totals_add_up_every_fund(self, fund_a, fund_b, member_a, member_b):
        contribute(fund_a, "enterprise", "5000")
        contribute(fund_b, "workers", "800")
        claim(fund_b, member_b, "300")
        totals = mutual.totals(MutualAidFund.objects.all())
        assert (totals.funds, totals.contributed, totals.claims_paid, totals.claims, totals.balance) == (
            2,
            Decimal("5800.00"),
            Decimal("300.00"),
            1,
            Decimal("5500.00"),
        )

    def test_a_fund_without_entries_has_nothing(self, fund_a):
        listed = mutual.with_balances(MutualAidFund.objects.all()).get()
        assert listed.balance == Decimal("0.00") and mutual.balance_of(fund_a) == Decimal("0.00")


class TestClaims:
    def test_a_claim_beyond_the_balance_is_refused_with_the_figures(self, fund_a, member_a):
        contribute(fund_a, "enterprise", "1000")
        with pytest.raises(ValidationError) as refused:
            claim(fund_a, member_a, "1000.01")
        assert refused.value.messages == ["The fund holds ¥1,000.00; a claim of ¥1,000.01 cannot be paid."]
        assert not fund_a.entries.filter(kind="claim").exists()

    def test_the_whole_balance_can_be_paid_and_then_nothing_more(self, fund_a, member_a):
        contribute(fund_a, "enterprise", "1000")
        claim(fund_a, member_a, "1000")
        with pytest.raises(ValidationError, match="holds ¥0.00"):
            claim(fund_a, member_a, "1", note="第二次补助")
        assert mutual.balance_of(fund_a) == Decimal("0.00")

    def test_only_workers_of_the_enterprise_are_paid(self, fund_a, member_b):
        contribute(fund_a, "enterprise", "1000")
        with pytest.raises(ValidationError, match="does not work at"):
            claim(fund_a, member_b, "100")

    def test_a_claim_says_what_it_is_for(self, fund_a, member_a):
        contribute(fund_a, "enterprise", "1000")
        with pytest.raises(ValidationError, match="what the claim is for"):
            claim(fund_a, member_a, "100", note="  ")

    def test_nothing_before_the_fund_existed_or_in_the_future(self, fund_a):
        with pytest.raises(ValidationError, match="established on"):
            contribute(fund_a, "union", "100", on=fund_a.established_on - datetime.timedelta(days=1))
        with pytest.raises(ValidationError, match="not in advance"):
            contribute(fund_a, "union", "100", on=TODAY + datetime.timedelta(days=1))

    def test_the_same_entry_twice_is_recorded_once(self, fund_a, member_a):
        contribute(fund_a, "workers", "640", note="3月职工缴纳")
        with pytest.raises(ValidationError, match="already recorded"):
            contribute(fund_a, "workers", "640", note="3月职工缴纳")
        claim(fund_a, member_a, "100")
        with pytest.raises(ValidationError, match="already recorded"):
            claim(fund_a, member_a, "100")
        assert fund_a.entries.count() == 2
        contribute(fund_a, "workers", "640", note="3月职工缴纳（第二批）")  # a second one, said so
        assert fund_a.entries.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claims_never_overdraw(fund_a, member_a):
    """Six claims of 300 at once against a fund of 1,000: exactly three are paid."""
    contribute(fund_a, "enterprise", "1000")
    second = approver()
    barrier = threading.Barrier(6)
    outcomes = []

    def pay(n):
        try:
            barrier.wait(timeout=10)
            claim(fund_a, member_a, "300", note=f"并发补助{n}", approved_by=second)
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid"] * 3 + ["refused"] * 3
    assert mutual.balance_of(fund_a) == Decimal("100.00")


class TestAnnualReport:
    @pytest.fixture
    def history(self, fund_a, member_a, register, enterprise_a):
        colleague = register(enterprise_a, name="欧阳晓燕", id_number=make_id("19920304", sex="F"))
        contribute(fund_a, "enterprise", "10000", on=day(4, 1, YEAR - 1))
        claim(fund_a, member_a, "2500", on=day(9, 1, YEAR - 1))
        contribute(fund_a, "enterprise", "8000", on=day(1, 15))
        contribute(fund_a, "union", "3000", on=day(1, 20))
        contribute(fund_a, "workers", "4200", on=day(6, 30))
        claim(fund_a, member_a, "1800", on=day(3, 5), note="大病医疗")
        claim(fund_a, colleague, "2000", on=day(11, 20), note="家庭遭灾")
        contribute(fund_a, "enterprise", "9000", on=TODAY)  # this year: not in last year's report
        return fund_a

    def test_the_year_from_opening_to_closing_balance(self, history):
        report = mutual.annual_report(history, YEAR)
        assert report.opening == Decimal("7500.00")
        assert (report.from_enterprise, report.from_union, report.from_workers) == (
            Decimal("8000.00"),
            Decimal("3000.00"),
            Decimal("4200.00"),
        )
        assert report.claims_paid == Decimal("3800.00")
        assert report.closing == Decimal("18900.00") == mutual.balance_of(history, until=day(12, 31))
        assert [(c.claimant, c.amount, c.note) for c in report.claims] == [
            ("王*明", Decimal("1800.00"), "大病医疗"),
            ("欧**燕", Decimal("2000.00"), "家庭遭灾"),
        ]

    def test_the_first_year_opens_at_zero(self, history):
        report = mutual.annual_report(history, YEAR - 1)
        assert (report.opening, report.contributed, report.claims_paid, report.closing) == (
            0,
            Decimal("10000.00"),
            Decimal("2500.00"),
            Decimal("7500.00"),
        )

    def test_page_and_spreadsheet_show_masked_names(self, history, login, chair_a):
        client = login(chair_a)
        url = reverse("aid:mutual_fund_report", args=[history.pk, YEAR])
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "王*明" in html and "王小明" not in html and "18,900.00" in html
        response = client.get(url, {"format": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert "欧**燕" in cells and "欧阳晓燕" not in cells
        assert Decimal(str(cells[cells.index("期末余额") + 1])) == Decimal(
            "18900"
        )  # the request spoke Chinese

    def test_no_report_before_the_fund_existed(self, history, login, chair_a):
        url = reverse("aid:mutual_fund_report", args=[history.pk, history.established_on.year - 1])
        assert login(chair_a).get(url).status_code == 404


class TestCreate:
    def test_a_chair_sets_up_a_fund_for_their_enterprise(self, login, chair_a, enterprise_a):
        response = login(chair_a).post(
            reverse("aid:mutual_fund_create"),
            {"enterprise": enterprise_a.pk, "name": "甲公司互助基金", "established_on": "2020-01-01"},
        )
        fund = MutualAidFund.objects.get()
        assert response.status_code == 302 and response["Location"] == fund.get_absolute_url()

    def test_not_for_another_union_s_enterprise(self, login, chair_a, union_a, enterprise_b):
        response = login(chair_a).post(
            reverse("aid:mutual_fund_create"),
            {"enterprise": enterprise_b.pk, "name": "乙公司互助基金", "established_on": "2020-01-01"},
        )
        assert response.status_code == 200 and not MutualAidFund.objects.exists()
        with translation.override("en"), pytest.raises(ValidationError, match="own union"):
            mutual.create_fund(
                by=chair_a,
                enterprise=enterprise_b,
                name="乙公司互助基金",
                established_on=datetime.date(2020, 1, 1),
            )

    def test_one_fund_per_enterprise(self, fund_a, chair_a, enterprise_a):
        with pytest.raises(ValidationError, match="already has a mutual-aid fund"):
            mutual.create_fund(
                by=chair_a, enterprise=enterprise_a, name="重复", established_on=datetime.date(2020, 1, 1)
            )

    def test_staff_without_the_aid_duty_cannot_set_one_up(self, login, staff, aid_staff, enterprise_b):
        assert login(staff).get(reverse("aid:mutual_fund_create")).status_code == 403
        response = login(aid_staff).post(
            reverse("aid:mutual_fund_create"),
            {"enterprise": enterprise_b.pk, "name": "乙公司互助基金", "established_on": "2020-01-01"},
        )
        assert response.status_code == 302 and MutualAidFund.objects.filter(enterprise=enterprise_b).exists()


class TestPages:
    def entry(self, **extra):
        fields = {
            "kind": "enterprise",
            "on": day(5, 1).isoformat(),
            "amount": "1200.00",
            "note": "5月企业出资",
        }
        fields.update(extra)
        return fields

    def test_the_chair_records_a_contribution_and_a_double_submit_changes_nothing(
        self, fund_a, login, chair_a
    ):
        client = login(chair_a)
        url = fund_a.get_absolute_url()
        assert client.post(url, self.entry()).status_code == 302
        assert client.post(url, self.entry()).status_code == 200  # refused, the form shown again
        assert fund_a.entries.count() == 1

    def test_a_claim_beyond_the_balance_is_refused_on_the_page(self, fund_a, login, chair_a, member_a):
        contribute(fund_a, "enterprise", "500")
        response = login(chair_a).post(
            fund_a.get_absolute_url(),
            self.entry(kind="claim", amount="800", member=member_a.pk, note="医疗补助"),
        )
        assert response.status_code == 200
        assert "500.00" in response.content.decode() and "800.00" in response.content.decode()
        assert not fund_a.entries.filter(kind="claim").exists()

    def test_a_claim_names_the_worker(self, fund_a, login, chair_a):
        contribute(fund_a, "enterprise", "500")
        response = login(chair_a).post(fund_a.get_absolute_url(), self.entry(kind="claim", amount="100"))
        assert response.status_code == 200 and not fund_a.entries.filter(kind="claim").exists()

    def test_staff_without_the_aid_duty_see_but_cannot_record(self, fund_a, login, staff, aid_staff):
        client = login(staff)
        assert client.get(fund_a.get_absolute_url()).status_code == 200
        assert client.post(fund_a.get_absolute_url(), self.entry()).status_code == 403
        assert login(aid_staff).post(fund_a.get_absolute_url(), self.entry()).status_code == 302
        assert MutualAidEntry.objects.get().recorded_by == aid_staff

    def test_another_union_s_chair_gets_404(self, fund_a, login, chair_b, union_b):
        client = login(chair_b)
        assert client.get(fund_a.get_absolute_url()).status_code == 404
        assert client.post(fund_a.get_absolute_url(), self.entry()).status_code == 404
        assert client.get(reverse("aid:mutual_fund_report", args=[fund_a.pk, YEAR])).status_code == 404

    def test_the_outsider_gets_403(self, fund_a, login, outsider):
        client = login(outsider)
        for url in (
            reverse("aid:mutual_fund_list"),
            fund_a.get_absolute_url(),
            reverse("aid:mutual_fund_create"),
        ):
            assert client.get(url).status_code == 403

    def test_the_list_shows_a_chair_only_their_funds(self, fund_a, fund_b, login, chair_a):
        html = login(chair_a).get(reverse("aid:mutual_fund_list")).content.decode()
        assert fund_a.name in html and fund_b.name not in html

    def test_the_list_costs_the_same_queries_for_any_number_of_funds(
        self, fund_a, login, staff, member_a, chair_b, enterprise_b
    ):
        contribute(fund_a, "enterprise", "100")
        client = login(staff)
        url = reverse("aid:mutual_fund_list")
        client.get(url)  # the session is saved on the first request
        with CaptureQueriesContext(connection) as one_fund:
            client.get(url)
        fund_b = mutual.create_fund(
            by=chair_b,
            enterprise=enterprise_b,
            name="乙公司互助基金",
            established_on=datetime.date(2020, 1, 1),
        )
        contribute(fund_b, "union", "100")
        with CaptureQueriesContext(connection) as two_funds:
            response = client.get(url)
        assert response.status_code == 200 and fund_b.name in response.content.decode()
        assert len(one_fund) == len(two_funds) == 8
