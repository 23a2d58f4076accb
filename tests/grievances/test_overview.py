"""The casework overview's figures, the anonymised export, the deadline list, ``case_deadlines``,
the deadline reminders, who may see them, and the demo's year of cases."""

import datetime
import io
import random
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grievances import overview as figures
from grievances.deadlines import handling_due, limitation_date
from grievances.demo import seed_cases
from grievances.models import Case, CaseEvent
from grievances.tasks import remind_case_deadlines
from tests.factories import DAY, TODAY, make_case, make_id
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")

YEAR_START = datetime.date(TODAY.year, 1, 1)


def a_year_before(day: datetime.date) -> datetime.date:
    return (
        day.replace(year=day.year - 1)
        if (day.month, day.day) != (2, 29)
        else day.replace(year=day.year - 1, day=28)
    )


def closed_case(*, closed_on, days_open, recovered=None, satisfaction=None, **fields) -> Case:
    return make_case(
        received_on=closed_on - days_open * DAY,
        accepted_on=closed_on - days_open * DAY,
        stage="closed",
        closed_on=closed_on,
        outcome="resolved",
        amount_recovered=recovered,
        satisfaction=satisfaction,
        **fields,
    )


def limitation_in(days: int, **fields) -> Case:
    """An open case whose limitation falls ``days`` from today (later if that is a rest day); its
    handling deadline (a complex case: 60 days) is beyond the 30-day window."""
    return make_case(harm_known_on=a_year_before(TODAY + days * DAY), difficulty="complex", **fields)


# --- figures ------------------------------------------------------------------------------------


class TestFigures:
    def test_open_cases_by_stage_and_age(self, db):
        make_case()
        make_case(stage="investigating", received_on=TODAY - 10 * DAY, accepted_on=TODAY - 9 * DAY)
        make_case(stage="investigating", received_on=TODAY - 7 * DAY, accepted_on=TODAY - 7 * DAY)
        make_case(stage="mediation", received_on=TODAY - 40 * DAY, mediation_on=TODAY - 5 * DAY)
        make_case(stage="arbitration", received_on=TODAY - 91 * DAY, arbitration_applied_on=TODAY - 30 * DAY)
        closed_case(closed_on=TODAY, days_open=3)
        rows = {row.stage: row for row in figures.open_by_stage_and_age(TODAY)}
        assert "closed" not in rows
        assert (rows["received"].total, rows["received"].by_age) == (1, [1, 0, 0, 0])
        assert (rows["investigating"].total, rows["investigating"].by_age) == (2, [1, 1, 0, 0])
        assert rows["mediation"].by_age == [0, 0, 1, 0]
        assert rows["arbitration"].by_age == [0, 0, 0, 1]
        assert rows["litigation"].total == 0

    def test_money_recovered_this_year_and_in_total_and_time_to_close(self, db):
        closed_case(closed_on=YEAR_START, days_open=10, recovered=Decimal("1000.50"), satisfaction=5)
        closed_case(closed_on=YEAR_START, days_open=20, recovered=Decimal("2000.00"), satisfaction=4)
        closed_case(
            closed_on=datetime.date(TODAY.year - 1, 6, 1),
            days_open=90,
            recovered=Decimal("5000.00"),
            satisfaction=3,
        )
        make_case(stage="investigating", accepted_on=TODAY)
        result = figures.outcomes(TODAY)
        assert result.recovered_this_year == Decimal("3000.50")
        assert result.recovered_total == Decimal("8000.50")
        assert result.average_days_to_close == 15.0  # last year's 90 days do not count
        assert (result.satisfaction, result.ratings) == (4.0, 3)
        assert (result.open_cases, result.closed_this_year) == (1, 2)

    def test_no_closed_case_no_average(self, db):
        make_case()
        result = figures.outcomes(TODAY)
        assert result.average_days_to_close is None and result.satisfaction is None
        assert result.recovered_total == Decimal("0.00")

    def test_cases_by_category_and_month_over_the_last_twelve_months(self, db):
        make_case(category="wage_arrears")
        make_case(category="wage_arrears")
        make_case(category="women")
        make_case(received_on=TODAY - 400 * DAY)
        monthly = figures.cases_by_category_and_month(TODAY)
        assert len(monthly.months) == 12 and monthly.months[-1] == TODAY.replace(day=1)
        by_label = {str(label): (counts, total) for label, counts, total in monthly.by_category}
        assert by_label["Wage arrears"] == ([0] * 11 + [2], 2)
        assert by_label["Women workers' rights"][1] == 1 and by_label["Dismissal"][1] == 0
        assert monthly.totals[-1] == 3 and monthly.chart[-1] == (monthly.months[-1], 3, 100)

    def test_the_overview_runs_a_fixed_number_of_queries(self, login, casework_staff):
        client = login(casework_staff)

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("grievances:overview")).status_code == 200
            return len(ctx)

        limitation_in(10)
        closed_case(closed_on=TODAY, days_open=5, recovered=Decimal("100.00"))
        few = queries()
        for n in range(6):
            limitation_in(5 + n, handler=casework_staff)
            closed_case(closed_on=TODAY, days_open=n, recovered=Decimal("100.00"), satisfaction=5)
        assert queries() == few

    def test_the_overview_lists_the_deadlines_ahead(self, login, casework_staff):
        soon = limitation_in(10)
        limitation_in(40)
        page = login(casework_staff).get(reverse("grievances:overview")).content.decode()
        assert soon.number in page and soon.limitation_on.isoformat() in page
        assert page.count(f"WQ{TODAY.year}-") == 1


# --- export --------------------------------------------------------------------------------------


def _cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


class TestExport:
    def test_identities_are_masked_and_anonymous_cases_show_nothing(self, login, casework_staff):
        id_number = make_id("19850312")
        named = make_case(
            complainant_name="王小明", complainant_phone="13812345678", complainant_id_number=id_number
        )
        anonymous = make_case(complainant_name="李秘密", complainant_phone="13999998888", anonymous=True)
        response = login(casework_staff).get(
            reverse("grievances:overview_export"), {"year": TODAY.year, "month": TODAY.month}
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        cells = _cells(response)
        assert named.number in cells and anonymous.number in cells and "王*明" in cells
        text = " ".join(cells)
        for secret in (
            "王小明",
            "13812345678",
            "138****5678",
            id_number,
            id_number[-4:],
            "李秘密",
            "李*密",
            "13999998888",
            "9888",
            named.description,
        ):
            assert secret not in text

    def test_only_the_period_asked_for(self, login, casework_staff):
        this_month = make_case()
        earlier = make_case(received_on=TODAY.replace(day=1) - 40 * DAY)
        cells = _cells(
            login(casework_staff).get(
                reverse("grievances:overview_export"), {"year": TODAY.year, "month": TODAY.month}
            )
        )
        assert this_month.number in cells and earlier.number not in cells

    def test_formula_like_employer_names_are_neutralised(self, login, casework_staff):
        make_case(employer_name='=HYPERLINK("http://x")')
        cells = _cells(login(casework_staff).get(reverse("grievances:overview_export"), {"year": TODAY.year}))
        assert '\'=HYPERLINK("http://x")' in cells


# --- deadlines: the list, the command, the reminders ----------------------------------------------


class TestDeadlineList:
    def test_casework_staff_see_every_pending_deadline(self, login, casework_staff, cadre):
        mine = limitation_in(10, handler=cadre)
        other = limitation_in(12)
        limitation_in(45)
        page = login(casework_staff).get(reverse("grievances:deadline_list")).content.decode()
        assert mine.number in page and other.number in page
        assert page.count(f"WQ{TODAY.year}-") == 2

    def test_a_handler_sees_their_own(self, login, cadre):
        mine = limitation_in(10, handler=cadre)
        other = limitation_in(12)
        page = login(cadre).get(reverse("grievances:deadline_list")).content.decode()
        assert mine.number in page and other.number not in page

    def test_every_kind_of_pending_deadline(self, db):
        petition = make_case(channel="petition", received_on=TODAY - 5 * DAY, difficulty="complex")
        rows = figures.pending_deadlines(Case.objects.all(), today=TODAY)
        assert {row.deadline.key for row in rows if row.case == petition} == {"petition_accept"}


def _deadline_lines(**options) -> list[str]:
    out = io.StringIO()
    call_command("case_deadlines", stdout=out, **options)
    return out.getvalue().splitlines()


class TestCaseDeadlinesCommand:
    def test_lists_a_limitation_in_ten_days_not_one_in_forty_nor_closed_cases(self, casework_staff):
        soon = limitation_in(10, handler=casework_staff, stage="investigating", accepted_on=TODAY)
        later = limitation_in(40)
        closed = limitation_in(5, stage="closed", closed_on=TODAY, outcome="withdrawn")
        lines = _deadline_lines()
        assert len(lines) == 1
        days_left = (soon.limitation_on - TODAY).days
        assert lines[0].split() == [
            soon.number,
            "limitation",
            soon.limitation_on.isoformat(),
            str(days_left),
            "investigating",
            "casework",
        ]
        assert later.number not in lines[0] and closed.number not in lines[0]
        assert any(later.number in line for line in _deadline_lines(days=45))

    def test_a_passed_handling_deadline_of_an_unassigned_case(self, db):
        late = make_case(received_on=TODAY - 40 * DAY)
        (line,) = _deadline_lines()
        number, kind, due, days_left, stage, handler = line.split()
        assert (number, kind, due, stage, handler) == (
            late.number,
            "handling",
            late.handling_due.isoformat(),
            "received",
            "unassigned",
        )
        assert int(days_left) == (late.handling_due - TODAY).days < 0

    def test_one_line_per_case_with_its_soonest_deadline(self, db):
        case = make_case(received_on=TODAY - 40 * DAY, harm_known_on=a_year_before(TODAY + 10 * DAY))
        (line,) = _deadline_lines()
        assert line.split()[:2] == [case.number, "handling"]

    def test_none_says_so(self, db):
        limitation_in(40)
        assert _deadline_lines() == ["No open case has a limitation or handling deadline within 30 days."]

    def test_no_identity_is_printed(self, db):
        limitation_in(10, complainant_name="王小明", complainant_phone="13812345678")
        (line,) = _deadline_lines()
        assert "王" not in line and "5678" not in line


class TestReminders:
    def test_the_handler_is_notified_once_per_deadline(self, cadre, casework_staff):
        case = make_case(
            handler=cadre, received_on=TODAY - 40 * DAY, harm_known_on=a_year_before(TODAY + 10 * DAY)
        )
        assert remind_case_deadlines() == {"deadlines": 2, "notified": 2}
        notices = Notice.objects.filter(user=cadre)
        assert {n.key for n in notices} == {
            f"case-deadline:{case.pk}:limitation:{case.limitation_on.isoformat()}",
            f"case-deadline:{case.pk}:handling:{case.handling_due.isoformat()}",
        }
        assert all(case.number in n.title for n in notices)
        assert not Notice.objects.filter(user=casework_staff).exists()
        assert remind_case_deadlines() == {"deadlines": 2, "notified": 0}
        assert notices.count() == 2

    def test_unassigned_cases_go_to_every_casework_staff_member(self, casework_staff, staff, make_user):
        from unionhub.duties import CASEWORK, ensure_duty_groups

        colleague = make_user("casework2", is_staff=True)
        colleague.groups.add(ensure_duty_groups()[CASEWORK])
        limitation_in(10, complainant_name="王小明")
        assert remind_case_deadlines()["notified"] == 2
        assert (
            Notice.objects.filter(user=casework_staff).count()
            == Notice.objects.filter(user=colleague).count()
            == 1
        )
        assert not Notice.objects.filter(user=staff).exists()
        assert "王" not in Notice.objects.get(user=colleague).body

    def test_a_moved_deadline_is_announced_again(self, cadre):
        case = limitation_in(10, handler=cadre)
        remind_case_deadlines()
        case.harm_known_on = a_year_before(TODAY + 20 * DAY)
        case.save()
        assert remind_case_deadlines()["notified"] == 1

    def test_nothing_due_nothing_sent(self, cadre):
        limitation_in(40, handler=cadre)
        assert remind_case_deadlines() == {"deadlines": 0, "notified": 0}


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["grievances:overview", "grievances:overview_export"])
class TestAccess:
    def test_casework_staff(self, login, casework_staff, name):
        assert login(casework_staff).get(reverse(name)).status_code == 200

    @pytest.mark.parametrize("who", ["staff", "chair_a", "cadre", "outsider"])
    def test_everyone_else_is_refused(self, request, db, login, name, who):
        assert login(request.getfixturevalue(who)).get(reverse(name)).status_code == 403

    def test_anonymous_must_log_in(self, client, db, name):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


class TestDeadlineListAccess:
    @pytest.mark.parametrize("who", ["chair_a", "outsider"])
    def test_people_who_handle_no_case_are_refused(self, request, db, login, who):
        assert login(request.getfixturevalue(who)).get(reverse("grievances:deadline_list")).status_code == 403

    def test_a_former_cadre_still_handling_a_case_sees_it(self, login, outsider):
        case = limitation_in(10, handler=outsider)
        page = login(outsider).get(reverse("grievances:deadline_list"))
        assert page.status_code == 200 and case.number in page.content.decode()

    def test_anonymous_must_log_in(self, client, db):
        assert client.get(reverse("grievances:deadline_list")).status_code == 302


# --- demo -----------------------------------------------------------------------------------------


class TestDemo:
    def test_a_year_of_cases_in_a_small_district(
        self, login, casework_staff, cadre, union_a, union_b, enterprise_a, enterprise_b, member_a
    ):
        created = seed_cases(
            rng=random.Random(2026),
            today=TODAY,
            unions=[union_a, union_b],
            staff=casework_staff,
            cadres=[cadre],
        )
        cases = list(Case.objects.all())
        assert created == len(cases) == 300
        for year in {c.received_on.year for c in cases}:
            numbers = sorted(c.number for c in cases if c.received_on.year == year)
            assert numbers == [f"WQ{year}-{n:04d}" for n in range(1, len(numbers) + 1)]
        assert all(TODAY - datetime.timedelta(days=365) < c.received_on <= TODAY for c in cases)
        assert {c.stage for c in cases} == set(Case.Stage.values)
        assert {c.channel for c in cases} == set(Case.Channel.values)
        assert {c.category for c in cases} == set(Case.Category.values)
        closed = [c for c in cases if c.stage == "closed"]
        assert all(c.closed_on and c.outcome and c.received_on <= c.closed_on <= TODAY for c in closed)
        recovered = sum(c.amount_recovered or 0 for c in closed)
        assert Decimal("1600000") <= recovered <= Decimal("1700000")
        assert all(c.amount_recovered <= c.amount_claimed for c in cases if c.amount_recovered)
        for c in cases:  # stored deadlines as ``Case.save`` would compute them
            assert (c.limitation_on, c.handling_due) == (limitation_date(c), handling_due(c))
            assert (c.tracking_code_hash != "") == (c.channel == "web")
            assert c.anonymous == (c.complainant_name == "")
        assert any(c.anonymous for c in cases) and any(c.member_id == member_a.pk for c in cases)
        assert any(c.helping_union_id for c in cases) and any(c.petition_extended for c in cases)
        assert any(c.legal_aid for c in cases) and any(c.is_migrant_worker for c in cases)
        assert {c.handler_id for c in cases} >= {casework_staff.pk, cadre.pk, None}
        assert any(
            d.kind == "limitation" and 0 <= d.days_left <= 30 for d in figures.deadlines_ahead(today=TODAY)
        )
        assert CaseEvent.objects.filter(kind="reply", public=True).exists()
        assert not any(re.search(r"\{\w+\}", c.description) for c in cases)
        assert login(casework_staff).get(reverse("grievances:overview")).status_code == 200
