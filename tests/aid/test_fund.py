"""The hardship fund's ledger: the 5% allocation from remittances, posted once; income; the
balance as the sum; reversals; no overspending, even by two approvals at the same moment; the
statement; the commands; who may see and post."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from aid.models import FundEntry, Programme
from aid.services import fund
from members.models import DuesPeriod, DuesRate
from members.services import dues
from tests.factories import TODAY

pytestmark = pytest.mark.usefixtures("english")

# The last whole calendar year before today: its fund is allocated and its statement is final.
YEAR = TODAY.year - 1


@pytest.fixture
def remitted(union_a, finance_staff):
    """Union A paid 100,000.00 + 23,456.78 of union funds in YEAR."""
    period = DuesPeriod.objects.create(
        union=union_a,
        kind="yearly",
        label=str(YEAR),
        start=datetime.date(YEAR, 1, 1),
        end=datetime.date(YEAR, 12, 31),
        due_date=datetime.date(YEAR + 1, 1, 15),
    )
    for n, (amount, day) in enumerate(
        ((Decimal("100000.00"), datetime.date(YEAR, 3, 2)), (Decimal("23456.78"), datetime.date(YEAR, 9, 9)))
    ):
        dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=amount,
            received_on=day,
            voucher_no=f"V{n}",
            channel="tax_bureau",
        )
    return period


@pytest.fixture
def programme(db):
    return Programme.objects.create(
        year=YEAR,
        kind="living",
        name=f"{YEAR}年生活救助",
        min_amount=500,
        max_amount=5000,
        opens_on=datetime.date(YEAR, 1, 1),
        closes_on=datetime.date(YEAR, 12, 31),
    )


def donate(amount, on=datetime.date(YEAR, 1, 10)):
    return fund.post_income(kind="donation", amount=Decimal(amount), on=on, description="爱心企业捐赠")


class TestAllocation:
    def test_five_percent_of_what_was_received_posted_once(self, remitted):
        assert fund.allocation_due(YEAR) == Decimal("6172.84")  # 5% of 123,456.78, to the fen
        assert fund.post_allocation(year=YEAR) == Decimal("6172.84")
        assert fund.post_allocation(year=YEAR) == 0
        assert FundEntry.objects.filter(kind="allocation").count() == 1
        assert fund.balance() == Decimal("6172.84")

    def test_late_remittances_need_an_explicit_adjustment(self, remitted, finance_staff):
        fund.post_allocation(year=YEAR)
        dues.record_remittance(
            by=finance_staff,
            period=remitted,
            amount=Decimal("20000.00"),
            received_on=datetime.date(YEAR, 12, 30),
            voucher_no="LATE",
            channel="transfer",
        )
        assert fund.post_allocation(year=YEAR) == 0  # never recomputed silently
        assert fund.post_adjustment(year=YEAR) == Decimal("1000.00")
        assert fund.post_adjustment(year=YEAR) == 0
        assert fund.allocated(YEAR) == fund.allocation_due(YEAR) == Decimal("7172.84")

    def test_the_rate_is_configurable_with_its_date(self, remitted):
        DuesRate.objects.create(
            kind="hardship_fund", rate=Decimal("0.08"), effective_from=datetime.date(YEAR, 1, 1)
        )
        assert fund.allocation_due(YEAR) == Decimal("9876.54")
        assert fund.allocation_due(YEAR - 1) == 0

    def test_nothing_received_posts_nothing(self, db):
        assert fund.post_allocation(year=YEAR - 1) == 0 and not FundEntry.objects.exists()

    def test_adjustment_before_allocation_is_refused(self, remitted):
        with pytest.raises(ValidationError, match="not been posted"):
            fund.post_adjustment(year=YEAR)


class TestLedger:
    def test_balance_is_the_sum_and_reversals_undo(self, programme, staff):
        gift = donate("10000")
        paid = fund.disburse(amount=Decimal("2500.50"), programme=programme, description="生活救助")
        assert paid.amount == Decimal("-2500.50") and fund.balance() == Decimal("7499.50")
        undo = fund.reverse(entry=paid, reason="重复发放", by=staff)
        assert undo.amount == Decimal("2500.50") and undo.reverses == paid and undo.programme == programme
        assert fund.balance() == Decimal("10000.00")
        with pytest.raises(ValidationError, match="already been reversed"):
            fund.reverse(entry=paid, reason="再次")
        with pytest.raises(ValidationError, match="cannot itself be reversed"):
            fund.reverse(entry=undo, reason="撤回")
        assert FundEntry.objects.count() == 3
        assert fund.balance() == sum(FundEntry.objects.values_list("amount", flat=True))
        assert gift.pk

    def test_entries_are_never_edited_or_deleted(self, db):
        gift = donate("100")
        gift.description = "改"
        with pytest.raises(ValidationError):
            gift.save()
        with pytest.raises(ValidationError):
            gift.delete()
        assert FundEntry.objects.get().description == "爱心企业捐赠"

    def test_cannot_pay_out_more_than_the_balance(self, programme):
        donate("1000")
        with pytest.raises(ValidationError, match="holds 1,000.00 yuan; 1,000.01 yuan cannot be paid out"):
            fund.disburse(amount=Decimal("1000.01"), programme=programme, description="超额")
        fund.disburse(amount=Decimal("1000.00"), programme=programme, description="恰好")
        assert fund.balance() == 0

    def test_reversing_income_cannot_overdraw(self, programme):
        gift = donate("1000")
        fund.disburse(amount=Decimal("600"), programme=programme, description="救助")
        with pytest.raises(ValidationError, match="below zero"):
            fund.reverse(entry=gift, reason="捐赠退回")

    @pytest.mark.parametrize("amount", ["0", "-5"])
    def test_income_must_be_positive(self, db, amount):
        with pytest.raises(ValidationError):
            donate(amount)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_disbursements_never_overdraw(programme):
    """Eight approvals of 300 fire at once against a fund of 1,000: exactly three succeed."""
    donate("1000")
    barrier = threading.Barrier(8)
    outcomes = []

    def approve():
        try:
            barrier.wait(timeout=10)
            fund.disburse(amount=Decimal("300"), programme=programme, description="并发审批")
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid"] * 3 + ["refused"] * 5
    assert fund.balance() == Decimal("100.00")


class TestStatement:
    def test_month_and_year(self, programme, remitted, staff):
        donate("5000", on=datetime.date(YEAR, 1, 10))
        fund.post_allocation(year=YEAR, on=datetime.date(YEAR, 12, 31))
        medical = Programme.objects.create(
            year=YEAR,
            kind="medical",
            name=f"{YEAR}年医疗救助",
            min_amount=500,
            max_amount=20000,
            opens_on=datetime.date(YEAR, 1, 1),
            closes_on=datetime.date(YEAR, 12, 31),
        )
        fund.disburse(
            amount=Decimal("1200"), programme=programme, description="生活", on=datetime.date(YEAR, 2, 3)
        )
        wrong = fund.disburse(
            amount=Decimal("800"), programme=medical, description="医疗", on=datetime.date(YEAR, 2, 20)
        )
        fund.reverse(entry=wrong, reason="误发", on=datetime.date(YEAR, 3, 1))
        fund.post_income(
            kind="charity_transfer",
            amount=Decimal("3000"),
            on=datetime.date(YEAR, 3, 5),
            description="慈善总会拨付",
        )
        february = fund.statement(year=YEAR, month=2)
        assert (february.opening, february.allocations, february.other_income, february.closing) == (
            Decimal("5000.00"),
            0,
            0,
            Decimal("3000.00"),
        )
        assert dict(february.by_programme) == {
            "Living aid": Decimal("1200.00"),
            "Medical aid": Decimal("800.00"),
        }
        march = fund.statement(year=YEAR, month=3)
        assert dict(march.by_programme) == {"Medical aid": Decimal("-800.00")}  # the reversal gives it back
        assert march.charity == Decimal("3000.00") and march.closing == Decimal("6800.00")
        year = fund.statement(year=YEAR)
        assert (year.opening, year.allocations, year.donations, year.charity) == (
            0,
            Decimal("6172.84"),
            Decimal("5000.00"),
            Decimal("3000.00"),
        )
        assert dict(year.by_programme) == {"Living aid": Decimal("1200.00"), "Medical aid": Decimal("0.00")}
        assert year.closing == fund.balance() == Decimal("12972.84")

    def test_statement_page_and_export(self, client, aid_staff, programme):
        donate("5000")
        client.force_login(aid_staff)
        page = client.get(reverse("aid:fund_statement"), {"year": YEAR})
        assert page.status_code == 200 and ("5,000.00" in page.text or "5000.00" in page.text)
        export = client.get(reverse("aid:fund_statement"), {"year": YEAR, "month": 1, "format": "xlsx"})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


class TestCommands:
    def test_post_allocation_prints_the_amount_then_zero(self, remitted):
        out = io.StringIO()
        call_command("post_allocation", "--year", str(YEAR), stdout=out)
        assert "posted: 6172.84" in out.getvalue().splitlines()
        out = io.StringIO()
        call_command("post_allocation", "--year", str(YEAR), stdout=out)
        assert "posted: 0" in out.getvalue().splitlines()

    def test_bad_year_exits_2(self, db):
        with pytest.raises(CommandError) as raised:
            call_command("post_allocation", "--year", "1999")
        assert raised.value.returncode == 2

    def test_fund_statement_prints_the_balances(self, programme):
        donate("5000", on=datetime.date(YEAR, 1, 10))
        fund.disburse(
            amount=Decimal("1200"), programme=programme, description="生活", on=datetime.date(YEAR, 2, 3)
        )
        out = io.StringIO()
        call_command("fund_statement", "--year", str(YEAR), "--month", "2", stdout=out)
        lines = out.getvalue().splitlines()
        assert "Opening balance: 5000.00" in lines and "Paid out: Living aid: 1200.00" in lines
        assert "Closing balance: 3800.00" in lines


class TestAccess:
    @pytest.mark.parametrize("name", ["aid:fund", "aid:fund_statement"])
    def test_aid_and_finance_staff_see_the_fund_others_do_not(
        self, client, aid_staff, finance_staff, staff, chair_a, outsider, name
    ):
        url = reverse(name)
        assert client.get(url).status_code == 302
        for user, status in (
            (aid_staff, 200),
            (finance_staff, 200),
            (staff, 403),
            (chair_a, 403),
            (outsider, 403),
        ):
            client.force_login(user)
            assert client.get(url).status_code == status, user

    def test_only_the_aid_duty_posts(self, client, finance_staff, aid_staff):
        form = {"kind": "donation", "amount": "100", "on": f"{YEAR}-01-10", "description": "捐赠"}
        client.force_login(finance_staff)
        assert client.post(reverse("aid:fund_income"), form).status_code == 403
        client.force_login(aid_staff)
        assert client.post(reverse("aid:fund_income"), form).status_code == 302
        assert client.post(reverse("aid:fund_income"), {**form, "amount": "-3"}).status_code == 200
        assert fund.balance() == Decimal("100.00")


class TestLedgerLayout:
    """Issue 19: the ledger reads cleanly at an office PC's 1280 px — dates, kind tags, amounts and
    actions on one line, the description wrapping instead (the rules are in static/css/app.css)."""

    def test_dates_tags_amounts_and_actions_do_not_wrap(self, client, aid_staff, programme):
        import re
        from pathlib import Path

        from django.conf import settings

        gift = donate("5000.00")
        fund.post_income(
            kind="donation", amount=Decimal("20.00"), on=datetime.date(YEAR, 2, 1), description="长" * 120
        )
        fund.propose_reversal(by=aid_staff, entry=gift, reason="重复录入")
        client.force_login(aid_staff)
        body = client.get(reverse("aid:fund")).content.decode()
        assert body.count('class="table ledger"') == 3  # the allocation, the pending reversals, the ledger
        ledger = body[body.rindex('class="table ledger"') :]
        rows = re.findall(r"<tr><td[^>]*>.*?</tr>", ledger, re.S)
        assert len(rows) == 2
        for row in rows:
            cells = re.findall(r"<td([^>]*)>", row)
            assert 'class="nowrap"' in cells[0]  # the date
            assert 'class="nowrap"' in cells[1] and 'class="tag"' in row  # the kind tag
            assert "ledger-description" in cells[2]  # wraps
            assert "nowrap" in cells[4]  # the amount
            assert "ledger-actions" in cells[5]
        assert "长" * 120 in ledger  # the long description is all there, to wrap
        css = Path(settings.BASE_DIR, "static", "css", "app.css").read_text()
        assert ".ledger .nowrap, .ledger .tag { white-space: nowrap; }" in css
        assert re.search(r"\.ledger td\.ledger-actions \{ white-space: nowrap;", css)

    def test_outsider_does_not_see_the_ledger(self, client, chair_a, outsider):
        for user in (chair_a, outsider):
            client.force_login(user)
            response = client.get(reverse("aid:fund"))
            assert response.status_code == 403 and b"table ledger" not in response.content
