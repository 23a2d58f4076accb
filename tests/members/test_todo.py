"""The chair's to-do card: every kind of item a chair can have, in date order, each linking where it is done;
a chair with nothing due; the staff's district version (by duty and area); and the payment instructions
that the items to pay carry (edited by finance staff only).

Dates are built from the scope's day (``TODAY`` or an explicit day), never from assumptions about the
calendar: the due dates are stored on the periods, so the list is the same whatever day the suite runs."""

import datetime
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from homes.models import HomeLevel, WorkersHome
from honours import services as honours_services
from honours.models import AwardRound
from members.models import Area, DuesPeriod, DuesUpload, PaymentInstructions
from members.periods import period_containing
from members.services import dues
from members.services.payment import update_payment_instructions
from secondment import services as secondment_services
from tests.factories import TODAY, make_award, make_round
from unionhub.contributions import Scope, collect_todo

DAY = datetime.timedelta(days=1)
INSTRUCTIONS = {
    "account_name": "高新区总工会",
    "bank": "工商银行高新区支行",
    "account_number": "1204021109000123456",
    "tax_channel": "由税务部门代收，请于申报期内在电子税务局缴纳",
    "note": "附言注明工会编号和所属期",
}


def _periods(union, day, n):
    """The union's last ``n`` periods up to the one containing ``day``, newest first."""
    period = period_containing(union.dues_schedule, day)
    found = []
    for _i in range(n):
        found.append(period)
        period = period.previous()
    return found


def _on_file(union, period, due, funds=None):
    return DuesPeriod.objects.create(
        union=union,
        kind=period.kind,
        label=period.label,
        start=period.start,
        end=period.end,
        due_date=due,
        funds_due=funds,
        payroll_total=None if funds is None else funds * 50,
    )


def _upload(period, status, *, errors=0, name="工资表.xlsx", uploaded_at=None):
    upload = DuesUpload.objects.create(
        union=period.union,
        period=period,
        file="dues/test.xlsx",
        original_name=name,
        sha256=f"{period.pk:08d}{status}{DuesUpload.objects.count()}",
        size=100,
        status=status,
        error_count=errors,
    )
    if uploaded_at is not None:
        DuesUpload.objects.filter(pk=upload.pk).update(uploaded_at=uploaded_at)
        upload.refresh_from_db()
    return upload


def _pay(period, amount, finance_staff, voucher):
    dues.record_remittance(
        by=finance_staff,
        period=period,
        amount=Decimal(amount),
        received_on=TODAY - 30 * DAY,
        voucher_no=voucher,
        channel="transfer",
    )


@pytest.fixture
def busy_chair(chair_a, union_a, staff, finance_staff, young_member):
    """Chair A with one item of every kind, built around TODAY: returns the expected (kind, due) in order."""
    p0, p1, p2, p3, p4, p5, p6 = _periods(union_a, TODAY, 7)
    _on_file(union_a, p6, TODAY - 120 * DAY)  # undeclared, four months late: the payment-order warning
    _on_file(union_a, p5, TODAY - 20 * DAY, Decimal("1000.00"))  # declared, unpaid, late
    paid = _on_file(union_a, p4, TODAY - 50 * DAY, Decimal("800.00"))  # declared and paid: nothing
    _pay(paid, "800.00", finance_staff, "V-PAID")
    fix = _on_file(union_a, p3, TODAY + 3 * DAY)  # undeclared, its latest sheet has errors
    _upload(fix, DuesUpload.Status.VALID, name="旧.xlsx")
    _upload(fix, DuesUpload.Status.INVALID, errors=3)
    commit = _on_file(union_a, p2, TODAY + 5 * DAY)  # undeclared, its latest sheet is checked
    _upload(commit, DuesUpload.Status.INVALID, errors=9, name="旧.xlsx")
    _upload(commit, DuesUpload.Status.VALID)
    pay = _on_file(union_a, p1, TODAY + 10 * DAY, Decimal("500.00"))  # declared, partly paid
    _pay(pay, "100.00", finance_staff, "V-PART")
    _on_file(union_a, p0, TODAY + 25 * DAY)  # the next period to declare
    award_round = make_round(staff, make_award(staff), opens_on=TODAY - 5 * DAY, closes_on=TODAY + 7 * DAY)
    WorkersHome.objects.create(union=union_a, level=HomeLevel.QUALIFIED, reinspection_due_on=TODAY + 14 * DAY)
    nomination = secondment_services.nominate(
        by=chair_a,
        union=union_a,
        member=young_member,
        union_post="vice_chair",
        education="bachelor",
        recommendation="该同志热爱工会工作，群众基础好，愿意到区总工会挂职锻炼一年。" * 2,
        phone="13900002222",
        start_date=TODAY + 14 * DAY,
        on=TODAY,
    )
    secondment_services.return_nomination(
        by=staff, nomination=nomination, reason="推荐材料缺少单位党组织意见"
    )
    update_payment_instructions(by=finance_staff, **INSTRUCTIONS)
    union_dues = reverse("members:union_dues", kwargs={"pk": union_a.pk})
    return [
        ("dues.overdue", TODAY - 120 * DAY, f"{union_dues}?period={quote(p6.label)}#upload"),
        ("dues.overdue", TODAY - 20 * DAY, f"{union_dues}#period-"),
        ("dues.fix", TODAY + 3 * DAY, "/dues/uploads/"),
        ("dues.commit", TODAY + 5 * DAY, "/dues/uploads/"),
        (
            "honours.nominate",
            TODAY + 7 * DAY,
            reverse("honours:nomination_create", kwargs={"pk": award_round.pk}),
        ),
        ("dues.pay", TODAY + 10 * DAY, f"{union_dues}#period-{pay.pk}"),
        (
            "homes.self_assessment",
            TODAY + 14 * DAY,
            reverse("homes:self_assessment", kwargs={"union_pk": union_a.pk}),
        ),
        ("dues.declare", TODAY + 25 * DAY, f"{union_dues}?period={quote(p0.label)}#upload"),
        ("secondment.returned", None, nomination.get_absolute_url()),
    ]


def _kinds(todo):
    return [(item.kind, item.due) for item in todo.items]


class TestChairWithEveryKindOfItem:
    def test_each_item_in_date_order_with_its_link(self, busy_chair, chair_a):
        todo = collect_todo(Scope(day=TODAY, user=chair_a))
        assert todo.applies
        assert _kinds(todo) == [(kind, due) for kind, due, _url in busy_chair]
        for item, (_kind, _due, url) in zip(todo.items, busy_chair, strict=True):
            assert item.url.startswith(url), (item.title, item.url)
            assert item.action and item.title

    def test_what_each_item_says(self, busy_chair, chair_a, english):
        items = collect_todo(Scope(day=TODAY, user=chair_a)).items
        undeclared, late, fix, commit, nominate, pay, home, declare, returned = items
        assert "not declared" in undeclared.title and "payment order" in undeclared.detail
        assert undeclared.severity == late.severity == "overdue"
        assert (
            "¥1,000.00" in late.title
            and "20 days overdue" in late.detail
            and "payment order" not in late.detail
        )
        assert "3 errors" in fix.detail and commit.detail.startswith("工资表.xlsx is checked")
        assert "¥400.00" in pay.title and "¥100.00 received" in pay.detail
        assert pay.more == late.more == "members/todo/_pay.html"
        assert pay.context["instructions"].account_number == INSTRUCTIONS["account_number"]
        assert fix.severity == "warning" and declare.severity == "normal"
        assert "缺少单位党组织意见" in returned.detail and returned.due is None
        assert nominate.title.startswith("Nominate for") and "Re-inspection" in home.detail

    def test_the_dashboard_leads_with_the_card(self, busy_chair, chair_a, login):
        page = login(chair_a).get("/").content.decode()
        assert page.index('id="todo"') < page.index("我的工会")
        kinds = re.findall(r'data-kind="([a-z._]+)"', page)
        assert kinds == [kind for kind, _due, _url in busy_chair]
        assert INSTRUCTIONS["tax_channel"] in page  # how to pay, under the periods to pay
        # The union card stays; its overdue list gave way to the to-do card.
        assert "甲公司工会委员会" in page and "逾期未缴的工会经费" not in page

    def test_a_period_declared_since_its_sheet_drops_the_sheet(self, busy_chair, chair_a, union_a):
        commit = DuesUpload.objects.get(status=DuesUpload.Status.VALID, original_name="工资表.xlsx")
        later = _upload(commit.period, DuesUpload.Status.COMMITTED, name="新.xlsx")
        DuesUpload.objects.filter(pk=later.pk).update(committed_at=timezone.now() + DAY)
        DuesPeriod.objects.filter(pk=commit.period_id).update(
            declared_upload=later, funds_due=Decimal("10.00")
        )
        kinds = [kind for kind, _due in _kinds(collect_todo(Scope(day=TODAY, user=chair_a)))]
        assert "dues.commit" not in kinds

    def test_an_honour_nominated_for_is_not_asked_again(self, busy_chair, chair_a, union_a):
        award_round = AwardRound.objects.get()
        honours_services.nominate(
            round=award_round, union=union_a, nominee=union_a, statement="事迹突出", by=chair_a, on=TODAY
        )
        kinds = [kind for kind, _due in _kinds(collect_todo(Scope(day=TODAY, user=chair_a)))]
        assert "honours.nominate" not in kinds

    @pytest.mark.parametrize("change", [{"quota": 1}, {"closes_on": TODAY - DAY}])
    def test_a_full_or_closed_round_is_not_asked(self, change, busy_chair, chair_a, union_b, chair_b):
        if "quota" in change:
            honours_services.nominate(
                round=AwardRound.objects.get(),
                union=union_b,
                nominee=union_b,
                statement="好",
                by=chair_b,
                on=TODAY,
            )
        AwardRound.objects.update(**change)
        kinds = [kind for kind, _due in _kinds(collect_todo(Scope(day=TODAY, user=chair_a)))]
        assert "honours.nominate" not in kinds


class TestChairWithNothingDue:
    @pytest.fixture
    def settled(self, union_b, finance_staff):
        current, previous = _periods(union_b, TODAY, 2)
        for n, period in enumerate((current, previous)):
            row = _on_file(union_b, period, TODAY + 30 * DAY, Decimal("300.00"))
            _pay(row, "300.00", finance_staff, f"V-B{n}")

    def test_nothing_due_is_said(self, settled, chair_b, login):
        todo = collect_todo(Scope(day=TODAY, user=chair_b))
        assert todo.applies and todo.items == []
        page = login(chair_b).get("/").content.decode()
        assert "目前没有待办事项" in page
        assert "待申报和待缴纳的账期" in page  # what will show up there

    def test_an_undeclared_period_is_due_even_without_a_row(self, chair_b, union_b):
        """A union that never uploaded still has its previous and current periods to declare."""
        todo = collect_todo(Scope(day=TODAY, user=chair_b))
        assert [item.kind for item in todo.items][:1] == ["dues.declare"]


class TestScope:
    def test_another_chair_sees_none_of_union_a(self, busy_chair, chair_b, union_b, union_a):
        items = collect_todo(Scope(day=TODAY, user=chair_b)).items
        union_a_pages = (f"/unions/{union_a.pk}/", "/dues/uploads/", "/secondment/")
        assert all(not any(part in item.url for part in union_a_pages) for item in items)
        assert all("honours" not in item.kind or union_b.code not in item.title for item in items)

    def test_an_outsider_gets_no_card(self, busy_chair, outsider, login):
        assert not collect_todo(Scope(day=TODAY, user=outsider)).applies
        assert 'id="todo"' not in login(outsider).get("/").content.decode()

    @pytest.mark.parametrize("day", ["2027-01-01", "2026-12-31", "2027-01-02", "2026-02-28"])
    def test_any_day_works(self, chair_a, union_a, day):
        """New Year's Day, a month end, a Saturday: the next period and its due date come from the day."""
        day = datetime.date.fromisoformat(day)
        items = collect_todo(Scope(day=day, user=chair_a)).items
        assert items and all(item.due is None or item.due >= day or item.overdue for item in items)
        assert [i.kind for i in items if not i.overdue][:1] == ["dues.declare"]


def _dues(items):
    """The dues items among a staff member's to-do: other programmes add theirs on some days (the holiday
    calendar to enter in November and December, cases waiting for a handler)."""
    return [item for item in items if item.kind.startswith("dues.")]


class TestDistrict:
    @pytest.fixture
    def late(self, union_a, union_b):
        area = Area.objects.create(name="芯中路片组")
        union_b.area = area
        union_b.save(update_fields=["area"])
        a_old, b_old = _periods(union_a, TODAY, 4)[3], _periods(union_b, TODAY, 3)[2]
        _on_file(union_a, a_old, TODAY - 40 * DAY)
        _on_file(union_b, b_old, TODAY - 10 * DAY)
        return area

    @pytest.fixture
    def stuck(self, union_a):
        now = timezone.now()
        row = _on_file(union_a, _periods(union_a, TODAY, 1)[0], TODAY + 20 * DAY)
        return {
            "checking": _upload(
                row, DuesUpload.Status.PENDING, uploaded_at=now - datetime.timedelta(minutes=31)
            ),
            "fresh": _upload(
                row, DuesUpload.Status.PENDING, uploaded_at=now - datetime.timedelta(minutes=10)
            ),
            "uncommitted": _upload(row, DuesUpload.Status.VALID, uploaded_at=now - 4 * DAY),
            "recent": _upload(row, DuesUpload.Status.VALID, uploaded_at=now - 2 * DAY),
        }

    def test_finance_sees_the_unions_late_to_declare(self, late, finance_staff, union_a, english):
        (item,) = _dues(collect_todo(Scope(day=TODAY, user=finance_staff)).items)
        assert item.kind == "dues.late" and item.title == "2 unions late to declare"
        assert item.due == TODAY - 40 * DAY and item.url == reverse("members:arrears")
        assert item.detail.startswith(f"Oldest: {union_a.code}")

    def test_the_area_filter_holds(self, late, finance_staff, union_b, english):
        (item,) = _dues(collect_todo(Scope(day=TODAY, user=finance_staff, area=late)).items)
        assert item.title == "1 union late to declare" and union_b.code in item.detail
        assert item.url == reverse("members:arrears") + f"?area={late.pk}"

    def test_organisation_duty_sees_stuck_sheets_not_late_unions(self, late, stuck, staff):
        items = _dues(collect_todo(Scope(day=TODAY, user=staff)).items)
        assert {item.kind for item in items} == {"dues.stuck"}
        assert sorted(item.url for item in items) == sorted(
            stuck[name].get_absolute_url() for name in ("checking", "uncommitted")
        )

    def test_staff_without_those_duties_get_no_card(self, late, stuck, aid_staff, login):
        assert not collect_todo(Scope(day=TODAY, user=aid_staff)).applies

    def test_the_staff_dashboard_shows_the_district_card(self, late, stuck, finance_staff, login):
        page = login(finance_staff).get("/").content.decode()
        assert page.index('id="todo"') < page.index("区域概况")
        assert page.count('data-kind="dues.late"') == 1 and page.count('data-kind="dues.stuck"') == 2


class TestPaymentInstructions:
    URL = "/dues/payment-instructions/"

    def test_finance_edits_them_audited(self, finance_staff, login):
        client = login(finance_staff)
        assert client.get(self.URL).status_code == 200
        response = client.post(self.URL, INSTRUCTIONS)
        assert response.status_code == 302
        saved = PaymentInstructions.current()
        assert saved.account_number == INSTRUCTIONS["account_number"] and saved.updated_by == finance_staff
        client.post(self.URL, {**INSTRUCTIONS, "bank": "农业银行"})
        assert PaymentInstructions.objects.count() == 1
        assert LogEntry.objects.get_for_object(saved).count() == 2

    @pytest.mark.parametrize("who", ["staff", "aid_staff", "chair_a", "outsider"])
    def test_others_are_refused(self, who, request, login):
        user = request.getfixturevalue(who)
        client = login(user)
        assert client.get(self.URL).status_code == 403
        assert client.post(self.URL, INSTRUCTIONS).status_code == 403
        with pytest.raises(PermissionDenied):
            update_payment_instructions(by=user, **INSTRUCTIONS)
        assert not PaymentInstructions.objects.exists()

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"account_name": "名" * 101}, "account_name"),
            ({"account_number": "1" * 41}, "account_number"),
            ({"tax_channel": "税" * 301}, "tax_channel"),
            ({"note": "注" * 501}, "note"),
            ({"account_name": ""}, "account_name"),
            ({"account_number": "", "tax_channel": "  "}, None),
        ],
    )
    def test_bad_input_is_refused_and_nothing_saved(self, change, field, finance_staff, login):
        response = login(finance_staff).post(self.URL, {**INSTRUCTIONS, **change})
        assert response.status_code == 200
        form = response.context["form"]
        assert (field in form.errors) if field else form.non_field_errors()
        assert not PaymentInstructions.objects.exists()

    def test_the_service_refuses_over_long_input(self, finance_staff):
        with pytest.raises(ValidationError) as refused:
            update_payment_instructions(by=finance_staff, **{**INSTRUCTIONS, "note": "注" * 501})
        assert "note" in refused.value.message_dict
        assert not PaymentInstructions.objects.exists()

    def test_shown_on_the_unions_dues_page(self, finance_staff, chair_a, union_a, login):
        page = login(chair_a).get(reverse("members:union_dues", kwargs={"pk": union_a.pk})).content.decode()
        assert "尚未公布缴款方式" in page
        update_payment_instructions(by=finance_staff, **INSTRUCTIONS)
        page = login(chair_a).get(reverse("members:union_dues", kwargs={"pk": union_a.pk})).content.decode()
        assert INSTRUCTIONS["account_number"] in page and INSTRUCTIONS["tax_channel"] in page
        assert self.URL not in page  # the chair may not edit them
        page = (
            login(finance_staff)
            .get(reverse("members:union_dues", kwargs={"pk": union_a.pk}))
            .content.decode()
        )
        assert self.URL in page
